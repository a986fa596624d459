/**
 * Learner progress: what the player reports (`ProgressUpdate`), what the server keeps and answers
 * (`LessonProgress`), what a lesson's creator learns from it (`LessonInsightsData`), and the one set of rules
 * every `ProgressStore` applies: the update is checked against the server's duration, watched ranges are
 * merged into a sorted union, and completion is recorded once and never revoked.
 */
import type { VideoError } from "../core/errors.js";
import type { Chapter } from "../core/types.js";
import type { LessonInsightsData } from "../core/insights.js";
import { mergeWatchedRanges, type LessonProgress, type ProgressUpdate, type WatchedRange } from "../core/watch-progress.js";
import { httpError } from "./errors.js";

// The wire types are core's (the player sends and reads them): one definition for both sides.
export type { LessonProgress, ProgressUpdate, WatchedRange } from "../core/watch-progress.js";

// What `GET /progress/:lessonId/insights` answers a lesson's creator: core's type, the one `LessonInsights` shows.
export type { InsightsBucket, LessonInsightsData } from "../core/insights.js";

/**
 * A lesson as the progress routes need it, from the host's `progress.lesson` hook: its video's duration, who
 * created it (only they get its insights) and when a learner has completed it.
 */
export interface ProgressLesson {
  /** The video's duration, seconds (e.g. the asset's `duration`). Above 0. */
  duration: number;
  /** The lesson's creator: the `id` of the `VideoUser` who may read the lesson's insights. */
  creatorId: string;
  /** Share of the duration a learner must have watched (distinct seconds) to complete it, in (0, 1]. Default 0.9. */
  completionThreshold?: number | undefined;
  /** The lesson's chapters, passed on to its insights. */
  chapters?: Chapter[] | undefined;
}

/** Whose progress in which lesson a store call is about (`userId`: `VideoUser.id`). */
export interface ProgressKey {
  /** The lesson, as in the route's path. */
  lessonId: string;
  /** The signed-in user's `VideoUser.id`: the learner, or for insights the creator. */
  userId: string;
}

/** What `ProgressStore.merge` did: the progress after the write, and whether this write completed the lesson. */
export interface ProgressMergeResult {
  /** The learner's progress after the write. */
  progress: LessonProgress;
  /** True for the one write that set `completedAt`; false for every other, concurrent ones included. */
  completedNow: boolean;
}

/**
 * Where learners' progress lives: `createMemoryProgressStore()` (the default, one process) or
 * `createSqlProgressStore()` (migration 004 on PostgreSQL, Supabase or PGlite). Every method is called after
 * the routes' access check; a store may check again (the SQL one does, through row level security) and throws
 * a 404 `VideoError` when it refuses.
 */
export interface ProgressStore {
  /** The learner's progress, or the empty progress (`updatedAt: null`) when they have none. */
  get(key: ProgressKey, lesson: ProgressLesson): Promise<LessonProgress>;
  /**
   * Merges a checked update into the learner's progress atomically (`mergeProgress`): concurrent merges of one
   * learner and lesson behave as if one ran after the other, so none loses another's ranges and exactly one
   * sets `completedAt`.
   */
  merge(key: ProgressKey, update: ProgressUpdate, lesson: ProgressLesson): Promise<ProgressMergeResult>;
  /** The lesson's aggregates, for its creator (`key.userId`), with the curve cut into `buckets` stretches. */
  insights(key: ProgressKey, lesson: ProgressLesson, buckets: number): Promise<LessonInsightsData>;
}

/** Completion threshold when the hook gives none: 90 % of the duration. */
export const defaultCompletionThreshold = 0.9;

/** Most watched ranges one write may carry. */
export const defaultMaxRangesPerWrite = 500;

/** Most separate ranges one learner's progress in one lesson keeps; a write that would leave more is refused. */
export const maxStoredRanges = 2000;

/**
 * How far past the server's duration a position or range end may reach and still be taken (clamped to the
 * duration): a player's duration differs from the backend's by a frame or so, and its last write must count.
 */
