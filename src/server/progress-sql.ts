/**
 * Learner progress in PostgreSQL, Supabase or PGlite, in the table of `sql/004_lesson_progress.up.sql`. The
 * store imports no driver: it runs its queries through the host's `asUser` (docs/database.md's `lib/db.ts`),
 * one transaction as the signed-in user, so the migration's row level security checks every read and write a
 * second time, after the routes' `progress.lesson` hook.
 */
import { isVideoError } from "../core/errors.js";
import {
  bucketBounds,
  mergeProgress,
  progressFor,
  progressNotFound,
  type LessonInsightsData,
  type ProgressStore,
  type StoredProgress,
  type WatchedRange,
} from "./progress.js";

/** One query in the host's transaction: `$1`-style parameters, rows as objects (`pg`, PGlite and postgres.js all fit). */
export type ProgressSqlQuery = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Options of `createSqlProgressStore`. */
export interface SqlProgressStoreOptions {
  /**
   * Runs `work` in one transaction as `userId` (`request.jwt.claim.sub`, or Supabase's JWT), as a role row level
   * security applies to, and commits it; rolls back when `work` throws. User and lesson ids are uuids.
   */
  asUser<T>(userId: string, work: (query: ProgressSqlQuery) => Promise<T>): Promise<T>;
}

const isoTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const columns = `position, watched, watched_seconds, ${isoTime("completed_at")} as completed_at, ${isoTime("updated_at")} as updated_at`;

/** A row as the store reads it. */
function storedFrom(row: Record<string, unknown>): StoredProgress {
  return {
    position: Number(row.position),
    watched: row.watched as WatchedRange[],
    watchedSeconds: Number(row.watched_seconds),
    completedAt: (row.completed_at as string | null) ?? null,
    updatedAt: (row.updated_at as string | null) ?? null,
  };
}

/**
 * What the database refuses for lack of access (row level security: `42501`) or because an id is no uuid
 * (`22P02`) answers like a lesson that does not exist.
 */
async function refusalsAsMissing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = typeof error === "object" && error !== null && !isVideoError(error) ? (error as { code?: unknown }).code : undefined;
    if (code === "42501" || code === "22P02") throw progressNotFound();
    throw error;
  }
}

/**
 * Progress in the `public.lesson_progress` table of migration 004. A merge locks the learner's row
 * (`SELECT … FOR UPDATE`, or the insert's unique key for a first write), so concurrent writes of one learner
 * run one after the other; the table's trigger keeps `completed_at` once it is set, whoever writes.
 * Insights come from `lesson_progress_summary` and `lesson_progress_dropoff`, read as the creator.
 *
 * @example
 * ```ts
 * import { createSqlProgressStore } from "lesson-video-kit/server";
 * import { asUser } from "@/lib/db";
 *
 * export const progressStore = createSqlProgressStore({ asUser });
 * ```
 */
export function createSqlProgressStore(options: SqlProgressStoreOptions): ProgressStore {
  const asUser = <T>(userId: string, work: (query: ProgressSqlQuery) => Promise<T>) => options.asUser(userId, work);
  const selectOwn = `select ${columns} from public.lesson_progress where lesson_id = $1 and user_id = $2`;

  return {
    get({ lessonId, userId }, lesson) {
      return refusalsAsMissing(
        asUser(userId, async (query) => {
          const { rows } = await query(selectOwn, [lessonId, userId]);
          return progressFor(lessonId, lesson, rows[0] && storedFrom(rows[0]));
        }),
      );
    },

    merge({ lessonId, userId }, update, lesson) {
      return refusalsAsMissing(
        asUser(userId, async (query) => {
          const locked = async () => {
            const { rows } = await query(`${selectOwn} for update`, [lessonId, userId]);
            return rows[0] && storedFrom(rows[0]);
          };
          let stored = await locked();
          // The clock only decides `changed`; the database writes its own now() (the trigger's updated_at).
          if (!stored) {
            const first = mergeProgress(undefined, update, lesson, new Date().toISOString());
            const { rows } = await query(
              `insert into public.lesson_progress (lesson_id, user_id, position, watched, completed_at)
               values ($1, $2, $3, $4::jsonb, case when $5::boolean then now() end)
               on conflict (lesson_id, user_id) do nothing
               returning ${columns}`,
              [lessonId, userId, first.next.position, JSON.stringify(first.next.watched), first.completedNow],
            );
            if (rows[0]) return { progress: progressFor(lessonId, lesson, storedFrom(rows[0])), completedNow: first.completedNow };
            // Another write inserted the row first (it waited for that write's commit): merge into it.
            stored = await locked();
            if (!stored) throw progressNotFound();
          }
          const { next, changed, completedNow } = mergeProgress(stored, update, lesson, new Date().toISOString());
          if (!changed) return { progress: progressFor(lessonId, lesson, stored), completedNow: false };
          const { rows } = await query(
            `update public.lesson_progress
                set position = $3, watched = $4::jsonb, completed_at = coalesce(completed_at, case when $5::boolean then now() end)
              where lesson_id = $1 and user_id = $2
              returning ${columns}`,
            [lessonId, userId, next.position, JSON.stringify(next.watched), completedNow],
          );
          if (!rows[0]) throw progressNotFound();
          return { progress: progressFor(lessonId, lesson, storedFrom(rows[0])), completedNow };
        }),
      );
    },

    insights({ lessonId, userId }, lesson, buckets) {
      return refusalsAsMissing(
        asUser(userId, async (query): Promise<LessonInsightsData> => {
          const summary = await query(`select started, completed, completion_rate from public.lesson_progress_summary where lesson_id = $1`, [lessonId]);
          const row = summary.rows[0];
          if (!row) throw progressNotFound();
          const bounds = bucketBounds(lesson.duration, buckets);
          const edges = [...bounds.map(([start]) => start), lesson.duration];
          const curve = await query(`select span_start, span_end, viewers from public.lesson_progress_dropoff($1, $2::double precision[])`, [lessonId, edges]);
          const viewers = new Map(curve.rows.map((span) => [Number(span.span_start), Number(span.viewers)]));
          return {
            lessonId,
            duration: lesson.duration,
            started: Number(row.started),
            completed: Number(row.completed),
            completionRate: Number(row.completion_rate),
            buckets: bounds.map(([start, end]) => ({ start, end, viewers: viewers.get(start) ?? 0 })),
            ...(lesson.chapters === undefined ? {} : { chapters: lesson.chapters }),
          };
        }),
      );
    },
  };
}
