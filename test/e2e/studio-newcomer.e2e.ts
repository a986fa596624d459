/**
 * What a newcomer meets in the studio, in real Chromium against the stack `npm start` runs: a seeded lesson
 * with a real video to watch, no request leaving the machine, an icon, a header that fits a phone, a
 * refused save that shows the field it focuses, sizes whose units match their numbers, a refused file
 * called refused, and a lesson whose upload a closed tab interrupted: its edit page says so and offers to
 * resume, never an endless "processing".
 */
import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page, Request } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatBytes } from "../../src/components/shared/format.js";
import { launchChromium } from "./support/browser.js";
import { type Fixture, sharedUploadFiles, type UploadFiles } from "./support/files.js";
import {
  chooseVideo,
  emulatorUrl,
  playLessonVideo,
  setEmulatorFaults,
  signedInPage,
  studioUrl,
  waitForVideoReady,
} from "./support/studio.js";

const welcomeLessonId = "5eed0000-0000-4000-8000-000000000001";
const chunkSize = 8 * 1024 * 1024;

let browser: Browser;
let bigVideo: Fixture;
let spoofed: Fixture;

beforeAll(async () => {
  let files: UploadFiles;
  [browser, files] = await Promise.all([launchChromium(), sharedUploadFiles()]);
  ({ bigVideo, spoofed } = files);
});

afterAll(async () => {
  await browser?.close();
  await setEmulatorFaults({});
});

/** Every request any page of the context makes, by URL. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on("request", (request: Request) => urls.push(request.url()));
  return urls;
}

const offMachine = (urls: string[]) =>
  urls.filter((url) => {
    const { protocol, hostname } = new URL(url);
    if (protocol === "data:" || protocol === "blob:") return false;
    return hostname !== "127.0.0.1" && hostname !== "localhost";
  });

/** Reloads the welcome lesson until its seeded video is ready (the emulator processes it after start). */
async function openWelcomeLessonWhenReady(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.goto(`${studioUrl()}/lessons/${welcomeLessonId}`);
        return page.getByTestId("video-status").textContent();
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe("Video ready");
}

