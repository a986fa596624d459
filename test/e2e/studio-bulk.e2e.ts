/**
 * "New lessons from videos" in real Chromium against the stack `npm start` runs: the creator picks a course's
 * videos (and imports the studio's sample from a link); each becomes a draft lesson named after its file, whose
 * video ends ready and plays on its own page. A reload mid-batch shows the batch again from IndexedDB, waiting
 * for its files; picking the same files again finishes them without a second draft.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "./support/browser.js";
import { type Fixture, makeMp4 } from "./support/files.js";
import {
  emulatorWebhookUrls,
  playLessonVideo,
  setEmulatorFaults,
  setEmulatorWebhookUrls,
  signedInPage,
  studioUrl,
  waitForVideoReady,
} from "./support/studio.js";

let browser: Browser;
let dir: string;
/** Three short videos of different lengths, so each lesson page shows which one it plays. */
let course: Fixture[];
/** Three more, for the batch interrupted by a reload. */
let interrupted: Fixture[];
/** One for the batch whose webhooks never reach the studio. */
let unheard: Fixture;
/** Where the emulator delivers webhooks (the studio), put back after the test that stops them. */
let studioWebhookUrls: string[];

const titleOf = (video: Fixture) => video.path.split("/").at(-1)!.replace(/\.mp4$/, "");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lesson-studio-e2e-bulk-"));
  const make = (name: string, seconds: number) => makeMp4(dir, name, { seconds, bitrateKbps: 300 });
  [browser, course, interrupted, unheard, studioWebhookUrls] = await Promise.all([
    launchChromium(),
    Promise.all([make("Week 1 - Welcome.mp4", 2), make("Week 1 - Tools.mp4", 3), make("Week 2 - First cut.mp4", 4)]),
    Promise.all([make("Colour 1 - Balance.mp4", 2), make("Colour 2 - Contrast.mp4", 2), make("Colour 3 - Look.mp4", 2)]),
    make("Sound 1 - Levels.mp4", 2),
    emulatorWebhookUrls(),
  ]);
});

afterAll(async () => {
  await setEmulatorFaults({});
  if (studioWebhookUrls) await setEmulatorWebhookUrls(studioWebhookUrls);
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Picks files through the bulk uploader's "Choose videos" and the browser's file chooser, as a person would. */
async function chooseVideos(page: Page, videos: Fixture[]): Promise<void> {
  const chooserShown = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose videos" }).click();
  await (await chooserShown).setFiles(videos.map((video) => video.path));
}

/** The `data-status` of every row of the bulk list, in order. */
function rowStatuses(page: Page): Promise<string[]> {
  return page.locator(".lvk-bulk__item").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status") ?? ""));
}

/** Waits until the list has `count` rows, every one of them in one of `statuses`. */
async function waitForRows(page: Page, count: number, statuses: string[], timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    ({ count, statuses }) => {
      const rows = [...document.querySelectorAll(".lvk-bulk__item")];
      return rows.length === count && rows.every((row) => statuses.includes(row.getAttribute("data-status") ?? ""));
    },
    { count, statuses },
    { timeout },
  );
}

/** The cards of the lesson list with this title: their video badge and lesson id. */
async function cardsTitled(page: Page, title: string): Promise<{ video: string; lessonId: string }[]> {
  const cards = page.getByTestId("lesson-card").filter({ has: page.getByRole("link", { name: title, exact: true }) });
  return cards.evaluateAll((elements) =>
    elements.map((card) => ({
      video: card.querySelector("[data-testid=video-status]")?.textContent ?? "",
      lessonId: card.querySelector("h2 a")?.getAttribute("href")?.split("/").at(-1) ?? "",
    })),
  );
}

/** Reads the lesson list until each title has exactly one card whose video is ready (the webhook may come a moment after the asset). */
async function waitForReadyDrafts(page: Page, titles: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await expect
    .poll(
      async () => {
        await page.goto(`${studioUrl()}/lessons`);
        const found = await Promise.all(titles.map((title) => cardsTitled(page, title)));
        found.forEach((cards, index) => {
          if (cards[0]) ids.set(titles[index]!, cards[0].lessonId);
        });
        return found.map((cards) => cards.map((card) => card.video));
      },
      { timeout: 60_000, interval: 500 },
    )
    .toEqual(titles.map(() => ["Video ready"]));
  return ids;
}

/** The batch as the page saved it in IndexedDB: each item's lesson and upload. */
function savedBatch(page: Page): Promise<{ lessonId: string | undefined; uploadId: string | undefined }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("lesson-video-kit");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("upload-queues")) return resolve([]);
          const all = db.transaction("upload-queues").objectStore("upload-queues").getAll();
          all.onsuccess = () => {
            const entries = (all.result as { lessonId?: string; uploadId?: string; record?: { uploadId?: string } }[][]).flat();
            resolve(entries.map((entry) => ({ lessonId: entry.lessonId, uploadId: entry.uploadId ?? entry.record?.uploadId })));
            db.close();
          };
        };
      }),
  );
}

