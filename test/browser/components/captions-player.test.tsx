/// <reference types="vite/client" />
// Real Chromium and the real mux-player: a caption cue of a lesson's track is on screen at its time, the
// chosen poster frame is the poster (`?time=`), chapters reach the player's chapter track, and a `type`
// silences the player's "unrecognized or unsupported type" error for a `src` without an extension.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { VideoPlayer, type VideoAsset } from "../../../src/index.js";
import "../../../src/components/styles.css";

const backend = inject("emulatorBackend");
/** A 3 s H.264/AAC MP4 served at a URL with no extension (`/fixtures/mp4`), with CORS. */
const mp4Url = `${backend}/fixtures/mp4`;

const vtt = "WEBVTT\n\n00:00:00.500 --> 00:00:02.500\nWelcome to the lesson\n";

function playerElement(): HTMLElement & { media?: HTMLElement & { nativeEl?: HTMLVideoElement } } {
  const element = document.querySelector("mux-player");
  if (!element) throw new Error("no <mux-player> yet");
  return element as HTMLElement & { media?: HTMLElement & { nativeEl?: HTMLVideoElement } };
}

/** The <video> inside <mux-player> → <mux-video>. */
function nativeVideo(): HTMLVideoElement {
  const video = playerElement().media?.nativeEl;
  if (!video) throw new Error("no native video yet");
  return video;
}

function asset(extra: Partial<VideoAsset> = {}): VideoAsset {
  return {
    id: "asset-1",
    status: "ready",
    duration: 3,
    aspectRatio: "16:9",
    playback: { src: mp4Url, type: "video/mp4", poster: `${backend}/poster.jpg` },
    ...extra,
  };
}

beforeAll(async () => {
  await import("@mux/mux-player-react");
}, 60_000);

afterEach(() => cleanup());

describe("VideoPlayer captions, chapters and poster frame in Chromium", () => {
  it("shows a caption cue on screen at its time when the lesson turns captions on by default", async () => {
    const vttUrl = URL.createObjectURL(new Blob([vtt], { type: "text/vtt" }));
    render(
      <VideoPlayer
        title="Captioned lesson"
        captionsOnByDefault
        muted
        asset={asset({
          captions: [{ id: "track-1", languageCode: "en", name: "English", closedCaptions: false, status: "ready", source: "uploaded", src: vttUrl }],
        })}
      />,
    );
    await waitFor(() => expect(nativeVideo().readyState).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
    const englishTrack = () => [...nativeVideo().textTracks].find((track) => track.label === "English");
    await waitFor(() => expect(englishTrack()).toMatchObject({ kind: "subtitles", language: "en", mode: "showing" }), { timeout: 10_000 });
    // The file is fetched once the track shows; seek when its cue is there.
    await waitFor(() => expect(englishTrack()?.cues?.length ?? 0).toBe(1), { timeout: 10_000 });

    // Play (the fixture server has no Range support, so no seeking): the cue is active from 0.5 s to 2.5 s.
    const video = nativeVideo();
    const seen: Array<{ time: number; text: string }> = [];
    englishTrack()!.addEventListener("cuechange", () => {
      const cue = englishTrack()!.activeCues?.[0] as VTTCue | undefined;
      seen.push({ time: video.currentTime, text: cue?.text ?? "" });
    });
    await video.play();
    await waitFor(() => expect(englishTrack()?.activeCues?.length ?? 0).toBe(1), { timeout: 10_000 });
    expect((englishTrack()!.activeCues![0] as VTTCue).text).toBe("Welcome to the lesson");
    expect(video.currentTime).toBeGreaterThanOrEqual(0.45);
    expect(video.currentTime).toBeLessThanOrEqual(2.55);

    // After the cue's end nothing is on screen.
    await waitFor(() => expect(video.currentTime).toBeGreaterThan(2.6), { timeout: 10_000 });
    await waitFor(() => expect(englishTrack()?.activeCues?.length ?? 0).toBe(0), { timeout: 10_000 });
    expect(seen.map((entry) => entry.text)).toEqual(["Welcome to the lesson", ""]);
    URL.revokeObjectURL(vttUrl);
  });

  it("leaves captions hidden when the lesson does not turn them on", async () => {
    const vttUrl = URL.createObjectURL(new Blob([vtt], { type: "text/vtt" }));
    render(
      <VideoPlayer
        captionsOnByDefault={false}
        muted
        asset={asset({
          captions: [{ id: "track-1", languageCode: "en", name: "English", closedCaptions: true, status: "ready", source: "uploaded", src: vttUrl }],
        })}
      />,
    );
    await waitFor(() => expect(nativeVideo().readyState).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
    const track = [...nativeVideo().textTracks].find((candidate) => candidate.label === "English");
    expect(track?.kind).toBe("captions");
    expect(track?.mode).not.toBe("showing");
    URL.revokeObjectURL(vttUrl);
  });

  it("uses the chosen poster frame as the poster: the poster URL carries time=", async () => {
    render(<VideoPlayer thumbnailTime={1.5} muted asset={asset()} />);
    await waitFor(() => expect(playerElement().getAttribute("poster")).toBe(`${backend}/poster.jpg?time=1.5`), { timeout: 20_000 });
  });

  it("asks Mux for the chosen frame when it plays a playback id without a poster", async () => {
    render(<VideoPlayer playbackId="abc123" thumbnailTime={12} muted />);
    await waitFor(() => expect(playerElement().getAttribute("thumbnail-time")).toBe("12"), { timeout: 20_000 });
    await waitFor(() => expect((playerElement() as HTMLElement & { poster?: string }).poster).toContain("time=12"), { timeout: 10_000 });
  });

  it("gives the player the lesson's chapters", async () => {
    render(
      <VideoPlayer
        muted
        chapters={[
          { startTime: 1.5, title: "Practice" },
          { startTime: 0, title: "Intro" },
        ]}
        asset={asset()}
      />,
    );
    await waitFor(() => expect(nativeVideo().readyState).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
    const chaptersTrack = () => [...nativeVideo().textTracks].find((track) => track.kind === "chapters");
    await waitFor(() => expect(chaptersTrack()?.cues?.length).toBe(2), { timeout: 10_000 });
    const cues = [...chaptersTrack()!.cues!] as VTTCue[];
    expect(cues.map((cue) => [cue.startTime, cue.endTime, cue.text])).toEqual([
      [0, 1.5, "Intro"],
      [1.5, 3, "Practice"],
    ]);
  });

  describe("media type of a src without an extension", () => {
    const unsupported = (spy: { mock: { calls: unknown[][] } }) =>
      spy.mock.calls.some((args) => args.some((arg) => String(arg).includes("is an unrecognized or unsupported type")));

    it("the player complains without a type (the control case)", async () => {
      const spy = vi.spyOn(console, "error");
      render(<VideoPlayer muted asset={asset({ playback: { src: mp4Url } })} />);
      await waitFor(() => expect(unsupported(spy)).toBe(true), { timeout: 20_000 });
      spy.mockRestore();
    });

    it("no complaint with playback.type, and the video loads", async () => {
      const spy = vi.spyOn(console, "error");
      render(<VideoPlayer muted asset={asset()} />);
      await waitFor(() => expect(nativeVideo().readyState).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
      expect(playerElement().media?.getAttribute("type")).toBe("video/mp4");
      expect(unsupported(spy)).toBe(false);
      spy.mockRestore();
    });
  });
});
