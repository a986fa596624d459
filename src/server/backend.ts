/**
 * The server-side contract the routes need from a video service. `createMuxBackend` implements it on
 * `@mux/mux-node`; a host plugs any other service (S3 + a transcoder, an internal API) into the same
 * routes by implementing these five methods.
 */
import type {
  CaptionTrack,
  GenerateCaptionsRequest,
  MaxResolutionTier,
  SignedPlaybackTokens,
  StaticRenditionResolution,
  UploadInfo,
  VideoAsset,
  VideoDownload,
  VideoQuality,
  VideoTrim,
} from "../core/types.js";
import type { WebhookRejectionReason } from "./events.js";

/**
 * Who may play a new asset: `public` playback ids play for anyone with the id; `signed` ones only with
 * tokens the routes hand out (`GET /playback/:playbackId/token`, gated by `canView`).
 */
export type PlaybackPolicy = "public" | "signed";

/**
 * Settings of a new asset, as the routes decided them (`createVideoRoutes`' `assetDefaults` and `assetSettings`
 * hook). Every field is optional; a backend applies what its service can and ignores the rest (a backend
 * without DRM ignores `drmConfigurationId` and keeps the input's `signed` policy: never weaker).
 */
export interface BackendAssetSettings {
  /** Mux `video_quality`. */
  videoQuality?: VideoQuality | undefined;
  /** Mux `max_resolution_tier`: the largest resolution the asset is stored at. */
  maxResolutionTier?: MaxResolutionTier | undefined;
  /** Downloadable files (Mux `static_renditions`) made once the asset is ready. */
  staticRenditions?: readonly StaticRenditionResolution[] | undefined;
  /**
   * Play through DRM with this Mux DRM configuration id. Set only with the input's `playbackPolicy` `signed`; Mux
   * then creates a `drm` playback id instead of a signed one.
   */
  drmConfigurationId?: string | undefined;
  /** A title for the asset (Mux `meta.title`, at most 512 code points; visible to players, so no personal data). */
  title?: string | undefined;
  /** Your id of what the asset belongs to (Mux `meta.external_id`, at most 128 code points): the routes pass the lesson id. */
  externalId?: string | undefined;
}

/** What `VideoBackend.createUpload` is asked to create, from `POST /uploads` and the routes' options. */
export interface BackendCreateUploadInput {
  /** Origin the browser uploads from; the backend must allow only this origin on the upload URL. */
  corsOrigin: string;
  /** Host data carried onto the asset (the lesson id). */
  passthrough?: string | undefined;
  /**
   * Who created the upload, as an opaque key (the routes pass a hash of `authorize`'s user id, never the id
   * itself). Keep it with the upload and its asset and return it from `getUpload` and `getAsset`: the
   * routes answer reads and cancels only to the owner (or whom the host's hooks allow). A backend that
   * returns no key makes uploads and assets reachable through the hooks only. Mux: `meta.creator_id`.
   */
  ownerKey?: string | undefined;
  /** Seconds the upload URL stays usable. */
  timeoutSeconds: number;
  /**
   * Most bytes the file may have: the size declared at `POST /uploads` (a growing source's `maxSize`). A backend
   * whose upload URLs can carry a size cap should refuse bytes beyond it; the routes' byte quota counts this size.
   * Mux's API takes no size: `createMuxBackend` passes it only to the emulator, never to real Mux.
   */
  maxBytes?: number | undefined;
  /** Playback policy of the asset the upload becomes. */
  playbackPolicy: PlaybackPolicy;
  /** Captions to generate from the audio once the asset exists (Mux: `inputs[0].generated_subtitles`). */
  generatedCaptions?: GenerateCaptionsRequest[] | undefined;
  /** Quality, resolution, downloads, DRM and title of the asset the upload becomes. */
  settings?: BackendAssetSettings | undefined;
}

/** What `VideoBackend.createAssetFromUrl` is asked to create, from `POST /assets` and the routes' options. */
export interface BackendCreateAssetFromUrlInput {
  /**
   * The video's URL, checked by the routes (http(s), no credentials, a public address or an allowlisted host,
   * redirects followed and checked): the last URL of its redirects. The backend downloads it.
   */
  url: string;
  /** Host data carried onto the asset (the lesson id). */
  passthrough?: string | undefined;
  /** Who imported it, as on `BackendCreateUploadInput.ownerKey`: return it from `getAsset`. Mux: `meta.creator_id`. */
  ownerKey?: string | undefined;
  /**
   * Most bytes the download may have: what the source said it has, else `limits.maxFileSize`; the routes' byte
   * quota counts this size. Mux's API takes no size: `createMuxBackend` passes it only to the emulator.
   */
  maxBytes?: number | undefined;
  /** Playback policy of the asset. */
  playbackPolicy: PlaybackPolicy;
  /** Quality, resolution, downloads, DRM and title of the asset, as on `BackendCreateUploadInput.settings`. */
  settings?: BackendAssetSettings | undefined;
}

