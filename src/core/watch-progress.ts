import { toVideoError, type VideoError } from "./errors.js";
import type { VideoEvent, VideoEventListener } from "./events.js";
import { Subscribable } from "./subscribable.js";

/** A stretch of the video a learner watched, in seconds: `[start, end]`, `start < end`. */
export type WatchedRange = [start: number, end: number];

/** A learner's progress in one lesson, as the progress routes keep it. */
export interface LessonProgress {
  lessonId: string;
  /** Where the learner was, seconds. */
  position: number;
  /** The lesson video's duration the server knows, seconds. */
  duration: number;
  /** Every distinct stretch watched, merged and sorted. */
  watched: WatchedRange[];
  /** Total length of `watched`: distinct seconds watched (rewatching does not add). */
  watchedSeconds: number;
  /** When the lesson was completed (ISO 8601); once set, never cleared. */
  completedAt: string | null;
  updatedAt: string | null;
}

/** What a player sends: where the learner is and what they watched (merged with what the server has). */
export interface ProgressUpdate {
  position: number;
  watched: WatchedRange[];
  /** The duration the player reads; informative, the server's duration wins. */
  duration?: number | undefined;
}

/** The progress calls of a transport (`createHttpTransport` has them; a custom transport may leave them out). */
export interface ProgressTransport {
  getProgress(lessonId: string, opts: { signal?: AbortSignal | undefined }): Promise<LessonProgress>;
  /** `keepalive`: the page is going away; the request must outlive it (`fetch(…, { keepalive: true })`). */
  saveProgress(lessonId: string, update: ProgressUpdate, opts: { signal?: AbortSignal | undefined; keepalive?: boolean | undefined }): Promise<LessonProgress>;
}

/** Two stretches closer than this (seconds) are one: a player's time updates are a few hundred ms apart. */
const TOUCHING = 0.001;

/**
 * The union of `ranges`, sorted, with overlapping and touching stretches merged; empty, reversed and non-finite
 * ones dropped, and each clamped to `[0, duration]` when a duration is given.
 */
export function mergeWatchedRanges(ranges: readonly (readonly [number, number])[], duration?: number): WatchedRange[] {
  const clean: WatchedRange[] = [];
  for (const [rawStart, rawEnd] of ranges) {
    if (!Number.isFinite(rawStart) || !Number.isFinite(rawEnd)) continue;
    const start = Math.max(0, rawStart);
    const end = duration === undefined ? rawEnd : Math.min(duration, rawEnd);
    if (end > start) clean.push([start, end]);
  }
  clean.sort((a, b) => a[0] - b[0]);
  const merged: WatchedRange[] = [];
  for (const range of clean) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + TOUCHING) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Distinct seconds in `ranges` (merged first). */
export function watchedSecondsOf(ranges: readonly (readonly [number, number])[]): number {
  return mergeWatchedRanges(ranges).reduce((sum, [start, end]) => sum + (end - start), 0);
}

/** The watching of one lesson: where the learner is, what they watched, and whether it counts as completed. */
export interface WatchProgressSnapshot {
  /** `loading` the saved progress, then `ready` (also when there was none, or it could not be read). */
  status: "loading" | "ready";
  /** A position worth offering back ("Resume at 12:34"), until the learner plays or dismisses it. */
  resumeAt: number | undefined;
  position: number;
  duration: number | undefined;
  watched: WatchedRange[];
  watchedSeconds: number;
  /** Whether the lesson counts as completed (saved before, or `completionThreshold` of distinct seconds watched here). */
  completed: boolean;
  completedAt: string | null;
  /** The last load or save that failed (the progress is kept and sent again with the next save). */
  error: VideoError | undefined;
  /** What `error` came from: reading the saved progress (`load`) or saving it (`save`). */
  errorDuring: "load" | "save" | undefined;
}

export interface WatchProgressOptions {
  lessonId: string;
  /** Where progress is read and saved. Without one, progress is only kept in memory (and the callbacks still run). */
  transport?:
    | { getProgress?: ProgressTransport["getProgress"] | undefined; saveProgress?: ProgressTransport["saveProgress"] | undefined }
    | undefined;
  /** Share of the duration, in distinct seconds watched, that completes the lesson. Default 0.9. */
  completionThreshold?: number | undefined;
  /** Saves at most this often while playing, ms (and always on pause, end, a hidden tab and page exit). Default 15000. */
  saveIntervalMs?: number | undefined;
  /** Positions closer than this to the start or the end are not offered back, seconds. Default 5 (5 % of a short video). */
  resumeMargin?: number | undefined;
  /** After each change of what was watched (at most once per time update). */
  onProgress?: ((snapshot: WatchProgressSnapshot) => void) | undefined;
  /** Once, when the lesson becomes completed here (not when it was completed before). */
  onComplete?: ((snapshot: WatchProgressSnapshot) => void) | undefined;
  /** Monitoring events: `lesson_completed` (with `onComplete`) and `progress_save_failed`. */
  onEvent?: VideoEventListener | undefined;
  now?: (() => number) | undefined;
}

