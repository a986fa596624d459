/**
 * Lesson reads and writes. Everything a person does goes through `asUser`, so the access policy from the
 * package's migration is what allows or refuses it; only webhooks write as the service.
 */
import type { Lesson } from "lesson-video-kit/core";
import { getDatabase } from "./db/database";
import type { SqlClient } from "./db/sql-client";

export interface StudioLesson extends Lesson {
  status: "draft" | "published";
  updatedAt: string;
}

export type VideoStatus = Lesson["videoStatus"];

export interface LessonInput {
  title: string;
  description: string;
}

export interface LessonVideo {
  muxAssetId: string | null;
  muxPlaybackId: string | null;
  videoStatus: VideoStatus;
}

interface LessonRow {
  id: string;
  title: string;
  description: string;
  status: "draft" | "published";
  creator_id: string;
  mux_asset_id: string | null;
  mux_playback_id: string | null;
  video_status: VideoStatus;
  updated_at: Date | string;
}

const columns =
  "id, title, description, status, creator_id, mux_asset_id, mux_playback_id, video_status, updated_at";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isLessonId(value: string): boolean {
  return uuidPattern.test(value);
}

function toLesson(row: LessonRow): StudioLesson {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    creatorId: row.creator_id,
    videoStatus: row.video_status,
    ...(row.mux_asset_id ? { muxAssetId: row.mux_asset_id } : {}),
    ...(row.mux_playback_id ? { muxPlaybackId: row.mux_playback_id } : {}),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

async function asUser<T>(userId: string | null, fn: (sql: SqlClient) => Promise<T>): Promise<T> {
  const db = await getDatabase();
  return db.asUser(userId, fn);
}

/** Lessons the viewer may see, newest first. */
export async function listLessons(viewerId: string | null): Promise<StudioLesson[]> {
  return asUser(viewerId, async (sql) => {
    const { rows } = await sql.query<LessonRow>(`select ${columns} from public.lessons order by updated_at desc`);
    return rows.map(toLesson);
  });
}

/** The lesson, or undefined when it does not exist or the viewer may not see it (the policy hides both alike). */
export async function findLesson(viewerId: string | null, lessonId: string): Promise<StudioLesson | undefined> {
  if (!isLessonId(lessonId)) return undefined;
  return asUser(viewerId, async (sql) => {
    const { rows } = await sql.query<LessonRow>(`select ${columns} from public.lessons where id = $1`, [lessonId]);
    return rows[0] ? toLesson(rows[0]) : undefined;
  });
}

export type LessonFields = LessonInput & LessonVideo;

/** Inserts a lesson with the id the new-lesson page reserved (its uploads already carry it). */
export async function createLesson(creatorId: string, lessonId: string, fields: LessonFields): Promise<void> {
  await asUser(creatorId, async (sql) => {
    await sql.query(
      `insert into public.lessons (id, title, description, creator_id, mux_asset_id, mux_playback_id, video_status)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [lessonId, fields.title, fields.description, creatorId, fields.muxAssetId, fields.muxPlaybackId, fields.videoStatus],
    );
  });
}

/** Saves title, description and video. False when the policy refused (not the creator, or no such lesson). */
export async function updateLesson(userId: string, lessonId: string, fields: LessonFields): Promise<boolean> {
  if (!isLessonId(lessonId)) return false;
  return asUser(userId, async (sql) => {
    const { rows } = await sql.query(
      `update public.lessons
          set title = $2, description = $3, mux_asset_id = $4, mux_playback_id = $5, video_status = $6
        where id = $1 returning id`,
      [lessonId, fields.title, fields.description, fields.muxAssetId, fields.muxPlaybackId, fields.videoStatus],
    );
    return rows.length === 1;
  });
}

/** Who created a lesson, whoever asks (undefined when there is no such lesson): for upload checks. */
export async function lessonCreator(lessonId: string): Promise<string | undefined> {
  if (!isLessonId(lessonId)) return undefined;
  const db = await getDatabase();
  return db.asService(async (sql) => {
    const { rows } = await sql.query<{ creator_id: string }>("select creator_id from public.lessons where id = $1", [
      lessonId,
    ]);
    return rows[0]?.creator_id;
  });
}

export async function setLessonStatus(
  userId: string,
  lessonId: string,
  status: "draft" | "published",
): Promise<boolean> {
  if (!isLessonId(lessonId)) return false;
  return asUser(userId, async (sql) => {
    const { rows } = await sql.query("update public.lessons set status = $2 where id = $1 returning id", [
      lessonId,
      status,
    ]);
    return rows.length === 1;
  });
}

/**
 * Webhook side: records what the video backend says about an asset, found by asset id or by the lesson id
 * the upload carried as passthrough. Returns the ids of the lessons it changed.
 */
export async function recordAssetState(change: {
  assetId: string;
  lessonId?: string;
  videoStatus: VideoStatus;
  playbackId?: string;
}): Promise<string[]> {
  const db = await getDatabase();
  return db.asService(async (sql) => {
    const lessonId = change.lessonId && isLessonId(change.lessonId) ? change.lessonId : null;
    const { rows } = await sql.query<{ id: string }>(
      `update public.lessons
         set mux_asset_id = $1,
             video_status = $2,
             mux_playback_id = coalesce($3, mux_playback_id)
       where mux_asset_id = $1 or (id = $4 and (mux_asset_id is null or mux_asset_id = $1))
       returning id`,
      [change.assetId, change.videoStatus, change.playbackId ?? null, lessonId],
    );
    return rows.map((row) => row.id);
  });
}
