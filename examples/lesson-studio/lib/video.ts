/**
 * The video backend on the server: real Mux with MUX_TOKEN_ID, the local emulator otherwise. Pages use it
 * to read an asset's playback (src, poster, tokens); saves use it so video fields come from the backend.
 */
import type { VideoAsset } from "lesson-video-kit/core";
import { createMuxBackend } from "lesson-video-kit/server";
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
    holder[backendKey] = createMuxBackend({
      tokenId: settings.tokenId,
      tokenSecret: settings.tokenSecret,
      webhookSecret: settings.webhookSecret,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      ...(settings.signingKeyId && settings.signingPrivateKey
        ? { signingKey: { id: settings.signingKeyId, privateKey: settings.signingPrivateKey } }
        : {}),
    });
  }
  return holder[backendKey];
}

export function lessonVideoStatus(asset: VideoAsset): LessonVideo["videoStatus"] {
  if (asset.status === "ready") return "ready";
  if (asset.status === "errored") return "error";
  return "processing";
}

/** What a lesson row records about an asset, as the backend reports it now. */
export async function videoFieldsForAsset(assetId: string): Promise<LessonVideo> {
  const asset = await videoBackend().getAsset(assetId);
  return {
    muxAssetId: asset.id,
    muxPlaybackId: asset.playbackId ?? null,
    videoStatus: lessonVideoStatus(asset),
  };
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
    const signed = await backend.signPlayback(asset.playbackId, { expiresInSeconds: 6 * 60 * 60 });
    return { ...asset, playback: { ...asset.playback, tokens: signed.tokens } };
  }
  return asset;
}

/** A still for lesson cards, without a backend round trip; undefined for signed playback (needs a token). */
export function posterUrl(playbackId: string | undefined, width = 640): string | undefined {
  if (!playbackId) return undefined;
  const settings = muxSettings();
  if (settings.playbackPolicy === "signed") return undefined;
  const image =
    settings.mode === "mux" ? `https://image.mux.com/${playbackId}` : `${settings.baseUrl}/image/${playbackId}`;
  return `${image}/thumbnail.jpg?width=${width}`;
}