export const durationSlackSeconds = 1;

/** The stored part of a learner's progress, as stores keep it. */
export interface StoredProgress {
  position: number;
  watched: WatchedRange[];
  watchedSeconds: number;
  completedAt: string | null;
  updatedAt: string | null;
}

/**
 * The one answer for a lesson that does not exist and one the user may not see (or, for insights, did not
 * create): same status, same body.
 */
export const progressNotFound = (): VideoError => httpError(404, "not_found", "There is no such lesson.");

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const badProgress = (message: string) => httpError(400, "bad_request", message);

/**
 * Checks the parsed body of `POST /progress/:lessonId` against the lesson's duration and returns the update
 * with its ranges clamped to `[0, duration]`; throws a 400 `bad_request` `VideoError` saying what is wrong.
 */
export function validateProgressUpdate(body: unknown, duration: number, maxRanges = defaultMaxRangesPerWrite): ProgressUpdate {
  if (!isRecord(body)) throw badProgress("The body must be { position, watched: [[start, end], …], duration? }.");
  const { position, watched } = body;
  const limit = duration + durationSlackSeconds;
  if (typeof position !== "number" || !Number.isFinite(position)) throw badProgress("position must be a number of seconds.");
  if (position < 0 || position > limit) throw badProgress(`position must be between 0 and the lesson's duration (${duration} s).`);
  if (body.duration !== undefined && (typeof body.duration !== "number" || !Number.isFinite(body.duration) || body.duration < 0)) {
    throw badProgress("duration, when sent, must be a number of seconds.");
  }
  if (!Array.isArray(watched)) throw badProgress("watched must be an array of [start, end] ranges.");
  if (watched.length > maxRanges) throw badProgress(`Send at most ${maxRanges} watched ranges per write.`);
  const ranges: WatchedRange[] = [];
  for (const range of watched as unknown[]) {
    if (!Array.isArray(range) || range.length !== 2) throw badProgress("Each watched range must be [start, end].");
    const [start, end] = range as unknown[];
    if (typeof start !== "number" || typeof end !== "number" || !Number.isFinite(start) || !Number.isFinite(end)) {
      throw badProgress("Each watched range must be two numbers of seconds.");
    }
    if (start < 0 || end > limit || !(start < end)) {
      throw badProgress(`Each watched range must have 0 ≤ start < end ≤ the lesson's duration (${duration} s).`);
    }
    if (start < duration) ranges.push([start, Math.min(end, duration)]);
  }
  return { position: Math.min(position, duration), watched: ranges };
}

/** The sorted union of watched ranges within `[0, duration]`: the player's own merge, so both sides agree. */
export { mergeWatchedRanges } from "../core/watch-progress.js";

/** Total length of disjoint ranges, seconds. */
export const watchedSecondsOf = (ranges: readonly WatchedRange[]): number => ranges.reduce((sum, [start, end]) => sum + (end - start), 0);

/** The share of the duration that completes `lesson`, checked: a host's bad value is a bug to see, not to guess around. */
export function completionThresholdOf(lesson: ProgressLesson): number {
  const threshold = lesson.completionThreshold ?? defaultCompletionThreshold;
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`lesson-video-kit: progress.lesson returned completionThreshold ${threshold}; it must be in (0, 1].`);
  return threshold;
}

/** True when `watchedSeconds` reaches the lesson's threshold (with a microsecond's float tolerance). */
export const reachesCompletion = (watchedSeconds: number, lesson: ProgressLesson): boolean =>
  watchedSeconds + 1e-6 >= completionThresholdOf(lesson) * lesson.duration;

/**
 * The rule of every store: the update's ranges joined with the stored ones, its position taken, `completedAt`
 * set by the first write that reaches the threshold and kept by every later one. `changed` is false when the
 * write adds nothing (a repeat): a store then leaves the row, `updatedAt` included, as it was.
 */
