#!/usr/bin/env node
// Builds Storybook, serves it on 127.0.0.1, and photographs the main states of the components in the
// light and dark themes with Debian's Chromium. Images go to screenshots/ (gitignored): look, don't commit.
//
//   node scripts/screenshots-storybook.mjs            # build, then capture
//   node scripts/screenshots-storybook.mjs --no-build # reuse storybook-static/
//   node scripts/screenshots-storybook.mjs --only lessonform   # stories whose id contains "lessonform"
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..");
const staticDir = join(root, "storybook-static");
const outDir = join(root, "screenshots");
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

/** The states a designer reviews first; every one is shot in both themes. */
const mainStories = [
  "video-atoms-uploadbutton--drop-zone",
  "video-atoms-uploadbutton--dragging",
  "video-atoms-uploadbutton--rejecting-a-file",
  "video-atoms-progressbar--determinate",
  "video-atoms-errordisplay--retryable",
  "video-atoms-videothumbnail--unavailable",
  "video-molecules-uploadstatus--uploading",
  "video-molecules-uploadstatus--paused",
  "video-molecules-uploadstatus--retrying",
  "video-molecules-uploadstatus--processing",
  "video-molecules-uploadstatus--complete",
  "video-molecules-uploadstatus--network-error",
  "video-molecules-uploadstatus--long-file-name",
  "video-molecules-uploadform--idle",
  "video-molecules-videoplayer--deferred",
  "video-molecules-videoplayer--direct-source",
  "video-organisms-videouploader--idle",
  "video-organisms-videouploader--uploading",
  "video-organisms-videouploader--not-a-video",
  "video-organisms-muxstockuploader--idle",
  "video-organisms-muxstockuploader--processing",
  "video-organisms-muxstockuploader--ready",
  "video-organisms-videomanager--ready",
  "video-organisms-videomanager--confirming-remove",
  "video-organisms-videomanager--preparing",
  "form-atoms-formfield--with-error",
  "form-organisms-lessonform--create",
  "form-organisms-lessonform--edit",
  "form-organisms-lessonform--validation-errors",
  "form-organisms-lessonform--server-error",
  "form-organisms-lessonform--save-while-uploading",
  "form-organisms-lessonform--right-to-left",
  "form-organisms-lessonform--narrow",
];

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".mp4": "video/mp4",
  ".woff2": "font/woff2",
};

function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

if (!args.includes("--no-build")) {
  const built = spawnSync("npx", ["storybook", "build", "-o", staticDir, "--quiet", "--disable-telemetry"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const index = JSON.parse(readFileSync(join(staticDir, "index.json"), "utf8"));
const known = new Set(Object.keys(index.entries));
const stories = mainStories.filter((id) => (!only || id.includes(only)) && known.has(id));
const missing = mainStories.filter((id) => !known.has(id));
if (missing.length > 0) console.warn(`not in the build: ${missing.join(", ")}`);

mkdirSync(outDir, { recursive: true });
const server = await serve(staticDir);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
});
try {
  const page = await browser.newPage({ viewport: { width: 820, height: 900 }, deviceScaleFactor: 1, reducedMotion: "reduce" });
  for (const theme of ["light", "dark"]) {
    for (const id of stories) {
      await page.goto(`${base}/iframe.html?id=${id}&viewMode=story&globals=theme:${theme}`);
      await page.waitForSelector(".lvk-story-root");
      // Let play functions reach their state (uploads, dialogs) before the picture.
      await page.waitForTimeout(2500);
      const file = join(outDir, `${id}--${theme}.png`);
      await page.locator(".lvk-story-root").screenshot({ path: file });
      console.log(file.replace(`${root}/`, ""));
    }
  }
} finally {
  await browser.close();
  server.close();
}
