/**
 * Learner progress in this process's memory: the default store of the progress routes, for development and
 * tests. It forgets everything on restart and is not shared between instances; use `createSqlProgressStore`
 * in production.
 */
import { insightsFrom, mergeProgress, progressFor, type ProgressStore, type StoredProgress } from "./progress.js";

/** Options of `createMemoryProgressStore`. */
export interface MemoryProgressStoreOptions {
  /** Clock of `completedAt` and `updatedAt`, for tests. */
  now?: (() => number) | undefined;
}

/**
 * Progress in this process's memory. Each call makes a new, independent store. A merge reads, joins and writes
 * one learner's progress without awaiting anything in between, so concurrent writes cannot interleave.
 */
export function createMemoryProgressStore(options: MemoryProgressStoreOptions = {}): ProgressStore {
  const now = options.now ?? Date.now;
  /** Learners' progress by lesson id, then user id. */
  const lessons = new Map<string, Map<string, StoredProgress>>();

  return {
    async get({ lessonId, userId }, lesson) {
      return progressFor(lessonId, lesson, lessons.get(lessonId)?.get(userId));
    },
    async merge({ lessonId, userId }, update, lesson) {
      let learners = lessons.get(lessonId);
      if (!learners) lessons.set(lessonId, (learners = new Map<string, StoredProgress>()));
      const { next, changed, completedNow } = mergeProgress(learners.get(userId), update, lesson, new Date(now()).toISOString());
      if (changed) learners.set(userId, next);
      return { progress: progressFor(lessonId, lesson, next), completedNow };
    },
    async insights({ lessonId }, lesson, buckets) {
      return insightsFrom(lessonId, lesson, lessons.get(lessonId)?.values() ?? [], buckets);
    },
  };
}
