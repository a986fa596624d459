/**
 * The public options of `createVideoRoutes` and the types its hooks and handler use. Defaults are resolved
 * once, in `context.ts`; nothing here runs.
 */
import type { IncomingMessage } from "node:http";
import type { AssetPlaybackPolicy, GenerateCaptionsRequest, MaxResolutionTier, RequestedAssetSettings, StaticRenditionResolution, VideoQuality, VideoTrim } from "../../core/types.js";
import type { PlaybackPolicy, VideoBackend } from "../backend.js";
import type { AssetCacheOptions } from "../asset-cache.js";
import type { CaptionFileStore } from "../caption-files.js";
import type { CorsOptions } from "../cors.js";
import type { MalformedRequestReason, ServerVideoEventListener } from "../events.js";
import type { ProgressLesson, ProgressStore } from "../progress.js";
import type { QuotaOptions } from "../quota.js";
import type { RateLimitOptions, RateLimitRule } from "../rate-limit.js";
import type { ServerUploadLimits } from "../validation.js";
import type { WebhookHooks, WebhookRouteOptions } from "../webhook-route.js";

/** What `authorize` returns for a signed-in user; `id` keys ownership, rate limits and quotas. */
export interface VideoUser {
  /** A stable id of the user (your auth system's); only a hash of it is sent to the backend. */
  id: string;
}

/** An upload as the `canAccessUpload` hook sees it. */
export interface UploadAccessRequest {
  /** The upload being read or cancelled. */
  uploadId: string;
  /** The lesson id the upload was created for, if any. */
  lessonId?: string | undefined;
}

/** An asset as the `canViewAsset` hook sees it. */
export interface AssetAccessRequest {
  /** The asset being read. */
  assetId: string;
  /** The lesson id the upload carried, if any. */
  lessonId?: string | undefined;
  /** The asset's playback id, once it has one. */
  playbackId?: string | undefined;
}

/**
 * An asset as the `isAssetReferenced` hook sees it: the one a discard (`POST /uploads/:id/cancel` with
 * `{ "discardAsset": true }`) is about to delete.
 */
export interface AssetDiscardRequest {
  /** The asset the upload created. */
  assetId: string;
  /** The upload being discarded. */
  uploadId: string;
  /** The lesson id the upload was created for, if any. */
  lessonId?: string | undefined;
}

/**
 * The settings of a new asset as the server decides them (`assetDefaults`, and the `assetSettings` hook per
 * request). A field left out falls back to `assetDefaults`, then to the older `playbackPolicy` option, then to
 * the service's own default.
 */
export interface AssetSettings {
  /** Who may play the asset. `drm` needs `drmConfigurationId`. */
  playbackPolicy?: AssetPlaybackPolicy | undefined;
  /** Mux DRM configuration id, for `playbackPolicy: "drm"`. */
  drmConfigurationId?: string | undefined;
  /** Mux `video_quality`. */
  videoQuality?: VideoQuality | undefined;
  /** Mux `max_resolution_tier`. */
  maxResolutionTier?: MaxResolutionTier | undefined;
  /** Downloadable files to make (Mux `static_renditions`). */
  staticRenditions?: readonly StaticRenditionResolution[] | undefined;
  /** Captions to generate when the client asks for none (`POST /uploads` only; the client's own list wins). */
  generatedCaptions?: readonly GenerateCaptionsRequest[] | undefined;
  /** The lesson's title, for Mux `meta.title` (cut to 512 code points). Visible to players: no personal data. */
  title?: string | undefined;
}

/** What the `assetSettings` hook sees: the lesson, what the client asked for, and the defaults. */
export interface AssetSettingsRequest {
  /** `upload` for `POST /uploads`, `import` for `POST /assets`, `clip` for `POST /assets/:id/clips`. */
  kind: "upload" | "import" | "clip";
  /** The lesson the video is for, if the client named one. */
  lessonId?: string | undefined;
  /** What the client asked for (checked for shape already); `{}` when it asked nothing. */
  requested: RequestedAssetSettings;
  /** `assetDefaults` (with the `playbackPolicy` option folded in). */
  defaults: AssetSettings;
}

