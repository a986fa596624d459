/**
 * Types of the local Mux emulator: its options, the records it keeps, and the JSON shapes it answers with
 * (Mux's own field names, as `@mux/mux-node` 15 declares them).
 */

/** Mux's playback policy: `public` ids play for anyone, `signed` ones only with a signed token. */
export type PlaybackPolicy = "public" | "signed";

/** Fault knobs for tests. Every knob is optional; an empty object means "behave normally". */
export interface EmulatorFaults {
  /**
   * Fail the Nth byte request (1-based, counted across all uploads since the knob was set) with `status`.
   * With `retryAfter` the answer carries `Retry-After: <seconds>`; with `uploadId` only that upload's requests
   * count (so parallel tests do not trip each other). Applied once.
   */
  failChunk?:
    | {
        /** Which byte request fails, 1-based. */
        n: number;
        /** HTTP status it answers with, e.g. 503. */
        status: number;
        /** Seconds sent as `Retry-After`. Default: no header. */
        retryAfter?: number;
        /** Count only this upload's requests. Default: every upload's. */
        uploadId?: string;
      }
    | undefined;
  /** Destroy the connection of the next byte request after it has read this many body bytes (nothing is stored). */
  dropConnectionAfterBytes?: number | undefined;
  /** Delay every answer (API, upload URL, playback) by this many milliseconds. */
  latencyMs?: number | undefined;
  /** The next asset that finishes processing ends `errored`, whatever its bytes. */
  failNextAsset?:
    | boolean
    | {
        /** The asset error's `type`. Default `invalid_input`. */
        type?: string;
        /** The asset error's message. Default: one naming the `failNextAsset` knob. */
        message?: string;
      }
    | undefined;
  /** These upload ids become `timed_out` now: their URL answers 410. */
  expireUploads?: string[] | undefined;
}

/** Which media tools processing and thumbnails use. `false` forces the fallbacks (header parsing, placeholder image). */
export interface EmulatorTools {
  /** Path of the ffprobe binary that reads duration, size and tracks. Default `ffprobe` from PATH, when it runs. */
  ffprobe?: string | false | undefined;
  /** Path of the ffmpeg binary that grabs thumbnail frames. Default `ffmpeg` from PATH, when it runs. */
  ffmpeg?: string | false | undefined;
}

/**
 * Options of `startMuxEmulator`. Every option has a default, so `startMuxEmulator()` gives an in-memory
 * emulator on a free port of 127.0.0.1 with the default credentials.
 */
export interface MuxEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number | undefined;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string | undefined;
  /** Directory for metadata and uploaded files. Without it everything lives in a temp dir removed by `close()`. */
  dataDir?: string | undefined;
  /** Basic-auth user the API accepts. Default `emulator-token-id`. */
  tokenId?: string | undefined;
  /** Basic-auth password the API accepts. Default `emulator-token-secret`. */
  tokenSecret?: string | undefined;
  /** URLs that receive signed webhooks, e.g. `http://localhost:3000/api/video/webhooks/mux`. Default none. */
  webhookUrls?: string[] | undefined;
  /** Secret of the `mux-signature` HMAC. Default `emulator-webhook-secret`. */
  webhookSecret?: string | undefined;
  /** Time from "upload complete" to `ready`/`errored`, in ms. Default 1000. */
  processingDelayMs?: number | undefined;
  /** Fault knobs in force from the start. */
  faults?: EmulatorFaults | undefined;
  /** Override or disable ffprobe/ffmpeg. Default: `ffprobe`/`ffmpeg` from PATH when they run. */
  tools?: EmulatorTools | undefined;
  /** Delays between webhook delivery attempts, in ms. Default `[1000, 5000, 30000, 120000]`. */
  webhookRetryDelaysMs?: number[] | undefined;
  /** Public origin written into upload and playback URLs when it differs from where it listens (e.g. behind a proxy). */
  publicUrl?: string | undefined;
  /**
   * Browser origins (exact, e.g. `http://localhost:5173`) allowed to call the `/_emulator` admin routes. Default none:
   * an admin request with an `Origin` header is refused (403) unless it is the emulator's own origin; Node clients
   * send no `Origin` and are unaffected. `*` is refused: a wildcard would let any page the developer visits turn
   * fault knobs and re-point webhooks.
   */
  adminOrigins?: string[] | undefined;
  /**
   * Host names (no port) the emulator answers besides `localhost`, `127.0.0.1`, `[::1]`, the `host` it binds and
   * the host of `publicUrl`. Any other `Host` header gets 421 on every route, so a DNS-rebinding page cannot
   * reach it. Add names here when it is reached by another name (a Docker service, a LAN address).
   */
  allowedHosts?: string[] | undefined;
  /** Bounds of the thumbnail cache and of ffmpeg runs (thumbnail URLs need no credentials). */
  thumbnails?: ThumbnailLimits | undefined;
  /**
   * WebVTT text that generated captions (`generated_subtitles`) of every asset get. The emulator cannot
   * transcribe speech: without it (or `setGeneratedCaptions`) a generated track ends `errored` with
   * "speech-to-text is not emulated". CLI: `--generated-captions <file.vtt>`.
   */
  generatedCaptions?: string | undefined;
  /**
   * Host names (no port) text-track URLs may point at besides loopback (`localhost`, `127.0.0.0/8`, `[::1]`).
   * `POST /video/v1/assets/:id/tracks` downloads its `url`; anything else is refused, so the emulator cannot
   * be made to fetch from the network. CLI: `--track-source-host <name>`.
   */
  trackSourceHosts?: string[] | undefined;
}

