/**
 * Recording a lesson's video in the studio, in real Chromium against the stack `npm start` runs, with Chromium's
 * fake camera and microphone (a moving test pattern and a beep, granted without a prompt): the creator chooses
 * Record on the new-lesson page, records, discards a take with Record again, records another, keeps it, and saves
 * the lesson; the lesson page plays the kept recording.
 */
import type { Browser, Locator, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fakeMediaArgs, launchChromium } from "./support/browser.js";
import { playLessonVideo, signedInPage, studioUrl, waitForVideoReady } from "./support/studio.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium(fakeMediaArgs);
});

afterAll(async () => {
  await browser?.close();
});

/** The recorder's step (`data-state`: choose, opening, preview, recording, review, kept). */
const recorderStep = (page: Page, step: string) => page.locator(`.lvk-recorder[data-state="${step}"]`).waitFor({ timeout: 30_000 });

/** Records until the timer says `seconds` were recorded, then stops; resolves in the review step. */
async function recordFor(page: Page, recorder: Locator, seconds: number): Promise<void> {
  await recorder.getByRole("button", { name: "Start recording" }).click();
  await recorderStep(page, "recording");
  // The timer counts recorded time (pauses left out); the recorder hands over a piece every second.
  // At least `seconds` (a busy machine may skip a second of the display).
  await recorder.getByRole("timer").filter({ hasText: new RegExp(`^Recorded [${seconds}-9] sec$`) }).waitFor({ timeout: 30_000 });
  // The upload has read what was recorded so far (its status shows bytes, no percent while it grows).
  expect(await recorder.locator(".lvk-status[data-total-unknown]").count()).toBe(1);
  await recorder.getByRole("button", { name: "Stop recording" }).click();
  await recorderStep(page, "review");
  await page.getByRole("button", { name: "Keep this recording" }).waitFor();
}

describe("recording a lesson in the studio", () => {
  test("a creator records the camera, records again, keeps the take and saves it as the lesson's video", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    const choice = creator.getByRole("group", { name: "Add the video by" });
    const uploadChoice = choice.getByRole("button", { name: "Upload a file" });
    const recordChoice = choice.getByRole("button", { name: "Record", exact: true });
    expect(await uploadChoice.getAttribute("aria-pressed")).toBe("true");
    expect(await creator.locator(".lvk-form .lvk-uploader").isVisible()).toBe(true);

    // The choice works from the keyboard; Record puts the recorder where the form's drop zone was.
    await recordChoice.focus();
    await creator.keyboard.press("Enter");
    expect(await recordChoice.getAttribute("aria-pressed")).toBe("true");
    const recorder = creator.locator(".lvk-recorder");
    await recorder.getByRole("button", { name: "Record the camera" }).click();
    await recorderStep(creator, "preview");
    expect(await creator.locator(".lvk-form .lvk-uploader").isVisible()).toBe(false);

    // A first take, discarded once it reached the backend: Record again goes back to the live preview and the form
    // no longer has it as the lesson's video.
    await recordFor(creator, recorder, 1);
    expect(await uploadChoice.isDisabled()).toBe(true);
    await recorder.locator(".lvk-status[data-status='complete']").waitFor({ timeout: 60_000 });
    await recorder.getByRole("button", { name: "Record again" }).click();
    await recorderStep(creator, "preview");
    await recorder.getByRole("button", { name: "Start recording" }).waitFor();
    expect(await creator.locator(".lvk-form fieldset:has(.lvk-manager)").getAttribute("data-state")).toBe("empty");
    expect(await uploadChoice.isDisabled()).toBe(false);

    // The take that is kept: it becomes the form's video and the save stores it with the lesson.
    await recordFor(creator, recorder, 3);
    await recorder.getByRole("button", { name: "Keep this recording" }).click();
    await recorderStep(creator, "kept");
    await waitForVideoReady(creator, 60_000);
    await creator.getByLabel("Title").fill("Recorded at my desk");
    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    expect(await creator.getByTestId("lesson-title").textContent()).toBe("Recorded at my desk");
    expect(await creator.getByTestId("video-status").textContent()).toBe("Video ready");

    // The lesson page plays the kept take (about 3 s), not the 1-second one discarded before it.
    const played = await playLessonVideo(creator);
    expect(played.currentTime).toBeGreaterThan(0.3);
    expect(played.duration).toBeGreaterThan(2);

    await creator.context().close();
  });

  test("a reload mid-recording loses nothing: the recording kept in the browser is offered, uploaded and saved", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByRole("group", { name: "Add the video by" }).getByRole("button", { name: "Record", exact: true }).click();
    const recorder = creator.locator(".lvk-recorder");
    await recorder.getByRole("button", { name: "Record the camera" }).click();
    await recorder.getByRole("button", { name: "Start recording" }).click();
    await recorderStep(creator, "recording");
    await recorder.getByRole("timer").filter({ hasText: /^Recorded [2-9] sec$/ }).waitFor({ timeout: 30_000 });

    // The page goes away mid-recording; the next one offers what was recorded.
    await creator.reload();
    await creator.getByRole("group", { name: "Add the video by" }).getByRole("button", { name: "Record", exact: true }).click();
    const offered = recorder.getByText(/A recording was not finished uploading: recording-.*\.webm/);
    await offered.waitFor({ timeout: 30_000 });
    await recorder.getByRole("button", { name: "Upload it" }).click();
    await waitForVideoReady(creator, 60_000);
    await offered.waitFor({ state: "detached", timeout: 30_000 });
    await creator.getByLabel("Title").fill("Recovered after a reload");
    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    expect(await creator.getByTestId("video-status").textContent()).toBe("Video ready");
    const played = await playLessonVideo(creator);
    expect(played.duration).toBeGreaterThan(1.5);

    // Nothing is offered any more: the copy in the browser went once every byte was at the server.
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByRole("group", { name: "Add the video by" }).getByRole("button", { name: "Record", exact: true }).click();
    await recorder.getByRole("button", { name: "Record the camera" }).waitFor();
    expect(await recorder.getByText(/A recording was not finished uploading/).count()).toBe(0);
    await creator.context().close();
  });
});
