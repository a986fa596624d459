/**
 * Lesson reads and writes. Everything a person does goes through `asUser`, so the access policy from the
 * package's migration is what allows or refuses it; only webhooks write as the service.
 */
import type { Chapter, Lesson, VideoTrim } from "lesson-video-kit/core";
import { getDatabase } from "./db/database";
import type { SqlClient } from "./db/sql-client";

export interface StudioLesson extends Lesson {
  status: "draft" | "published";
  /** Always a list here (migration 003 stores '[]' for none), ordered by start time. */
  chapters: Chapter[];
  captionsOnByDefault: boolean;
  /** The part of the video learners see (migration 005); absent: all of it. */
  trim?: VideoTrim;
  /** The upload the lesson's video comes from (migration 002): saved before the asset may exist. */
  muxUploadId?: string;
  updatedAt: string;
}

export type VideoStatus = Lesson["videoStatus"];

export interface LessonInput {
  title: string;
  description: string;
  /** Ordered by start time, titles trimmed (`normalizeChapters`). */
  chapters: Chapter[];
  /** Poster frame in seconds; null lets the backend pick (the middle of the video). */
  thumbnailTime: number | null;
  captionsOnByDefault: boolean;
  /** The part of the video learners see; null: all of it. */
  trim: VideoTrim | null;
}

/**
 * The video a save gives a lesson. With an upload id, the asset fields start empty (`pending`) and the
 * webhook hooks (or `reconcileUpload` after the save) fill them in; without one, they are the asset's own.
 */
export interface LessonVideo {
  muxUploadId: string | null;
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
  mux_upload_id: string | null;
  mux_asset_id: string | null;
  mux_playback_id: string | null;
  video_status: VideoStatus;
  thumbnail_time: number | null;
  chapters: unknown;
  captions_on_by_default: boolean;
  trim_start_time: number | string | null;
  trim_end_time: number | string | null;
  updated_at: Date | string;
}

const columns =
  "id, title, description, status, creator_id, mux_upload_id, mux_asset_id, mux_playback_id, video_status, thumbnail_time, chapters, captions_on_by_default, trim_start_time, trim_end_time, updated_at";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isLessonId(value: string): boolean {
  return uuidPattern.test(value);
}

/** The `chapters` column as chapters: jsonb arrives parsed; anything else in it (edited by hand) is left out. */
function chaptersOf(value: unknown): Chapter[] {
  const list: unknown = typeof value === "string" ? JSON.parse(value) : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { startTime, title } = item as { startTime?: unknown; title?: unknown };
    return typeof startTime === "number" && Number.isFinite(startTime) && typeof title === "string" ? [{ startTime, title }] : [];
  });
}

function toLesson(row: LessonRow): StudioLesson {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    creatorId: row.creator_id,
    videoStatus: row.video_status,
    ...(row.mux_upload_id ? { muxUploadId: row.mux_upload_id } : {}),
    ...(row.mux_asset_id ? { muxAssetId: row.mux_asset_id } : {}),
    ...(row.mux_playback_id ? { muxPlaybackId: row.mux_playback_id } : {}),
    ...(row.thumbnail_time === null ? {} : { thumbnailTime: Number(row.thumbnail_time) }),
    chapters: chaptersOf(row.chapters),
    captionsOnByDefault: row.captions_on_by_default,
    ...(row.trim_start_time === null || row.trim_end_time === null
      ? {}
      : { trim: { startTime: Number(row.trim_start_time), endTime: Number(row.trim_end_time) } }),
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
      `insert into public.lessons (id, title, description, creator_id, mux_upload_id, mux_asset_id, mux_playback_id, video_status,
                                   thumbnail_time, chapters, captions_on_by_default, trim_start_time, trim_end_time)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)`,
      [
        lessonId,
        fields.title,
        fields.description,
        creatorId,
        fields.muxUploadId,
        fields.muxAssetId,
        fields.muxPlaybackId,
        fields.videoStatus,
        fields.thumbnailTime,
        JSON.stringify(fields.chapters),
        fields.captionsOnByDefault,
        fields.trim?.startTime ?? null,
        fields.trim?.endTime ?? null,
      ],
    );
  });
}

/**
 * Saves title, description, chapters, poster frame, captions default and trim, and the video when it is another
 * one than the lesson has (another upload, or another asset for a lesson without an upload): the same video
 * keeps the state its webhooks gave it.
 * False when the policy refused (not the creator, or no such lesson).
 */
export async function updateLesson(userId: string, lessonId: string, fields: LessonFields): Promise<boolean> {
  if (!isLessonId(lessonId)) return false;
  return asUser(userId, async (sql) => {
    const { rows } = await sql.query(
      `update public.lessons
          set title = $2, description = $3, thumbnail_time = $4, chapters = $5::jsonb, captions_on_by_default = $6,
              trim_start_time = $7, trim_end_time = $8
        where id = $1
        returning id`,
      [
        lessonId,
        fields.title,
        fields.description,
        fields.thumbnailTime,
        JSON.stringify(fields.chapters),
        fields.captionsOnByDefault,
        fields.trim?.startTime ?? null,
        fields.trim?.endTime ?? null,
      ],
    );
    if (rows.length !== 1) return false;
    await writeVideo(sql, lessonId, fields);
    return true;
  });
}

