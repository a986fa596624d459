/// <reference types="vite/client" />
// Real Chromium, the real mux-player and a video from the local emulator: by default VideoPlayer makes no
// request off the machine (no Google Cast SDK, no Mux Data beacon), from loading to playing; `casting`
// opts in to the Cast path. Playwright records every request of the test's frame (commands/request-log.ts).
import "@testing-library/jest-dom/vitest";
import { cleanup, render, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { commands } from "vitest/browser";
import { VideoPlayer, type VideoAsset } from "../../../src/index.js";
import "../../../src/components/styles.css";
import { settledAsset } from "../support/emulator-asset.js";

const backend = inject("emulatorBackend");
const emulatorUrl = inject("emulatorUrl");

type MediaElement = HTMLElement & { nativeEl?: HTMLVideoElement };
type PlayerElement = HTMLElement & { media?: MediaElement | null };


/** Uploads the MP4 fixture to the emulator and returns the ready asset as `createMuxBackend` reports it. */
async function emulatorAsset(): Promise<VideoAsset> {
  const created = await fetch(`${backend}/uploads`, { method: "POST", body: "{}" });
  const { uploadId, url } = (await created.json()) as { uploadId: string; url: string };
  const bytes = await (await fetch(`${backend}/fixtures/mp4`)).arrayBuffer();
  const put = await fetch(url, { method: "PUT", headers: { "content-type": "video/mp4" }, body: bytes });
  expect(put.status).toBe(200);
  const view = await settledAsset(backend, uploadId, 20_000);
  if (view.status !== "ready" || !view.playbackId || !view.assetId) throw new Error(`not ready: ${JSON.stringify(view)}`);
  return {
    id: view.assetId,
    status: "ready",
    playbackId: view.playbackId,
    ...(view.duration === undefined ? {} : { duration: view.duration }),
    ...(view.aspectRatio === undefined ? {} : { aspectRatio: view.aspectRatio }),
    playback: {
      policy: "public",
      src: `${emulatorUrl}/stream/${view.playbackId}.mp4`,
      poster: `${emulatorUrl}/image/${view.playbackId}/thumbnail.jpg`,
      storyboardSrc: `${emulatorUrl}/image/${view.playbackId}/storyboard.vtt`,
    },
  };
}

/** The <mux-video> inside the rendered <mux-player>, once the lazy player is in the page. */
async function playerMedia(): Promise<MediaElement> {
  return waitFor(
    () => {
      const media = document.querySelector<PlayerElement>("mux-player")?.media;
      if (!media?.nativeEl) throw new Error("no <mux-video> yet");
      return media;
    },
    { timeout: 20_000, interval: 20 },
  );
}

function nextEvent(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}

const offMachine = (urls: string[]) =>
  urls.filter((url) => {
    const { protocol, hostname } = new URL(url);
    return /^(https?|wss?):$/.test(protocol) && !["127.0.0.1", "localhost", "[::1]"].includes(hostname);
  });

const castSdk = /gstatic\.com\/cv\/js\/sender\//;

let asset: VideoAsset;

beforeAll(async () => {
  await import("@mux/mux-player-react");
  asset = await emulatorAsset();
}, 60_000);

afterEach(async () => {
  cleanup();
  await commands.stopRequestLog();
});

describe("VideoPlayer requests in Chromium", () => {
  it("loads and plays an emulator video without a single request off the machine", async () => {
    await commands.startRequestLog();
    const { rerender } = render(<VideoPlayer asset={asset} title="Offline lesson" muted />);
    const media = await playerMedia();
    const video = media.nativeEl!;
    if (video.readyState < 1) await nextEvent(video, "loadedmetadata");
    const playing = nextEvent(video, "playing");
    await video.play();
    await playing;
    video.pause();

    const urls = await commands.requestLog();
    // The log saw the player's own requests, so an empty list below means something.
    expect(urls.some((url) => url.startsWith(`${emulatorUrl}/stream/`))).toBe(true);
    expect(urls.some((url) => url.startsWith(`${emulatorUrl}/image/`))).toBe(true);
    expect(offMachine(urls)).toEqual([]);
    expect(document.querySelector('script[src*="gstatic.com"]')).toBeNull();
    expect(media).toHaveAttribute("disableremoteplayback");
    // The player re-renders its template when props change; the attribute stays.
    rerender(<VideoPlayer asset={asset} title="Offline lesson, renamed" muted />);
    await waitFor(() => expect(document.querySelector("mux-player")).toHaveAttribute("title", "Offline lesson, renamed"));
    expect(media).toHaveAttribute("disableremoteplayback");
  });

  it("offers casting when the host opts in: the media allows remote playback and the Cast SDK loads", async () => {
    await commands.startRequestLog();
    render(<VideoPlayer asset={asset} title="Castable lesson" muted casting />);
    const media = await playerMedia();
    expect(media).not.toHaveAttribute("disableremoteplayback");
    if (media.nativeEl!.readyState < 1) await nextEvent(media.nativeEl!, "loadedmetadata");
    // The Cast SDK is requested (and aborted by the log: this machine stays offline).
    await waitFor(async () => expect(offMachine(await commands.requestLog()).filter((url) => castSdk.test(url))).toHaveLength(1), {
      timeout: 10_000,
      interval: 50,
    });
    document.querySelector("script[src*='cast_sender']")?.remove();
  });
});
