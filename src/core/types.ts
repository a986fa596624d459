import type { ProgressTransport } from "./watch-progress.js";
/**
 * Public domain types of lesson-video-kit. `MuxAsset`, `UploadState` and `Lesson` are stable names: they
 * gain fields, never lose them.
 */
import type { VideoError } from "./errors.js";

/** Asset status as Mux reports it. */
export type AssetStatus = "preparing" | "ready" | "errored";

/** A Mux asset as the client sees it: id, status and the playback id once it has one. */
export interface MuxAsset {
  id: string;
  status: AssetStatus;
  playbackId?: string | undefined;
  errors?: Array<{ type: string; message: string }> | undefined;
}

/** Where and how the player finds an asset's media; filled by non-Mux backends and the emulator. */
export interface VideoPlayback {
  /** Direct media URL (MP4/WebM/HLS). Mux builds it from the playback id when absent. */
  src?: string | undefined;
  /** Poster image URL. */
  poster?: string | undefined;
  /** Storyboard VTT URL for hover previews. */
  storyboardSrc?: string | undefined;
  /**
   * MIME type of `src` (e.g. `"video/mp4"`, `"application/x-mpegURL"`), for URLs whose type the player
   * cannot tell from an extension (the emulator's `/…/play`, signed storage URLs). Passed to the player.
   */
  type?: string | undefined;
  /** Playback policy of `playbackId`. */
  policy?: "public" | "signed" | undefined;
  /** Signed tokens for `signed` playback ids, as `@mux/mux-player-react` wants them. */
  tokens?: PlaybackTokens | undefined;
  /**
   * How a `VideoPlayer` with a `trim` clips `src`: `"query"` adds Mux's `asset_start_time`/`asset_end_time`
   * query parameters (the kit's emulator and Mux-shaped stream URLs honour them), `"fragment"` a media fragment
   * `#t=start,end` (any other server). Default: `"query"` for `…/stream/<id>.mp4|.webm|.m3u8` URLs, else `"fragment"`.
   */
  clipping?: "query" | "fragment" | undefined;
}

/** All three tokens, as a signing backend returns them. */
export type SignedPlaybackTokens = { [K in keyof PlaybackTokens]-?: string };

/** Signed JWTs for a `signed` playback id, one per kind of request the player makes. */
export interface PlaybackTokens {
  playback?: string | undefined;
  thumbnail?: string | undefined;
  storyboard?: string | undefined;
}

/** A video asset: `MuxAsset` plus what a player and a page need. */
export interface VideoAsset extends MuxAsset {
  playback?: VideoPlayback | undefined;
  /** Duration in seconds, once known. */
  duration?: number | undefined;
  /** Aspect ratio as Mux writes it, e.g. `"16:9"`. */
  aspectRatio?: string | undefined;
  /** Upload that created this asset. */
  uploadId?: string | undefined;
  /** Host data carried through the backend (the lesson id by default). */
  passthrough?: string | undefined;
  /** Caption/subtitle tracks the backend reports (absent when the backend has no tracks). */
  captions?: CaptionTrack[] | undefined;
  /** True for an asset with sound and no picture (an uploaded audio file; Mux `resolution_tier: "audio-only"`). */
  audioOnly?: boolean | undefined;
}

/** Status of a text track as the backend reports it. */
export type TextTrackStatus = "preparing" | "ready" | "errored";

/** A caption/subtitle track of an asset (Mux: a `text` track with `text_type: "subtitles"`). */
export interface CaptionTrack {
  id: string;
  /** BCP 47 language code, e.g. "en", "pt-BR". */
  languageCode: string;
  /** Label viewers see in the player menu. */
  name: string;
  /** True for closed captions (sound descriptions included), false for subtitles. */
  closedCaptions: boolean;
  status: TextTrackStatus;
  /** Where the text came from: a file the creator added, or the backend's speech recognition. */
  source: "uploaded" | "generated";
  error?: { type: string; message: string } | undefined;
  /**
   * WebVTT URL of a `ready` track, for players given a direct `src` (the emulator, non-Mux backends) that
   * need a `<track>` element; absent for real Mux, whose HLS manifest lists the tracks. On a signed
   * playback id it carries `?token=` like `playback.src`.
   */
  src?: string | undefined;
}

/**
 * A caption file to attach to an asset (checked in the browser first, see validateCaptionFile).
 *
 * @example
 * ```ts
 * await transport.addCaption?.(assetId, { file, fileName: file.name, languageCode: "en", closedCaptions: true }, { signal });
 * ```
 */
