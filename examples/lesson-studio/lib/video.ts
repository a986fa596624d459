/**
 * The video backend on the server: real Mux with MUX_TOKEN_ID, the local emulator otherwise. Pages use it
 * to read an asset's playback (src, poster, tokens); saves use it so video fields come from the backend.
 */
import type { LessonSubmission } from "lesson-video-kit";
import type { VideoAsset } from "lesson-video-kit/core";
import { createMuxBackend, withPlaybackTokens } from "lesson-video-kit/server";
import type { LessonVideo, StudioLesson } from "./lessons";
import { muxSettings } from "./settings";

type MuxBackend = ReturnType<typeof createMuxBackend>;

const backendKey = Symbol.for("lesson-studio.video-backend");
type GlobalWithBackend = typeof globalThis & { [backendKey]?: MuxBackend };

/** One backend per process (its Mux client keeps connections); pages and route handlers share it. */
export function videoBackend(): MuxBackend {
  const holder = globalThis as GlobalWithBackend;
  if (!holder[backendKey]) {
    const settings = muxSettings();
    // The signing key for signed playback comes from MUX_SIGNING_KEY_ID / MUX_SIGNING_KEY_PRIVATE (with the
    // emulator, `npm start` sets the emulator's own).
    holder[backendKey] = createMuxBackend({
      tokenId: settings.tokenId,
      tokenSecret: settings.tokenSecret,
      webhookSecret: settings.webhookSecret,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    });
  }
  return holder[backendKey];
}

export function lessonVideoStatus(asset: VideoAsset): LessonVideo["videoStatus"] {
  if (asset.status === "ready") return "ready";
  if (asset.status === "errored") return "error";
  return "processing";
}

/** The backend's 404, by its code (the server bundle has its own copy of the error class). */
function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "not_found";
}

export type SubmissionVideo = { ok: true; fields: LessonVideo } | { ok: false; message: string };

const noVideo: LessonVideo = { muxUploadId: null, muxAssetId: null, muxPlaybackId: null, videoStatus: "pending" };

/** A video that comes from an upload starts `pending`; the hooks and `reconcileUpload` take it from there. */
const fromUpload = (uploadId: string): LessonVideo => ({ ...noVideo, muxUploadId: uploadId });

/**
 * The video fields to store for what LessonForm submitted: the upload in flight or finished (by its id, or
 * by the asset it became), the lesson's current video unchanged, or none. Anything new must carry this
 * lesson's id as passthrough (the editor makes its uploads for the lesson's id, reserved before the first save).
 */
export async function videoForSubmission(
  lessonId: string,
  lesson: Pick<LessonSubmission, "uploadId" | "muxAssetId">,
  current?: Pick<StudioLesson, "muxUploadId" | "muxAssetId" | "muxPlaybackId" | "videoStatus">,
): Promise<SubmissionVideo> {
  const backend = videoBackend();
  const refused = { ok: false, message: "This video belongs to another lesson. Upload it again here." } as const;
  const unchanged: LessonVideo | undefined = current && {
    muxUploadId: current.muxUploadId ?? null,
    muxAssetId: current.muxAssetId ?? null,
    muxPlaybackId: current.muxPlaybackId ?? null,
    videoStatus: current.videoStatus,
  };
  try {
    if (lesson.uploadId) {
      if (unchanged && lesson.uploadId === current?.muxUploadId) return { ok: true, fields: unchanged };
      const upload = await backend.getUpload(lesson.uploadId);
      if (upload.passthrough !== lessonId) return refused;
      return { ok: true, fields: fromUpload(upload.uploadId) };
    }
    if (lesson.muxAssetId) {
      if (unchanged && lesson.muxAssetId === current?.muxAssetId) return { ok: true, fields: unchanged };
      const asset = await backend.getAsset(lesson.muxAssetId);
      if (asset.passthrough !== lessonId) return refused;
      if (asset.uploadId) return { ok: true, fields: fromUpload(asset.uploadId) };
      return {
        ok: true,
        fields: { muxUploadId: null, muxAssetId: asset.id, muxPlaybackId: asset.playbackId ?? null, videoStatus: lessonVideoStatus(asset) },
      };
    }
    return { ok: true, fields: noVideo };
  } catch (error) {
    if (isNotFound(error)) {
      return { ok: false, message: "The video could not be found. Upload it again." };
    }
    throw error;
  }
}

