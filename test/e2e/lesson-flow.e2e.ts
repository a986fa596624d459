/**
 * The studio's main journey in real Chromium against the stack `npm start` runs: a creator writes a
 * lesson and uploads a real MP4 through the form, watches it upload, process and become ready, plays it,
 * edits it; the access policy keeps the draft from a visitor until it is published, and lets a buyer in.
 */
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import { launchChromium } from "./support/browser.js";
import {
  chooseVideo,
  playLessonVideo,
  recordUploaderStatuses,
  setEmulatorFaults,
  signedInPage,
  studioUrl,
  uploaderRecord,
  waitForVideoReady,
} from "./support/studio.js";

let browser: Browser;
let fixtures: Fixtures;

beforeAll(async () => {
  [browser, fixtures] = await Promise.all([launchChromium(), ensureFixtures()]);
});

afterAll(async () => {
  await browser?.close();
  await setEmulatorFaults({});
});

describe("lesson studio", () => {
  test("a creator uploads, plays, edits and publishes a lesson; a visitor sees it only once it is published", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.getByRole("link", { name: "New lesson" }).first().click();
    await creator.waitForURL(`${studioUrl()}/lessons/new`);

    await creator.getByLabel("Title").fill("Colour grading in ten minutes");
    await creator.getByLabel("Description").fill("Balance first, then contrast, then a look.");

    // Slow answers a little so the upload stays on screen long enough to be seen, as on a real network.
    await setEmulatorFaults({ latencyMs: 400 });
    await recordUploaderStatuses(creator);
    await chooseVideo(creator, fixtures.mp4.path);
    await waitForVideoReady(creator, 60_000);
    await setEmulatorFaults({});

    const seen = await uploaderRecord(creator);
    expect(seen.statuses).toContain("uploading");
    expect(seen.progressbarWhileUploading).toBe(true);
    expect(seen.statuses.indexOf("processing")).toBeGreaterThan(seen.statuses.indexOf("uploading"));

    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    const lessonUrl = creator.url();
    expect(await creator.getByTestId("lesson-title").textContent()).toBe("Colour grading in ten minutes");
    expect(await creator.getByTestId("video-status").textContent()).toBe("Video ready");

    const played = await playLessonVideo(creator);
    expect(played.currentTime).toBeGreaterThan(0.3);
    expect(played.duration).toBeGreaterThan(2);

    // Edit the title, then reload: the saved lesson comes back from the database.
    await creator.getByRole("link", { name: "Edit lesson" }).click();
    await creator.waitForURL(/\/lessons\/edit\//);
    const title = creator.getByLabel("Title");
    expect(await title.inputValue()).toBe("Colour grading in ten minutes");
    await title.fill("Colour grading in twelve minutes");
    await creator.getByRole("button", { name: "Save changes" }).click();
    await creator.locator('form[data-state="saved"]').getByText("Lesson saved.").waitFor();
    await creator.reload();
    expect(await creator.getByLabel("Title").inputValue()).toBe("Colour grading in twelve minutes");
    expect(await creator.getByLabel("Description").inputValue()).toBe("Balance first, then contrast, then a look.");
    await creator.goto(lessonUrl);
    expect(await creator.getByTestId("lesson-title").textContent()).toBe("Colour grading in twelve minutes");
    expect(await creator.getByTestId("lesson-status").textContent()).toBe("Draft");

    // A visitor is refused the draft by the access policy.
    const visitor = await signedInPage(browser, "visitor");
    const refused = await visitor.goto(lessonUrl);
    expect(refused?.status()).toBe(404);
    await visitor.getByTestId("lesson-refused").waitFor();
    expect(await visitor.getByRole("heading", { level: 1 }).textContent()).toBe("This lesson isn’t available to you");

    // Published, the same visitor sees it and can play it.
    await creator.getByRole("button", { name: "Publish lesson" }).click();
    await creator.getByRole("button", { name: "Unpublish" }).waitFor();
    expect(await creator.getByTestId("lesson-status").textContent()).toBe("Published");
    const allowed = await visitor.goto(lessonUrl);
    expect(allowed?.status()).toBe(200);
    expect(await visitor.getByTestId("lesson-title").textContent()).toBe("Colour grading in twelve minutes");
    expect((await playLessonVideo(visitor)).currentTime).toBeGreaterThan(0.3);

    await Promise.all([creator.context().close(), visitor.context().close()]);
  });

  test("a buyer opens the draft they bought early; a visitor is refused it", async () => {
    const buyer = await signedInPage(browser, "buyer");
    const card = buyer.getByTestId("lesson-card").filter({ hasText: "Lighting a small room" });
    await card.getByRole("link").click();
    await buyer.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    const draftUrl = buyer.url();
    expect(await buyer.getByTestId("lesson-status").textContent()).toBe("Draft");
    await buyer.getByText("Early access: you bought this lesson before it was published.").waitFor();

    const visitor = await signedInPage(browser, "visitor");
    expect(await visitor.getByTestId("lesson-card").filter({ hasText: "Lighting a small room" }).count()).toBe(0);
    const refused = await visitor.goto(draftUrl);
    expect(refused?.status()).toBe(404);
    await visitor.getByTestId("lesson-refused").waitFor();

    await Promise.all([buyer.context().close(), visitor.context().close()]);
  });
});