/**
 * How much disk and CPU unauthenticated thumbnail requests may take. Besides these bounds, no side of a thumbnail
 * exceeds 1920 px and placeholders are drawn once per size.
 */
export interface ThumbnailLimits {
  /** Frames kept on disk across all assets, least recently used dropped first. Default 200. */
  maxCacheEntries?: number | undefined;
  /** Bytes kept on disk across all assets, least recently used dropped first. Default 32 MiB. */
  maxCacheBytes?: number | undefined;
  /** ffmpeg processes grabbing frames at once; more requests wait their turn. Default 2. */
  maxConcurrentRuns?: number | undefined;
}

/**
 * A signing key for signed playback tokens, in the shape `createMuxBackend({ signingKey })` takes. The
 * emulator lists it among its signing keys like one made through the API; deleted there, it is replaced
 * at the next start.
 */
export interface EmulatorSigningKey {
  /** Signing key id (`MUX_SIGNING_KEY_ID`), the `kid` of the tokens it signs. */
  id: string;
  /** Base64 of the RSA private key's PEM, the format Mux hands out (`MUX_SIGNING_KEY_PRIVATE`). */
  privateKey: string;
}

/**
 * A running emulator, as `startMuxEmulator` resolves it: where it listens, the credentials it accepts, and
 * the test controls. Call `close()` when done.
 *
 * @example
 * ```ts
 * const emulator = await startMuxEmulator({ webhookUrls: ["http://127.0.0.1:3000/api/video/webhooks/mux"] });
 * const backend = createMuxBackend({
 *   baseURL: emulator.url,
 *   tokenId: emulator.tokenId,
 *   tokenSecret: emulator.tokenSecret,
 *   webhookSecret: emulator.webhookSecret,
 * });
 * emulator.setFaults({ failChunk: { n: 2, status: 503 } }); // the second byte request fails once
 * // … upload, then wait for the webhooks before asserting:
 * await emulator.flushWebhooks();
 * await emulator.close();
 * ```
 */
