/**
 * `lesson-video-kit/emulator`: a local stand-in for the parts of Mux a lesson app uses, which the real
 * `@mux/mux-node` client, `@mux/upchunk` and `@mux/mux-player-react` work against unchanged.
 */
export { startMuxEmulator, DEFAULT_TOKEN_ID, DEFAULT_TOKEN_SECRET, DEFAULT_WEBHOOK_SECRET } from "./server.js";
export { signWebhookBody } from "./webhooks.js";
export { UPLOAD_SIZE_CAP_HEADER } from "./upload-size-cap.js";
export type { WebhookAttempt, WebhookEnvelope, WebhookEventType } from "./webhooks.js";
export type {
  AssetStatus,
  EmulatorFaults,
  EmulatorSigningKey,
  EmulatorTools,
  GeneratedSubtitleSettings,
  MuxEmulator,
  MuxEmulatorOptions,
  MuxAssetJson,
  MuxUploadJson,
  MuxTrackJson,
  MuxUploadStatus,
  NewAssetSettings,
  PlaybackIdRecord,
  PlaybackPolicy,
  TextTrackStatus,
  ThumbnailLimits,
} from "./types.js";
export type { VideoAsset } from "../core/types.js";
