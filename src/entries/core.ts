/**
 * `lesson-video-kit/core`: the headless upload engine, its types and the HTTP transport. No React, no
 * Node built-ins: it runs in browsers, Node, Deno and workers. The client entry (`lesson-video-kit`)
 * re-exports the same objects, so a class or type from either entry is the same one.
 *
 * Every name here is chosen by hand; `api/core.api.md` records them, and `npm test` fails when they
 * change without that file.
 */

// Domain types
export type {
  AddCaptionRequest,
  AssetPlaybackPolicy,
  AssetStatus,
  CaptionTrack,
  Chapter,
  CreateUploadRequest,
  GenerateCaptionsRequest,
  GrowingSource,
  ImportFromUrlRequest,
  CreateClipRequest,
  Lesson,
  MaxResolutionTier,
  MuxAsset,
  PlaybackTokens,
  RequestedAssetSettings,
  SendFileOptions,
  SignedPlaybackTokens,
  StaticRenditionResolution,
  TextTrackStatus,
  UploadFileInfo,
  UploadInfo,
  UploadInfoStatus,
  UploadLimits,
  UploadPhase,
  UploadState,
  UploadStateFields,
  IdleUploadState,
  StartingUploadState,
  TransferUploadState,
  PausedUploadState,
  PausedReason,
  CompleteUploadState,
  FailedUploadState,
  UploadTarget,
  VideoQuality,
  VideoAsset,
  VideoDownload,
  VideoDownloadStatus,
  VideoPlayback,
  VideoTransport,
  VideoTrim,
} from "../core/types.js";
export type { InsightsBucket, LessonInsightsData } from "../core/insights.js";

// Errors
export {
  VideoError,
  createVideoError,
  defaultErrorMessages,
  defaultUrlRefusalMessages,
  errorForStatus,
  isVideoError,
  toVideoError,
  videoErrorCodes,
} from "../core/errors.js";
export type { UrlRefusalReason, VideoErrorCode, VideoErrorOptions } from "../core/errors.js";

// The upload engine
export { Subscribable } from "../core/subscribable.js";
export { UploadController } from "../core/upload-controller.js";
export type {
  CancelUploadOptions,
  ExternalSendFile,
  ExternalSendOptions,
  StartUploadOptions,
  UploadControllerOptions,
  UploadStopReason,
} from "../core/upload-controller.js";
// Mux's <mux-uploader> without React: its UpChunk run as an upload controller's sender.
export { createUpChunkBridge, upChunkError } from "../core/upchunk-bridge.js";
export type {
  UpChunkBridge,
  UpChunkBridgeController,
  UpChunkBridgeOptions,
  UpChunkEventName,
  UpChunkHost,
  UpChunkLike,
} from "../core/upchunk-bridge.js";
// The watcher's polling and server-sent-events code loads on first use (see lazy-watcher.ts).
export { LazyAssetWatcher as AssetWatcher } from "../core/lazy-watcher.js";
export type { AssetWatcherOptions, AssetWatchSnapshot, UploadWatchSnapshot } from "../core/asset-watcher.js";
export type { AssetWatcherEngine, AssetWatcherLike, WaitForReadyAssetOptions } from "../core/lazy-watcher.js";
export {
  acceptAttribute,
  defaultAudioExtensions,
  defaultAudioTypes,
  defaultUploadLimits,
  sniffAudioContainer,
  validateVideoFile,
  type AudioContainer,
} from "../core/validation.js";
export { defaultCaptionMaxBytes, defaultCaptionMessages, validateCaptionFile, validateCaptionText } from "../core/captions.js";
export type {
  CaptionErrorDetails,
  CaptionFormat,
  CaptionIssue,
  CaptionProblem,
  CaptionValidationOptions,
  CaptionValidationResult,
} from "../core/captions.js";
export { defaultChapterTitleMaxLength, formatChapterTime, normalizeChapters, parseChapterTime, validateChapters } from "../core/chapters.js";
export type { ChapterIssue, ChapterProblem, ChapterValidationOptions } from "../core/chapters.js";
export {
  defaultTrimMinLengthSeconds,
  effectiveTrim,
  isWholeVideo,
  trimChapters,
  trimCues,
  trimPosterTime,
  trimTime,
  trimmedDuration,
  validateTrim,
} from "../core/trim.js";
export type { TrimIssue, TrimProblem, TrimValidationOptions } from "../core/trim.js";
export type { ValidatableFile } from "../core/validation.js";
export { defaultRetryPolicy } from "../core/retryer.js";
export type { RetryContext, RetryPolicy } from "../core/retryer.js";
export type { OnlineSource } from "../core/online-manager.js";
export type { VisibilitySource } from "../core/visibility-manager.js";
export type { VideoEvent, VideoEventListener, VideoEventType } from "../core/events.js";

