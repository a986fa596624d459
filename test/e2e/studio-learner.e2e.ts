/**
 * The learner's side of a lesson in the studio, in real Chromium against the stack `npm start` runs: the creator
 * gives the draft a buyer bought early ("Lighting a small room": a purchase row, as the plan's SQL models it) a
 * captioned video; the buyer watches part of it with the transcript, leaves, comes back to "Resume at …", resumes
 * and watches to the end ("Lesson completed", recorded by the progress routes in migration 004's table); the
 * creator's lesson page then shows the lesson's learners: started 1, completed 1, 100 %.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, Response } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "./support/browser.js";
import { type Fixture, makeMp4 } from "./support/files.js";
import { chooseVideo, playLessonVideo, signedInPage, studioUrl, waitForVideoReady } from "./support/studio.js";

const purchasedDraft = "Lighting a small room";
const cueText = "Three lamps and one window";

let browser: Browser;
let dir: string;
let video: Fixture;
let captionFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lesson-studio-e2e-learner-"));
  captionFile = join(dir, "lighting.en.vtt");
  await writeFile(captionFile, `WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n${cueText}\n`);
  [browser, video] = await Promise.all([launchChromium(), makeMp4(dir, "lighting.mp4", { seconds: 6 })]);
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

interface SavedProgress {
  position: number;
  duration: number;
  watchedSeconds: number;
  completedAt: string | null;
}

/** The next progress save of this lesson the routes accepted whose answer passes `accept`. */
function progressSaved(page: Page, lessonId: string, accept: (progress: SavedProgress) => boolean): Promise<SavedProgress> {
  return page
    .waitForResponse(
      async (response: Response) =>
        response.request().method() === "POST" &&
        new URL(response.url()).pathname === `/api/video/progress/${lessonId}` &&
        response.ok() &&
        accept((await response.json()) as SavedProgress),
      { timeout: 60_000 },
    )
    .then(async (response) => (await response.json()) as SavedProgress);
}

const mediaTime = (page: Page) => page.evaluate(() => (document.querySelector("mux-player") as HTMLMediaElement).currentTime);

describe("a learner in the studio", () => {
  test("a buyer watches part of a lesson, resumes it after leaving and completes it; its creator sees the learners", async () => {
    // The creator gives the purchased draft a video and an English caption track.
    const creator = await signedInPage(browser, "creator");
    await creator.getByTestId("lesson-card").filter({ hasText: purchasedDraft }).getByRole("link").click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    const lessonUrl = creator.url();
    const lessonId = lessonUrl.split("/").at(-1)!;
    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    await chooseVideo(creator, video.path);
    await waitForVideoReady(creator, 120_000);
    await creator.getByRole("button", { name: "Save changes" }).click();
    await creator.locator('form[data-state="saved"]').waitFor();
    await creator.goto(`${studioUrl()}/lessons/edit/${lessonId}`);
    const captions = creator.locator(".lvk-captions");
    await captions.getByText("This video has no captions yet.").waitFor({ timeout: 30_000 });
    await captions.getByLabel("Caption file").setInputFiles(captionFile);
    await captions.locator('.lvk-caption-file[data-state="valid"]').waitFor();
    await captions.getByRole("button", { name: "Add captions" }).click();
    await expect.poll(() => creator.locator(".lvk-tracks__item").first().getAttribute("data-status"), { timeout: 30_000 }).toBe("ready");

    // Nobody has watched it yet.
    await creator.goto(lessonUrl);
    const learners = creator.getByTestId("lesson-learners");
    await learners.getByText("No learner has started this lesson yet.").waitFor({ timeout: 30_000 });

    // The buyer watches about 40 % of it with the transcript, and pauses: the pause saves the position.
    const buyer = await signedInPage(browser, "buyer");
    await buyer.goto(lessonUrl);
    const cue = buyer.getByRole("button", { name: new RegExp(cueText) });
    await cue.waitFor({ timeout: 30_000 });
    const { duration } = await playLessonVideo(buyer);
    await buyer.waitForFunction(
      (share) => {
        const element = document.querySelector("mux-player") as HTMLMediaElement;
        return element.currentTime >= element.duration * share;
      },
      0.4,
      { timeout: 30_000 },
    );
    // The cue being spoken (1 s to 4.5 s) is the transcript's current one.
    await expect.poll(() => cue.getAttribute("aria-current")).toBe("true");
    const pausedAt = buyer.evaluate(() => (document.querySelector("mux-player") as HTMLMediaElement).pause());
    const saved = await progressSaved(buyer, lessonId, (progress) => progress.position >= duration * 0.4 && progress.watchedSeconds > 0);
    await pausedAt;
    expect(saved.completedAt).toBeNull();
    expect(saved.position).toBeLessThan(duration * 0.9);

    // Back on the lesson: the saved position is offered.
    await buyer.reload();
    const resumeLabel = `Resume at 0:${String(Math.floor(saved.position)).padStart(2, "0")}`;
    const resume = buyer.getByRole("button", { name: resumeLabel, exact: true });
    await resume.waitFor({ timeout: 30_000 });
    await buyer.getByRole("button", { name: "Start over", exact: true }).waitFor();
    expect(await buyer.getByText("Lesson completed").count()).toBe(0);

    // Resume goes to the saved position and plays; watched to the end, the lesson is completed and recorded.
    const completedSave = progressSaved(buyer, lessonId, (progress) => progress.completedAt !== null);
    await resume.click();
    await expect.poll(() => mediaTime(buyer), { timeout: 30_000 }).toBeGreaterThanOrEqual(Math.floor(saved.position));
    await buyer.getByText("Lesson completed", { exact: true }).waitFor({ timeout: 60_000 });
    const completed = await completedSave;
    expect(completed.watchedSeconds).toBeGreaterThanOrEqual(completed.duration * 0.9);
    expect(await resume.count()).toBe(0);

    // The creator's page: one learner started, one completed.
    await creator.reload();
    await learners.locator('.lvk-insights[data-state="ready"]').waitFor({ timeout: 30_000 });
    const stat = (name: string) => learners.locator(`[data-stat="${name}"] dd`).textContent();
    expect(await stat("started")).toBe("1");
    expect(await stat("completed")).toBe("1");
    expect(await stat("rate")).toBe("100%");

    await Promise.all([creator.context().close(), buyer.context().close()]);
  });
});