export interface MuxEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4010` — what `MUX_BASE_URL` should be. */
  url: string;
  /** Basic-auth user the API accepts (`MUX_TOKEN_ID`). */
  tokenId: string;
  /** Basic-auth password the API accepts (`MUX_TOKEN_SECRET`). */
  tokenSecret: string;
  /** Secret its webhooks are signed with (`MUX_WEBHOOK_SECRET`). */
  webhookSecret: string;
  /** Where metadata and files live (a temp dir in memory mode). */
  dataDir: string;
  /**
   * The emulator's own signing key (`MUX_SIGNING_KEY_ID`, `MUX_SIGNING_KEY_PRIVATE`), so signed playback
   * works without `mux.system.signingKeys.create()`: pass it as `createMuxBackend({ signingKey })`.
   * Made at the first start on a data dir and kept there, so restarts keep it.
   */
  signingKey: EmulatorSigningKey;
  /** Replace the fault knobs (same as `POST /_emulator/faults`). */
  setFaults(faults: EmulatorFaults): void;
  /** Replace the webhook URLs (same as `POST /_emulator/webhooks`). */
  setWebhookUrls(urls: string[]): void;
  /** Resolves when every webhook queued so far was delivered or gave up. */
  flushWebhooks(): Promise<void>;
  /**
   * WebVTT that generated captions get, for one asset or (without `assetId`) as the default; `undefined`
   * removes it. Throws for text that is not WebVTT/SRT. Same as `POST /_emulator/generated-captions`.
   */
  setGeneratedCaptions(vtt: string | undefined, assetId?: string): void;
  /** Stop listening, stop timers, and (memory mode) delete the temp dir. */
  close(): Promise<void>;
}

// ---- Records the emulator keeps (persisted as JSON) ----

/**
 * Mux's `new_asset_settings` of a direct upload: what the asset it becomes gets. The emulator acts on the
 * fields listed and keeps any others as sent.
 */
export interface NewAssetSettings {
  /** Playback ids the asset gets, one per policy. */
  playback_policies?: PlaybackPolicy[] | undefined;
  /** Mux's older name of `playback_policies`; accepted and stored as `playback_policies`. */
  playback_policy?: PlaybackPolicy[] | undefined;
  /** Host data carried onto the asset; at most 255 characters, as in Mux. */
  passthrough?: string | undefined;
  /** Mux's asset metadata (`creator_id`, `external_id`, `title`). */
  meta?: Record<string, string> | undefined;
  /** Mux's `video_quality` (`basic`, `plus`, `premium`); copied onto the asset (default `basic`), it changes nothing here. */
  video_quality?: string | undefined;
  /** Static renditions to make once the asset is ready (`[{ resolution, passthrough? }]`). */
  static_renditions?: Array<{ resolution: StaticRenditionResolution; passthrough?: string | undefined }> | undefined;
  /** Mux's `max_resolution_tier` (`1080p`, `1440p`, `2160p`); copied onto the asset (default `1080p`), it caps its `resolution_tier`. */
  max_resolution_tier?: string | undefined;
  /**
   * One entry, optionally with `generated_subtitles`: without `url` for a direct upload (the uploaded file), with
   * the input file's `url` for `POST /video/v1/assets`.
   */
  inputs?:
    | Array<{ url?: string | undefined; start_time?: number | undefined; end_time?: number | undefined; generated_subtitles?: GeneratedSubtitleSettings[] | undefined }>
    | undefined;
  [key: string]: unknown;
}

/**
 * A direct upload's state in Mux: `waiting` for bytes, `asset_created` once they all arrived, or ended by
 * an error, a cancel or its `timeout`.
 */
export type MuxUploadStatus = "waiting" | "asset_created" | "errored" | "cancelled" | "timed_out";

export interface UploadRecord {
  id: string;
  status: MuxUploadStatus;
  cors_origin: string;
  timeout: number;
  test: boolean;
  new_asset_settings: NewAssetSettings;
  asset_id?: string | undefined;
  error?: { type: string; message: string } | undefined;
  /** ms epoch */
  createdAt: number;
  /** Total size declared by the client's Content-Range, once known. */
  declaredSize?: number | undefined;
  /** Bytes committed so far (the `.part` file length; in `state.json` as of its last save, read back from the file at open). */
  receivedBytes: number;
  /** Most bytes the upload URL accepts, from the emulator-only size cap sent at creation (`upload-size-cap.ts`). */
  maxBytes?: number | undefined;
  /** Content-Type of the first byte request; informative only. */
  contentType?: string | undefined;
}

/** An asset's state in Mux: `preparing` while processing, then `ready` to play or `errored`. */
export type AssetStatus = "preparing" | "ready" | "errored";

/** One of an asset's playback ids, as Mux's `playback_ids` lists them. */
export interface PlaybackIdRecord {
  /** The id in playback, thumbnail and storyboard URLs. */
  id: string;
  /** Whether the id needs a signed token. */
  policy: PlaybackPolicy;
}

export interface MediaInfo {
  /** Read from the bytes; `mp3`, `wav`, `ogg` and `flac` are audio containers (read with ffprobe only). */
  container: "mp4" | "webm" | "quicktime" | "matroska" | "mp3" | "wav" | "ogg" | "flac" | "unknown";
  mimeType: string;
  duration?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  frameRate?: number | undefined;
  hasVideo: boolean;
  hasAudio: boolean;
  audioChannels?: number | undefined;
}

export interface AssetRecord {
  id: string;
  status: AssetStatus;
  /** ms epoch */
  createdAt: number;
  upload_id?: string | undefined;
  /** The input URL of an asset created with `POST /video/v1/assets`; downloaded when it is processed. */
  input_url?: string | undefined;
  /** A clip (`inputs: [{ url: "mux://assets/<id>", start_time, end_time }]`): the source asset and the span cut from it. */
  clip?: { source_asset_id: string; start_time: number; end_time: number } | undefined;
  /** Most bytes the input download may have (the size-cap header, else the emulator's default). */
  input_max_bytes?: number | undefined;
  passthrough?: string | undefined;
  meta?: Record<string, string> | undefined;
  test: boolean;
  playback_ids: PlaybackIdRecord[];
  errors?: { type: string; messages: string[] } | undefined;
  media?: MediaInfo | undefined;
  /** Bytes of the stored original. */
  size: number;
  /** Mux's `video_quality` as asked for at creation (`basic` when not). */
  video_quality?: string | undefined;
  /** Mux's `max_resolution_tier` as asked for at creation (`1080p` when not); caps `resolution_tier`. */
  max_resolution_tier?: string | undefined;
  /** Caption tracks: uploaded from a URL or generated (their text lives in `files/<track id>.vtt`). */
  text_tracks?: TextTrackRecord[] | undefined;
  /** Static renditions (downloadable MP4/M4A files), asked for at creation or later. */
  static_renditions?: StaticRenditionRecord[] | undefined;
  /** Generated captions asked for at upload time (`new_asset_settings.inputs[0].generated_subtitles`), started once ready. */
  pending_generated_subtitles?: GeneratedSubtitleSettings[] | undefined;
}

/** Mux's static rendition resolutions: `highest`, `audio-only`, or an MP4 of at most that height. */
export type StaticRenditionResolution = "highest" | "audio-only" | "2160p" | "1440p" | "1080p" | "720p" | "540p" | "480p" | "360p" | "270p";

/**
 * A static rendition of an asset, in Mux's shape (`asset.static_renditions.files[]`): `preparing` until the asset is
 * ready and the file made, then `ready`, `skipped` (the resolution conflicts with the asset: above its height or
 * tier, video of an audio-only asset, audio of a silent one) or `errored` (no ffmpeg, or ffmpeg failed).
 */
export interface StaticRenditionRecord {
  id: string;
  resolution: StaticRenditionResolution;
  /** `highest.mp4`, `audio.m4a`, `720p.mp4`, … */
  name: string;
  ext: "mp4" | "m4a";
  status: "preparing" | "ready" | "skipped" | "errored";
  type: "standard";
  passthrough?: string | undefined;
  resolution_tier?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** Bits per second of the made file. */
  bitrate?: number | undefined;
  /** Bytes of the made file, as a string (Mux's format). */
  filesize?: string | undefined;
  /** Why it was skipped or errored (Mux sends `error` on the errored webhook). */
  error?: { type: string; messages: string[] } | undefined;
}

/** One entry of Mux's `generated_subtitles` (on `new_asset_settings.inputs[0]` or the generate-subtitles endpoint). */
export interface GeneratedSubtitleSettings {
  /** Language of the audio, e.g. `en`. */
  language_code: string;
  /** Label of the track. Default: the language's name plus " (generated)", e.g. "English (generated)". */
  name?: string | undefined;
  /** Host data carried onto the track. */
  passthrough?: string | undefined;
}

/** A text track's state in Mux: `preparing` while its file is fetched or generated, then `ready` or `errored`. */
export type TextTrackStatus = "preparing" | "ready" | "errored";

/** A `text` track of an asset, as the emulator keeps it. */
export interface TextTrackRecord {
  id: string;
  text_type: "subtitles";
  text_source: "uploaded" | "generated_vod";
  language_code: string;
  name: string;
  closed_captions: boolean;
  status: TextTrackStatus;
  passthrough?: string | undefined;
  /** Where an uploaded track's file is downloaded from. Not shown in Mux's JSON. */
  source_url?: string | undefined;
  /** Why it errored (Mux's track `error`). */
  error?: { type: string; messages: string[] } | undefined;
  /** ms epoch */
  createdAt: number;
}

export interface SigningKeyRecord {
  id: string;
  /** ms epoch */
  createdAt: number;
  /** SPKI PEM; the private key is handed out once and never stored. */
  publicKeyPem: string;
}

export interface EmulatorState {
  version: 1;
  uploads: UploadRecord[];
  assets: AssetRecord[];
  signingKeys: SigningKeyRecord[];
}

// ---- Mux JSON shapes (the subset the emulator fills) ----

/** A direct upload as the emulator's API answers it (`/video/v1/uploads`), in Mux's shape. */
export interface MuxUploadJson {
  id: string;
  /** Where the bytes go: one PUT, or chunks with `Content-Range`. */
  url: string;
  status: MuxUploadStatus;
  /** Seconds the URL stays usable after creation. */
  timeout: number;
  /** The only origin the URL answers CORS requests from. */
  cors_origin: string;
  new_asset_settings: NewAssetSettings;
  /** A test upload: its asset is a Mux test asset. */
  test?: boolean | undefined;
  /** The asset, once `status` is `asset_created`. */
  asset_id?: string | undefined;
  /** Why the upload failed, when `status` is `errored`. */
  error?: { type: string; message: string } | undefined;
}

/** One entry of an asset's `tracks` in Mux's shape: its video and audio, and its caption (text) tracks. */
export interface MuxTrackJson {
  id: string;
  type: "video" | "audio" | "text";
  text_type?: "subtitles" | undefined;
  text_source?: "uploaded" | "generated_vod" | undefined;
  language_code?: string | undefined;
  name?: string | undefined;
  closed_captions?: boolean | undefined;
  /** Text tracks only. */
  status?: "preparing" | "ready" | "errored" | undefined;
  passthrough?: string | undefined;
  /** Why a text track errored (Mux's track `error`). */
  error?: { type: string; messages: string[] } | undefined;
  duration?: number | undefined;
  max_width?: number | undefined;
  max_height?: number | undefined;
  max_frame_rate?: number | undefined;
  max_channels?: number | undefined;
  primary?: boolean | undefined;
}

/**
 * An asset as the emulator's API answers it (`/video/v1/assets`), in Mux's shape. The fixed fields
 * (`encoding_tier`, `master_access`, …) carry the one value the emulator supports.
 */
export interface MuxAssetJson {
  id: string;
  /** Unix seconds, as a string (Mux's format). */
  created_at: string;
  status: AssetStatus;
  playback_ids: PlaybackIdRecord[];
  /** Mux's deprecated name of `video_quality`: `baseline` for basic, `smart` for plus, `premium`. */
  encoding_tier: "baseline" | "smart" | "premium";
  video_quality: string;
  master_access: "none";
  max_resolution_tier: string;
  mp4_support: "none";
  progress: { state: "ingesting" | "transcoding" | "completed" | "errored"; progress: number };
  ingest_type: "on_demand_direct_upload" | "on_demand_url" | "on_demand_clip";
  upload_id?: string | undefined;
  /** The asset a clip was cut from. */
  source_asset_id?: string | undefined;
  passthrough?: string | undefined;
  meta?: Record<string, string> | undefined;
  test?: boolean | undefined;
  duration?: number | undefined;
  aspect_ratio?: string | undefined;
  resolution_tier?: string | undefined;
  max_stored_resolution?: string | undefined;
  max_stored_frame_rate?: number | undefined;
  tracks?: MuxTrackJson[] | undefined;
  /** Static renditions, when any were asked for. */
  static_renditions?: { files: StaticRenditionRecord[] } | undefined;
  errors?: { type: string; messages: string[] } | undefined;
}