describe("a newcomer in the studio", () => {
  test("the seeded published lesson has a real video to watch, made at start", async () => {
    const visitor = await signedInPage(browser, "visitor");
    await openWelcomeLessonWhenReady(visitor);
    const played = await playLessonVideo(visitor);
    expect(played.currentTime).toBeGreaterThan(0.3);
    expect(played.duration).toBeGreaterThan(5);
    expect(played.duration).toBeLessThan(7);
    await visitor.context().close();
  });

  test("no page asks anything of another host, not even the player, and the site has an icon", async () => {
    const creator = await signedInPage(browser, "creator");
    const requests = recordRequests(creator.context());
    const notFound: string[] = [];
    creator.context().on("response", (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });

    await openWelcomeLessonWhenReady(creator);
    await playLessonVideo(creator);
    // media-chrome's "No style sheet found" warning comes from a copy of the centre play button whose
    // connectedCallback runs while it has no parent, during the theme's template update (see
    // docs/example-studio.md). Harmless: the buttons on the page carry the :host rule it would have set.
    const playButtons = await creator.evaluate(() => {
      const found: Array<{ part: string | null; display: string[] }> = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll("*")) {
          if (element.localName === "media-play-button" && element.shadowRoot) {
            const display = [...element.shadowRoot.querySelectorAll("style:not([media])")]
              .flatMap((style) => [...((style as HTMLStyleElement).sheet?.cssRules ?? [])])
              .filter((rule): rule is CSSStyleRule => rule instanceof CSSStyleRule && rule.selectorText === ":host")
              .map((rule) => rule.style.getPropertyValue("display"))
              .filter(Boolean);
            found.push({ part: element.getAttribute("part"), display });
          }
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      return found;
    });
    expect(playButtons.length).toBeGreaterThan(0);
    for (const button of playButtons) expect(button.display, String(button.part)).toHaveLength(1);
    await creator.goto(`${studioUrl()}/lessons/edit/${welcomeLessonId}`);
    await creator.locator("mux-player").waitFor({ state: "attached", timeout: 30_000 });
    await creator.waitForFunction(() => (document.querySelector<HTMLMediaElement>("mux-player")?.readyState ?? 0) >= 1);
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByLabel("Title").waitFor();

    expect(requests.length).toBeGreaterThan(10);
    expect(offMachine(requests)).toEqual([]);
    expect(notFound).toEqual([]);

    const icon = await creator.locator('link[rel="icon"]').first().getAttribute("href");
    expect(icon).toBeTruthy();
    const answer = await fetch(new URL(icon as string, studioUrl()));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("image/svg+xml");
    await creator.context().close();
  });

  test("at 390 px wide the signed-in pages fit the screen: nothing scrolls sideways", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${studioUrl()}/sign-in`);
    await page.getByTestId("sign-in-creator").click();
    await page.waitForURL(`${studioUrl()}/lessons`);
    for (const path of ["/lessons", "/lessons/new", `/lessons/${welcomeLessonId}`, `/lessons/edit/${welcomeLessonId}`]) {
      await page.goto(`${studioUrl()}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: 390 });
    }
    // The header still names the signed-in user and the brand to screen readers.
    await page.goto(`${studioUrl()}/lessons`);
    expect(await page.getByTestId("signed-in-user").textContent()).toBe("Maya Chen");
    expect(await page.locator("header").getByRole("link", { name: "Lesson Studio" }).count()).toBe(1);
    await context.close();
  });

  test("a refused Create lesson focuses the title where it can be seen, below the sticky header", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${studioUrl()}/sign-in`);
    await page.getByTestId("sign-in-creator").click();
    await page.waitForURL(`${studioUrl()}/lessons`);
    await page.goto(`${studioUrl()}/lessons/new`);
    const title = page.getByLabel("Title");
    // Scrolled so the title sits just under the header: inside the viewport, so focusing it scrolls
    // nothing unless the page says how much of the top the header covers.
    await title.evaluate((field) => window.scrollTo(0, field.getBoundingClientRect().top + window.scrollY - 20));
    const headerBottom = await page.evaluate(() => document.querySelector(".studio-header")!.getBoundingClientRect().bottom);
    expect(await title.evaluate((field) => field.getBoundingClientRect().top)).toBeLessThan(headerBottom);
    await page.getByRole("button", { name: "Create lesson" }).click();

    await expect.poll(() => title.evaluate((field) => field === document.activeElement)).toBe(true);
    await expect.poll(() => title.evaluate((field) => field.getBoundingClientRect().top), { timeout: 5_000 }).toBeGreaterThanOrEqual(headerBottom);
    await context.close();
  });

  test("a file refused before any byte is sent is called not accepted, with the reason", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    await chooseVideo(creator, spoofed.path);
    const uploader = creator.locator(".lvk-uploader");
    await uploader.getByText("This file is not a video, whatever its name says. Choose a video file.", { exact: true }).waitFor();
    await uploader.getByText("File not accepted", { exact: true }).waitFor();
    expect(await uploader.getByText("Upload failed").count()).toBe(0);
    await creator.context().close();
  });

  test("an upload shows sizes whose units match their numbers and never 'About 0 sec left'", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByLabel("Title").fill("Sizes");
    await creator.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { __details: Set<string> }).__details = seen;
      const look = () => {
        for (const element of document.querySelectorAll(".lvk-status__details span")) seen.add(element.textContent ?? "");
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // Each answer a little slow, so progress, speed and time left are on screen for a while.
    await setEmulatorFaults({ latencyMs: 300 });
    await chooseVideo(creator, bigVideo.path);
    await waitForVideoReady(creator, 120_000);
    await setEmulatorFaults({});
    const details = await creator.evaluate(() => [...(window as unknown as { __details: Set<string> }).__details]);
    const total = formatBytes(bigVideo.bytes.length, "en-US");
    // SI: about 20 MB for about 20,000,000 bytes (1024-based sizes would read 19 MB).
    expect(total).toBe(`${(bigVideo.bytes.length / 1e6).toFixed(bigVideo.bytes.length >= 1e8 ? 0 : 1)} MB`);
    expect(details.some((text) => text.endsWith(` of ${total}`))).toBe(true);
    expect(details.filter((text) => /\b0 sec\b/.test(text))).toEqual([]);
    await creator.context().close();
  });

  test("'This lesson has no video yet' is gone while a video uploads and processes, and after a refused file", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    const hint = creator.getByText("This lesson has no video yet.", { exact: true });
    expect(await hint.isVisible()).toBe(true);
    await creator.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { __hint: string[] }).__hint = shown;
      const look = () => {
        const status = document.querySelector<HTMLElement>(".lvk-uploader")?.dataset.status ?? "none";
        const visible = [...document.querySelectorAll("p")].some((p) => p.textContent === "This lesson has no video yet." && p.checkVisibility());
        if (visible && status !== "idle") shown.push(status);
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await chooseVideo(creator, spoofed.path);
    await creator.locator('.lvk-uploader[data-status="error"]').waitFor();
    expect(await hint.isVisible()).toBe(false);

    await setEmulatorFaults({ latencyMs: 300 });
    const chooserShown = creator.waitForEvent("filechooser");
    await creator.getByRole("button", { name: "Choose another video" }).click();
    await (await chooserShown).setFiles(bigVideo.path);
    await waitForVideoReady(creator, 120_000);
    await setEmulatorFaults({});
    expect(await creator.evaluate(() => (window as unknown as { __hint: string[] }).__hint)).toEqual([]);
    await creator.context().close();
  });
});

describe("an upload interrupted by a closed tab", () => {
  test("its lesson's edit page says so and resumes from the last byte the service has, or offers a fresh upload", async () => {
    const creator = await signedInPage(browser, "creator");
    const context = creator.context();
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByLabel("Title").fill("Cut short");

    // The first chunk reaches the emulator; nothing after it does, as when the tab closes mid-chunk. Later
    // requests are answered here, never forwarded (a request left paused could still be let through when the
    // page closes, and then there would be nothing to resume), with a 503 whose Retry-After of an hour keeps the
    // upload waiting to retry: aborted requests were retried at once and the upload could fail for good before
    // a loaded machine handled the save, which then took the page elsewhere.
    let secondChunk!: () => void;
    const stalled = new Promise<void>((resolve) => (secondChunk = resolve));
    let byteRequests = 0;
    await creator.route(`${emulatorUrl()}/upload/**`, async (route) => {
      if (route.request().method() !== "PUT") return route.continue();
      byteRequests += 1;
      if (byteRequests === 1) return route.continue();
      secondChunk();
      return route.fulfill({
        status: 503,
        headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After, Range", "Retry-After": "3600" },
        body: "",
      });
    });
    await chooseVideo(creator, bigVideo.path);
    await stalled;
    await creator.getByRole("button", { name: "Save now, video continues" }).click();
    // Saved while the bytes are still on their way: the new lesson stays on screen as its editor (leaving the page
    // would stop the upload it continues), which is what the address says once the save is through.
    await creator.waitForURL(/\/lessons\/edit\/[0-9a-f-]{36}$/);
    expect(await creator.locator("form").getAttribute("data-state")).toBe("saved");
    const editUrl = creator.url();
    const lessonId = editUrl.split("/").at(-1)!;
    await creator.close({ runBeforeUnload: false });

    // Another browser, with no record of the upload: interrupted, upload again; nothing says processing.
    const elsewhere = await signedInPage(browser, "creator");
    await elsewhere.goto(editUrl);
    const notice = elsewhere.getByTestId("interrupted-upload");
    await notice.getByText("The video upload was interrupted").waitFor();
    expect(await notice.getAttribute("data-resumable")).toBeNull();
    await notice.getByText("Upload the video again below.", { exact: false }).waitFor();
    expect(await elsewhere.getByTestId("video-status").textContent()).toBe("Upload interrupted");
    expect(await elsewhere.locator(".lvk-uploader button").first().isVisible()).toBe(true);
    expect(await elsewhere.getByText(/processing/i).count()).toBe(0);
    // Its lesson page says the same to its creator, not "No video yet".
    await elsewhere.goto(`${studioUrl()}/lessons/${lessonId}`);
    await elsewhere.getByText("The video upload was interrupted. Edit the lesson to resume it or upload the video again.").waitFor();
    expect(await elsewhere.getByTestId("video-status").textContent()).toBe("Upload interrupted");
    expect(await elsewhere.getByText("No video yet", { exact: false }).count()).toBe(0);
    await elsewhere.context().close();

    // The same browser, a new tab: the record offers to resume; the same file continues from byte 8 MiB.
    const page = await context.newPage();
    const ranges: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "PUT" && request.url().startsWith(`${emulatorUrl()}/upload/`)) ranges.push(request.headers()["content-range"] ?? "");
    });
    await page.goto(editUrl);
    const offer = page.getByTestId("interrupted-upload");
    await offer.getByText("long take.mp4", { exact: true }).waitFor();
    expect(await offer.getAttribute("data-resumable")).toBe("");
    expect(await page.getByText(/processing/i).count()).toBe(0);
    const chooserShown = page.waitForEvent("filechooser");
    await offer.getByRole("button", { name: "Resume: choose long take.mp4" }).click();
    await (await chooserShown).setFiles(bigVideo.path);
    await waitForVideoReady(page, 120_000);

    const bytePuts = ranges.filter((range) => !range.startsWith("bytes */"));
    expect(bytePuts[0]).toBe(`bytes ${chunkSize}-${2 * chunkSize - 1}/${bigVideo.bytes.length}`);
    expect(await page.getByTestId("interrupted-upload").count()).toBe(0);

    // The lesson plays exactly the file, its first chunk from before the tab closed and the rest from now.
    await expect
      .poll(
        async () => {
          await page.goto(`${studioUrl()}/lessons/${lessonId}`);
          return page.getByTestId("video-status").textContent();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe("Video ready");
    const src = await page.locator("mux-player").getAttribute("src");
    const stored = Buffer.from(await (await fetch(src as string)).arrayBuffer());
    expect(createHash("sha256").update(stored).digest("hex")).toBe(bigVideo.sha256);
    await context.close();
  });
});
