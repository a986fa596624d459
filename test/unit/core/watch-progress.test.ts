import { WatchProgress, mergeWatchedRanges, watchedSecondsOf, type LessonProgress, type ProgressUpdate } from "../../../src/core/watch-progress.js";
import { createMemoryTransport } from "../../../src/testing/index.js";

/** A media element's surface: time, duration, paused, and the events a player fires. */
class FakeMedia extends EventTarget {
  currentTime = 0;
  duration = 100;
  paused = true;
  playbackRate = 1;
  play() {
    this.paused = false;
    this.dispatchEvent(new Event("play"));
    this.dispatchEvent(new Event("playing"));
  }
  /** Plays from the current time to `until`, one time update per quarter second. */
  playTo(until: number) {
    if (this.paused) this.play();
    while (this.currentTime < until) {
      this.currentTime = Math.min(until, this.currentTime + 0.25);
      this.dispatchEvent(new Event("timeupdate"));
    }
  }
  seek(to: number) {
    this.dispatchEvent(new Event("seeking"));
    this.currentTime = to;
    this.dispatchEvent(new Event("timeupdate"));
    this.dispatchEvent(new Event("seeked"));
  }
  pause() {
    this.paused = true;
    this.dispatchEvent(new Event("pause"));
  }
}

describe("mergeWatchedRanges", () => {
  it("unions, sorts and merges touching stretches, dropping bad ones and clamping to the duration", () => {
    expect(mergeWatchedRanges([[10, 20], [0, 5], [5, 8], [15, 30], [40, 40], [50, 45], [Number.NaN, 3], [90, 120]], 100)).toEqual([
      [0, 8],
      [10, 30],
      [90, 100],
    ]);
    expect(watchedSecondsOf([[0, 10], [5, 15]])).toBe(15);
  });
});

describe("WatchProgress", () => {
  it("counts distinct seconds: rewatching adds nothing, seeking to the end does not complete", async () => {
    const onComplete = vi.fn();
    const progress = new WatchProgress({ lessonId: "l-1", onComplete });
    await progress.load();
    const media = new FakeMedia();
    progress.attach(media);
    media.playTo(20);
    media.seek(0);
    media.playTo(20);
    expect(progress.getSnapshot().watchedSeconds).toBeCloseTo(20, 5);
    media.seek(99);
    media.playTo(100);
    expect(progress.getSnapshot().watchedSeconds).toBeCloseTo(21, 5);
    expect(progress.getSnapshot().completed).toBe(false);
    expect(onComplete).not.toHaveBeenCalled();
  });

  it("completes once at 90 % of distinct seconds, and the save records it", async () => {
    const transport = createMemoryTransport({ duration: 100, latencyMs: 0 });
    const onComplete = vi.fn();
    const onEvent = vi.fn();
    const progress = new WatchProgress({ lessonId: "l-2", transport, onComplete, onEvent });
    await progress.load();
    const media = new FakeMedia();
    progress.attach(media);
    media.playTo(89);
    expect(progress.getSnapshot().completed).toBe(false);
    media.playTo(90);
    expect(progress.getSnapshot().completed).toBe(true);
    media.playTo(100);
    media.seek(0);
    media.playTo(95);
    expect(onComplete).toHaveBeenCalledOnce();
    expect(onEvent.mock.calls.map(([event]) => event)).toEqual([
      { type: "lesson_completed", lessonId: "l-2", watchedSeconds: 90, duration: 100, at: expect.any(Number) },
    ]);
    media.pause();
    await progress.flush();
    const saved = await transport.getProgress!("l-2", {});
    expect(saved.completedAt).toEqual(expect.any(String));
    expect(saved.watchedSeconds).toBeCloseTo(100, 5);
  });

  it("offers the saved position back, and not when it is near the start or the end; a completed lesson is not reported again", async () => {
    const saved = (position: number, completedAt: string | null = null): LessonProgress => ({
      lessonId: "l-3",
      position,
      duration: 100,
      watched: [[0, position]],
      watchedSeconds: position,
      completedAt,
      updatedAt: "2026-12-01T00:00:00.000Z",
    });
    const at = async (position: number, completedAt: string | null = null) => {
      const progress = new WatchProgress({ lessonId: "l-3", transport: createMemoryTransport({ latencyMs: 0, progress: { saved: [saved(position, completedAt)] } }) });
      await progress.load();
      return progress;
    };
    expect((await at(42)).getSnapshot().resumeAt).toBe(42);
    expect((await at(2)).getSnapshot().resumeAt).toBeUndefined();
    expect((await at(98)).getSnapshot().resumeAt).toBeUndefined();
    const done = await at(50, "2026-11-30T00:00:00.000Z");
    expect(done.getSnapshot()).toMatchObject({ completed: true, completedAt: "2026-11-30T00:00:00.000Z" });
    const onComplete = vi.fn();
    const again = new WatchProgress({ lessonId: "l-3", transport: createMemoryTransport({ latencyMs: 0, progress: { saved: [saved(95, "2026-11-30T00:00:00.000Z")] } }), onComplete });
    await again.load();
    const media = new FakeMedia();
    again.attach(media);
    media.playTo(100);
    expect(onComplete).not.toHaveBeenCalled();
  });

  it("saves at most once per interval while playing, and on pause; a failed save is sent again with the next", async () => {
    let now = 0;
    const sent: ProgressUpdate[] = [];
    let fail = false;
    const transport = {
      saveProgress: async (lessonId: string, update: ProgressUpdate): Promise<LessonProgress> => {
        sent.push(update);
        if (fail) throw new TypeError("Failed to fetch");
        return { lessonId, position: update.position, duration: 100, watched: update.watched, watchedSeconds: watchedSecondsOf(update.watched), completedAt: null, updatedAt: null };
      },
    };
    const events: unknown[] = [];
    const progress = new WatchProgress({
      lessonId: "l-4",
      transport,
      saveIntervalMs: 10_000,
      now: () => now,
      // A throwing analytics callback breaks nothing.
      onEvent: (event) => {
        events.push(event);
        throw new Error("analytics is down");
      },
    });
    const media = new FakeMedia();
    progress.attach(media);
    now = 10_000;
    media.playTo(1);
    // The first time update saves (the interval since the last save has passed); the next ones wait for the interval.
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.position).toBe(0.25);
    now = 15_000;
    media.playTo(2);
    expect(sent).toHaveLength(1);
    fail = true;
    media.pause();
    await progress.flush();
    expect(sent).toHaveLength(2);
    expect(progress.getSnapshot()).toMatchObject({ error: { code: "network" }, errorDuring: "save" });
    expect(events).toEqual([{ type: "progress_save_failed", lessonId: "l-4", code: "network", at: 15_000 }]);
    fail = false;
    await progress.flush();
    expect(sent).toHaveLength(3);
    expect(sent[2]!.watched).toEqual([[0, 2]]);
    expect(sent[2]!.position).toBe(2);
    expect(progress.getSnapshot()).toMatchObject({ error: undefined, errorDuring: undefined });
  });

  it("a progress that cannot be read is said to be a load failure, and watching goes on without an offer", async () => {
    const progress = new WatchProgress({
      lessonId: "l-5",
      transport: { getProgress: () => Promise.reject(new TypeError("Failed to fetch")) },
    });
    await progress.load();
    expect(progress.getSnapshot()).toMatchObject({ status: "ready", resumeAt: undefined, error: { code: "network" }, errorDuring: "load" });
    const media = new FakeMedia();
    progress.attach(media);
    media.playTo(3);
    expect(progress.getSnapshot().watchedSeconds).toBe(3);
  });
});
