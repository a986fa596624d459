// What a creator does in a guide's app, in Chromium, the same for every guide: sign in as the demo creator, save a
// lesson after its upload finished or with "Save now" while its bytes are held back, open the lesson until its video
// is ready and play it, and never make a request off the machine. Shared by test/guides/*.test.ts.
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Browser, BrowserContext, Page, Route } from "playwright";
import { expect } from "vitest";
import { chooseVideo, playLessonVideo, waitForVideoReady } from "../e2e/support/studio.js";

/** A guide's app as the tests reach it: its URL and the settings the emulator printed. */
export interface GuideSite {
  baseUrl: string;
  emulatorEnv: Record<string, string>;
}

/** A lesson the form saved: the id the lessons route answered and the upload id the form sent. */
export interface SavedLesson {
  id: string;
  uploadId: string | null;
  title: string;
}

/** Every request the context's pages make, by URL. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on("request", (request) => urls.push(request.url()));
  return urls;
}

/** The http(s) requests that went to a host other than this machine. */
export const offMachine = (urls: string[]) =>
  urls.filter((url) => {
    const { protocol, hostname } = new URL(url);
    return (protocol === "http:" || protocol === "https:") && hostname !== "127.0.0.1" && hostname !== "localhost";
  });

/** Signs in as the guides' demo creator, on the new-lesson page. */
export async function creatorPage(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/sign-in`);
  await page.getByRole("button", { name: "Casey, who teaches" }).click();
  await page.waitForURL(`${origin}/lessons/new`);
  await page.getByRole("heading", { name: "New lesson" }).waitFor();
  return page;
}

/**
 * The lesson id the form's save answered, and the upload id it sent. The app's first save (or the webhook before it)
 * opens its PGlite database (initdb and both migrations, docs/database.md): on a busy 2-core machine that took longer
 * than Playwright's default 30 s, so the wait has the ceiling of the other waits here.
 */
function watchSave(page: Page, origin: string): Promise<{ id: string; uploadId: string | null }> {
  return page
    .waitForResponse((response) => response.url() === `${origin}/api/lessons` && response.request().method() === "POST", { timeout: 120_000 })
    .then(async (response) => {
      expect(response.status()).toBe(200);
      const sent = response.request().postDataJSON() as { uploadId: string | null };
      return { id: ((await response.json()) as { id: string }).id, uploadId: sent.uploadId };
    });
}

/** Opens the lesson page until the webhooks have made its video ready, then plays it. */
export async function playLesson(page: Page, origin: string, lessonId: string, title: string): Promise<void> {
  await page.goto(`${origin}/lessons/${lessonId}`);
  // The page shows the lesson with its player (the player itself loads after hydration), or says where its video is.
  const ready = page.locator("article h1");
  const notReady = page.locator("[data-video-status]");
  await expect
    .poll(
      async () => {
        await ready.or(notReady).first().waitFor();
        if ((await ready.count()) > 0) return "ready";
        const status = await notReady.getAttribute("data-video-status");
        await page.reload();
        return status;
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe("ready");
  expect(await ready.textContent()).toBe(title);
  const played = await playLessonVideo(page);
  expect(played.currentTime).toBeGreaterThan(0.3);
}

/** A creator saves a new lesson once its video is ready in the form, opens it and plays it; nothing leaves the machine. */
export async function saveAfterUpload(browser: Browser, site: GuideSite, videoPath: string, title: string): Promise<SavedLesson> {
  const context = await browser.newContext();
  try {
    const urls = recordRequests(context);
    const page = await creatorPage(context, site.baseUrl);
    await page.getByRole("textbox", { name: /Title/ }).fill(title);
    await chooseVideo(page, videoPath);
    await waitForVideoReady(page, 120_000);
    const save = watchSave(page, site.baseUrl);
    await page.getByRole("button", { name: "Create lesson" }).click();
    const lesson = await save;
    await page.getByRole("link", { name: "Open the lesson" }).waitFor();
    expect(lesson.uploadId).toMatch(/\S/);
    await playLesson(page, site.baseUrl, lesson.id, title);
    expect(offMachine(urls)).toEqual([]);
    return { ...lesson, title };
  } finally {
    await context.close();
  }
}

/**
 * A creator saves a new lesson with "Save now, video continues" while no byte of its upload has reached the
 * backend (the first PUT is held until the save answered, whatever the machine's speed), then opens and plays it.
 */
export async function saveDuringUpload(browser: Browser, site: GuideSite, videoPath: string, title: string): Promise<SavedLesson> {
  const context = await browser.newContext();
  try {
    const urls = recordRequests(context);
    const page = await creatorPage(context, site.baseUrl);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let bytesHeld!: () => void;
    const holding = new Promise<void>((resolve) => (bytesHeld = resolve));
    await context.route(
      (url) => url.origin === new URL(site.emulatorEnv.MUX_BASE_URL!).origin,
      async (route: Route) => {
        if (route.request().method() === "PUT") {
          bytesHeld();
          await released;
        }
        await route.continue();
      },
    );
    await page.getByRole("textbox", { name: /Title/ }).fill(title);
    await chooseVideo(page, videoPath);
    await holding;
    const save = watchSave(page, site.baseUrl);
    await page.getByRole("button", { name: "Save now, video continues" }).click();
    const lesson = await save;
    release();
    await waitForVideoReady(page, 120_000);
    expect(lesson.uploadId).toMatch(/\S/);
    await playLesson(page, site.baseUrl, lesson.id, title);
    expect(offMachine(urls)).toEqual([]);
    return { ...lesson, title };
  } finally {
    await context.close();
  }
}

/** The emulator's word on an upload: its asset's playback id. */
export async function playbackIdOf(emulatorEnv: Record<string, string>, uploadId: string): Promise<string> {
  const auth = `Basic ${Buffer.from(`${emulatorEnv.MUX_TOKEN_ID}:${emulatorEnv.MUX_TOKEN_SECRET}`).toString("base64")}`;
  const get = async (path: string) =>
    ((await (await fetch(`${emulatorEnv.MUX_BASE_URL}${path}`, { headers: { authorization: auth } })).json()) as { data: Record<string, unknown> }).data;
  const upload = await get(`/video/v1/uploads/${uploadId}`);
  const asset = await get(`/video/v1/assets/${String(upload.asset_id)}`);
  return (asset.playback_ids as { id: string }[])[0]!.id;
}

/**
 * The lesson rows of a stopped app's PGlite database (`data/lessons`, as lib/db.ts keeps it) hold each lesson's
 * upload id, as the form sent it, and the playback id of the asset the emulator made from that upload, ready.
 */
export async function expectLessonRows(appDir: string, emulatorEnv: Record<string, string>, lessons: SavedLesson[]): Promise<void> {
  const db = await PGlite.create({ dataDir: join(appDir, "data/lessons") });
  try {
    for (const lesson of lessons) {
      const { rows } = await db.query(`select mux_upload_id, mux_playback_id, video_status from public.lessons where id = $1`, [lesson.id]);
      expect(rows).toEqual([{ mux_upload_id: lesson.uploadId, mux_playback_id: await playbackIdOf(emulatorEnv, lesson.uploadId!), video_status: "ready" }]);
    }
  } finally {
    await db.close();
  }
}
