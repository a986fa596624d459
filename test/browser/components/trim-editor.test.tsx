/// <reference types="vite/client" />
// Real Chromium, real key presses, the real mux-player and the local emulator: TrimEditor from the keyboard (the
// preview seeks to the handle moved), its validation messages, and a trim made in the editor played back clipped by
// the emulator (the media starts at the trim's start, lasts end − start and ends there).
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { inject } from "vitest";
import { userEvent } from "vitest/browser";
import { TrimEditor, VideoPlayer, type VideoAsset, type VideoTrim } from "../../../src/index.js";
import "../../../src/components/styles.css";
import { settledAsset } from "../support/emulator-asset.js";

const backend = inject("emulatorBackend");
const emulatorUrl = inject("emulatorUrl");
const EVENTUALLY = { timeout: 30_000, interval: 20 };

type MediaElement = HTMLElement & { nativeEl?: HTMLVideoElement };
type PlayerElement = HTMLElement & { media?: MediaElement | null };

/** Uploads the 3 s MP4 fixture to the emulator; the ready asset plays from the emulator's stream URL. */
async function emulatorAsset(): Promise<VideoAsset> {
  const created = await fetch(`${backend}/uploads`, { method: "POST", body: "{}" });
  const { uploadId, url } = (await created.json()) as { uploadId: string; url: string };
  const bytes = await (await fetch(`${backend}/fixtures/mp4`)).arrayBuffer();
  expect((await fetch(url, { method: "PUT", headers: { "content-type": "video/mp4" }, body: bytes })).status).toBe(200);
  const view = await settledAsset(backend, uploadId, 20_000);
  if (view.status !== "ready" || !view.playbackId || !view.assetId) throw new Error(`not ready: ${JSON.stringify(view)}`);
  return {
    id: view.assetId,
    status: "ready",
    playbackId: view.playbackId,
    duration: view.duration ?? 3,
    aspectRatio: view.aspectRatio ?? "16:9",
    playback: { policy: "public", src: `${emulatorUrl}/stream/${view.playbackId}.mp4`, type: "video/mp4" },
  };
}

function nextEvent(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}

let asset: VideoAsset;
beforeAll(async () => {
  asset = await emulatorAsset();
});
afterEach(() => cleanup());