/** Caption files (`POST /assets/:id/captions`) and generated captions. */
export interface CaptionRouteOptions {
  /** Where caption files wait for the backend to download them. Default: this process's memory. */
  store?: CaptionFileStore | undefined;
  /**
   * HMAC key of the caption-file URLs, at least 32 characters. Default: a random key per `createVideoRoutes`
   * call. Set the same one on every instance when several serve the routes (with a shared `store`).
   */
  urlSecret?: string | undefined;
  /** Seconds a caption-file URL works. Default 600. */
  urlLifetimeSeconds?: number | undefined;
  /** Largest caption file, bytes of UTF-8. Default 512 KiB. */
  maxFileBytes?: number | undefined;
  /**
   * Origin the backend reaches these routes at (e.g. `https://lessons.example`), for the caption-file URL.
   * Default: the `LESSON_VIDEO_PUBLIC_ORIGIN` environment variable. Required when the backend has caption
   * methods, except with `createMuxBackend()` pointed at the emulator, where the address the request reached
   * the server on (`toNodeHandler`'s `serverOrigin`) is used. Never taken from the request's `Host`.
   */
  publicOrigin?: string | undefined;
  /** Caption adds and generations per user. Default 30 an hour; `false` turns it off (the route limits still apply). */
  perUser?: RateLimitRule | false | undefined;
}

/**
 * Link import (`POST /assets` with `{ url, lessonId? }`): the route checks the link and hands it to the
 * backend's `createAssetFromUrl`, which downloads it. The route exists when the backend has that method.
 */
export interface ImportRouteOptions {
  /** Offer the route. Default true; `false` answers 404, as for a backend that cannot import. */
  enabled?: boolean | undefined;
  /**
   * Hosts exempt from the private-address check: `host` (any port), `host:port` (`127.0.0.1:4010`,
   * `[::1]:4010`) or an origin (`http://127.0.0.1:4010`). For a media server of your own on a private
   * network, or the emulator's demo server. Scheme and credential checks still apply, and a redirect from an
   * allowed host to a host that is not allowed is refused. Default: none.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Redirects followed (each target checked) before a link is refused. Default 5. */
  maxRedirects?: number | undefined;
  /** Longest the check of one link (resolving and probing every hop) may take, ms. Default 10 000. */
  probeTimeoutMs?: number | undefined;
}

/**
 * Learner progress (`GET|POST /progress/:lessonId`, `GET /progress/:lessonId/insights`): the routes exist when
 * this option is set. `lesson` decides who may: it says which lessons a user may watch (the plan's rule:
 * creator, published, or purchased) and gives their duration and creator.
 *
 * @typeParam TUser - What `authorize` returns.
 */
export interface ProgressRouteOptions<TUser extends VideoUser = VideoUser> {
  /**
   * The lesson as this user may watch it, or null when they may not (or it does not exist): both answer the
   * same 404. Throwing a 404 `VideoError` answers the same; anything else thrown answers 500.
   */
  lesson(user: TUser, lessonId: string, request: Request): ProgressLesson | null | undefined | Promise<ProgressLesson | null | undefined>;
  /** Where progress lives. Default: this process's memory (`createMemoryProgressStore`); `createSqlProgressStore` for a database. */
  store?: ProgressStore | undefined;
  /** Most watched ranges one write may carry. Default 500. */
  maxRangesPerWrite?: number | undefined;
  /** Largest JSON body of a write, bytes. Default 16 KiB. */
  maxBodyBytes?: number | undefined;
  /** Progress writes per user, besides the routes' own per-user limit. Default 60 a minute; `false` turns it off. */
  perUser?: RateLimitRule | false | undefined;
  /** Buckets of the insights' drop-off curve. Default 100. */
  insightBuckets?: number | undefined;
}