/** What `attach` follows: a `<video>`, `<mux-player>` or `<mux-video>` element. */
export type WatchedMedia = EventTarget & {
  readonly currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  readonly playbackRate?: number | undefined;
};

/**
 * Follows a learner watching a lesson: the distinct seconds watched (seeking skips nothing into them, rewatching
 * adds nothing), the position, and completion at `completionThreshold` of the duration — recorded once. Loads the
 * saved progress (`resumeAt` offers it back), saves while playing (throttled), on pause and at the end, and with a
 * `keepalive` request when the tab is hidden or the page goes away. Framework-free: `subscribe` + `getSnapshot`.
 *
 * @example
 * const progress = new WatchProgress({ lessonId, transport, onComplete: () => confetti() });
 * void progress.load();
 * const detach = progress.attach(videoElement);
 */
export class WatchProgress extends Subscribable {
  readonly #options: WatchProgressOptions;
  readonly #threshold: number;
  #snapshot: WatchProgressSnapshot = {
    status: "loading",
    resumeAt: undefined,
    position: 0,
    duration: undefined,
    watched: [],
    watchedSeconds: 0,
    completed: false,
    completedAt: null,
    error: undefined,
    errorDuring: undefined,
  };
  #last: number | undefined;
  #dirty = false;
  #savedAt = 0;
  #saving: Promise<void> = Promise.resolve();
  #completionReported = false;
  readonly #abort = new AbortController();

  constructor(options: WatchProgressOptions) {
    super();
    this.#options = options;
    this.#threshold = Math.min(1, Math.max(0, options.completionThreshold ?? 0.9));
  }

  getSnapshot = (): WatchProgressSnapshot => this.#snapshot;

  /** Reads the saved progress; a failure leaves it empty (`error` says why) and watching goes on. */
  async load(): Promise<void> {
    const get = this.#options.transport?.getProgress;
    if (!get) return this.#set({ status: "ready" });
    try {
      const saved = await get.call(this.#options.transport, this.#options.lessonId, { signal: this.#abort.signal });
      const watched = mergeWatchedRanges([...saved.watched, ...this.#snapshot.watched]);
      const duration = this.#snapshot.duration ?? (saved.duration > 0 ? saved.duration : undefined);
      const margin = this.#options.resumeMargin ?? (duration === undefined ? 5 : Math.min(5, duration * 0.05));
      const offer = saved.position >= margin && (duration === undefined || saved.position <= duration - margin) && this.#last === undefined;
      // Completed before: not reported again.
      if (saved.completedAt) this.#completionReported = true;
      this.#set({
        status: "ready",
        watched,
        watchedSeconds: watchedSecondsOf(watched),
        duration,
        resumeAt: offer ? saved.position : undefined,
        completed: this.#snapshot.completed || saved.completedAt !== null,
        completedAt: saved.completedAt ?? this.#snapshot.completedAt,
      });
    } catch (thrown) {
      if (this.#abort.signal.aborted) return;
      this.#set({ status: "ready", error: toVideoError(thrown), errorDuring: "load" });
    }
  }

  /** The learner chose "Start over" (or played on): no position is offered any more. */
  dismissResume(): void {
    if (this.#snapshot.resumeAt !== undefined) this.#set({ resumeAt: undefined });
  }

  /**
   * Follows `media` (and the page: a hidden tab or a page going away saves with `keepalive`). Returns the function
   * that stops following it.
   */
  attach(media: WatchedMedia): () => void {
    const follow = () => this.#follow(media);
    const restart = () => {
      this.#last = media.paused ? undefined : media.currentTime;
      this.#setDuration(media.duration);
    };
    const skip = () => {
      this.#last = undefined;
    };
    const pause = () => {
      this.#follow(media);
      this.#last = undefined;
      void this.flush();
    };
    const play = () => {
      this.#last = media.currentTime;
      this.dismissResume();
    };
    const hidden = () => {
      if (document.visibilityState === "hidden") void this.flush({ keepalive: true });
    };
    const leave = () => void this.flush({ keepalive: true });
    const media_: [string, () => void][] = [
      ["timeupdate", follow],
      ["play", play],
      ["playing", restart],
      ["seeking", skip],
      ["seeked", restart],
      ["pause", pause],
      ["ended", pause],
      ["durationchange", restart],
      ["loadedmetadata", restart],
    ];
    for (const [type, listener] of media_) media.addEventListener(type, listener);
    const inPage = typeof document !== "undefined" && typeof window !== "undefined";
    if (inPage) {
      document.addEventListener("visibilitychange", hidden);
      window.addEventListener("pagehide", leave);
    }
    this.#setDuration(media.duration);
    return () => {
      for (const [type, listener] of media_) media.removeEventListener(type, listener);
      if (inPage) {
        document.removeEventListener("visibilitychange", hidden);
        window.removeEventListener("pagehide", leave);
      }
    };
  }

  /** Sends what changed since the last save (nothing when nothing did). */
  flush(opts: { keepalive?: boolean | undefined } = {}): Promise<void> {
    const save = this.#options.transport?.saveProgress;
    if (!save || !this.#dirty) return this.#saving;
    this.#dirty = false;
    this.#savedAt = this.#now();
    const { position, watched, duration } = this.#snapshot;
    const update: ProgressUpdate = { position, watched, ...(duration === undefined ? {} : { duration }) };
    // One save at a time, in order: a later one never lands before an earlier one.
    this.#saving = this.#saving.then(async () => {
      try {
        const saved = await save.call(this.#options.transport, this.#options.lessonId, update, {
          ...(opts.keepalive ? { keepalive: true } : { signal: this.#abort.signal }),
        });
        if (saved.completedAt && !this.#snapshot.completedAt) this.#set({ completedAt: saved.completedAt, completed: true, error: undefined, errorDuring: undefined });
        else if (this.#snapshot.error) this.#set({ error: undefined, errorDuring: undefined });
      } catch (thrown) {
        if (this.#abort.signal.aborted && !opts.keepalive) return;
        // Kept: the next save sends it again (the server merges, so sending twice is harmless).
        this.#dirty = true;
        const error = toVideoError(thrown);
        this.#set({ error, errorDuring: "save" });
        this.#emit({ type: "progress_save_failed", lessonId: this.#options.lessonId, code: error.code, at: this.#now() });
      }
    });
    return this.#saving;
  }

  /** Stops loading and saving (a keepalive save already sent still arrives). */
  dispose(): void {
    this.#abort.abort();
    this.clearListeners();
  }

  #follow(media: WatchedMedia): void {
    const time = media.currentTime;
    if (!Number.isFinite(time)) return;
    this.#setDuration(media.duration);
    const last = this.#last;
    this.#last = media.paused ? undefined : time;
    // A played stretch: forward, and no longer than a few time updates at this rate (a jump is a seek).
    const rate = Math.max(1, media.playbackRate ?? 1);
    const played = last !== undefined && time > last && time - last <= 2 * rate ? ([last, time] as WatchedRange) : undefined;
    const watched = played ? mergeWatchedRanges([...this.#snapshot.watched, played], this.#snapshot.duration) : this.#snapshot.watched;
    const watchedSeconds = played ? watchedSecondsOf(watched) : this.#snapshot.watchedSeconds;
    if (time === this.#snapshot.position && !played) return;
    this.#dirty = true;
    this.#set({ position: time, watched, watchedSeconds });
    if (played) this.#options.onProgress?.(this.#snapshot);
    this.#checkCompletion();
    if (!media.paused && this.#now() - this.#savedAt >= (this.#options.saveIntervalMs ?? 15_000)) void this.flush();
  }

  #checkCompletion(): void {
    const { duration, watchedSeconds, completed } = this.#snapshot;
    if (duration === undefined || duration <= 0) return;
    if (!completed && watchedSeconds >= this.#threshold * duration) this.#set({ completed: true });
    if (this.#snapshot.completed && !this.#completionReported) {
      this.#completionReported = true;
      // Recorded at once (the server decides `completedAt` from the same distinct seconds).
      this.#dirty = true;
      void this.flush();
      this.#options.onComplete?.(this.#snapshot);
      const { watchedSeconds: seconds, duration: length = 0 } = this.#snapshot;
      this.#emit({ type: "lesson_completed", lessonId: this.#options.lessonId, watchedSeconds: seconds, duration: length, at: this.#now() });
    }
  }

  #setDuration(duration: number): void {
    if (!Number.isFinite(duration) || duration <= 0 || duration === this.#snapshot.duration) return;
    this.#set({ duration });
    this.#checkCompletion();
  }

  #emit(event: VideoEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A failing analytics callback must not break the watching.
    }
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #set(change: Partial<WatchProgressSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    this.notifyListeners();
  }
}
