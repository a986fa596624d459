/**
 * Mux's JSON (API objects and webhook envelopes) turned into the kit's shapes. Webhook bodies are read
 * defensively: a signed body is Mux's, but its fields still decide what the routes do.
 */
import type { CaptionTrack, StaticRenditionResolution, UploadInfo, UploadInfoStatus, VideoDownload, VideoDownloadStatus, VideoPlayback } from "../../core/types.js";
import type { BackendAsset, BackendListedAsset, BackendUploadInfo, BackendWebhookEvent } from "../backend.js";

/** The fields of a Mux asset this kit reads (API objects and webhook `data` alike). */
export interface MuxAssetFields {
  id: string;
  status: string;
  playback_ids?: Array<{ id: string; policy: string }> | undefined;
  duration?: number | undefined;
  aspect_ratio?: string | undefined;
  resolution_tier?: string | undefined;
  errors?: { type?: string; messages?: string[] } | undefined;
  upload_id?: string | undefined;
  passthrough?: string | undefined;
  meta?: { creator_id?: string | undefined } | undefined;
  created_at?: string | number | undefined;
  tracks?: MuxTrackFields[] | undefined;
  static_renditions?: { files?: MuxStaticRenditionFields[] | undefined } | undefined;
}

/** The fields of a Mux static rendition this kit reads. */
export interface MuxStaticRenditionFields {
  name?: string | undefined;
  resolution?: string | undefined;
  status?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  filesize?: string | undefined;
}

const downloadStatuses: readonly VideoDownloadStatus[] = ["preparing", "ready", "skipped", "errored"];
const renditionResolutions: readonly StaticRenditionResolution[] = ["highest", "audio-only", "2160p", "1440p", "1080p", "720p", "540p", "480p", "360p", "270p"];

/**
 * A Mux static rendition as a `VideoDownload`, its `url` (on `stream.mux.com`, or the emulator's) set once ready;
 * undefined for files without a resolution (the deprecated `mp4_support` ones).
 */
export function toDownload(file: MuxStaticRenditionFields, playback: { baseUrl: string; playbackId: string } | undefined): VideoDownload | undefined {
  const { name, resolution } = file;
  if (typeof name !== "string" || !/^[a-z0-9-]+\.(mp4|m4a)$/.test(name)) return undefined;
  if (!(renditionResolutions as readonly string[]).includes(resolution ?? "")) return undefined;
  const status = (downloadStatuses as readonly string[]).includes(file.status ?? "") ? (file.status as VideoDownloadStatus) : "preparing";
  const download: VideoDownload = { name, kind: resolution === "audio-only" ? "audio" : "video", resolution: resolution as StaticRenditionResolution, status };
  if (typeof file.width === "number") download.width = file.width;
  if (typeof file.height === "number") download.height = file.height;
  const size = Number(file.filesize);
  if (file.filesize !== undefined && Number.isSafeInteger(size)) download.size = size;
  if (status === "ready" && playback) download.url = `${playback.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(playback.playbackId)}/${name}`;
  return download;
}

/** Where Mux serves static renditions: `https://stream.mux.com/<playback id>/<name>`. */
const muxStreamBase = "https://stream.mux.com";

/** The fields of a Mux track this kit reads (`text` tracks become `CaptionTrack`s). */
export interface MuxTrackFields {
  id?: string | undefined;
  type?: string | undefined;
  text_type?: string | undefined;
  text_source?: string | undefined;
  language_code?: string | undefined;
  name?: string | undefined;
  closed_captions?: boolean | undefined;
  status?: string | undefined;
  primary?: boolean | undefined;
  error?: { type?: string | undefined; messages?: string[] | undefined } | undefined;
}

/**
 * A Mux `text` track of type `subtitles` as a `CaptionTrack`; undefined for other tracks (video, audio,
 * chapters, deleted). `src` is set for ready tracks of a backend that serves media itself (the emulator).
 */
export function toCaptionTrack(track: MuxTrackFields, playback?: { baseUrl: string; playbackId: string }): CaptionTrack | undefined {
  if (track.type !== "text" || typeof track.id !== "string") return undefined;
  if (track.text_type !== undefined && track.text_type !== "subtitles") return undefined;
  if (track.status === "deleted") return undefined;
  const status = track.status === "ready" || track.status === "errored" ? track.status : "preparing";
  const languageCode = typeof track.language_code === "string" ? track.language_code : "und";
  const caption: CaptionTrack = {
    id: track.id,
    languageCode,
    name: typeof track.name === "string" && track.name !== "" ? track.name : languageCode,
    closedCaptions: track.closed_captions === true,
    status,
    source: typeof track.text_source === "string" && track.text_source.startsWith("generated") ? "generated" : "uploaded",
  };
  if (status === "errored") {
    const message = track.error?.messages?.[0];
    caption.error = { type: track.error?.type ?? "unknown", message: typeof message === "string" ? message : "The captions could not be processed." };
  }
  if (status === "ready" && playback) {
    caption.src = `${playback.baseUrl.replace(/\/+$/, "")}/stream/${encodeURIComponent(playback.playbackId)}/text/${encodeURIComponent(track.id)}.vtt`;
  }
  return caption;
}

