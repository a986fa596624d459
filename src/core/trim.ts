/**
 * Trimming a lesson video without re-uploading: the rules a trim follows, and the times of everything else
 * (chapters, the poster frame, transcript cues) moved onto the trimmed video, whose times start at 0 at the
 * trim's start (as Mux's instant clipping and the emulator's clipped stream play it). Framework-free.
 */
import type { Chapter, VideoTrim } from "./types.js";
import type { TranscriptCue } from "./transcript.js";

/** Why a trim cannot be saved; each has a message in the components' `trim` messages. */
export type TrimProblem = "start_invalid" | "end_invalid" | "end_before_start" | "too_short" | "past_end";

/** One problem of a trim, and the field to mark. */
export interface TrimIssue {
  /** The field to mark: the start, or the end (problems of the pair are the end's). */
  field: "startTime" | "endTime";
  /** What is wrong. */
  problem: TrimProblem;
}

/** What `validateTrim` checks a trim against. */
export interface TrimValidationOptions {
  /** The video's duration in seconds; when given, the end must be at or before it. */
  durationSeconds?: number | undefined;
  /** Shortest trimmed video, in seconds. Default 1. */
  minLengthSeconds?: number | undefined;
}

/** Default shortest trimmed video: one second. */
export const defaultTrimMinLengthSeconds = 1;

/**
 * Every problem of a trim; empty when it can be saved. The start must be a finite number of seconds, 0 or more;
 * the end after the start by at least `minLengthSeconds` and (with `durationSeconds`) not after the video's end.
 *
 * @example
 * ```ts
 * validateTrim({ startTime: 20, endTime: 20.5 }, { durationSeconds: 60 }); // [{ field: "endTime", problem: "too_short" }]
 * ```
 */
export function validateTrim(trim: VideoTrim, opts: TrimValidationOptions = {}): TrimIssue[] {
  const minLength = opts.minLengthSeconds ?? defaultTrimMinLengthSeconds;
  const { startTime: start, endTime: end } = trim;
  const issues: TrimIssue[] = [];
  const startOk = Number.isFinite(start) && start >= 0;
  const endOk = Number.isFinite(end) && end > 0;
  if (!startOk) issues.push({ field: "startTime", problem: "start_invalid" });
  if (!endOk) issues.push({ field: "endTime", problem: "end_invalid" });
  else if (opts.durationSeconds !== undefined && end > opts.durationSeconds + 0.001) issues.push({ field: "endTime", problem: "past_end" });
  if (startOk && endOk) {
    if (end <= start) issues.push({ field: "endTime", problem: "end_before_start" });
    else if (end - start < minLength - 0.001) issues.push({ field: "endTime", problem: "too_short" });
  }
  return issues;
}

/** True when the trim keeps the whole video (start 0, end at or past `durationSeconds`): nothing to clip. */
export function isWholeVideo(trim: VideoTrim | undefined, durationSeconds: number | undefined): boolean {
  if (!trim) return true;
  return trim.startTime <= 0 && durationSeconds !== undefined && trim.endTime >= durationSeconds - 0.001;
}

/** The trimmed video's length in seconds. */
export function trimmedDuration(trim: VideoTrim): number {
  return Math.max(0, trim.endTime - trim.startTime);
}

/**
 * A time of the uploaded video on the trimmed video (`time − startTime`), or `undefined` when it falls outside
 * the trim. Without a trim, the time itself.
 */
export function trimTime(time: number, trim: VideoTrim | undefined): number | undefined {
  if (!trim) return time;
  if (time < trim.startTime || time >= trim.endTime) return undefined;
  return time - trim.startTime;
}

/**
 * Chapters on the trimmed video: shifted by −`startTime`; the chapter running at the trim's start starts at 0
 * (earlier ones are dropped), chapters starting at or after the trim's end are dropped. In time order.
 *
 * @example
 * ```ts
 * trimChapters([{ startTime: 0, title: "Intro" }, { startTime: 30, title: "Setup" }], { startTime: 20, endTime: 90 });
 * // [{ startTime: 0, title: "Intro" }, { startTime: 10, title: "Setup" }]
 * ```
 */