export interface AddCaptionRequest {
  /** WebVTT or SRT text. */
  file: Blob;
  fileName: string;
  /** BCP 47 language code, e.g. "en", "pt-BR". */
  languageCode: string;
  /** Label viewers see; defaults to the language's name. */
  name?: string | undefined;
  closedCaptions: boolean;
}

/** Ask the backend to generate captions from the audio. */
export interface GenerateCaptionsRequest {
  /** BCP 47 language code of the spoken audio, e.g. "en". */
  languageCode: string;
  /** Label viewers see; defaults to the language's name plus "(generated)". */
  name?: string | undefined;
}

/** A chapter of a lesson video. */
export interface Chapter {
  /** Start in seconds from the beginning. */
  startTime: number;
  title: string;
}

/**
 * The part of a lesson video learners see (seconds into the uploaded video): playback starts at `startTime`
 * and ends at `endTime`, without re-uploading (Mux's instant clipping, `asset_start_time`/`asset_end_time`).
 */
export interface VideoTrim {
  /** Start in seconds from the beginning of the uploaded video; 0 or more. */
  startTime: number;
  /** End in seconds from the beginning of the uploaded video; after `startTime`. */
  endTime: number;
}

/** Where an upload is in its lifecycle (`UploadState.status`): the five steps users know, plus the finer ones the engine tracks. */
export type UploadPhase =
  | "idle"
  | "validating"
  | "requesting"
  | "uploading"
  | "paused"
  | "processing"
  | "complete"
  | "error";

/** Why an upload is paused: `user` (pause()), `offline` (resumes by itself when back online) or `disposed` (its page or provider went away; `resume()` continues from the committed byte). */
export type PausedReason = "user" | "offline" | "disposed";

/** What every `UploadState` has, whatever its `status`. */
export interface UploadStateFields {
  /** Percent of bytes the server has acknowledged or received, 0–100. */
  progress: number;
  /** Bytes sent so far. */
  bytesSent: number;
  /**
   * Size of the file in bytes (0 before a file is chosen). For a source of unknown length (a `GrowingSource`)
   * while `totalUnknown` is true: the bytes read from it so far.
   */
  totalBytes: number;
  /**
   * True while the source is a stream that has not ended (a `GrowingSource`): `totalBytes` is then only what
   * is known so far, `progress` stays 0 and there is no `eta`; show bytes sent with no percent. False or absent
   * once the total is known.
   */
  totalUnknown?: boolean | undefined;
  /** Smoothed upload speed in bytes per second (0 when unknown). */
  speed: number;
  /** Estimated seconds left (undefined when unknown). */
  eta?: number | undefined;
  /** 1 for the first try; grows with every retry of the current upload. */
  attempt: number;
  /** The file being uploaded. */
  file?: UploadFileInfo | undefined;
  /** Upload id from the backend, once created. */
  uploadId?: string | undefined;
  /** Asset id, once the backend created one. */
  assetId?: string | undefined;
  /** The asset while it processes (`preparing`) and once `complete` (`ready`). */
  asset?: VideoAsset | undefined;
  /** Set only in the `error` state. */
  error?: undefined;
  /** Set only in the `paused` state. */
  pausedReason?: undefined;
}

/** No upload: before the first file, after `cancel()`. */
export interface IdleUploadState extends UploadStateFields {
  status: "idle";
}

/** A file is being checked (`validating`) or the backend asked for an upload (`requesting`). */
export interface StartingUploadState extends UploadStateFields {
  status: "validating" | "requesting";
  file: UploadFileInfo;
}

/** Bytes are moving (`uploading`), or the backend has them all and makes the asset (`processing`). */
export interface TransferUploadState extends UploadStateFields {
  status: "uploading" | "processing";
  file: UploadFileInfo;
  uploadId: string;
}

/** The transfer stopped and keeps its committed bytes; `pausedReason` says why. */
export interface PausedUploadState extends Omit<UploadStateFields, "pausedReason"> {
  status: "paused";
  file: UploadFileInfo;
  uploadId: string;
  pausedReason: PausedReason;
}

/** The asset is ready to play. */
export interface CompleteUploadState extends UploadStateFields {
  status: "complete";
  file: UploadFileInfo;
  uploadId: string;
  assetId: string;
  asset: VideoAsset;
}

/** The run failed; `error.retryable` says whether `retry()` can continue it. */
export interface FailedUploadState extends Omit<UploadStateFields, "error"> {
  status: "error";
  error: VideoError;
}