/** What `VideoBackend.createClip` is asked to make: a new asset of `startTime`–`endTime` of an asset. */
export interface BackendCreateClipInput {
  /** Seconds from the source's start, ≥ 0. */
  startTime: number;
  /** Seconds from the source's start, after `startTime` and at most its duration. */
  endTime: number;
  /** Host data carried onto the clip (the lesson id). */
  passthrough?: string | undefined;
  /** Who made it, as on `BackendCreateUploadInput.ownerKey`. */
  ownerKey?: string | undefined;
  /** Playback policy of the clip. */
  playbackPolicy: PlaybackPolicy;
  /** Settings of the clip, as on `BackendCreateUploadInput.settings`. */
  settings?: BackendAssetSettings | undefined;
}

/** A caption file the backend downloads from `url` (the routes' short-lived signed URL) and attaches to an asset. */
export interface BackendAddCaptionInput {
  /** WebVTT file URL, valid for a few minutes. */
  url: string;
  /** BCP 47 language code. */
  languageCode: string;
  /** Label viewers see; a backend may default it to the language's name. */
  name?: string | undefined;
  /** The track is closed captions (describes sounds too, for deaf and hard-of-hearing viewers), not plain subtitles. */
  closedCaptions: boolean;
}

/** A created direct upload: where the browser sends the file's bytes. */
export interface BackendUpload {
  /** The backend's id of the upload; the client polls and cancels with it. */
  uploadId: string;
  /** The URL the browser PUTs the file's bytes to. */
  url: string;
  /** Extra headers the client adds to every byte request, if the backend needs them. */
  headers?: Record<string, string> | undefined;
}

/** `UploadInfo` plus what the routes check ownership with. */
export interface BackendUploadInfo extends UploadInfo {
  /** The `passthrough` the upload was created with (the lesson id). */
  passthrough?: string | undefined;
  /** The `ownerKey` the upload was created with. */
  ownerKey?: string | undefined;
}

/** `VideoAsset` plus the `ownerKey` of the upload that created it (never sent to clients). */
export interface BackendAsset extends VideoAsset {
  /** The `ownerKey` its upload was created with; absent for assets not made through the routes. */
  ownerKey?: string | undefined;
  /**
   * Its downloadable files (Mux static renditions), `url` without any token: the routes add one for signed
   * playback. Served by `GET /assets/:id/downloads` only, never in `GET /assets/:id`.
   */
  downloads?: VideoDownload[] | undefined;
}

/** An asset as a backend lists it: with when it was created, which the orphan clean-up's grace period needs. */
export interface BackendListedAsset extends BackendAsset {
  /** When the asset was created (its upload finished), ms since epoch. */
  createdAt: number;
}

/** What `VideoBackend.signPlayback` returns for a signed playback id. */
export interface SignedPlayback {
  /** One token per kind of request the player makes (playback, thumbnail, storyboard). */
  tokens: SignedPlaybackTokens;
  /** When the tokens stop working, ms since epoch. */
  expiresAt: number;
}

/** A verified webhook, reduced to what the routes act on. */
export type BackendWebhookEvent =
  | { id: string; type: "upload.asset_created"; uploadId: string; assetId: string; passthrough?: string | undefined; createdAt?: number | undefined }
  | { id: string; type: "upload.errored" | "upload.cancelled"; uploadId: string; passthrough?: string | undefined; createdAt?: number | undefined }
  | {
      id: string;
      type: "asset.created" | "asset.updated" | "asset.ready" | "asset.errored" | "asset.deleted";
      asset: BackendAsset;
      /** When the asset was created (the upload finished), ms since epoch. */
      assetCreatedAt?: number | undefined;
      createdAt?: number | undefined;
    }
  | { id: string; type: "other"; backendType: string; createdAt?: number | undefined };

/**
 * What `VideoBackend.verifyWebhook` returns: the parsed event, or why the delivery is refused (with the
 * event id when the body could be read, for monitoring).
 */
export type WebhookVerification =
  | { ok: true; event: BackendWebhookEvent }
  | { ok: false; reason: WebhookRejectionReason; eventId?: string | undefined };

/**
 * A video service as `createVideoRoutes` uses it. The five required methods cover uploads, assets, signed
 * playback and webhooks; the optional ones turn on the orphan clean-up and caption tracks. Methods throw a
 * `VideoError` (made with a status) for answers the client should see, e.g. `not_found`; anything else
 * answers 500 without its message.
 *
 * @example
 * ```ts
 * // A backend of your own; createMuxBackend() is the ready-made one.
 * const backend: VideoBackend = {
 *   name: "acme", // webhooks arrive at POST <basePath>/webhooks/acme
 *   createUpload: (input) => acme.createDirectUpload(input),
 *   getUpload: (id) => acme.getUpload(id),
 *   cancelUpload: (id) => acme.cancelUpload(id),
 *   getAsset: (id) => acme.getAsset(id),
 *   signPlayback: (playbackId, { expiresInSeconds }) => acme.sign(playbackId, expiresInSeconds),
 *   verifyWebhook: (rawBody, headers) => acme.verify(rawBody, headers),
 * };
 * ```
 */