// Bytes on the wire: the chunked-PUT sender (for a transport's own `sendFile`) and the HTTP transport
export { sendChunks } from "../core/chunked-sender.js";
// A stream of unknown length for `sendChunks`: keeps the bytes the server has not acknowledged across sends.
export { GrowingSourceReader } from "../core/growing-source.js";
export { createPutSender } from "../core/put-sender.js";
export type { PutSenderOptions, SendFile } from "../core/put-sender.js";
export type { ChunkedSendOptions } from "../core/chunked-sender.js";
export type { ChunkRequest, ChunkRequester, ChunkResponse } from "../core/chunk-requester.js";
export { createHttpTransport } from "../transports/http.js";
export type { HttpTransport, HttpTransportOptions, PlaybackTokenResponse } from "../transports/http.js";

// Resume after a reload
export { createLocalStorageUploadRecordStore, createMemoryUploadRecordStore } from "../core/upload-record-store.js";
export type {
  LocalStorageUploadRecordStoreOptions,
  UploadRecord,
  UploadRecordStore,
  UploadRecordStoreOptions,
} from "../core/upload-record-store.js";
export type { FileFingerprint } from "../core/file-fingerprint.js";

// Many uploads at once: the queue, its manifest for a reload, and the files of a dropped or picked folder
export { UploadQueue } from "../core/upload-queue.js";
export type {
  AddFilesResult,
  QueueFileInput,
  QueueItem,
  QueueItemAdded,
  QueueItemPrepared,
  QueueItemStatus,
  QueueTotals,
  UploadQueueOptions,
  UploadQueueSnapshot,
} from "../core/upload-queue.js";
export { createIndexedDbQueueManifestStore, createMemoryQueueManifestStore } from "../core/queue-manifest.js";
export type {
  FileHandleLike,
  IndexedDbQueueManifestStoreOptions,
  QueueManifestEntry,
  QueueManifestStatus,
  QueueManifestStore,
} from "../core/queue-manifest.js";
export { filesFromDataTransfer, filesFromInput } from "../core/folder-files.js";

// Recording in the browser, uploading while it records
export { MediaRecording, mediaAccessError, pickRecordingMimeType, recordingMimeTypes } from "../core/media-recording.js";
export type { MediaRecordingOptions, RecordingSnapshot, RecordingStatus, RecordingStopReason } from "../core/media-recording.js";
export { AudioLevelMeter, bubbleInCorner, listMediaInputs, openRecordingMedia } from "../core/recording-media.js";
export type { CameraBubble, CameraBubbleCorner, OpenRecordingMediaOptions, RecordingMedia, RecordingSourceKind } from "../core/recording-media.js";
export { createIndexedDbRecordingStore } from "../core/recording-store.js";
export type { IndexedDbRecordingStoreOptions, RecordingStore, StoredRecording, StoredRecordingInfo } from "../core/recording-store.js";

// The learner's side: progress, completion, the transcript
export { WatchProgress, mergeWatchedRanges, watchedSecondsOf } from "../core/watch-progress.js";
export type { LessonProgress, ProgressTransport, ProgressUpdate, WatchProgressOptions, WatchProgressSnapshot, WatchedMedia, WatchedRange } from "../core/watch-progress.js";
export { cueIndexAt, cueText, searchTranscript, transcriptFromTextTrack, transcriptFromVtt } from "../core/transcript.js";
export type { TranscriptCue } from "../core/transcript.js";