/**
 * Snapshot of one upload, as components render it: a union keyed on `status`, so checking the status narrows
 * to what that state has (`complete` has its `asset`, `error` its `error`, `paused` its `pausedReason`).
 */
export type UploadState =
  | IdleUploadState
  | StartingUploadState
  | TransferUploadState
  | PausedUploadState
  | CompleteUploadState
  | FailedUploadState;

/** A lesson as an app stores it (the reference SQL in `sql/` has these columns). */
export interface Lesson {
  id: string;
  title: string;
  description: string;
  muxAssetId?: string | undefined;
  muxPlaybackId?: string | undefined;
  videoStatus: "pending" | "processing" | "ready" | "error";
  creatorId: string;
  /** Publication state; drafts are visible to their creator and purchasers only. */
  status?: "draft" | "published" | undefined;
  /** Poster frame: seconds into the video of the frame that represents the lesson (column `thumbnail_time`). */
  thumbnailTime?: number | undefined;
  /** Chapters, ordered by start time (column `chapters`, a JSON array). */
  chapters?: Chapter[] | undefined;
  /** Turn the first caption track on when the player loads (column `captions_on_by_default`). Default false. */
  captionsOnByDefault?: boolean | undefined;
  /** The part of the video learners see (columns `trim_start_time` and `trim_end_time`); absent: all of it. */
  trim?: VideoTrim | undefined;
}

/** What a transport returns when it creates an upload. */
export interface UploadTarget {
  uploadId: string;
  /** URL the bytes go to (a Mux direct-upload URL or an equivalent). */
  url: string;
  /** Extra headers the sender adds to every byte request. */
  headers?: Record<string, string> | undefined;
  /** Chunk size the backend prefers, in bytes (multiple of 256 KiB). */
  chunkSize?: number | undefined;
  /** When the upload URL stops working (ms since epoch), if known. */
  expiresAt?: number | undefined;
}

/** Upload status as Mux reports it. */
export type UploadInfoStatus = "waiting" | "asset_created" | "errored" | "cancelled" | "timed_out";

export interface UploadInfo {
  uploadId: string;
  status: UploadInfoStatus;
  assetId?: string | undefined;
  error?: { type: string; message: string } | undefined;
}

/** File metadata sent when creating an upload; never the bytes. */
export interface UploadFileInfo {
  name: string;
  /** Bytes; 0 for a source of unknown length (see `maxSize`). */
  size: number;
  type: string;
  /**
   * Set only for a source of unknown length (a `GrowingSource`): the most bytes it may reach. The server checks
   * it against its size limit and reserves quota for it in place of `size`; the sender fails with
   * `file_too_large` rather than send more.
   */
  maxSize?: number | undefined;
}

/**
 * A source of unknown length: bytes still being produced (a recording, a transcoder's output), sent as they
 * come with `Content-Range: bytes a-b/*` until the stream ends. `UploadController.start` takes it like a file.
 *
 * @example
 * ```ts
 * const recorder = new MediaRecorder(cameraStream, { mimeType: "video/webm" });
 * const stream = new ReadableStream<Uint8Array>({
 *   start(controller) {
 *     recorder.ondataavailable = async (e) => controller.enqueue(new Uint8Array(await e.data.arrayBuffer()));
 *     recorder.onstop = () => controller.close();
 *     recorder.start(1000);
 *   },
 * });
 * controller.start({ stream, name: "lesson.webm", type: "video/webm" });
 * ```
 */
export interface GrowingSource {
  /** The bytes, read once: the engine keeps the ones the server has not acknowledged (one chunk at most). */
  stream: ReadableStream<Uint8Array>;
  /** File name; its extension is checked like a file's. */
  name: string;
  /** MIME type, checked like a file's declared type. */
  type: string;
  /** The most bytes the stream may produce (server size check and quota). Default: the `maxFileSize` limit. */
  maxSize?: number | undefined;
}

export interface CreateUploadRequest {
  file: UploadFileInfo;
  lessonId?: string | undefined;
  /** Captions to generate from the audio once the asset exists (Mux `new_asset_settings.inputs[0].generated_subtitles`). */
  generatedCaptions?: GenerateCaptionsRequest[] | undefined;
  /**
   * Asset settings the client asks for. The server decides (its `assetSettings` hook): a request it does not
   * grant is refused with a 403 `forbidden` whose `details.setting` names the setting, never silently changed.
   */
  requested?: RequestedAssetSettings | undefined;
}

