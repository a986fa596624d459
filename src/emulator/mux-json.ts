/** Turns emulator records into the JSON objects Mux answers with (field names as in `@mux/mux-node`). */
import { aspectRatio } from "./probe.js";
import type { AssetRecord, MuxAssetJson, MuxTrackJson, MuxUploadJson, TextTrackRecord, UploadRecord } from "./types.js";

export function uploadJson(upload: UploadRecord, baseUrl: string): MuxUploadJson {
  return {
    id: upload.id,
    // Mux returns the URL in every state; once the upload is no longer waiting it answers 200 (complete) or 410.
    url: `${baseUrl}/upload/${upload.id}`,
    status: upload.status,
    timeout: upload.timeout,
    cors_origin: upload.cors_origin,
    new_asset_settings: upload.new_asset_settings,
    ...(upload.test ? { test: true } : {}),
    ...(upload.asset_id ? { asset_id: upload.asset_id } : {}),
    ...(upload.error ? { error: upload.error } : {}),
  };
}

const tierOrder = ["720p", "1080p", "1440p", "2160p"];

/** Mux's `resolution_tier` of a picture `height` px high, at most `maxTier` (the asset's `max_resolution_tier`). */
export function resolutionTier(height: number | undefined, maxTier = "1080p"): string | undefined {
  if (height === undefined) return undefined;
  const tier = height > 1440 ? "2160p" : height > 1080 ? "1440p" : height > 720 ? "1080p" : "720p";
  return tierOrder.indexOf(tier) > tierOrder.indexOf(maxTier) ? maxTier : tier;
}

const encodingTiers: Readonly<Record<string, MuxAssetJson["encoding_tier"]>> = { basic: "baseline", plus: "smart", premium: "premium" };

function storedResolution(height: number | undefined): string | undefined {
  if (height === undefined) return undefined;
  if (height > 1440) return "UHD";
  if (height > 1080) return "FHD";
  if (height > 720) return "HD";
  return "SD";
}

/** Id of an asset's primary audio track (the one `generate-subtitles` is called on). */
export const audioTrackId = (asset: AssetRecord): string => `${asset.id.slice(0, 16)}A`;

function textTrackJson(track: TextTrackRecord): MuxTrackJson {
  return {
    id: track.id,
    type: "text",
    text_type: track.text_type,
    text_source: track.text_source,
    language_code: track.language_code,
    name: track.name,
    closed_captions: track.closed_captions,
    status: track.status,
    ...(track.passthrough === undefined ? {} : { passthrough: track.passthrough }),
    ...(track.error ? { error: track.error } : {}),
  };
}
export { textTrackJson };

function tracks(asset: AssetRecord): MuxTrackJson[] {
  const media = asset.media;
  if (!media) return [];
  const list: MuxTrackJson[] = [];
  if (media.hasVideo) {
    list.push({
      id: `${asset.id.slice(0, 16)}V`,
      type: "video",
      ...(media.duration !== undefined ? { duration: media.duration } : {}),
      ...(media.width !== undefined ? { max_width: media.width, max_height: media.height } : {}),
      ...(media.frameRate !== undefined ? { max_frame_rate: media.frameRate } : {}),
    });
  }
  if (media.hasAudio) {
    list.push({
      id: audioTrackId(asset),
      type: "audio",
      ...(media.duration !== undefined ? { duration: media.duration } : {}),
      ...(media.audioChannels !== undefined ? { max_channels: media.audioChannels } : {}),
      primary: true,
    });
  }
  for (const track of asset.text_tracks ?? []) list.push(textTrackJson(track));
  return list;
}

export function assetJson(asset: AssetRecord): MuxAssetJson {
  const media = asset.status === "ready" ? asset.media : undefined;
  const json: MuxAssetJson = {
    id: asset.id,
    created_at: String(Math.floor(asset.createdAt / 1000)),
    status: asset.status,
    playback_ids: asset.playback_ids.map((p) => ({ ...p })),
    encoding_tier: encodingTiers[asset.video_quality ?? "basic"] ?? "baseline",
    video_quality: asset.video_quality ?? "basic",
    master_access: "none",
    max_resolution_tier: asset.max_resolution_tier ?? "1080p",
    mp4_support: "none",
    progress:
      asset.status === "ready"
        ? { state: "completed", progress: 100 }
        : asset.status === "errored"
          ? { state: "errored", progress: -1 }
          : { state: "ingesting", progress: 0 },
    ingest_type: asset.clip ? "on_demand_clip" : asset.input_url === undefined ? "on_demand_direct_upload" : "on_demand_url",
    ...(asset.clip ? { source_asset_id: asset.clip.source_asset_id } : {}),
    ...(asset.upload_id ? { upload_id: asset.upload_id } : {}),
    ...(asset.passthrough !== undefined ? { passthrough: asset.passthrough } : {}),
    ...(asset.meta ? { meta: asset.meta } : {}),
    ...(asset.test ? { test: true } : {}),
    ...(asset.errors ? { errors: asset.errors } : {}),
    ...(asset.static_renditions && asset.static_renditions.length > 0 ? { static_renditions: { files: asset.static_renditions.map((file) => ({ ...file })) } } : {}),
  };
  if (media) {
    if (media.duration !== undefined) json.duration = media.duration;
    if (media.width && media.height) {
      json.aspect_ratio = aspectRatio(media.width, media.height);
      json.resolution_tier = resolutionTier(media.height, asset.max_resolution_tier);
      json.max_stored_resolution = storedResolution(media.height);
    } else if (!media.hasVideo) {
      json.resolution_tier = "audio-only";
      json.max_stored_resolution = "Audio only";
    }
    if (media.frameRate !== undefined) json.max_stored_frame_rate = media.frameRate;
    json.tracks = tracks(asset);
  }
  return json;
}

/** Asset data as webhooks carry it: like the API object, but `created_at` is a number (unix seconds). */
export function assetWebhookData(asset: AssetRecord): Omit<MuxAssetJson, "created_at"> & { created_at: number } {
  return { ...assetJson(asset), created_at: Math.floor(asset.createdAt / 1000) };
}
