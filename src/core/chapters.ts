/**
 * Chapters of a lesson video: start times as people type them ("1:05", "1:02:03.5") and the rules a
 * saved list follows (titles present, start times unique and inside the video). Framework-free.
 */
import type { Chapter } from "./types.js";

/** Why a chapter cannot be saved; each has a message in the components' `chapters` messages. */
export type ChapterProblem = "time_invalid" | "time_duplicate" | "time_past_end" | "title_empty" | "title_too_long";

/** One problem of one chapter: `index` in the list given, and the field to mark. */
export interface ChapterIssue {
  index: number;
  field: "startTime" | "title";
  problem: ChapterProblem;
}

export interface ChapterValidationOptions {
  /** The video's duration in seconds; when given, every chapter must start before it ends. */
  durationSeconds?: number | undefined;
  /** Longest title, in characters. Default 100. */
  maxTitleLength?: number | undefined;
}

/** Default longest chapter title. */
export const defaultChapterTitleMaxLength = 100;

/**
 * Reads a start time as people write it: seconds (`"75"`, `"75.5"`), `m:ss` (`"1:15"`) or `h:mm:ss`
 * (`"1:02:03.5"`). Returns seconds, or `null` when the text is not a time.
 *
 * @example
 * ```ts
 * parseChapterTime("1:15"); // 75
 * parseChapterTime("1:75"); // null: seconds above 59
 * ```
 */
export function parseChapterTime(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(trimmed);
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  if (hours !== undefined && Number(minutes) > 59) return null;
  if (Number(seconds) >= 60) return null;
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/**
 * Writes seconds the way `parseChapterTime` reads them: `"1:15"`, `"1:02:03"`, with tenths when the
 * time has them (`"0:07.5"`).
 */
export function formatChapterTime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return "";
  const tenths = Math.round(totalSeconds * 10);
  const whole = Math.floor(tenths / 10);
  const fraction = tenths % 10 === 0 ? "" : `.${tenths % 10}`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0") + fraction;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Every problem of a chapter list, in list order; empty when it can be saved. Start times must be finite,
 * zero or more, unique and (with `durationSeconds`) before the end of the video; titles must be present
 * and at most `maxTitleLength` characters.
 */
export function validateChapters(chapters: readonly Chapter[], opts: ChapterValidationOptions = {}): ChapterIssue[] {
  const maxTitleLength = opts.maxTitleLength ?? defaultChapterTitleMaxLength;
  const issues: ChapterIssue[] = [];
  const seen = new Set<number>();
  chapters.forEach((chapter, index) => {
    const time = chapter.startTime;
    if (!Number.isFinite(time) || time < 0) issues.push({ index, field: "startTime", problem: "time_invalid" });
    else if (opts.durationSeconds !== undefined && time >= opts.durationSeconds) {
      issues.push({ index, field: "startTime", problem: "time_past_end" });
    } else if (seen.has(Math.round(time * 10))) issues.push({ index, field: "startTime", problem: "time_duplicate" });
    if (Number.isFinite(time)) seen.add(Math.round(time * 10));
    const title = chapter.title.trim();
    if (title === "") issues.push({ index, field: "title", problem: "title_empty" });
    else if (title.length > maxTitleLength) issues.push({ index, field: "title", problem: "title_too_long" });
  });
  return issues;
}

/** The list as it is stored: titles trimmed, ordered by start time. */
export function normalizeChapters(chapters: readonly Chapter[]): Chapter[] {
  return chapters
    .map((chapter) => ({ startTime: chapter.startTime, title: chapter.title.trim() }))
    .sort((a, b) => a.startTime - b.startTime);
}
