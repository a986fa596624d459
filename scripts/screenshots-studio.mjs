#!/usr/bin/env node
// Screenshots of the example lesson studio's main pages, written to screenshots/studio/ (git-ignored).
// Runs the stack `npm start` runs (on free ports, with a fresh data dir), fills it through the UI as a
// creator would (three lessons with real videos made by ffmpeg, two published) and photographs the pages.
// Usage: node scripts/screenshots-studio.mjs [--no-build]   (--no-build: use dist/ as it is)
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright";

const outDir = join("screenshots", "studio");
const work = mkdtempSync(join(tmpdir(), "lesson-studio-shots-"));
const noBuild = process.argv.includes("--no-build");

const lessons = [
  {
    title: "Fractals for animators",
    description:
      "How a two-line formula draws the Mandelbrot set, and how to zoom into it smoothly for a title sequence.",
    source: "mandelbrot=size=1280x720:rate=25",
    // About 20 MB: several upload chunks, so the in-flight screenshot shows real progress.
    bitrate: "26M",
    publish: true,
  },
  {
    title: "Colour grading in ten minutes",
    description: "Balance first, then contrast, then a look. A quick pass that makes any footage feel deliberate.",
    source: "gradients=size=1280x720:rate=25:c0=0x312e81:c1=0x14b8a6:c2=0xf59e0b:nb_colors=3:speed=0.015",
    publish: true,
  },
  {
    title: "Patterns that grow",
    description: "Cellular automata as moving backgrounds: rules, seeds and colour. Still a draft.",
    source: "life=size=1280x720:rate=25:mold=10:ratio=0.12:life_color=#a5b4fc:death_color=#1e1b4b:mold_color=#312e81",
    publish: false,
  },
];

function makeVideo(lesson, index) {
  const path = join(work, `lesson-${index + 1}.mp4`);
  execFileSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", lesson.source,
    "-f", "lavfi", "-i", "sine=frequency=330:duration=6",
    "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
    ...(lesson.bitrate ? ["-b:v", lesson.bitrate, "-minrate", lesson.bitrate, "-maxrate", lesson.bitrate, "-bufsize", lesson.bitrate] : []),
    "-c:a", "aac", "-shortest", "-movflags", "+faststart", path,
  ]);
  return path;
}

function startStack() {
  const args = ["scripts/start.mjs", "--port", "0", "--emulator-port", "0", "--data-dir", join(work, "data")];
  if (noBuild) args.push("--no-build");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, MUX_TOKEN_ID: "" } });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString();
      const studio = /Lesson studio ready: (http\S+)/.exec(output)?.[1];
      const emulator = /Mux emulator: (http\S+)/.exec(output)?.[1];
      if (studio && emulator) resolve({ child, studio, emulator });
    });
    child.once("exit", (code) => reject(new Error(`npm start's stack exited (${code}):\n${output}`)));
  });
}

async function setFaults(emulator, faults) {
  await fetch(`${emulator}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
}

async function chooseFile(page, path) {
  const chooser = page.waitForEvent("filechooser");
  await page.locator(".lvk-uploader button").first().click();
  await (await chooser).setFiles(path);
}

async function signIn(browser, user) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${stack.studio}/sign-in`);
  await page.getByTestId(`sign-in-${user}`).click();
  await page.waitForURL(`${stack.studio}/lessons`);
  return page;
}

/** Waits until the lesson page's player has a frame to show, then pauses it a second in. */
async function settlePlayer(page) {
  await page.waitForFunction(() => (document.querySelector("mux-player")?.readyState ?? 0) >= 2, undefined, {
    timeout: 60_000,
  });
  await page.evaluate(async () => {
    const player = document.querySelector("mux-player");
    player.muted = true;
    player.currentTime = 2;
    await new Promise((resolve) => player.addEventListener("seeked", resolve, { once: true }));
  });
  await page.waitForTimeout(500);
}

// The pointer rests in a corner, so no card shows its hover state.
const shot = async (page, name) => {
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(outDir, `${name}.png`) });
};

mkdirSync(outDir, { recursive: true });
const videos = lessons.map(makeVideo);
const stack = await startStack();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});

try {
  const guest = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await guest.goto(`${stack.studio}/sign-in`);
  await shot(guest, "01-sign-in");

  const creator = await signIn(browser, "creator");
  const lessonUrls = [];
  for (const [index, lesson] of lessons.entries()) {
    await creator.goto(`${stack.studio}/lessons/new`);
    await creator.getByLabel("Title").fill(lesson.title);
    await creator.getByLabel("Description").fill(lesson.description);
    if (index === 0) {
      // Slow the emulator down to catch the upload in flight.
      await setFaults(stack.emulator, { latencyMs: 3000 });
      await chooseFile(creator, videos[index]);
      // Between chunks: some bytes acknowledged, more to go.
      await creator.waitForFunction(() => {
        const bar = document.querySelector('.lvk-uploader [role="progressbar"]');
        const value = Number(bar?.getAttribute("aria-valuenow") ?? 0);
        return value > 20 && value < 90;
      }, undefined, { timeout: 60_000 });
      await creator.locator(".lvk-form").scrollIntoViewIfNeeded();
      await creator.evaluate(() => window.scrollTo(0, 260));
      await shot(creator, "03-new-lesson-uploading");
      await setFaults(stack.emulator, {});
    } else {
      await chooseFile(creator, videos[index]);
    }
    await creator.locator('fieldset[data-state="ready"]').getByText("Ready to play", { exact: true }).waitFor({ timeout: 120_000 });
    if (index === 0) {
      await creator.evaluate(() => window.scrollTo(0, 260));
      await creator.waitForTimeout(800);
      await shot(creator, "04-new-lesson-ready");
    }
    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    lessonUrls.push(creator.url());
    if (lesson.publish) {
      await creator.getByRole("button", { name: "Publish lesson" }).click();
      await creator.getByRole("button", { name: "Unpublish" }).waitFor();
    }
  }

  await creator.goto(`${stack.studio}/lessons`);
  await creator.waitForLoadState("networkidle");
  await shot(creator, "02-lessons");

  await creator.goto(lessonUrls[0]);
  await settlePlayer(creator);
  await shot(creator, "05-lesson");

  await creator.getByRole("link", { name: "Edit lesson" }).click();
  await creator.waitForURL(/\/lessons\/edit\//);
  await creator.waitForTimeout(1500);
  await shot(creator, "06-edit-lesson");

  await creator.goto(`${stack.studio}/lessons/new`);
  const html = join(work, "definitely-a-video.mp4");
  execFileSync("sh", ["-c", `printf '<!doctype html><title>hi</title>' > '${html}'`]);
  await chooseFile(creator, html);
  await creator.getByText("This file is not a video, whatever its name says. Choose a video file.", { exact: true }).waitFor();
  await creator.evaluate(() => window.scrollTo(0, 260));
  await shot(creator, "07-not-a-video");

  const visitor = await signIn(browser, "visitor");
  await shot(visitor, "08-lessons-as-visitor");
  await visitor.goto(lessonUrls[2]);
  await shot(visitor, "09-draft-refused");

  console.log(`Screenshots in ${outDir}/`);
} finally {
  await browser.close();
  const exited = new Promise((resolve) => stack.child.once("exit", resolve));
  stack.child.kill("SIGINT");
  await exited;
  rmSync(work, { recursive: true, force: true });
}