/** Where a download (a static rendition) is: made once the asset is ready, or never (`skipped`, `errored`). */
export type VideoDownloadStatus = "preparing" | "ready" | "skipped" | "errored";

/**
 * A downloadable file of an asset (a Mux static rendition), as `GET /assets/:id/downloads` lists it: an MP4 of the
 * video or an M4A of its audio.
 */
export interface VideoDownload {
  /** File name, e.g. `highest.mp4`, `720p.mp4`, `audio.m4a`. */
  name: string;
  /** `video` (MP4, picture and sound) or `audio` (M4A, sound only). */
  kind: "video" | "audio";
  /** The rendition asked for. */
  resolution: StaticRenditionResolution;
  status: VideoDownloadStatus;
  /** Where to download it; present only when `ready`, with a playback token for signed playback (it expires). */
  url?: string | undefined;
  /** Picture size of a `video` file, once made. */
  width?: number | undefined;
  height?: number | undefined;
  /** Bytes, once made. */
  size?: number | undefined;
}

/** Mux's `video_quality`: cost, quality and features of an asset. */
export type VideoQuality = "basic" | "plus" | "premium";

/** Mux's `max_resolution_tier`: the largest resolution an asset is stored and played at. */
export type MaxResolutionTier = "1080p" | "1440p" | "2160p";

/**
 * A static rendition (a downloadable file) of an asset: `highest` (an MP4 at the asset's resolution),
 * `audio-only` (an M4A of its audio) or an MP4 of at most that height.
 */
export type StaticRenditionResolution = "highest" | "audio-only" | "2160p" | "1440p" | "1080p" | "720p" | "540p" | "480p" | "360p" | "270p";

/**
 * Who may play an asset: `public` for anyone with its playback id, `signed` only with tokens the server hands
 * out, `drm` with tokens and DRM licences (Mux DRM; needs a DRM configuration on the server).
 */
export type AssetPlaybackPolicy = "public" | "signed" | "drm";

/**
 * What a client may ask of a new asset (`requested` of `POST /uploads` and `POST /assets`). Each field is a
 * request: the server's `assetSettings` hook decides, and a request the decision does not contain is refused.
 */
export interface RequestedAssetSettings {
  /** Who may play the asset. */
  playbackPolicy?: AssetPlaybackPolicy | undefined;
  /** Mux's `video_quality`. */
  videoQuality?: VideoQuality | undefined;
  /** Mux's `max_resolution_tier`. */
  maxResolutionTier?: MaxResolutionTier | undefined;
  /** Downloadable files to make (at most 10, no repeats); granted when every one is in the decision. */
  staticRenditions?: StaticRenditionResolution[] | undefined;
}

export interface SendFileOptions {
  signal: AbortSignal;
  /** Called with the bytes the backend has so far; a plain function, safe to pass on as it is. */
  onProgress: (sentBytes: number) => void;
  resumeFrom?: number | undefined;
}

/**
 * The contract between components and a video backend. Implement it to plug in S3, GCS, tus or an
 * internal service; every component keeps working.
 */