export function trimChapters(chapters: readonly Chapter[], trim: VideoTrim | undefined): Chapter[] {
  const sorted = [...chapters].sort((a, b) => a.startTime - b.startTime);
  if (!trim) return sorted;
  const inside = sorted.filter((chapter) => chapter.startTime >= trim.startTime && chapter.startTime < trim.endTime);
  const running = sorted.filter((chapter) => chapter.startTime < trim.startTime).pop();
  const shifted = inside.map((chapter) => ({ ...chapter, startTime: roundMs(chapter.startTime - trim.startTime) }));
  if (running && shifted[0]?.startTime !== 0) shifted.unshift({ ...running, startTime: 0 });
  return shifted;
}

/**
 * The poster frame on the trimmed video: shifted by −`startTime`; a frame outside the trim becomes the trimmed
 * video's first frame (0). `undefined` stays `undefined` (the backend picks).
 */
export function trimPosterTime(thumbnailTime: number | undefined, trim: VideoTrim | undefined): number | undefined {
  if (thumbnailTime === undefined || !trim) return thumbnailTime;
  return trimTime(thumbnailTime, trim) ?? 0;
}

/**
 * Transcript cues on the trimmed video: cues wholly outside the trim are dropped, the others shifted by
 * −`startTime` and cut to the trimmed video (a cue spoken across the start starts at 0). Order kept.
 */
export function trimCues(cues: readonly TranscriptCue[], trim: VideoTrim | undefined): TranscriptCue[] {
  if (!trim) return [...cues];
  const length = trimmedDuration(trim);
  const kept: TranscriptCue[] = [];
  for (const cue of cues) {
    if (cue.end <= trim.startTime || cue.start >= trim.endTime) continue;
    kept.push({ ...cue, start: roundMs(Math.max(0, cue.start - trim.startTime)), end: roundMs(Math.min(length, cue.end - trim.startTime)) });
  }
  return kept;
}

/** The trim a player should apply: `undefined` when there is none or it keeps the whole video. */
export function effectiveTrim(trim: VideoTrim | undefined, durationSeconds: number | undefined): VideoTrim | undefined {
  if (!trim || isWholeVideo(trim, durationSeconds)) return undefined;
  return trim;
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * How a player clips: `"mux"` (a Mux playback id: the player's `assetStartTime`/`assetEndTime`, or the signed token's
 * claims), `"query"` (`asset_start_time`/`asset_end_time` on a Mux-shaped `src`: the kit's emulator), `"fragment"`
 * (a media fragment `#t=start,end` on any other `src`: the browser starts and pauses there, times stay the upload's).
 */
export type TrimClipping = "mux" | "query" | "fragment";

/**
 * The clipping for a source: `"mux"` without `src`; else `clipping` when given; else `"query"` for Mux-shaped stream
 * URLs (`…/stream/<id>.mp4|.webm|.m3u8` as the emulator serves, `https://stream.<domain>/<id>.m3u8` as Mux does), `"fragment"` for others.
 */
export function trimClipping(src: string | undefined, clipping?: "query" | "fragment"): TrimClipping {
  if (src === undefined || src === "") return "mux";
  if (clipping) return clipping;
  return /(?:\/\/stream\.[^/?#]+\/|\/stream\/)[^/?#]+\.(?:mp4|webm|m3u8)(?:[?#]|$)/.test(src) ? "query" : "fragment";
}

/** `src` clipped to `trim`: Mux's query parameters (`"query"`) or a media fragment (`"fragment"`); `"mux"` leaves it. */
export function clippedSrc(src: string, trim: VideoTrim, clipping: TrimClipping): string {
  if (clipping === "mux") return src;
  const [base = "", ...hash] = src.split("#");
  if (clipping === "fragment") return `${base}#t=${trim.startTime},${trim.endTime}`;
  const [path, query = ""] = base.split("?");
  const params = new URLSearchParams(query);
  params.set("asset_start_time", String(trim.startTime));
  params.set("asset_end_time", String(trim.endTime));
  return `${path ?? ""}?${params.toString()}${hash.length > 0 ? `#${hash.join("#")}` : ""}`;
}

/**
 * Whether the played times start at 0 at the trim's start (so chapters, the poster time and transcript cues move):
 * true for Mux and the query, false for a media fragment (the browser plays the upload's own timeline).
 */
export function trimShiftsTimes(clipping: TrimClipping): boolean {
  return clipping !== "fragment";
}
