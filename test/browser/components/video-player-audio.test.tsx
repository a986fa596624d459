// Real Chromium and a real audio file (2 s of AAC in MP4): an audio-only lesson is presented as audio — a card with
// its title where a video frame would be and the player's controls below it, no 16:9 black box — and it plays.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { VideoPlayer, type VideoAsset } from "../../../src/index.js";
import "../../../src/components/styles.css";
import { playUntil } from "../support/playback.js";

const testApi = inject("videoRoutesTestApi");

afterEach(() => cleanup());

let audioUrl: string;
beforeAll(async () => {
  audioUrl = URL.createObjectURL(await (await fetch(`${testApi}/fixtures/audio`)).blob());
});

type Media = HTMLElement & { currentTime: number; duration: number; muted: boolean; play(): Promise<void>; pause(): void; audio: boolean };

it("presents an audio-only lesson as audio and plays it", { timeout: 60_000 }, async () => {
  const asset: VideoAsset = { id: "asset-audio", status: "ready", audioOnly: true, duration: 2, playback: { src: audioUrl, type: "audio/mp4", policy: "public" } };
  render(
    <div style={{ width: 640 }}>
      <VideoPlayer asset={asset} title="Episode 1: listening" muted />
    </div>,
  );
  const root = screen.getByRole("group", { name: "Episode 1: listening" });
  expect(root).toHaveAttribute("data-kind", "audio");
  expect(screen.getByText("Audio lesson")).toBeVisible();
  let player: Media | null = null;
  await waitFor(() => {
    player = document.querySelector<Media>("mux-player");
    expect(player?.duration).toBeGreaterThan(1.5);
  }, { timeout: 30_000 });
  const media = player as unknown as Media;
  expect(media.audio).toBe(true);
  // No video frame: the card and a control bar, far shorter than a 16:9 frame of this width (360 px).
  expect(root.getBoundingClientRect().height).toBeLessThan(200);
  await playUntil(media, 0.3);
  expect(media.currentTime).toBeGreaterThanOrEqual(0.3);
});

it("keeps a video a video", async () => {
  render(<VideoPlayer asset={{ id: "asset-v", status: "ready", aspectRatio: "16:9", playback: { src: "/nothing.mp4", policy: "public" } }} title="A video" />);
  expect(screen.getByRole("group", { name: "A video" })).toHaveAttribute("data-kind", "video");
  expect(screen.queryByText("Audio lesson")).toBeNull();
});
