// Real Chromium and a real video (the 3-second test fixture): LessonPlayer's transcript (select a cue to seek, the
// current cue follows playback, search), completion by distinct seconds watched (seeking to the end does not
// complete; watching completes exactly once), and the resume offer. Progress here goes through the memory transport;
// test/browser/components/lesson-player-routes.test.tsx runs the same against the kit's routes.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { inject } from "vitest";
import { page, userEvent } from "vitest/browser";
import { LessonPlayer, VideoProvider, type LessonPlayerProps, type LessonProgress, type VideoAsset, type VideoEventListener } from "../../../src/index.js";
import { createMemoryTransport } from "../../../src/testing/index.js";
import "../../../src/components/styles.css";

const testApi = inject("videoRoutesTestApi");
const EVENTUALLY = { timeout: 30_000, interval: 50 };

afterEach(() => cleanup());

const vtt = `WEBVTT

00:00:00.000 --> 00:00:01.000
First second of the lesson.

00:00:01.000 --> 00:00:02.000
Second second: closures.

00:00:02.000 --> 00:00:03.000
Third second: more closures.
`;

/** The fixture as a Blob URL: seekable whatever the fixture server does with ranges. */
let videoUrl: string;
beforeAll(async () => {
  videoUrl = URL.createObjectURL(await (await fetch(`${testApi}/fixtures/mp4`)).blob());
});

function lessonAsset(): VideoAsset {
  return {
    id: "asset-player",
    status: "ready",
    playbackId: "pb-player",
    duration: 3,
    aspectRatio: "16:9",
    playback: { src: videoUrl, type: "video/mp4", policy: "public" },
    captions: [
      {
        id: "track-en",
        languageCode: "en",
        name: "English",
        closedCaptions: false,
        status: "ready",
        source: "uploaded",
        src: URL.createObjectURL(new Blob([vtt], { type: "text/vtt" })),
      },
    ],
  };
}

function renderPlayer(props: Partial<LessonPlayerProps> = {}, saved: LessonProgress[] = []) {
  const transport = createMemoryTransport({ latencyMs: 0, duration: 3, progress: { saved } });
  const onComplete = vi.fn();
  const onEvent = vi.fn<VideoEventListener>();
  render(
    <VideoProvider transport={transport} onEvent={onEvent}>
      <LessonPlayer lessonId="lesson-p" asset={lessonAsset()} title="Closures" onComplete={onComplete} player={{ muted: true }} {...props} />
    </VideoProvider>,
  );
  return { transport, onComplete, onEvent };
}

/** The `<mux-player>` once its media can play. */
async function playerElement(): Promise<HTMLElement & { currentTime: number; duration: number; paused: boolean; play(): Promise<void>; pause(): void }> {
  let element: (HTMLElement & { currentTime: number; duration: number; paused: boolean; play(): Promise<void>; pause(): void }) | null = null;
  await waitFor(() => {
    element = document.querySelector("mux-player");
    expect(element?.duration).toBeGreaterThan(2.9);
  }, EVENTUALLY);
  return element!;
}

/** Resolves when the media fires `type`. */
const next = (element: EventTarget, type: string) => new Promise<void>((resolve) => element.addEventListener(type, () => resolve(), { once: true }));

