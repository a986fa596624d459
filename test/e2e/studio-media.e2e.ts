/**
 * Captions, chapters and the poster frame in the studio, in real Chromium against the stack `npm start`
 * runs: a creator adds a caption file to a lesson's ready video, sees the track become ready, sets chapters,
 * a poster frame and "captions on by default", and saves; a viewer of the published lesson gets the poster
 * frame, the chapter list, and the caption cue on screen at its time without turning captions on. A trim is
 * saved with the lesson (migration 005) and the viewer plays only that part.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "./support/browser.js";
import { type Fixture, makeMp4 } from "./support/files.js";
import { chooseVideo, signedInPage, studioUrl, waitForVideoReady } from "./support/studio.js";

const cueText = "Welcome to the captioned lesson";

let browser: Browser;
let dir: string;
let video: Fixture;
let captionFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lesson-studio-e2e-media-"));
  captionFile = join(dir, "lesson.en.vtt");
  // The cue starts a second in, so a viewer only sees it once the video has played that far.
  await writeFile(captionFile, `WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n${cueText}\n`);
  [browser, video] = await Promise.all([launchChromium(), makeMp4(dir, "captioned.mp4", { seconds: 6 })]);
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The `<track>` elements the page gave the lesson's player (its light DOM; Playwright's locators would also count the player's own). */
const captionTrackElements = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('[data-testid="lesson-player"] mux-player > track')].map((track) => track.getAttribute("srclang")));

/** Creates a lesson with a ready video as the creator; resolves with its id. */
/** The creator publishes the lesson from its page, then closes their browser context. */
async function publishAndLeave(creator: Page, lessonId: string): Promise<void> {
  await creator.goto(`${studioUrl()}/lessons/${lessonId}`);
  await creator.getByRole("button", { name: "Publish lesson" }).click();
  await creator.getByRole("button", { name: "Unpublish" }).waitFor();
  await creator.context().close();
}

async function lessonWithReadyVideo(creator: Page, title: string): Promise<string> {
  await creator.goto(`${studioUrl()}/lessons/new`);
  await creator.getByLabel("Title").fill(title);
  await chooseVideo(creator, video.path);
  await waitForVideoReady(creator, 120_000);
  await creator.getByRole("button", { name: "Create lesson" }).click();
  await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
  return creator.url().split("/").at(-1)!;
}

interface TrackView {
  kind: string;
  label: string;
  language: string;
  mode: string;
  cues: number;
  active: string[];
}

/** What the lesson page's `<video>` (inside mux-player's and mux-video's shadow roots) says about its text tracks now. */
function textTracks(page: Page): Promise<TrackView[]> {
  return page.evaluate(() => {
    const walk = (root: ParentNode): HTMLVideoElement | null => {
      for (const element of root.querySelectorAll("*")) {
        if (element instanceof HTMLVideoElement) return element;
        const inner = element.shadowRoot ? walk(element.shadowRoot) : null;
        if (inner) return inner;
      }
      return null;
    };
    const holder = document.querySelector('[data-testid="lesson-player"]');
    const element = holder ? walk(holder) : null;
    return [...(element?.textTracks ?? [])].map((track) => ({
      kind: track.kind,
      label: track.label,
      language: track.language,
      mode: track.mode,
      cues: track.cues?.length ?? 0,
      active: [...(track.activeCues ?? [])].map((cue) => (cue as VTTCue).text),
    }));
  });
}