/** The fields of a Mux direct upload this kit reads. */
export interface MuxUploadFields {
  id: string;
  status: string;
  asset_id?: string | undefined;
  error?: { type?: string; message?: string } | undefined;
  new_asset_settings?: { passthrough?: string; meta?: { creator_id?: string } } | undefined;
}

const uploadStatuses: readonly UploadInfoStatus[] = ["waiting", "asset_created", "errored", "cancelled", "timed_out"];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const stringOr = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * URLs of the emulator (and any server with its URL layout) for a playback id; real Mux needs none,
 * the player builds them from the id.
 */
export function emulatorPlaybackUrls(playbackBaseUrl: string, playbackId: string): Pick<VideoPlayback, "src" | "poster" | "storyboardSrc"> {
  const base = playbackBaseUrl.replace(/\/+$/, "");
  const id = encodeURIComponent(playbackId);
  return {
    src: `${base}/stream/${id}.mp4`,
    poster: `${base}/image/${id}/thumbnail.jpg`,
    storyboardSrc: `${base}/image/${id}/storyboard.vtt`,
  };
}

/** `created_at` is a string of seconds in the API and a number in webhooks. */
export function muxTimeToMs(value: unknown): number | undefined {
  const seconds = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export function toVideoAsset(asset: MuxAssetFields, playbackBaseUrl: string | undefined): BackendAsset {
  const status = asset.status === "ready" || asset.status === "errored" ? asset.status : "preparing";
  const result: BackendAsset = { id: asset.id, status };
  const playbackIds = Array.isArray(asset.playback_ids) ? asset.playback_ids : [];
  // A public id plays without tokens, so it wins when an asset has both.
  const playback = playbackIds.find((p) => p.policy === "public") ?? playbackIds.find((p) => p.policy === "signed");
  if (playback) {
    result.playbackId = playback.id;
    result.playback = {
      policy: playback.policy === "signed" ? "signed" : "public",
      ...(playbackBaseUrl === undefined ? {} : emulatorPlaybackUrls(playbackBaseUrl, playback.id)),
    };
  }
  if (typeof asset.duration === "number") result.duration = asset.duration;
  if (typeof asset.aspect_ratio === "string") result.aspectRatio = asset.aspect_ratio;
  if (asset.resolution_tier === "audio-only") result.audioOnly = true;
  if (typeof asset.upload_id === "string") result.uploadId = asset.upload_id;
  if (typeof asset.passthrough === "string") result.passthrough = asset.passthrough;
  if (typeof asset.meta?.creator_id === "string") result.ownerKey = asset.meta.creator_id;
  if (Array.isArray(asset.static_renditions?.files)) {
    const streamBase = playbackBaseUrl === undefined ? muxStreamBase : `${playbackBaseUrl.replace(/\/+$/, "")}/stream`;
    const where = playback ? { baseUrl: streamBase, playbackId: playback.id } : undefined;
    const downloads = asset.static_renditions.files.flatMap((file) => (isRecord(file) ? (toDownload(file, where) ?? []) : []));
    if (downloads.length > 0) result.downloads = downloads;
  }
  if (Array.isArray(asset.tracks)) {
    const where = playbackBaseUrl !== undefined && playback ? { baseUrl: playbackBaseUrl, playbackId: playback.id } : undefined;
    const captions = asset.tracks.flatMap((track) => (isRecord(track) ? (toCaptionTrack(track, where) ?? []) : []));
    if (captions.length > 0) result.captions = captions;
  }
  if (asset.errors) {
    const type = asset.errors.type ?? "unknown";
    const messages = asset.errors.messages?.length ? asset.errors.messages : ["The video could not be processed."];
    result.errors = messages.map((message) => ({ type, message }));
  }
  return result;
}

/**
 * An asset of a list page, with its creation time; undefined when Mux gave no usable `created_at` (the
 * orphan clean-up cannot tell its age, so it must not see it).
 */
export function toListedAsset(asset: MuxAssetFields, playbackBaseUrl: string | undefined): BackendListedAsset | undefined {
  const createdAt = muxTimeToMs(asset.created_at);
  return createdAt === undefined ? undefined : { ...toVideoAsset(asset, playbackBaseUrl), createdAt };
}

export function toUploadInfo(upload: MuxUploadFields): BackendUploadInfo {
  const status = (uploadStatuses as readonly string[]).includes(upload.status) ? (upload.status as UploadInfoStatus) : "errored";
  const info: UploadInfo & { passthrough?: string } = { uploadId: upload.id, status };
  if (upload.asset_id) info.assetId = upload.asset_id;
  if (upload.error) info.error = { type: upload.error.type ?? "unknown", message: upload.error.message ?? "The upload failed." };
  const passthrough = upload.new_asset_settings?.passthrough;
  if (typeof passthrough === "string") info.passthrough = passthrough;
  const ownerKey = upload.new_asset_settings?.meta?.creator_id;
  return typeof ownerKey === "string" ? { ...info, ownerKey } : info;
}

function readAsset(data: Record<string, unknown>): MuxAssetFields | undefined {
  if (typeof data.id !== "string" || typeof data.status !== "string") return undefined;
  const playbackIds = Array.isArray(data.playback_ids)
    ? data.playback_ids.filter((p): p is { id: string; policy: string } => isRecord(p) && typeof p.id === "string" && typeof p.policy === "string")
    : undefined;
  const errors = isRecord(data.errors)
    ? {
        type: stringOr(data.errors.type) ?? "unknown",
        messages: Array.isArray(data.errors.messages) ? data.errors.messages.filter((m): m is string => typeof m === "string") : [],
      }
    : undefined;
  const asset: MuxAssetFields = { id: data.id, status: data.status };
  if (playbackIds) asset.playback_ids = playbackIds;
  if (typeof data.duration === "number") asset.duration = data.duration;
  const aspectRatio = stringOr(data.aspect_ratio);
  if (aspectRatio) asset.aspect_ratio = aspectRatio;
  const tier = stringOr(data.resolution_tier);
  if (tier) asset.resolution_tier = tier;
  if (errors) asset.errors = errors;
  const uploadId = stringOr(data.upload_id);
  if (uploadId) asset.upload_id = uploadId;
  const passthrough = stringOr(data.passthrough);
  if (passthrough !== undefined) asset.passthrough = passthrough;
  const creatorId = isRecord(data.meta) ? stringOr(data.meta.creator_id) : undefined;
  if (creatorId !== undefined) asset.meta = { creator_id: creatorId };
  if (typeof data.created_at === "number" || typeof data.created_at === "string") asset.created_at = data.created_at;
  if (Array.isArray(data.tracks)) asset.tracks = data.tracks.filter(isRecord);
  return asset;
}

const assetEventTypes = {
  "video.asset.created": "asset.created",
  "video.asset.updated": "asset.updated",
  "video.asset.ready": "asset.ready",
  "video.asset.errored": "asset.errored",
  "video.asset.deleted": "asset.deleted",
} as const;

/** A verified Mux webhook body as the routes' event, or undefined when it is not a Mux event envelope. */
export function toWebhookEvent(body: unknown, playbackBaseUrl: string | undefined): BackendWebhookEvent | undefined {
  if (!isRecord(body) || typeof body.id !== "string" || body.id.length === 0 || typeof body.type !== "string" || !isRecord(body.data)) {
    return undefined;
  }
  const { id, type, data } = body;
  const createdAt = muxTimeToMs(body.created_at) ?? (typeof body.created_at === "string" ? Date.parse(body.created_at) || undefined : undefined);
  const base = createdAt === undefined ? { id } : { id, createdAt };

  if (type in assetEventTypes) {
    const asset = readAsset(data);
    if (!asset) return undefined;
    const assetCreatedAt = muxTimeToMs(asset.created_at);
    return {
      ...base,
      type: assetEventTypes[type as keyof typeof assetEventTypes],
      asset: toVideoAsset(asset, playbackBaseUrl),
      ...(assetCreatedAt === undefined ? {} : { assetCreatedAt }),
    };
  }
  if (type === "video.upload.asset_created" || type === "video.upload.errored" || type === "video.upload.cancelled") {
    if (typeof data.id !== "string") return undefined;
    const settings = isRecord(data.new_asset_settings) ? data.new_asset_settings : {};
    const passthrough = stringOr(settings.passthrough);
    const upload = { uploadId: data.id, ...(passthrough === undefined ? {} : { passthrough }) };
    if (type === "video.upload.asset_created") {
      if (typeof data.asset_id !== "string") return undefined;
      return { ...base, type: "upload.asset_created", ...upload, assetId: data.asset_id };
    }
    return { ...base, type: type === "video.upload.errored" ? "upload.errored" : "upload.cancelled", ...upload };
  }
  return { ...base, type: "other", backendType: type };
}