export interface VideoBackend {
  /** Path segment of the webhook route: `POST /webhooks/<name>`. */
  readonly name: string;
  /**
   * Creates a direct upload whose URL accepts bytes only from `input.corsOrigin` and expires after
   * `input.timeoutSeconds`; the asset it becomes carries `passthrough` and `ownerKey`.
   */
  createUpload(input: BackendCreateUploadInput): Promise<BackendUpload>;
  /** Throws a `VideoError` with code `not_found` (status 404) for an unknown id. */
  getUpload(uploadId: string): Promise<BackendUploadInfo>;
  /**
   * Cancels an upload that has not become an asset. Throws a `VideoError` with code `not_found` (status 404)
   * for an unknown id, and one with status 409 for an upload that can no longer be cancelled (the Mux backend
   * does): a discard then reads the upload again to find the asset it became.
   */
  cancelUpload(uploadId: string): Promise<void>;
  /** Throws a `VideoError` with code `not_found` (status 404) for an unknown id. */
  getAsset(assetId: string): Promise<BackendAsset>;
  /**
   * Playback, thumbnail and storyboard tokens for a signed playback id. With `thumbnailTime` (the lesson's
   * poster frame, seconds) the thumbnail token carries it as the `time` claim: with a token, Mux reads
   * transform parameters from the claims, not from `?time=`. With `clip` (a lesson's trim) the playback token
   * carries it as the `asset_start_time`/`asset_end_time` claims (Mux's instant clipping of signed playback ids).
   */
  signPlayback(
    playbackId: string,
    options: { expiresInSeconds: number; thumbnailTime?: number | undefined; clip?: VideoTrim | undefined },
  ): Promise<SignedPlayback>;
  /** Checks the delivery's signature and timestamp against the raw body and parses it. Never throws for bad input. */
  verifyWebhook(rawBody: string, headers: Headers): Promise<WebhookVerification>;
  /**
   * Optional cheap check before the body is read: the signature header's shape and timestamp. Returns
   * why the delivery is refused, or undefined to go on and read the body.
   */
  precheckWebhook?: ((headers: Headers) => Extract<WebhookRejectionReason, "signature_missing" | "signature_invalid" | "timestamp_out_of_tolerance"> | undefined) | undefined;
  /**
   * Optional, for the orphan clean-up (`findOrphanAssets`): every asset of the account, page after page, in
   * any order. Assets deleted while the walk runs may or may not appear; none may appear twice.
   */
  listAssets?: ((options?: { signal?: AbortSignal | undefined }) => AsyncIterable<BackendListedAsset>) | undefined;
  /**
   * Optional, for the orphan clean-up (`deleteOrphanAssets`) and for a discard (`POST /uploads/:id/cancel` with
   * `{ "discardAsset": true }`: the asset an abandoned upload created): deletes an asset and its media. Throws a
   * `VideoError` with code `not_found` (status 404) for an unknown id, e.g. one deleted already. Without it a
   * discard keeps the asset and answers 409.
   */
  deleteAsset?: ((assetId: string) => Promise<void>) | undefined;
  /**
   * Optional link import (`POST /assets`): creates an asset the backend downloads from `input.url`, carrying
   * `passthrough` and `ownerKey` like an uploaded one, and returns it (usually `preparing`). A source that cannot
   * be downloaded or is not a video ends as an `errored` asset with its reason in `errors`. Without it the route
   * answers 404. Throw a `VideoError` with a 4xx status for a link the service refuses outright.
   */
  createAssetFromUrl?: ((input: BackendCreateAssetFromUrlInput) => Promise<BackendAsset>) | undefined;
  /**
   * Optional frame-accurate clips (`POST /assets/:id/clips`): a new asset cut from `startTime` to `endTime` of a ready
   * asset (Mux: `inputs: [{ url: "mux://assets/<id>", start_time, end_time }]`), returned `preparing`. Without it the
   * route answers 404.
   */
  createClip?: ((assetId: string, input: BackendCreateClipInput) => Promise<BackendAsset>) | undefined;
  /**
   * Optional caption tracks (`GET/POST/DELETE /assets/:id/captions`); without `addCaption` the routes answer
   * 404 and clients hide the captions UI. `listCaptions` reads fresh from the service (not the asset cache).
   */
  listCaptions?: ((assetId: string) => Promise<CaptionTrack[]>) | undefined;
  /** Attaches a caption file the backend downloads from `input.url`; returns the new (usually `preparing`) track. */
  addCaption?: ((assetId: string, input: BackendAddCaptionInput) => Promise<CaptionTrack>) | undefined;
  /** Removes a caption track. Throws a `VideoError` with code `not_found` (status 404) for an unknown track. */
  removeCaption?: ((assetId: string, trackId: string) => Promise<void>) | undefined;
  /** Starts speech recognition on the asset's audio; returns the new `preparing` track. */
  generateCaptions?: ((assetId: string, request: GenerateCaptionsRequest) => Promise<CaptionTrack>) | undefined;
}