describe("captions, chapters and the poster frame in the studio", () => {
  test("a creator adds a caption file, chapters and a poster frame; a viewer sees all three", async () => {
    const creator = await signedInPage(browser, "creator");
    const lessonId = await lessonWithReadyVideo(creator, "Captioned lesson");

    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    const captions = creator.locator(".lvk-captions");
    await captions.getByText("This video has no captions yet.").waitFor({ timeout: 30_000 });
    await captions.getByLabel("Caption file").setInputFiles(captionFile);
    // Checked in the browser first.
    await captions.locator('.lvk-caption-file[data-state="valid"]').waitFor();
    await captions.getByLabel("Closed captions", { exact: true }).check();
    await captions.getByRole("button", { name: "Add captions" }).click();
    // Added as preparing; the emulator downloads the file from the studio's signed URL, then it is ready.
    const track = creator.locator(".lvk-tracks__item").first();
    await expect.poll(() => track.getAttribute("data-status"), { timeout: 30_000 }).toBe("ready");
    expect(await track.textContent()).toContain("English");
    expect(await track.textContent()).toContain("CC");

    await creator.getByRole("button", { name: "Add chapter" }).click();
    await creator.getByLabel("Start of chapter 1").fill("0:00");
    await creator.getByLabel("Title of chapter 1").fill("Opening");
    await creator.getByRole("button", { name: "Add chapter" }).click();
    await creator.getByLabel("Start of chapter 2").fill("0:03");
    await creator.getByLabel("Title of chapter 2").fill("The main idea");

    const slider = creator.locator(".lvk-poster-picker input[type=range]");
    await slider.fill("2.5");
    await creator.getByRole("button", { name: "Use this frame" }).click();
    await creator.getByText("Poster frame: 0:02.5", { exact: true }).waitFor();
    await creator.getByLabel("Show captions when the video starts").check();

    await creator.getByRole("button", { name: "Save changes" }).click();
    await creator.locator('form[data-state="saved"]').waitFor();

    // The edit page, read afresh, starts from what was saved.
    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    await creator.getByText("Poster frame: 0:02.5", { exact: true }).waitFor();
    expect(await creator.getByLabel("Title of chapter 1").inputValue()).toBe("Opening");
    expect(await creator.getByLabel("Start of chapter 2").inputValue()).toBe("0:03");
    expect(await creator.getByLabel("Show captions when the video starts").isChecked()).toBe(true);

    await publishAndLeave(creator, lessonId);

    const viewer = await signedInPage(browser, "visitor");
    await viewer.goto(`${studioUrl()}/lessons/${lessonId}`);
    // LessonPlayer's chapter list, loaded with the player.
    const chapters = viewer.getByRole("navigation", { name: "Chapters" });
    await expect.poll(() => chapters.locator("li").allTextContents(), { timeout: 30_000 }).toEqual(["0:00Opening", "0:03The main idea"]);

    const player = viewer.locator("mux-player");
    await player.waitFor({ state: "attached", timeout: 30_000 });
    expect(new URL((await player.getAttribute("poster")) ?? "", studioUrl()).searchParams.get("time")).toBe("2.5");

    // On by default: the caption track is showing before the viewer touches the captions button. A showing track
    // fetches its file, so its cue arrives after its mode: wait for both.
    await expect
      .poll(
        async () => {
          const track = (await textTracks(viewer)).find((t) => t.kind === "captions");
          return track && { mode: track.mode, cues: track.cues };
        },
        { timeout: 30_000 },
      )
      .toEqual({ mode: "showing", cues: 1 });
    const before = (await textTracks(viewer)).find((t) => t.kind === "captions");
    expect(before).toMatchObject({ label: "English", language: "en", cues: 1, active: [] });
    // The player's chapter menu has the same chapters.
    await expect.poll(async () => (await textTracks(viewer)).find((t) => t.kind === "chapters")?.cues, { timeout: 30_000 }).toBe(2);

    await viewer.evaluate(async () => {
      const element = document.querySelector("mux-player") as HTMLMediaElement;
      element.muted = true;
      await element.play();
    });
    await expect
      .poll(async () => (await textTracks(viewer)).find((t) => t.kind === "captions")?.active, { timeout: 30_000 })
      .toEqual([cueText]);
    expect(await viewer.evaluate(() => (document.querySelector("mux-player") as HTMLMediaElement).currentTime)).toBeGreaterThanOrEqual(1);
    await viewer.context().close();
  });

  test("the lesson page shows a track as soon as it is ready and drops it when removed, with no save", async () => {
    const creator = await signedInPage(browser, "creator");
    const lessonId = await lessonWithReadyVideo(creator, "Captions come and go");
    // Create lesson lands on the lesson page: its cache entry (five minutes) now holds the video without tracks.
    await creator.locator("mux-player").waitFor({ state: "attached", timeout: 30_000 });
    expect(await captionTrackElements(creator)).toEqual([]);

    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    await creator.getByText("This video has no captions yet.").waitFor({ timeout: 30_000 });
    await creator.getByLabel("Caption file").setInputFiles(captionFile);
    await creator.locator('.lvk-caption-file[data-state="valid"]').waitFor();
    await creator.getByRole("button", { name: "Add captions" }).click();
    const track = creator.locator(".lvk-tracks__item").first();
    await expect.poll(() => track.getAttribute("data-status"), { timeout: 30_000 }).toBe("ready");

    await creator.goto(`${studioUrl()}/lessons/${lessonId}`);
    await creator.locator("mux-player").waitFor({ state: "attached", timeout: 30_000 });
    expect(await captionTrackElements(creator)).toEqual(["en"]);

    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    await creator.getByRole("button", { name: "Remove English" }).click();
    await creator.getByRole("button", { name: "Yes, remove" }).click();
    await creator.getByText("This video has no captions yet.").waitFor();

    await creator.goto(`${studioUrl()}/lessons/${lessonId}`);
    await creator.locator("mux-player").waitFor({ state: "attached", timeout: 30_000 });
    expect(await captionTrackElements(creator)).toEqual([]);
    await creator.context().close();
  });

  test("a creator trims a lesson without re-uploading; the trim is saved and a viewer plays only that part", async () => {
    const creator = await signedInPage(browser, "creator");
    const lessonId = await lessonWithReadyVideo(creator, "Trimmed lesson");

    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    const trim = creator.getByRole("group", { name: "Trim" });
    await trim.getByLabel("Start time").fill("0:01");
    await trim.getByLabel("End time").fill("0:03");
    await trim.getByText("Learners see 0:02 of", { exact: false }).waitFor({ timeout: 30_000 });
    await creator.getByRole("button", { name: "Save changes" }).click();
    await creator.locator('form[data-state="saved"]').waitFor();

    // Migration 005 kept it: the edit page, read afresh, starts from the trim.
    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    expect(await creator.getByRole("group", { name: "Trim" }).getByLabel("Start time").inputValue()).toBe("0:01");
    expect(await creator.getByRole("group", { name: "Trim" }).getByLabel("End time").inputValue()).toBe("0:03");

    await publishAndLeave(creator, lessonId);

    // The viewer's player asks the emulator for the clip: two seconds, starting at the trim's start.
    const viewer = await signedInPage(browser, "visitor");
    await viewer.goto(`${studioUrl()}/lessons/${lessonId}`);
    await viewer.locator("mux-player").waitFor({ state: "attached", timeout: 30_000 });
    await expect
      .poll(() => viewer.evaluate(() => document.querySelector<HTMLMediaElement>("mux-player")?.duration ?? 0), { timeout: 30_000 })
      .toBeGreaterThan(1.5);
    const clip = await viewer.evaluate(() => {
      const player = document.querySelector("mux-player") as HTMLMediaElement & { src?: string };
      return { duration: player.duration, src: player.src ?? "" };
    });
    expect(clip.src).toContain("asset_start_time=1&asset_end_time=3");
    expect(clip.duration).toBeLessThan(2.5);
    await viewer.context().close();
  });
});