/** The lesson's current asset for the edit form, or null when it has none or the backend lost it. */
export async function currentAsset(lesson: StudioLesson): Promise<VideoAsset | null> {
  if (!lesson.muxAssetId) return null;
  try {
    return await videoBackend().getAsset(lesson.muxAssetId);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * What the edit page shows for a lesson's video: the asset (ready, processing or failed), or an upload that
 * never delivered all its bytes. The backend decides which, not the lesson row: an upload that is still
 * `waiting` has no asset because its bytes stopped coming (the tab was closed), and saying "processing"
 * would never end. `resumable` says whether its URL still takes bytes (`waiting`), or only a fresh upload
 * can bring the video (`timed_out`, `cancelled`, `errored`).
 */
export type EditorVideo =
  | { kind: "none" }
  | { kind: "asset"; asset: VideoAsset }
  | { kind: "interrupted"; uploadId: string; resumable: boolean };

export async function editorVideo(lesson: StudioLesson): Promise<EditorVideo> {
  const asset = await currentAsset(lesson);
  if (asset) return { kind: "asset", asset };
  if (!lesson.muxUploadId) return { kind: "none" };
  const backend = videoBackend();
  try {
    const upload = await backend.getUpload(lesson.muxUploadId);
    if (upload.status === "asset_created" && upload.assetId) {
      // The asset exists and its webhook has not reached the lesson yet: it is processing, for real.
      return { kind: "asset", asset: await backend.getAsset(upload.assetId) };
    }
    return { kind: "interrupted", uploadId: upload.uploadId, resumable: upload.status === "waiting" };
  } catch (error) {
    if (isNotFound(error)) return { kind: "interrupted", uploadId: lesson.muxUploadId, resumable: false };
    throw error;
  }
}

/**
 * The asset a lesson page plays, with signed tokens when the playback id is signed. Call it only for a
 * lesson the viewer may see (the caller read it through the access policy).
 */
export async function playableAsset(lesson: StudioLesson): Promise<VideoAsset | undefined> {
  if (!lesson.muxAssetId || lesson.videoStatus !== "ready") return undefined;
  const backend = videoBackend();
  const asset = await backend.getAsset(lesson.muxAssetId);
  if (asset.status !== "ready" || !asset.playbackId) return asset;
  if (asset.playback?.policy === "signed") {
    // The poster frame travels inside the thumbnail token (Mux refuses `?time=` next to a token).
    const signed = await backend.signPlayback(asset.playbackId, { expiresInSeconds: 6 * 60 * 60, thumbnailTime: lesson.thumbnailTime });
    return withPlaybackTokens(asset, signed.tokens);
  }
  return asset;
}

/**
 * A still for lesson cards, without a backend round trip: the lesson's poster frame (`time`) when it has
 * one. Undefined for signed playback (needs a token).
 */
export function posterUrl(playbackId: string | undefined, width = 640, time?: number): string | undefined {
  if (!playbackId) return undefined;
  const settings = muxSettings();
  if (settings.playbackPolicy === "signed") return undefined;
  const image =
    settings.mode === "mux" ? `https://image.mux.com/${playbackId}` : `${settings.baseUrl}/image/${playbackId}`;
  return `${image}/thumbnail.jpg?width=${width}${time === undefined ? "" : `&time=${time}`}`;
}

/** The duration of the asset a save stores, to check chapters and the poster frame against; undefined when unknown. */
export async function videoDuration(assetId: string | null): Promise<number | undefined> {
  if (!assetId) return undefined;
  try {
    const asset = await videoBackend().getAsset(assetId);
    return asset.duration !== undefined && asset.duration > 0 ? asset.duration : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
