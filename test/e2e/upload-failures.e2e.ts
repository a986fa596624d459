/**
 * Failure paths through the studio's UI against the stack `npm start` runs: the emulator fails a chunk
 * and drops a connection mid-upload and the stored file still equals the one sent; an HTML page named
 * .mp4 is refused before any byte leaves the browser, with a message that says why.
 */
import { createHash } from "node:crypto";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "./support/browser.js";
import { type Fixture, sharedUploadFiles, type UploadFiles } from "./support/files.js";
import {
  chooseVideo,
  emulatorFaults,
  emulatorUrl,
  setEmulatorFaults,
  signedInPage,
  studioUrl,
  waitForVideoReady,
} from "./support/studio.js";

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

describe("lesson studio upload failures", () => {
  test("an upload through a failed chunk and a dropped connection stores exactly the bytes sent", async () => {
    expect(bigVideo.bytes.length).toBeGreaterThan(16 * 1024 * 1024);
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    await creator.getByLabel("Title").fill("A long take");

    // The first byte request loses its connection after 1 MB; the third answers 503.
    const armed = await setEmulatorFaults({ dropConnectionAfterBytes: 1_000_000, failChunk: { n: 3, status: 503 } });
    expect(armed).toEqual({ dropConnectionAfterBytes: 1_000_000, failChunk: { n: 3, status: 503 } });
    await chooseVideo(creator, bigVideo.path);
    await waitForVideoReady(creator, 120_000);
    // Both faults fired (each knob is used up when it strikes).
    expect(await emulatorFaults()).toEqual({});

    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);

    // The player's source is the emulator's playback URL of the stored file.
    const player = creator.locator("mux-player");
    await player.waitFor({ state: "attached" });
    const src = await player.getAttribute("src");
    expect(src).toMatch(new RegExp(`^${emulatorUrl()}/stream/`));
    const stored = Buffer.from(await (await fetch(src as string)).arrayBuffer());
    expect(stored.length).toBe(bigVideo.bytes.length);
    expect(createHash("sha256").update(stored).digest("hex")).toBe(bigVideo.sha256);

    await creator.context().close();
  });

  test("an HTML page named .mp4 is refused in the form with a message that says it is not a video", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.goto(`${studioUrl()}/lessons/new`);
    const uploadRequests: string[] = [];
    creator.on("request", (request) => {
      if (request.url().includes("/api/video/uploads") || request.url().startsWith(`${emulatorUrl()}/upload/`)) {
        uploadRequests.push(request.url());
      }
    });

    await chooseVideo(creator, spoofed.path);
    const message = creator
      .locator(".lvk-uploader")
      .getByText("This file is not a video, whatever its name says. Choose a video file.", { exact: true });
    await message.waitFor();
    expect(await creator.locator(".lvk-uploader").getAttribute("data-status")).toBe("error");
    expect(uploadRequests).toEqual([]);

    await creator.context().close();
  });
});