describe("TrimEditor with the keyboard", () => {
  it("moves the start and the end with arrow keys, Home and End; the preview seeks to the handle moved", async () => {
    const onChange = vi.fn<(trim: VideoTrim | undefined) => void>();
    render(<TrimEditor asset={asset} onChange={onChange} />);
    const preview = screen.getByLabelText<HTMLVideoElement>(/^Frame at/);
    await waitFor(() => expect(preview.readyState).toBeGreaterThanOrEqual(1), EVENTUALLY);

    const start = screen.getByRole("slider", { name: "Start" });
    start.focus();
    const seeked = nextEvent(preview, "seeked");
    await userEvent.keyboard("{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}");
    expect(onChange).toHaveBeenLastCalledWith({ startTime: 0.5, endTime: 3 });
    expect(start).toHaveAttribute("aria-valuetext", "0:00.5 of 0:03");
    expect(screen.getByRole("textbox", { name: "Start time" })).toHaveValue("0:00.5");
    await seeked;
    await waitFor(() => expect(preview.currentTime).toBeCloseTo(0.5, 1), EVENTUALLY);

    // End on the start handle stops a second before the end handle: the trim never gets shorter than that.
    await userEvent.keyboard("{End}");
    expect(onChange).toHaveBeenLastCalledWith({ startTime: 2, endTime: 3 });

    await userEvent.keyboard("{Home}{Tab}");
    expect(screen.getByRole("slider", { name: "End" })).toHaveFocus();
    await userEvent.keyboard("{ArrowLeft}{ArrowLeft}{ArrowLeft}{ArrowLeft}{ArrowLeft}");
    expect(onChange).toHaveBeenLastCalledWith({ startTime: 0, endTime: 2.5 });
    await waitFor(() => expect(preview.currentTime).toBeCloseTo(2.45, 1), EVENTUALLY);
    expect(screen.getByText("Learners see 0:02.5 of 0:03.")).toBeVisible();

    // Reset from the keyboard: the whole video again, reported as no trim.
    await userEvent.keyboard("{Tab}{Tab}{Tab}");
    expect(screen.getByRole("button", { name: "Reset to the full video" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    expect(onChange).toHaveBeenLastCalledWith(undefined);
    expect(screen.getByText("No trim: learners see the whole video.")).toBeVisible();
  });

  it("says what is wrong with the times typed, and reports nothing until they are right", async () => {
    const onChange = vi.fn<(trim: VideoTrim | undefined) => void>();
    render(<TrimEditor asset={asset} onChange={onChange} />);
    const start = screen.getByRole("textbox", { name: "Start time" });
    const end = screen.getByRole("textbox", { name: "End time" });
    await userEvent.click(end);
    await userEvent.keyboard("{Control>}a{/Control}5{Tab}");
    expect(end).toHaveAttribute("aria-invalid", "true");
    expect(end).toHaveAccessibleDescription("This is after the end of the video (0:03).");
    await userEvent.click(start);
    await userEvent.keyboard("{Control>}a{/Control}2{Tab}");
    await userEvent.click(end);
    await userEvent.keyboard("{Control>}a{/Control}1{Tab}");
    expect(end).toHaveAccessibleDescription("The end must come after the start.");
    await userEvent.click(end);
    await userEvent.keyboard("{Control>}a{/Control}2.5{Tab}");
    expect(end).toHaveAccessibleDescription("Keep at least 0:01 of video.");
    await userEvent.click(start);
    await userEvent.keyboard("{Control>}a{/Control}x{Tab}");
    expect(start).toHaveAccessibleDescription("Write the start as a time like 0:20.");
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.click(start);
    await userEvent.keyboard("{Control>}a{/Control}0:00.5{Tab}");
    expect(start).not.toHaveAttribute("aria-invalid");
    expect(onChange).toHaveBeenLastCalledWith({ startTime: 0.5, endTime: 2.5 });
  });

  it("keeps its targets at least 24 px on a 390 px screen", async () => {
    render(
      <div style={{ width: 390 }}>
        <TrimEditor asset={asset} defaultValue={{ startTime: 0.5, endTime: 2.5 }} />
      </div>,
    );
    const root = document.querySelector(".lvk-trim")!;
    expect(root.scrollWidth).toBeLessThanOrEqual(390);
    for (const control of [...screen.getAllByRole("slider"), ...screen.getAllByRole("textbox"), screen.getByRole("button")]) {
      const box = control.getBoundingClientRect();
      expect(box.height, control.getAttribute("name") ?? control.textContent ?? "").toBeGreaterThanOrEqual(24);
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.right).toBeLessThanOrEqual(390.5);
    }
  });
});

describe("a trimmed lesson plays clipped", { timeout: 60_000 }, () => {
  function TrimAndPlay() {
    const [trim, setTrim] = useState<VideoTrim | undefined>(undefined);
    return (
      <>
        <TrimEditor asset={asset} value={trim} onChange={setTrim} />
        {trim ? <VideoPlayer asset={asset} trim={trim} title="Trimmed lesson" muted /> : null}
      </>
    );
  }

  it("starts at the trim's start and ends at its end: the media lasts end − start, and ended fires there", async () => {
    render(<TrimAndPlay />);
    const start = screen.getByRole("textbox", { name: "Start time" });
    await userEvent.click(start);
    await userEvent.keyboard("{Control>}a{/Control}1{Tab}");
    await userEvent.keyboard("{Control>}a{/Control}2.5{Tab}");

    const media = await waitFor(() => {
      const found = document.querySelector<PlayerElement>("mux-player")?.media?.nativeEl;
      if (!found) throw new Error("no player yet");
      return found;
    }, EVENTUALLY);
    await waitFor(() => expect(media.currentSrc).toContain("asset_start_time=1&asset_end_time=2.5"), EVENTUALLY);
    if (media.readyState < 1) await nextEvent(media, "loadedmetadata");
    // The clip's first frame is the upload's frame at 1 s: the clipped media is 1.5 s long and starts at 0.
    expect(media.duration).toBeCloseTo(1.5, 1);
    expect(media.currentTime).toBe(0);
    const ended = nextEvent(media, "ended");
    await media.play();
    await ended;
    expect(media.currentTime).toBeCloseTo(1.5, 1);
  });
});