describe("LessonPlayer in Chromium", { timeout: 120_000 }, () => {
  it("seeks to a cue selected in the transcript, and the current cue follows playback", async () => {
    renderPlayer();
    const transcript = await screen.findByRole("region", { name: "Transcript" }, EVENTUALLY);
    const third = await within(transcript).findByRole("button", { name: /Third second: more closures\./ }, EVENTUALLY);
    const player = await playerElement();
    const seeked = next(player, "seeked");
    await userEvent.click(third);
    await seeked;
    expect(player.currentTime).toBeCloseTo(2, 1);
    await waitFor(() => expect(third).toHaveAttribute("aria-current", "true"), EVENTUALLY);
    // Focus stays where the learner put it.
    expect(document.activeElement).toBe(third);

    const first = within(transcript).getByRole("button", { name: /First second/ });
    await userEvent.click(first);
    await waitFor(() => expect(first).toHaveAttribute("aria-current", "true"), EVENTUALLY);
    await player.play();
    const second = within(transcript).getByRole("button", { name: /Second second/ });
    await waitFor(() => expect(second).toHaveAttribute("aria-current", "true"), EVENTUALLY);
    expect(first).not.toHaveAttribute("aria-current");

    await userEvent.type(within(transcript).getByRole("searchbox", { name: "Search the transcript" }), "CLOSURES");
    expect(within(transcript).getByRole("status")).toHaveTextContent("1 of 2");
    await userEvent.keyboard("{Enter}");
    expect(within(transcript).getByRole("status")).toHaveTextContent("2 of 2");
  });

  it("does not complete when the learner seeks to the end; watching the distinct seconds completes exactly once", async () => {
    const { transport, onComplete, onEvent } = renderPlayer();
    const player = await playerElement();
    let ended = next(player, "ended");
    player.currentTime = 2.95;
    await player.play();
    await ended;
    expect(onComplete).not.toHaveBeenCalled();
    expect(document.querySelector(".lvk-lesson-player")).toHaveAttribute("data-state", "watching");

    ended = next(player, "ended");
    player.currentTime = 0;
    await player.play();
    await ended;
    await waitFor(() => expect(onComplete).toHaveBeenCalledOnce(), EVENTUALLY);
    expect(screen.getByText("Lesson completed")).toBeVisible();
    // The save recorded it.
    await waitFor(async () => expect((await transport.getProgress!("lesson-p", {})).completedAt).toEqual(expect.any(String)), EVENTUALLY);

    // Watching again does not complete it again.
    ended = next(player, "ended");
    player.currentTime = 0;
    await player.play();
    await ended;
    expect(onComplete).toHaveBeenCalledOnce();
    // The provider's monitoring events: completed once, as the lesson.
    const completions = onEvent.mock.calls.map(([event]) => event).filter((event) => event.type === "lesson_completed");
    expect(completions).toEqual([expect.objectContaining({ lessonId: "lesson-p", duration: expect.closeTo(3, 0) })]);
  });

  it("offers the saved position back: Resume goes there and plays; Start over stays at the start", async () => {
    const saved: LessonProgress = { lessonId: "lesson-p", position: 1.5, duration: 3, watched: [[0, 1.5]], watchedSeconds: 1.5, completedAt: null, updatedAt: null };
    renderPlayer({}, [saved]);
    const resume = await screen.findByRole("button", { name: "Resume at 0:01" }, EVENTUALLY);
    const player = await playerElement();
    await waitFor(() => expect(resume).toBeEnabled());
    const playing = next(player, "playing");
    await userEvent.click(resume);
    await playing;
    expect(player.currentTime).toBeGreaterThanOrEqual(1.5);
    expect(screen.queryByRole("button", { name: "Resume at 0:01" })).toBeNull();

    cleanup();
    renderPlayer({}, [saved]);
    await userEvent.click(await screen.findByRole("button", { name: "Start over" }, EVENTUALLY));
    expect(screen.queryByRole("button", { name: /Resume at/ })).toBeNull();
    expect((await playerElement()).currentTime).toBe(0);
  });

  it("reports to Mux Data as the lesson: the provider's env key and viewer id, the lesson's id and title; a player's own env key wins", async () => {
    type MuxPlayerElement = HTMLElement & { metadata: Record<string, unknown> | undefined };
    const transport = createMemoryTransport({ latencyMs: 0, duration: 3 });
    const lesson = (player: LessonPlayerProps["player"]) => (
      <VideoProvider transport={transport} muxData={{ envKey: "env-provider", viewerId: "learner-7" }}>
        <LessonPlayer lessonId="lesson-p" asset={lessonAsset()} title="Closures" player={player} />
      </VideoProvider>
    );
    render(lesson({ muted: true, metadata: { video_series: "JavaScript" } }));
    const player = (await playerElement()) as unknown as MuxPlayerElement;
    expect(player.getAttribute("env-key")).toBe("env-provider");
    expect(player.metadata).toMatchObject({ video_id: "lesson-p", video_title: "Closures", viewer_user_id: "learner-7", video_series: "JavaScript" });
    // `src` playback (no Mux view to report): no beacons unless the host turns tracking on.
    expect(player.hasAttribute("disable-tracking")).toBe(true);

    cleanup();
    render(lesson({ muted: true, envKey: "env-own" }));
    expect((await playerElement()).getAttribute("env-key")).toBe("env-own");
  });

  it("is usable on a 390 px phone: nothing wider than the screen, chapters and transcript below the video, every control at least 24×24 px", async () => {
    await page.viewport(390, 844);
    try {
      renderPlayer({ chapters: [{ startTime: 0, title: "Opening" }, { startTime: 1.5, title: "Closures in practice" }] });
      const transcript = await screen.findByRole("region", { name: "Transcript" }, EVENTUALLY);
      await within(transcript).findByRole("button", { name: /Third second/ }, EVENTUALLY);
      await playerElement();
      expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(390);
      const video = document.querySelector(".lvk-player")!.getBoundingClientRect();
      const chapters = screen.getByRole("navigation", { name: "Chapters" }).getBoundingClientRect();
      expect(video.width).toBeGreaterThan(300);
      expect(chapters.top).toBeGreaterThanOrEqual(video.bottom - 0.5);
      const root = document.querySelector(".lvk-lesson-player")!;
      const small = [...root.querySelectorAll<HTMLElement>("button, input, select")]
        .filter((control) => !control.closest("mux-player"))
        .map((control) => ({ name: control.getAttribute("aria-label") ?? control.textContent, box: control.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 24 || box.height < 24 || box.right > 390.5)
        .map(({ name, box }) => `${name}: ${box.width}×${box.height} at ${box.left}`);
      expect(small).toEqual([]);
      // A cue selected on the phone still takes the video there.
      const player = await playerElement();
      const seeked = next(player, "seeked");
      await userEvent.click(within(transcript).getByRole("button", { name: /Second second/ }));
      await seeked;
      expect(player.currentTime).toBeCloseTo(1, 1);
    } finally {
      await page.viewport(414, 896);
    }
  });
});