/** Limits of `GET /assets/:id/events`. */
export interface EventStreamOptions {
  /** Streams one user may hold open at once; one more answers 429 (the client then polls). Default 8. */
  perUser?: number | undefined;
  /**
   * Longest a stream stays open, ms. It then ends with `event: reconnect` and the HTTP transport opens a
   * new one at once, so a user sees nothing. Default 300 000 (5 minutes).
   */
  maxLifetimeMs?: number | undefined;
}

/**
 * Options of `createVideoRoutes`. Only `backend` and `authorize` are required; every other option has a
 * default that keeps the routes closed to anyone but an upload's creator.
 *
 * @typeParam TUser - What `authorize` returns; the access hooks receive the same object.
 */
export interface VideoRoutesOptions<TUser extends VideoUser = VideoUser> {
  /** The video service the routes talk to, e.g. `createMuxBackend()`. */
  backend: VideoBackend;
  /**
   * Who is asking. Runs on every route except the webhook. Return the user, or null/undefined for
   * 401; throw a `VideoError` (e.g. `forbidden`, status 403) to answer otherwise. Required: there is
   * no allow-all default.
   */
  authorize(request: Request): TUser | null | undefined | Promise<TUser | null | undefined>;
  /**
   * Who is asking, read from Node's request instead, on `toNodeHandler`'s path (Express, `node:http`): e.g.
   * `(req) => req.user` after your session middleware. When set, routes mounted with `toNodeHandler` ask this
   * instead of `authorize`, and build no Fetch `Request` unless a hook or a route needs one (a request body,
   * `canView`, …): a cached `GET /assets/:id` of the user's own video then costs the server a third to two fifths
   * less CPU. Routes mounted as a Fetch handler (Next.js, Hono, …), and `toNodeHandler` given a wrapper of the
   * handler rather than the handler itself, still ask `authorize`, so a host keeps the two in agreement. Same
   * contract as `authorize`: a user, null/undefined for 401, or a thrown `VideoError`.
   */
  authorizeNode?: ((request: IncomingMessage) => TUser | null | undefined | Promise<TUser | null | undefined>) | undefined;
  /**
   * May this user create an upload for this lesson? Runs on `POST /uploads` and on link imports
   * (`POST /assets`) with the requested lesson id (undefined for a lesson not saved yet). Default: any
   * authorized user may.
   */
  canUpload?: ((user: TUser, lessonId: string | undefined, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Who besides its creator may read (`GET /uploads/:id`) or cancel an upload, e.g. a co-editor of its
   * lesson. Default: nobody; the creator always may. Deleting the asset an upload created (a discard) is
   * for its creator alone, whatever this says.
   */
  canAccessUpload?: ((user: TUser, upload: UploadAccessRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Who besides its creator may read an asset (`GET /assets/:id` and its event stream), e.g. a co-editor, or
   * a student of a lesson whose page watches processing. They get what playing needs (status, playback,
   * the tokens `canView` allows), never the lesson id or upload id. Default: nobody; the creator always may.
   */
  canViewAsset?: ((user: TUser, asset: AssetAccessRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Does a saved lesson refer to this asset (by its asset id or upload id)? Asked before a discard
   * (`POST /uploads/:id/cancel` with `{ "discardAsset": true }`, e.g. a recording's "Record again") deletes the
   * asset its creator's abandoned upload made: true keeps the asset and answers 409. Default: none. The routes
   * cannot know what your lessons store; set it when a lesson can be saved with an upload the page may still
   * discard afterwards (a form saved while a recording is under review).
   */
  isAssetReferenced?: ((user: TUser, asset: AssetDiscardRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * May this user watch this signed playback id? Gates signed tokens. Default: nobody but the asset's
   * creator; pass `() => true` to let every signed-in user watch, or check your access policy.
   */
  canView?: ((user: TUser, playbackId: string, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * The clip a signed playback token carries for this user (a lesson's trim, seconds of the uploaded video), put in
   * the video token as the `asset_start_time`/`asset_end_time` claims: Mux and the emulator then play only that part,
   * whatever the URL says. When set, it alone decides (`undefined`: the whole video, e.g. for the creator editing
   * the trim) and the token route ignores the `assetStartTime`/`assetEndTime` query parameters, so a learner cannot
   * lift or widen the clip the host sets. Without it, those parameters (validated) choose the clip: a viewer's
   * convenience, not a restriction.
   */
  playbackClip?: ((user: TUser, playbackId: string, request: Request) => VideoTrim | undefined | Promise<VideoTrim | undefined>) | undefined;
  /**
   * May this user download this asset's files (`GET /assets/:id/downloads`)? Asked only of users who may read the
   * asset (its creator, whom `canViewAsset` allows); a refusal answers the same 404 as an asset that does not
   * exist. Default: whoever may watch it (anyone who may read a public asset; for a signed one, whom `canView`
   * allows, and its creator).
   */
  canDownload?: ((user: TUser, asset: AssetAccessRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /** Path the routes are mounted at. Default `/api/video`. */
  basePath?: string | undefined;
  /**
   * Take audio files (M4A, AAC, MP3, WAV, Ogg/Opus, FLAC, AIFF: `defaultAudioTypes`) besides videos, as the browser's
   * `limits.audio` does: their types and extensions join
   * `limits.allowedTypes`/`allowedExtensions`, and the asset is audio-only (`VideoAsset.audioOnly`). Default false:
   * an audio file is refused with 415 `file_type_not_allowed`, unless `limits` lists its type and extension.
   */
  allowAudio?: boolean | undefined;
  /** Server-side upload checks; merged over `defaultServerUploadLimits`. */
  limits?: { [Limit in keyof ServerUploadLimits]?: ServerUploadLimits[Limit] | undefined } | undefined;
  /** Which other origins may call the routes. Default: same-origin only. */
  cors?: CorsOptions | undefined;
  /**
   * `cors_origin` of created direct uploads: the only origin that may PUT the bytes. Default: the
   * caller's (already allowed) `Origin`, else the routes' own origin. Never `*` unless you set it.
   */
  uploadCorsOrigin?: string | undefined;
  /** Seconds a direct-upload URL stays usable. Default 3600. */
  uploadTimeoutSeconds?: number | undefined;
  /** Chunk size the client should use, bytes (a multiple of 256 KiB). Default: the client's choice. */
  chunkSize?: number | undefined;
  /** Playback policy of new assets. Default `public`. `assetDefaults.playbackPolicy` wins over it. */
  playbackPolicy?: PlaybackPolicy | undefined;
  /**
   * Settings of every new asset (uploads and link imports): quality, resolution tier, downloads, playback
   * policy. Default: `{ playbackPolicy }` of the option above, the rest the service's defaults.
   */
  assetDefaults?: AssetSettings | undefined;
  /**
   * Decides the settings of one new asset, per request: sees the user, the lesson, what the client asked for and
   * the defaults, and returns the settings to use (fields left out fall back to `assetDefaults`). The decision is
   * final and a client's request is only granted when the decision contains it: a requested value it does not
   * contain (another policy, quality or tier; a rendition not in its list) answers 403 `forbidden` with
   * `details.setting`, and nothing is created. Default: the defaults, so a client may ask only for them.
   *
   * @example
   * ```ts
   * // Premium quality and downloads for paying teachers, who may ask for them; signed playback for everyone.
   * assetSettings: (user, { requested }) => ({
   *   playbackPolicy: "signed",
   *   ...(user.plan === "pro" ? { videoQuality: requested.videoQuality ?? "plus", staticRenditions: requested.staticRenditions } : {}),
   * }),
   * ```
   */
  assetSettings?: ((user: TUser, asset: AssetSettingsRequest, request: Request) => AssetSettings | Promise<AssetSettings>) | undefined;
  /** Lifetime of signed playback tokens, seconds. Default 3600. */
  tokenExpiresInSeconds?: number | undefined;
  /** Per-user and per-IP limits; `false` turns rate limiting off. */
  rateLimit?: RateLimitOptions | false | undefined;
  /** Per-user uploads and bytes per period. Default: no quota. */
  quota?: QuotaOptions | undefined;
  /** The host's hooks, called from verified webhooks. */
  hooks?: WebhookHooks | undefined;
  /**
   * The webhook route (`POST /webhooks/<backend name>`): replay store, per-IP limit, body size and hook
   * concurrency. Default: see `WebhookRouteOptions`.
   */
  webhooks?: WebhookRouteOptions | undefined;
  /**
   * How long asset reads are cached and how watched assets are polled, and the optional shared store and
   * event bus that let several server instances share them. Default: see `AssetCacheOptions`.
   */
  assetCache?: AssetCacheOptions | undefined;
  /** Milliseconds between `: ping` comments on event streams. Default 15 000. */
  sseHeartbeatMs?: number | undefined;
  /** Per-user cap and longest life of event streams. */
  eventStreams?: EventStreamOptions | undefined;
  /**
   * Which proxies may say who the client is. The client IP keys the per-IP rate limits (and the webhook's).
   * - `false` (default): the socket's address (`toNodeHandler` passes it); forwarded headers are ignored.
   * - `true`: one proxy in front. When the socket's address is loopback or private (10/8, 172.16/12,
   *   192.168/16, 127/8, ::1, fc00::/7) — or unknown, as on edge platforms — the last `X-Forwarded-For`
   *   entry (the one that proxy added) wins, else `X-Real-IP`. From a public address the headers are the
   *   client's own words and are ignored.
   * - a list of proxy addresses: `X-Forwarded-For` is read from the right, skipping those addresses; the
   *   first other address is the client. Ignored unless the socket's address is in the list.
   *
   * Only syntactically valid IP addresses count: a forwarded value that is not one (a name, `host:port`,
   * garbage) is ignored and the proxy's own address is the key. IPv4-mapped IPv6 is its IPv4 address;
   * IPv6 addresses are limited per /64 prefix.
   */
  trustProxy?: boolean | readonly string[] | undefined;
  /** Link import: `POST /assets` with a URL (the route exists when the backend has `createAssetFromUrl`). */
  imports?: ImportRouteOptions | undefined;
  /** Caption files and generated captions (routes exist when the backend has the caption methods). */
  captions?: CaptionRouteOptions | undefined;
  /** Learner progress and its insights for creators (routes exist when this is set). */
  progress?: ProgressRouteOptions<TUser> | undefined;
  /** Monitoring events (see `ServerVideoEvent`). Errors thrown here are ignored. */
  onEvent?: ServerVideoEventListener | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/** The second argument frameworks pass; `toNodeHandler` puts the socket's address in `clientIp`. */
export interface RouteContext {
  /** The connecting socket's address; with `trustProxy` the routes may read a forwarded one instead. */
  clientIp?: string | undefined;
  /**
   * `http://<local address>:<local port>` of the socket the request arrived on (`toNodeHandler` sets it):
   * the server's own address, used for caption-file URLs with the emulator when no public origin is set.
   */
  serverOrigin?: string | undefined;
  [key: string]: unknown;
}

/**
 * What `createVideoRoutes` returns: a Fetch-API handler that answers every route under `basePath` (a 404
 * JSON error for anything else), plus `close()`. Mount it for GET, POST, DELETE and OPTIONS.
 *
 * The second argument is whatever the framework passes (Next.js: `{ params }`; `toNodeHandler`: a
 * `RouteContext` with the socket's `clientIp`): it is typed `unknown` so every framework's route type accepts
 * the handler (Next.js checks it against its own context type when it builds with webpack), and only its
 * `clientIp` is read.
 */
export type VideoRouteHandler = ((request: Request, context?: unknown) => Promise<Response>) & {
  /** Stops background polls of watched assets (tests, graceful shutdown). */
  close(): void;
  /**
   * The 400 answer to a request that never became a `Request` (an invalid `Host`, a target that is not a
   * path): reports `request_malformed` to `onEvent`. `toNodeHandler` calls it. `createVideoRoutes` always
   * sets it; a wrapper of the handler should pass it on (without it, `toNodeHandler` answers the same 400 unreported).
   */
  rejectMalformed?: ((reason: MalformedRequestReason) => Response) | undefined;
};