describe("new lessons from videos", () => {
  test("three picked videos and a link become three plus one draft lessons, each with its own ready video", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.getByRole("link", { name: "New lessons from videos" }).click();
    await creator.waitForURL(`${studioUrl()}/lessons/bulk`);

    await chooseVideos(creator, course);
    // The link the page offers on the emulator: the studio's own sample video.
    const sample = (await creator.getByTestId("sample-link").locator("code").textContent()) ?? "";
    expect(sample).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/samples\/test-pattern\.mp4$/);
    await creator.getByRole("button", { name: "Add from link" }).click();
    await creator.getByRole("textbox", { name: "Link to a video" }).fill(sample);
    await creator.getByRole("button", { name: "Import" }).click();
    await waitForRows(creator, 4, ["complete"]);

    const titles = [...course.map(titleOf), "test-pattern"];
    const lessonIds = await waitForReadyDrafts(creator, titles);
    expect(await creator.getByTestId("lesson-card").filter({ hasText: "Week 1 - Welcome" }).getByTestId("lesson-status").textContent()).toBe("Draft");

    // Each lesson plays its own video: its length is its file's, and no two share a playback id.
    const playbacks = new Set<string>();
    for (const [index, video] of course.entries()) {
      await creator.goto(`${studioUrl()}/lessons/${lessonIds.get(titleOf(video))}`);
      expect(await creator.getByTestId("lesson-title").textContent()).toBe(titleOf(video));
      const played = await playLessonVideo(creator);
      expect(played.duration).toBeGreaterThan(index + 1.5);
      expect(played.duration).toBeLessThan(index + 2.5);
      playbacks.add(await creator.locator("mux-player").evaluate((player) => player.getAttribute("playback-id") ?? player.getAttribute("src") ?? ""));
    }
    expect(playbacks.size).toBe(3);
    await creator.context().close();

    // Only creators: a visitor gets the refusal, not the uploader.
    const visitor = await signedInPage(browser, "visitor");
    expect(await visitor.getByRole("link", { name: "New lessons from videos" }).count()).toBe(0);
    await visitor.goto(`${studioUrl()}/lessons/bulk`);
    await visitor.getByTestId("create-refused").waitFor();
    expect(await visitor.locator(".lvk-bulk").count()).toBe(0);
    await visitor.context().close();
  });

  test("a reload mid-batch shows the batch waiting for its files; the same files picked again finish it with no extra drafts", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/bulk`);

    // Every answer of the emulator waits, so the uploads are still sending when the page reloads.
    await setEmulatorFaults({ latencyMs: 1500 });
    await chooseVideos(creator, interrupted);
    await waitForRows(creator, 3, ["uploading"], 30_000);
    // The reload comes once the manifest holds each item's draft and upload.
    await expect
      .poll(async () => (await savedBatch(creator)).filter((entry) => entry.lessonId && entry.uploadId).length, { timeout: 30_000, interval: 100 })
      .toBe(3);
    await creator.reload();

    await waitForRows(creator, 3, ["needs_file"], 30_000);
    await creator.getByText("3 videos were uploading when the page closed.", { exact: false }).waitFor();
    expect(await creator.locator(".lvk-bulk__item").getByText("Drop or choose this file again").count()).toBe(3);

    await setEmulatorFaults({});
    await chooseVideos(creator, interrupted);
    await waitForRows(creator, 3, ["complete"]);
    expect(await rowStatuses(creator)).toEqual(["complete", "complete", "complete"]);

    // One draft per video, each ready: the files picked again went on with their items' drafts.
    await waitForReadyDrafts(creator, interrupted.map(titleOf));
    await creator.context().close();
  });

  test("each draft keeps its upload id from the start: with no webhook ever arriving, its edit page still finds the ready video", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/bulk`);
    // A phone's width: the page, its sample link and the list fit; nothing scrolls sideways.
    await creator.setViewportSize({ width: 390, height: 844 });

    await setEmulatorWebhookUrls([]);
    await chooseVideos(creator, [unheard]);
    await waitForRows(creator, 1, ["complete"]);
    expect(await creator.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await creator.goto(`${studioUrl()}/lessons`);
    const [draft] = await cardsTitled(creator, titleOf(unheard));
    expect(draft?.lessonId).toMatch(/^[0-9a-f-]{36}$/);
    // No webhook wrote to the draft: only the upload id the page stored (and what the backend said about that
    // upload when it was stored) tells the edit page, which asks the backend, where the video is.
    await creator.goto(`${studioUrl()}/lessons/edit/${draft?.lessonId}`);
    await waitForVideoReady(creator, 30_000);
    await setEmulatorWebhookUrls(studioWebhookUrls);
    await creator.context().close();
  });
});