export interface VideoTransport {
  createUpload(req: CreateUploadRequest, opts: { signal: AbortSignal }): Promise<UploadTarget>;
  /** Send the bytes yourself; without it core uses the chunked-PUT protocol of Mux direct uploads. */
  sendFile?: ((file: Blob, target: UploadTarget, opts: SendFileOptions) => Promise<void>) | undefined;
  getUpload(uploadId: string, opts: { signal: AbortSignal }): Promise<UploadInfo>;
  getAsset(assetId: string, opts: { signal: AbortSignal }): Promise<VideoAsset>;
  /**
   * Push updates instead of polling. Returns an unsubscribe function. `onError` (optional, added after
   * the first contract) reports that the push channel failed; the watcher then polls `getAsset`.
   */
  watchAsset?:
    | ((assetId: string, onChange: (asset: VideoAsset) => void, onError?: (error: VideoError) => void) => () => void)
    | undefined;
  /** Stop an upload whose bytes are still on their way, so its URL takes no more; an upload that became an asset is kept. */
  cancelUpload?: ((uploadId: string) => Promise<void>) | undefined;
  /**
   * Drop an upload the user abandoned **and the asset it already made**, if any: cancel it while it is still
   * sending, delete its asset once it became one. Called only by `UploadController.cancel({ discardAsset: true })`
   * (a recording taken again), never by a plain cancel, so a video a lesson keeps is not deleted by taking it off a
   * form. Resolve once the backend has dropped it; an upload with nothing left to drop resolves too. Optional:
   * without it such a cancel stops an upload still sending with `cancelUpload` and leaves a made asset where it is.
   */
  discardUpload?: ((uploadId: string) => Promise<void>) | undefined;
  /** Caption tracks of an asset. Optional: a transport without the caption methods hides the captions UI. */
  listCaptions?: ((assetId: string, opts: { signal: AbortSignal }) => Promise<CaptionTrack[]>) | undefined;
  /** Attach a caption file; the returned track is usually `preparing`. */
  addCaption?: ((assetId: string, req: AddCaptionRequest, opts: { signal: AbortSignal }) => Promise<CaptionTrack>) | undefined;
  /** Remove a caption track. */
  removeCaption?: ((assetId: string, trackId: string, opts: { signal: AbortSignal }) => Promise<void>) | undefined;
  /**
   * The asset's downloadable files (`GET /assets/:id/downloads`): each with its status, and a URL once ready.
   * Optional: without it, offer no downloads. An asset the user may not download answers `not_found`.
   */
  getDownloads?: ((assetId: string, opts: { signal: AbortSignal }) => Promise<VideoDownload[]>) | undefined;
  /** Ask the backend to generate captions from the asset's audio; the returned track is `preparing`. */
  generateCaptions?: ((assetId: string, req: GenerateCaptionsRequest, opts: { signal: AbortSignal }) => Promise<CaptionTrack>) | undefined;
  /**
   * Create an asset from a video at a link (the backend downloads it). Resolves with the new asset, usually
   * `preparing`; watch it with `getAsset`/`watchAsset` as for an upload. A link the server will not fetch
   * rejects with `url_refused` (`details.reason`, a `UrlRefusalReason`); a source the backend cannot
   * download or decode ends as an `errored` asset. Optional: without it, hide "Import from a link".
   */
  /**
   * Make a new asset holding only `startTime`–`endTime` of a ready asset (Mux's frame-accurate clip, `POST
   * /assets/:id/clips`). Resolves with the new asset, usually `preparing`; the source stays as it is. Only the
   * asset's owner may (anyone else gets `not_found`). Optional: without it, `TrimEditor` offers no "Save as a new
   * video".
   */
  createClip?: ((assetId: string, req: CreateClipRequest, opts: { signal: AbortSignal }) => Promise<VideoAsset>) | undefined;
  importFromUrl?: ((req: ImportFromUrlRequest, opts: { signal: AbortSignal }) => Promise<VideoAsset>) | undefined;
  /**
   * The signed-in learner's progress in a lesson (`GET /progress/:lessonId`). Optional: without the progress calls,
   * `LessonPlayer` offers no "Resume at" and keeps progress in memory only.
   */
  getProgress?: ProgressTransport["getProgress"] | undefined;
  /** Merges a learner's progress into the saved one and returns the result (`POST /progress/:lessonId`). */
  saveProgress?: ProgressTransport["saveProgress"] | undefined;
}

/** What `VideoTransport.importFromUrl` sends: the link and the lesson the video is for. */
export interface ImportFromUrlRequest {
  /** An `http:` or `https:` link to a video file. */
  url: string;
  /** The lesson the video is for, as on `CreateUploadRequest`. */
  lessonId?: string | undefined;
  /** Asset settings the client asks for, as on `CreateUploadRequest`. */
  requested?: RequestedAssetSettings | undefined;
}

/** What `VideoTransport.createClip` asks for: the part of a ready asset to keep, in seconds of that asset. */
export interface CreateClipRequest extends VideoTrim {
  /** Asset settings the client asks for, as on `CreateUploadRequest`. */
  requested?: RequestedAssetSettings | undefined;
}

/** Client-side limits checked before any request. */
export interface UploadLimits {
  /** Largest file accepted, in bytes. Default 5 GB (5,000,000,000 bytes). */
  maxFileSize: number;
  /** Allowed MIME types (declared type). Default common video types. */
  allowedTypes: readonly string[];
  /** Allowed extensions, lower case with dot. */
  allowedExtensions: readonly string[];
  /**
   * Accept audio files too, for audio-only lessons: `defaultAudioTypes` and `defaultAudioExtensions` join the allowed
   * ones, and the first bytes may be an audio container (MP3, M4A/AAC, WAV, FLAC, Ogg, AIFF). Default false. The
   * server's routes decide again (their own `audio` option).
   */
  audio?: boolean | undefined;
}
