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
  failChunk?: { n: number; status: number; retryAfter?: number; uploadId?: string };
  /** Destroy the connection of the next byte request after it has read this many body bytes (nothing is stored). */
  dropConnectionAfterBytes?: number;
  /** Delay every answer (API, upload URL, playback) by this many milliseconds. */
  latencyMs?: number;
  /** The next asset that finishes processing ends `errored`, whatever its bytes. */
  failNextAsset?: boolean | { type?: string; message?: string };
  /** These upload ids become `timed_out` now: their URL answers 410. */
  expireUploads?: string[];
}

/** Which media tools processing and thumbnails use. `false` forces the fallbacks (header parsing, placeholder image). */
export interface EmulatorTools {
  ffprobe?: string | false;
  ffmpeg?: string | false;
}

export interface MuxEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Directory for metadata and uploaded files. Without it everything lives in a temp dir removed by `close()`. */
  dataDir?: string;
  /** Basic-auth user the API accepts. Default `emulator-token-id`. */
  tokenId?: string;
  /** Basic-auth password the API accepts. Default `emulator-token-secret`. */
  tokenSecret?: string;
  /** URLs that receive signed webhooks. */
  webhookUrls?: string[];
  /** Secret of the `mux-signature` HMAC. Default `emulator-webhook-secret`. */
  webhookSecret?: string;
  /** Time from "upload complete" to `ready`/`errored`, in ms. Default 1000. */
  processingDelayMs?: number;
  /** Fault knobs in force from the start. */
  faults?: EmulatorFaults;
  /** Override or disable ffprobe/ffmpeg. Default: `ffprobe`/`ffmpeg` from PATH when they run. */
  tools?: EmulatorTools;
  /** Delays between webhook delivery attempts, in ms. Default `[1000, 5000, 30000, 120000]`. */
  webhookRetryDelaysMs?: number[];
  /** Public origin written into upload and playback URLs when it differs from where it listens (e.g. behind a proxy). */
  publicUrl?: string;
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
  playback_policies?: PlaybackPolicy[];
  playback_policy?: PlaybackPolicy[];
  passthrough?: string;
  meta?: Record<string, string>;
  video_quality?: string;
  max_resolution_tier?: string;
  [key: string]: unknown;
}

export type UploadStatus = "waiting" | "asset_created" | "errored" | "cancelled" | "timed_out";

export interface UploadRecord {
  id: string;
  status: UploadStatus;
  cors_origin: string;
  timeout: number;
  test: boolean;
  new_asset_settings: NewAssetSettings;
  asset_id?: string;
  error?: { type: string; message: string };
  /** ms epoch */
  createdAt: number;
  /** Total size declared by the client's Content-Range, once known. */
  declaredSize?: number;
  /** Bytes committed so far (the `.part` file length). */
  receivedBytes: number;
  /** Content-Type of the first byte request; informative only. */
  contentType?: string;
}

export type AssetStatus = "preparing" | "ready" | "errored";

export interface PlaybackIdRecord {
  id: string;
  policy: PlaybackPolicy;
}

export interface MediaInfo {
  container: "mp4" | "webm" | "quicktime" | "matroska" | "unknown";
  mimeType: string;
  duration?: number;
  width?: number;
  height?: number;
  frameRate?: number;
  hasVideo: boolean;
  hasAudio: boolean;
  audioChannels?: number;
}

export interface AssetRecord {
  id: string;
  status: AssetStatus;
  /** ms epoch */
  createdAt: number;
  upload_id?: string;
  passthrough?: string;
  meta?: Record<string, string>;
  test: boolean;
  playback_ids: PlaybackIdRecord[];
  errors?: { type: string; messages: string[] };
  media?: MediaInfo;
  /** Bytes of the stored original. */
  size: number;
  /** Policies to create playback ids with once the asset exists. */
  video_quality?: string;
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
  status: UploadStatus;
  timeout: number;
  cors_origin: string;
  new_asset_settings: NewAssetSettings;
  test?: boolean;
  asset_id?: string;
  error?: { type: string; message: string };
}

export interface MuxTrackJson {
  id: string;
  type: "video" | "audio";
  duration?: number;
  max_width?: number;
  max_height?: number;
  max_frame_rate?: number;
  max_channels?: number;
  primary?: boolean;
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
  upload_id?: string;
  passthrough?: string;
  meta?: Record<string, string>;
  test?: boolean;
  duration?: number;
  aspect_ratio?: string;
  resolution_tier?: string;
  max_stored_resolution?: string;
  max_stored_frame_rate?: number;
  tracks?: MuxTrackJson[];
  errors?: { type: string; messages: string[] };
}
