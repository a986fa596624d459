/** `lesson-video-kit/server`: route handlers, the Mux backend, webhook and token helpers. Node and edge. */
export type {
  VideoAsset,
  UploadInfo,
  UploadTarget,
  CaptionTrack,
  Chapter,
  GenerateCaptionsRequest,
  ImportFromUrlRequest,
  AssetPlaybackPolicy,
  MaxResolutionTier,
  RequestedAssetSettings,
  StaticRenditionResolution,
  VideoQuality,
  VideoDownload,
  VideoDownloadStatus,
  VideoTrim,
} from "../core/types.js";
// The same class the routes check, for hosts that throw from authorize or a backend.
export { VideoError, isVideoError } from "../core/errors.js";
export type { UrlRefusalReason, VideoErrorCode } from "../core/errors.js";
export { createVideoRoutes } from "./routes.js";
export type {
  AssetAccessRequest,
  AssetDiscardRequest,
  AssetSettings,
  AssetSettingsRequest,
  CaptionRouteOptions,
  EventStreamOptions,
  ImportRouteOptions,
  ProgressRouteOptions,
  RouteContext,
  UploadAccessRequest,
  VideoRouteHandler,
  VideoRoutesOptions,
  VideoUser,
} from "./routes.js";
export { toNodeHandler } from "./node-handler.js";
export type { NodeHandlerOptions, FetchHandler, NextFunction } from "./node-handler.js";
export type {
  BackendAddCaptionInput,
  BackendAsset,
  BackendAssetSettings,
  BackendCreateAssetFromUrlInput,
  BackendCreateClipInput,
  VideoBackend,
  BackendCreateUploadInput,
  BackendUpload,
  BackendUploadInfo,
  BackendWebhookEvent,
  PlaybackPolicy,
  SignedPlayback,
  WebhookVerification,
} from "./backend.js";
export { createMuxBackend, MissingMuxCredentialsError } from "./backends/mux.js";
export type { MuxBackendOptions } from "./backends/mux.js";
export type { MuxBackend } from "./backends/mux.js";
export type { BackendListedAsset } from "./backend.js";
export { verifyMuxSignature, signMuxWebhook, defaultWebhookToleranceSeconds } from "./webhooks.js";
export type { SignatureCheck, VerifyMuxSignatureInput } from "./webhooks.js";
export { signPlaybackTokens, withPlaybackTokens, defaultTokenExpiresInSeconds } from "./playback-tokens.js";
export type { SigningKey } from "./playback-tokens.js";
export type { WebhookHooks, WebhookRouteOptions, UploadAssetCreatedInfo, AssetReadyInfo, AssetErroredInfo } from "./webhook-route.js";
export { createMemoryCounterStore } from "./counter-store.js";
export type { CounterStore, CounterValue, MemoryCounterStoreOptions } from "./counter-store.js";
export { defaultRateLimits } from "./rate-limit.js";
export type { RateLimitOptions, RateLimitRule } from "./rate-limit.js";
export type { QuotaOptions } from "./quota.js";
export type { CorsOptions } from "./cors.js";
export { defaultServerUploadLimits } from "./validation.js";
export { createMemoryCaptionFileStore } from "./caption-files.js";
export type { CaptionFileStore, MemoryCaptionFileStoreOptions, StoredCaptionFile } from "./caption-files.js";
export { parseCaptionText } from "./caption-format.js";
export type { CaptionFormatProblem, CaptionParseResult } from "./caption-format.js";
export type { ServerUploadLimits } from "./validation.js";
export type { AssetCacheOptions } from "./asset-cache.js";
export type { AssetChange, AssetEventBus, SharedAssetEntry, SharedAssetStore, SharedAssetWrite } from "./asset-cache.js";
export type { MalformedRequestReason, ServerVideoEvent, ServerVideoEventType, ServerVideoEventListener, WebhookRejectionReason } from "./events.js";
export type { ErrorBody, VideoRoutesConfigProblem } from "./errors.js";
export { VideoRoutesConfigError } from "./errors.js";
export { reconcileUpload } from "./reconcile-upload.js";
export type { ReconcileUploadOptions, UploadReconciliation } from "./reconcile-upload.js";
export { findOrphanAssets, deleteOrphanAssets, isRoutesUploadAsset, defaultOrphanGraceMs } from "./orphans.js";
export type {
  OrphanAsset,
  FindOrphanAssetsOptions,
  DeleteOrphanAssetsOptions,
  OrphanCleanupReport,
  OrphanKeptReason,
} from "./orphans.js";
export { createSqlProgressStore } from "./progress-sql.js";
export type { ProgressSqlQuery, SqlProgressStoreOptions } from "./progress-sql.js";
export { createMemoryProgressStore } from "./progress-memory.js";
export type { MemoryProgressStoreOptions } from "./progress-memory.js";
export { defaultCompletionThreshold, mergeWatchedRanges } from "./progress.js";
export type {
  InsightsBucket,
  LessonInsightsData,
  LessonProgress,
  ProgressKey,
  ProgressLesson,
  ProgressMergeResult,
  ProgressStore,
  ProgressUpdate,
  WatchedRange,
} from "./progress.js";