/** Stores the video when it is another one than the lesson has; the same video keeps the state its webhooks gave it. */
async function writeVideo(sql: SqlClient, lessonId: string, video: LessonVideo): Promise<void> {
  await sql.query(
    `update public.lessons
        set mux_upload_id = $2, mux_asset_id = $3, mux_playback_id = $4, video_status = $5
      where id = $1
        and (mux_upload_id is distinct from $2 or ($2::text is null and mux_asset_id is distinct from $3))`,
    [lessonId, video.muxUploadId, video.muxAssetId, video.muxPlaybackId, video.videoStatus],
  );
}

/**
 * Gives a lesson its video and nothing else (the bulk page's drafts: the upload id as soon as the upload
 * exists). False when the policy refused (not the creator, or no such lesson).
 */
export async function setLessonVideo(userId: string, lessonId: string, video: LessonVideo): Promise<boolean> {
  if (!isLessonId(lessonId)) return false;
  return asUser(userId, async (sql) => {
    const { rows } = await sql.query("select 1 from public.lessons where id = $1 and creator_id = $2", [lessonId, userId]);
    if (rows.length !== 1) return false;
    await writeVideo(sql, lessonId, video);
    return true;
  });
}

/** The ids of the lessons whose video is this asset, whoever asks: for refreshing their pages. */
export async function lessonsWithAsset(assetId: string): Promise<string[]> {
  const db = await getDatabase();
  return db.asService(async (sql) => {
    const { rows } = await sql.query<{ id: string }>("select id from public.lessons where mux_asset_id = $1", [assetId]);
    return rows.map((row) => row.id);
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

export interface AssetStateChange {
  /** What the backend said: the upload became this asset, the asset is ready, or it failed. */
  videoStatus: Exclude<VideoStatus, "pending">;
  uploadId?: string | undefined;
  assetId: string;
  /** The upload's passthrough: the lesson it was made for (maybe never saved). */
  lessonId?: string | undefined;
  playbackId?: string | undefined;
}

/**
 * The webhook hooks' UPDATEs of the README ("Keeping `video_status` in step with the backend"): an event is
 * about the lesson that recorded its upload id or asset id; a lesson with no upload yet adopts the upload
 * made for it. Each only moves a lesson forward, so repeated, late and replayed events change nothing wrong.
 */
const assetStateUpdates: Record<AssetStateChange["videoStatus"], string> = {
  processing: `update public.lessons
      set mux_upload_id = $2, mux_asset_id = $3, mux_playback_id = null, video_status = 'processing'
    where (mux_upload_id = $2 or (mux_upload_id is null and id = $1))
      and mux_asset_id is distinct from $3
    returning id`,
  ready: `update public.lessons
      set mux_upload_id = coalesce($2, mux_upload_id), mux_asset_id = $3, mux_playback_id = $4, video_status = 'ready'
    where (mux_upload_id = $2 or mux_asset_id = $3 or (mux_upload_id is null and id = $1))
      and (mux_asset_id, mux_playback_id, video_status) is distinct from ($3, $4, 'ready')
    returning id`,
  error: `update public.lessons
      set mux_upload_id = coalesce($2, mux_upload_id), mux_asset_id = $3, mux_playback_id = null, video_status = 'error'
    where (mux_upload_id = $2 or mux_asset_id = $3 or (mux_upload_id is null and id = $1))
      and (mux_asset_id, video_status) is distinct from ($3, 'error')
    returning id`,
};

/** Webhook side: records what the video backend says about an upload's asset. Returns the ids of the lessons it changed. */
export async function recordAssetState(change: AssetStateChange): Promise<string[]> {
  const db = await getDatabase();
  return db.asService(async (sql) => {
    const lessonId = change.lessonId && isLessonId(change.lessonId) ? change.lessonId : null;
    const uploadId = change.uploadId ?? null;
    const params =
      change.videoStatus === "ready"
        ? [lessonId, uploadId, change.assetId, change.playbackId ?? null]
        : [lessonId, uploadId, change.assetId];
    const { rows } = await sql.query<{ id: string }>(assetStateUpdates[change.videoStatus], params);
    return rows.map((row) => row.id);
  });
}

/**
 * Whether a lesson refers to an asset (by asset or upload id), or the asset's upload was made for a lesson
 * that has no video recorded yet: what the orphan clean-up must not delete.
 */
export async function isAssetReferenced(ref: { assetId: string; uploadId?: string | undefined; lessonId?: string | undefined }): Promise<boolean> {
  const db = await getDatabase();
  return db.asService(async (sql) => {
    const { rows } = await sql.query(
      `select 1 from public.lessons
        where mux_asset_id = $1 or mux_upload_id = $2
           or (id::text = $3 and mux_upload_id is null and mux_asset_id is null)
        limit 1`,
      [ref.assetId, ref.uploadId ?? null, ref.lessonId ?? null],
    );
    return rows.length > 0;
  });
}
