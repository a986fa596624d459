/**
 * Types of the local Mux emulator: its options, the records it keeps, and the JSON shapes it answers with
 * (Mux's own field names, as `@mux/mux-node` 15 declares them).
 */

export type PlaybackPolicy = "public" | "signed";

/** Fault knobs for tests. Every knob is optional; an empty object means "behave normally". */
export interface EmulatorFaults {
  /**
   * Fail the Nth byte request (1-based, counted across all uploads since the knob was set) with `status`.
   * With `retryAfter` the answer carries `Retry-After: <seconds>`; with `uploadId` only that upload's requests
   * count (so parallel tests do not trip each other). Applied once.
   */
  failChunk?: { n: number; status: number; retryAfter?: number; uploadId?: string } | undefined;
  /** Destroy the connection of the next byte request after it has read this many body bytes (nothing is stored). */
  dropConnectionAfterBytes?: number | undefined;
  /** Delay every answer (API, upload URL, playback) by this many milliseconds. */
  latencyMs?: number | undefined;
  /** The next asset that finishes processing ends `errored`, whatever its bytes. */
  failNextAsset?: boolean | { type?: string; message?: string } | undefined;
  /** These upload ids become `timed_out` now: their URL answers 410. */
  expireUploads?: string[] | undefined;
}

/** Which media tools processing and thumbnails use. `false` forces the fallbacks (header parsing, placeholder image). */
export interface EmulatorTools {
  ffprobe?: string | false | undefined;
  ffmpeg?: string | false | undefined;
}

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
  /** URLs that receive signed webhooks. */
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
}

/** How much disk and CPU unauthenticated thumbnail requests may take. */
export interface ThumbnailLimits {
  /** Frames kept on disk across all assets, least recently used dropped first. Default 200. */
  maxCacheEntries?: number | undefined;
  /** Bytes kept on disk across all assets, least recently used dropped first. Default 32 MiB. */
  maxCacheBytes?: number | undefined;
  /** ffmpeg processes grabbing frames at once; more requests wait their turn. Default 2. */
  maxConcurrentRuns?: number | undefined;
}

export interface MuxEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4010` — what `MUX_BASE_URL` should be. */
  url: string;
  tokenId: string;
  tokenSecret: string;
  webhookSecret: string;
  /** Where metadata and files live (a temp dir in memory mode). */
  dataDir: string;
  /** Replace the fault knobs (same as `POST /_emulator/faults`). */
  setFaults(faults: EmulatorFaults): void;
  /** Replace the webhook URLs (same as `POST /_emulator/webhooks`). */
  setWebhookUrls(urls: string[]): void;
  /** Resolves when every webhook queued so far was delivered or gave up. */
  flushWebhooks(): Promise<void>;
  /** Stop listening, stop timers, and (memory mode) delete the temp dir. */
  close(): Promise<void>;
}

// ---- Records the emulator keeps (persisted as JSON) ----

export interface NewAssetSettings {
  playback_policies?: PlaybackPolicy[] | undefined;
  playback_policy?: PlaybackPolicy[] | undefined;
  passthrough?: string | undefined;
  meta?: Record<string, string> | undefined;
  video_quality?: string | undefined;
  max_resolution_tier?: string | undefined;
  [key: string]: unknown;
}

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
  /** Bytes committed so far (the `.part` file length). */
  receivedBytes: number;
  /** Content-Type of the first byte request; informative only. */
  contentType?: string | undefined;
}

export type AssetStatus = "preparing" | "ready" | "errored";

export interface PlaybackIdRecord {
  id: string;
  policy: PlaybackPolicy;
}

export interface MediaInfo {
  container: "mp4" | "webm" | "quicktime" | "matroska" | "unknown";
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
  passthrough?: string | undefined;
  meta?: Record<string, string> | undefined;
  test: boolean;
  playback_ids: PlaybackIdRecord[];
  errors?: { type: string; messages: string[] } | undefined;
  media?: MediaInfo | undefined;
  /** Bytes of the stored original. */
  size: number;
  /** Policies to create playback ids with once the asset exists. */
  video_quality?: string | undefined;
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

export interface MuxUploadJson {
  id: string;
  url: string;
  status: MuxUploadStatus;
  timeout: number;
  cors_origin: string;
  new_asset_settings: NewAssetSettings;
  test?: boolean | undefined;
  asset_id?: string | undefined;
  error?: { type: string; message: string } | undefined;
}

export interface MuxTrackJson {
  id: string;
  type: "video" | "audio";
  duration?: number | undefined;
  max_width?: number | undefined;
  max_height?: number | undefined;
  max_frame_rate?: number | undefined;
  max_channels?: number | undefined;
  primary?: boolean | undefined;
}

export interface MuxAssetJson {
  id: string;
  created_at: string;
  status: AssetStatus;
  playback_ids: PlaybackIdRecord[];
  encoding_tier: "baseline" | "smart";
  video_quality: string;
  master_access: "none";
  max_resolution_tier: "1080p";
  mp4_support: "none";
  progress: { state: "ingesting" | "transcoding" | "completed" | "errored"; progress: number };
  ingest_type: "on_demand_direct_upload" | "on_demand_url";
  upload_id?: string | undefined;
  passthrough?: string | undefined;
  meta?: Record<string, string> | undefined;
  test?: boolean | undefined;
  duration?: number | undefined;
  aspect_ratio?: string | undefined;
  resolution_tier?: string | undefined;
  max_stored_resolution?: string | undefined;
  max_stored_frame_rate?: number | undefined;
  tracks?: MuxTrackJson[] | undefined;
  errors?: { type: string; messages: string[] } | undefined;
}