export function mergeProgress(
  stored: StoredProgress | undefined,
  update: ProgressUpdate,
  lesson: ProgressLesson,
  nowIso: string,
): { next: StoredProgress; changed: boolean; completedNow: boolean } {
  const watched = mergeWatchedRanges([...(stored?.watched ?? []), ...update.watched], lesson.duration);
  if (watched.length > maxStoredRanges) {
    throw badProgress(`This progress has more than ${maxStoredRanges} separate watched parts; send ranges that join them.`);
  }
  const watchedSeconds = watchedSecondsOf(watched);
  const completedNow = !stored?.completedAt && reachesCompletion(watchedSeconds, lesson);
  const completedAt = stored?.completedAt ?? (completedNow ? nowIso : null);
  const position = Math.min(update.position, lesson.duration);
  const sameRanges = (ranges: readonly WatchedRange[]) =>
    ranges.length === watched.length &&
    ranges.every(([start, end], i) => {
      const other = watched[i];
      return other !== undefined && start === other[0] && end === other[1];
    });
  if (stored && stored.position === position && stored.completedAt === completedAt && sameRanges(stored.watched)) {
    return { next: stored, changed: false, completedNow };
  }
  return { next: { position, watched, watchedSeconds, completedAt, updatedAt: nowIso }, changed: true, completedNow };
}

/** The answer for a learner: stored progress (ranges clamped to today's duration), or the empty one. */
export function progressFor(lessonId: string, lesson: ProgressLesson, stored: StoredProgress | undefined): LessonProgress {
  if (!stored) return { lessonId, position: 0, duration: lesson.duration, watched: [], watchedSeconds: 0, completedAt: null, updatedAt: null };
  const watched = mergeWatchedRanges(stored.watched, lesson.duration);
  return {
    lessonId,
    position: Math.min(stored.position, lesson.duration),
    duration: lesson.duration,
    watched,
    watchedSeconds: watchedSecondsOf(watched),
    completedAt: stored.completedAt,
    updatedAt: stored.updatedAt,
  };
}

/** `[start, end]` of each of `count` equal buckets over `duration`. */
export function bucketBounds(duration: number, count: number): WatchedRange[] {
  return Array.from({ length: count }, (_, i): WatchedRange => [(duration * i) / count, (duration * (i + 1)) / count]);
}

/** Seconds of `[start, end]` that sorted, disjoint `ranges` cover. */
function coverage(ranges: readonly WatchedRange[], start: number, end: number): number {
  let covered = 0;
  for (const [a, b] of ranges) {
    if (a >= end) break;
    if (b > start) covered += Math.min(b, end) - Math.max(a, start);
  }
  return covered;
}

/**
 * A lesson's insights from its learners' stored progress (the memory store's; the SQL store computes the same
 * in the database): a learner started when they watched anything, and watched a bucket when they watched at
 * least half of it.
 */
export function insightsFrom(lessonId: string, lesson: ProgressLesson, rows: Iterable<StoredProgress>, bucketCount: number): LessonInsightsData {
  const bounds = bucketBounds(lesson.duration, bucketCount);
  const viewers = new Array<number>(bounds.length).fill(0);
  let started = 0;
  let completed = 0;
  for (const row of rows) {
    if (row.watchedSeconds > 0) started++;
    if (row.completedAt !== null) completed++;
    const watched = mergeWatchedRanges(row.watched, lesson.duration);
    bounds.forEach(([start, end], i) => {
      if (coverage(watched, start, end) * 2 >= end - start) viewers[i] = (viewers[i] ?? 0) + 1;
    });
  }
  return {
    lessonId,
    duration: lesson.duration,
    started,
    completed,
    completionRate: started === 0 ? 0 : Math.min(1, completed / started),
    buckets: bounds.map(([start, end], i) => ({ start, end, viewers: viewers[i] ?? 0 })),
    ...(lesson.chapters === undefined ? {} : { chapters: lesson.chapters }),
  };
}
