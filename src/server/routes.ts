/**
 * `createVideoRoutes`: every route of the video API as one Fetch-API handler, `Request → Response`,
 * with no framework import, so Next.js, Remix, Hono, Bun, Deno and `node:http` (through
 * `toNodeHandler`) mount the same function.
 *
 * Every route answers only to its owner: an upload records who created it (a hash of the user id, kept
 * by the backend with the upload and its asset), and reads, cancels and the asset's status go to that
 * user or to whom the host's `canAccessUpload` / `canViewAsset` allow; anyone else gets a 404.
 */
import { overDefaults } from "../core/over-defaults.js";
import type { CaptionTrack, UploadInfo, UploadTarget, VideoAsset } from "../core/types.js";
import type { BackendAsset } from "./backend.js";
import { AssetCache, type AssetCacheOptions } from "./asset-cache.js";
import { CaptionUrlSigner, createMemoryCaptionFileStore, type CaptionFileStore } from "./caption-files.js";
import { parseCaptionBytes } from "./caption-format.js";
import { assetEventStream } from "./asset-events.js";
import type { PlaybackPolicy, VideoBackend } from "./backend.js";
import { createMemoryCounterStore } from "./counter-store.js";
import { assertCorsOptions, checkOrigin, preflightResponse, withCorsHeaders, type CorsOptions, type OriginCheck } from "./cors.js";
import { asStatusError, errorResponse, httpError, internalError, json } from "./errors.js";
import type { ServerVideoEvent, ServerVideoEventListener } from "./events.js";
import { defaultTokenExpiresInSeconds, withPlaybackTokens } from "./playback-tokens.js";
import { reserveQuota, type QuotaOptions } from "./quota.js";
import { consumeRateLimit, defaultRateLimits, type RateLimitOptions, type RateLimitRule } from "./rate-limit.js";
import { readJsonBody } from "./request-body.js";
import { PlaybackTokenCache } from "./token-cache.js";
import { defaultServerUploadLimits, validateAddCaption, validateGenerateCaptions, validateUploadRequest, type ServerUploadLimits } from "./validation.js";
import { handleWebhook, type WebhookHooks, type WebhookRouteOptions } from "./webhook-route.js";

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
   * Default: the origin of the request that added the file. Set it behind a proxy that rewrites `Host`.
   */
  publicOrigin?: string | undefined;
  /** Caption adds and generations per user. Default 30 an hour; `false` turns it off (the route limits still apply). */
  perUser?: RateLimitRule | false | undefined;
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
   * May this user create an upload for this lesson? Runs on `POST /uploads` with the requested lesson id
   * (undefined for a lesson not saved yet). Default: any authorized user may.
   */
  canUpload?: ((user: TUser, lessonId: string | undefined, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Who besides its creator may read (`GET /uploads/:id`) or cancel an upload, e.g. a co-editor of its
   * lesson. Default: nobody; the creator always may.
   */
  canAccessUpload?: ((user: TUser, upload: UploadAccessRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * Who besides its creator may read an asset (`GET /assets/:id` and its event stream), e.g. a co-editor, or
   * a student of a lesson whose page watches processing. They get what playing needs (status, playback,
   * the tokens `canView` allows), never the lesson id or upload id. Default: nobody; the creator always may.
   */
  canViewAsset?: ((user: TUser, asset: AssetAccessRequest, request: Request) => boolean | Promise<boolean>) | undefined;
  /**
   * May this user watch this signed playback id? Gates signed tokens. Default: nobody but the asset's
   * creator; pass `() => true` to let every signed-in user watch, or check your access policy.
   */
  canView?: ((user: TUser, playbackId: string, request: Request) => boolean | Promise<boolean>) | undefined;
  /** Path the routes are mounted at. Default `/api/video`. */
  basePath?: string | undefined;
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
  /** Playback policy of new assets. Default `public`. */
  playbackPolicy?: PlaybackPolicy | undefined;
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
   * Which proxies may say who the client is. The client IP keys the per-IP rate limits.
   * - `false` (default): the socket's address (`toNodeHandler` passes it); forwarded headers are ignored.
   * - `true`: one proxy in front. When the socket's address is loopback or private (10/8, 172.16/12,
   *   192.168/16, fc00::/7) — or unknown, as on edge platforms — the last `X-Forwarded-For` entry (the
   *   one that proxy added) wins, else `X-Real-IP`. From a public address the headers are the client's own
   *   words and are ignored.
   * - a list of proxy addresses: `X-Forwarded-For` is read from the right, skipping those addresses; the
   *   first other address is the client. Ignored unless the socket's address is in the list.
   */
  trustProxy?: boolean | readonly string[] | undefined;
  /** Caption files and generated captions (routes exist when the backend has the caption methods). */
  captions?: CaptionRouteOptions | undefined;
  /** Monitoring events (see `ServerVideoEvent`). Errors thrown here are ignored. */
  onEvent?: ServerVideoEventListener | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/** The second argument frameworks pass; `toNodeHandler` puts the socket's address in `clientIp`. */
export interface RouteContext {
  /** The connecting socket's address; with `trustProxy` the routes may read a forwarded one instead. */
  clientIp?: string | undefined;
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
};

type RouteName =
  | "createUpload"
  | "getUpload"
  | "cancelUpload"
  | "getAsset"
  | "assetEvents"
  | "playbackToken"
  | "webhook"
  | "listCaptions"
  | "addCaption"
  | "generateCaptions"
  | "removeCaption"
  | "captionFile";

const routeTable: ReadonlyArray<{ name: RouteName; method: "GET" | "POST" | "DELETE"; pattern: RegExp }> = [
  { name: "createUpload", method: "POST", pattern: /^\/uploads$/ },
  { name: "getUpload", method: "GET", pattern: /^\/uploads\/([^/]+)$/ },
  { name: "cancelUpload", method: "POST", pattern: /^\/uploads\/([^/]+)\/cancel$/ },
  { name: "getAsset", method: "GET", pattern: /^\/assets\/([^/]+)$/ },
  { name: "assetEvents", method: "GET", pattern: /^\/assets\/([^/]+)\/events$/ },
  { name: "playbackToken", method: "GET", pattern: /^\/playback\/([^/]+)\/token$/ },
  { name: "webhook", method: "POST", pattern: /^\/webhooks\/([^/]+)$/ },
  { name: "listCaptions", method: "GET", pattern: /^\/assets\/([^/]+)\/captions$/ },
  { name: "addCaption", method: "POST", pattern: /^\/assets\/([^/]+)\/captions$/ },
  { name: "generateCaptions", method: "POST", pattern: /^\/assets\/([^/]+)\/captions\/generate$/ },
  { name: "removeCaption", method: "DELETE", pattern: /^\/assets\/([^/]+)\/captions\/([^/]+)$/ },
  { name: "captionFile", method: "GET", pattern: /^\/caption-files\/([^/]+)\.vtt$/ },
];

/** Ids travel into backend URLs; anything outside this shape is not an id this API handed out. */
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

interface MatchedRoute {
  name: RouteName;
  method: string;
  id: string;
  /** Second path parameter (the track id of `DELETE /assets/:id/captions/:trackId`). */
  subId: string;
  /** Every method the path answers, for 405 and `Allow`. */
  allowed: string[];
}

/** The route for a path and method; with no route for the method, the path's first route (answered with 405). */
function matchRoute(pathname: string, basePath: string, method: string): MatchedRoute | undefined {
  const base = basePath.replace(/\/+$/, "");
  if (base && pathname !== base && !pathname.startsWith(`${base}/`)) return undefined;
  const rest = pathname.slice(base.length).replace(/\/+$/, "") || "/";
  const matches = routeTable.flatMap((route) => {
    const match = route.pattern.exec(rest);
    return match ? [{ name: route.name, method: route.method, id: match[1] ?? "", subId: match[2] ?? "" }] : [];
  });
  const chosen = matches.find((m) => m.method === method) ?? matches[0];
  return chosen && { ...chosen, allowed: [...new Set(matches.map((m) => m.method))] };
}

/** Loopback and private addresses: where a reverse proxy of the same host or network connects from. */
function isPrivateAddress(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (/^(127|10)\./.test(v4) || /^192\.168\./.test(v4) || /^172\.(1[6-9]|2\d|3[01])\./.test(v4)) return true;
  return ip === "::1" || /^f[cd][0-9a-f]{2}:/i.test(ip);
}

/** The client's IP as `trustProxy` allows it to be known (see the option). */
export function clientIp(request: Request, context: RouteContext | undefined, trustProxy: boolean | readonly string[]): string | undefined {
  const peer = typeof context?.clientIp === "string" && context.clientIp !== "" ? context.clientIp : undefined;
  if (trustProxy === false) return peer;
  const trusted = (ip: string) => (trustProxy === true ? isPrivateAddress(ip) : trustProxy.includes(ip));
  // Not connected through a proxy we trust: forwarded headers are whatever the client chose to send.
  if (peer !== undefined && !trusted(peer)) return peer;
  const chain = (request.headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (chain.length > 0) {
    // One trusted proxy: the entry it appended. A list: the nearest address that is not one of them.
    if (trustProxy === true) return chain.at(-1);
    return [...chain].reverse().find((entry) => !trusted(entry)) ?? chain[0];
  }
  return request.headers.get("x-real-ip")?.trim() || peer;
}

const encoder = new TextEncoder();

/** The key an upload's owner is recorded under: a hash of the user id, so the backend never stores the id. */
async function ownerKeyOf(userId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`lesson-video-kit/owner:${userId}`)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `lvk1_${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** What a client may see of an asset: the owner also gets its lesson and upload ids; nobody gets the owner key. */
function assetForClient(asset: BackendAsset, owner: boolean): VideoAsset {
  const { ownerKey: _ownerKey, passthrough, uploadId, ...shared } = asset;
  if (!owner) return shared;
  return { ...shared, ...(passthrough === undefined ? {} : { passthrough }), ...(uploadId === undefined ? {} : { uploadId }) };
}

/**
 * Builds the video API as one Fetch-API handler. Routes, relative to `basePath`:
 *
 * - `POST /uploads`: checks the file against `limits`, `canUpload`, the rate limits and the quota, and
 *   creates a direct upload.
 * - `GET /uploads/:id`, `POST /uploads/:id/cancel`: an upload's state; cancelling it.
 * - `GET /assets/:id`, `GET /assets/:id/events` (server-sent events): an asset and its changes.
 * - `GET /playback/:playbackId/token`: signed playback tokens.
 * - `GET|POST /assets/:id/captions`, `POST /assets/:id/captions/generate`,
 *   `DELETE /assets/:id/captions/:trackId`, `GET /caption-files/:id.vtt`: caption tracks, when the backend
 *   has the caption methods.
 * - `POST /webhooks/<backend name>`: the video service's signed webhooks (no `authorize`).
 *
 * Errors answer as JSON `ErrorBody` with the `VideoError` code. Call `close()` on shutdown to stop
 * background polls.
 *
 * @throws Error when `options.authorize` is not a function, or when `cors.origins` has `"*"` together with `cors.credentials`.
 *
 * @example
 * ```ts
 * // app/api/video/[...route]/route.ts (Next.js)
 * import { createMuxBackend, createVideoRoutes } from "lesson-video-kit/server";
 *
 * const routes = createVideoRoutes({
 *   backend: createMuxBackend(), // reads MUX_TOKEN_ID, MUX_TOKEN_SECRET, MUX_WEBHOOK_SECRET
 *   async authorize(request) {
 *     const session = await getSession(request); // your auth
 *     return session ? { id: session.userId } : null;
 *   },
 * });
 *
 * const handle = (request: Request) => routes(request);
 * export { handle as GET, handle as POST, handle as DELETE, handle as OPTIONS };
 * ```
 */
export function createVideoRoutes<TUser extends VideoUser>(options: VideoRoutesOptions<TUser>): VideoRouteHandler {
  if (typeof options.authorize !== "function") {
    throw new Error("lesson-video-kit: createVideoRoutes needs an authorize(request) function; there is no allow-all default.");
  }
  const cors = options.cors ?? {};
  assertCorsOptions(cors);
  const { backend } = options;
  const now = options.now ?? Date.now;
  const basePath = options.basePath ?? "/api/video";
  const limits: ServerUploadLimits = overDefaults(defaultServerUploadLimits, options.limits);
  const rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? {});
  const rateStore = rateLimit?.store ?? createMemoryCounterStore({ now });
  const perUser = rateLimit && rateLimit.perUser !== false ? (rateLimit.perUser ?? defaultRateLimits.perUser) : undefined;
  const perIp = rateLimit && rateLimit.perIp !== false ? (rateLimit.perIp ?? defaultRateLimits.perIp) : undefined;
  const quota = options.quota;
  const quotaStore = quota?.store ?? createMemoryCounterStore({ now });
  const replayStore = options.webhooks?.replayStore ?? createMemoryCounterStore({ now });
  const tokenSeconds = options.tokenExpiresInSeconds ?? defaultTokenExpiresInSeconds;
  // Keys are `<playback id>` or `<playback id>@<thumbnail time>`: a poster time is part of the thumbnail token.
  const tokens = new PlaybackTokenCache((key) => {
    const [playbackId = "", time] = key.split("@");
    return backend.signPlayback(playbackId, { expiresInSeconds: tokenSeconds, ...(time === undefined ? {} : { thumbnailTime: Number(time) }) });
  }, {
    lifetimeSeconds: tokenSeconds,
    now,
  });

  const emit = (event: ServerVideoEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken metrics callback must not break uploads.
    }
  };
  const reportBackground = (error: unknown) =>
    emit({ type: "server_error", at: now(), route: "assetCache", message: error instanceof Error ? error.message : String(error) });
  const cache = new AssetCache((id) => backend.getAsset(id), { now, ...options.assetCache }, reportBackground);

  const trustProxy = options.trustProxy ?? false;
  const streamsPerUser = options.eventStreams?.perUser ?? 8;
  const streamLifetimeMs = options.eventStreams?.maxLifetimeMs ?? 300_000;
  const openStreams = new Map<string, number>();
  const webhookPerIp = options.webhooks?.perIp === false ? undefined : (options.webhooks?.perIp ?? { limit: 600, windowMs: 60_000 });
  const webhooksInFlight = { count: 0 };
  /** Playback ids whose owner has been seen, so the owner's token refreshes need no `canView`. Bounded. */
  const playbackOwners = new Map<string, string>();
  const rememberPlaybackOwner = (asset: BackendAsset) => {
    if (!asset.playbackId || asset.ownerKey === undefined) return;
    playbackOwners.delete(asset.playbackId);
    playbackOwners.set(asset.playbackId, asset.ownerKey);
    const oldest = playbackOwners.keys().next();
    if (playbackOwners.size > 10_000 && !oldest.done) playbackOwners.delete(oldest.value);
  };

  const mayView = async (user: TUser, playbackId: string, request: Request, owner: boolean) =>
    owner || (options.canView ? options.canView(user, playbackId, request) : false);

  /** The asset as this user may see it: ids only for its owner, tokens only for signed ids they may view. */
  async function forViewer(asset: BackendAsset, user: TUser, request: Request, owner: boolean): Promise<VideoAsset> {
    const visible = assetForClient(asset, owner);
    const playback = asset.playback;
    if (playback?.policy !== "signed" || !asset.playbackId || asset.status !== "ready") return visible;
    if (owner) rememberPlaybackOwner(asset);
    if (!(await mayView(user, asset.playbackId, request, owner))) return visible;
    return withPlaybackTokens(visible, (await tokens.get(asset.playbackId)).tokens);
  }

  /** Answers "no such upload" to anyone but its owner and whom `canAccessUpload` allows. */
  async function accessibleUpload(request: Request, user: TUser, uploadId: string) {
    const info = await backend.getUpload(uploadId);
    const owner = info.ownerKey !== undefined && info.ownerKey === (await ownerKeyOf(user.id));
    const lessonId = info.passthrough;
    const allowed =
      owner ||
      (options.canAccessUpload !== undefined &&
        (await options.canAccessUpload(user, { uploadId, ...(lessonId === undefined ? {} : { lessonId }) }, request)));
    if (!allowed) throw httpError(404, "not_found", "There is no such upload.");
    return info;
  }

  /** The asset and whether this user owns it; "no such video" to anyone the owner check and `canViewAsset` refuse. */
  async function accessibleAsset(request: Request, user: TUser, assetId: string): Promise<{ asset: BackendAsset; owner: boolean }> {
    const asset: BackendAsset = await cache.get(assetId);
    const owner = asset.ownerKey !== undefined && asset.ownerKey === (await ownerKeyOf(user.id));
    if (owner) return { asset, owner };
    const lessonId = asset.passthrough;
    const viewer =
      options.canViewAsset !== undefined &&
      (await options.canViewAsset(
        user,
        { assetId, ...(lessonId === undefined ? {} : { lessonId }), ...(asset.playbackId === undefined ? {} : { playbackId: asset.playbackId }) },
        request,
      ));
    if (!viewer) throw httpError(404, "not_found", "There is no such video.");
    return { asset, owner };
  }

  async function createUpload(request: Request, user: TUser, origin: OriginCheck): Promise<Response> {
    const check = validateUploadRequest(await readJsonBody(request, limits.maxRequestBodyBytes), limits);
    if (!check.ok) throw check.error;
    const { file, lessonId, generatedCaptions } = check.request;
    if (options.canUpload && !(await options.canUpload(user, lessonId, request))) {
      throw httpError(403, "forbidden", "You may not upload videos to this lesson.");
    }
    // Reserved before the backend is asked and given back if it fails: concurrent requests cannot overrun it.
    let releaseQuota: (() => Promise<void>) | undefined;
    if (quota) {
      // A stream's length is unknown: the most it may reach is what it may use of the quota.
      const reservation = await reserveQuota(quotaStore, quota, user.id, file.maxSize ?? file.size);
      if (!reservation.allowed) {
        emit({ type: "quota_exceeded", at: now(), userId: user.id, limit: reservation.limit, resetAt: reservation.resetAt });
        const what = reservation.limit === "uploads" ? "uploads" : "upload volume";
        throw httpError(429, "quota_exceeded", `You have reached your ${what} limit; it resets at ${new Date(reservation.resetAt).toISOString()}.`, {
          retryAfter: (reservation.resetAt - now()) / 1000,
          details: { resetAt: reservation.resetAt },
        });
      }
      releaseQuota = reservation.release;
    }
    const corsOrigin = options.uploadCorsOrigin ?? (origin.allowed ? origin.origin : undefined) ?? new URL(request.url).origin;
    const timeoutSeconds = options.uploadTimeoutSeconds ?? 3600;
    const createdAt = now();
    let upload: Awaited<ReturnType<VideoBackend["createUpload"]>>;
    try {
      upload = await backend.createUpload({
        corsOrigin,
        timeoutSeconds,
        playbackPolicy: options.playbackPolicy ?? "public",
        ownerKey: await ownerKeyOf(user.id),
        ...(lessonId === undefined ? {} : { passthrough: lessonId }),
        ...(generatedCaptions === undefined ? {} : { generatedCaptions }),
      });
    } catch (error) {
      await releaseQuota?.();
      throw error;
    }
    emit({
      type: "upload_created",
      at: now(),
      userId: user.id,
      uploadId: upload.uploadId,
      fileSize: file.size,
      fileType: file.type,
      ...(lessonId === undefined ? {} : { lessonId }),
    });
    const target: UploadTarget = { uploadId: upload.uploadId, url: upload.url, expiresAt: createdAt + timeoutSeconds * 1000 };
    if (upload.headers) target.headers = upload.headers;
    if (options.chunkSize !== undefined) target.chunkSize = options.chunkSize;
    return json(target, 201);
  }

  async function getUpload(request: Request, user: TUser, uploadId: string): Promise<Response> {
    const { passthrough: _lessonId, ownerKey: _ownerKey, ...info } = await accessibleUpload(request, user, uploadId);
    const body: UploadInfo = info;
    return json(body);
  }

  async function cancelUpload(request: Request, user: TUser, uploadId: string): Promise<Response> {
    await accessibleUpload(request, user, uploadId);
    await backend.cancelUpload(uploadId);
    return new Response(null, { status: 204 });
  }

  async function playbackToken(request: Request, user: TUser, playbackId: string): Promise<Response> {
    const owner = playbackOwners.get(playbackId) === (await ownerKeyOf(user.id));
    if (!(await mayView(user, playbackId, request, owner))) throw httpError(403, "forbidden", "You may not watch this video.");
    const timeParam = new URL(request.url).searchParams.get("thumbnailTime");
    if (timeParam === null) return json(await tokens.get(playbackId));
    const time = Number(timeParam);
    if (timeParam.trim() === "" || !Number.isFinite(time) || time < 0 || time > 86_400) {
      throw httpError(400, "bad_request", "thumbnailTime must be a number of seconds from 0 to 86400.");
    }
    // Rounded to milliseconds so equal times share one cached token.
    return json(await tokens.get(`${playbackId}@${Math.round(time * 1000) / 1000}`));
  }

  async function assetEvents(request: Request, user: TUser, assetId: string): Promise<Response> {
    const { asset: initial, owner } = await accessibleAsset(request, user, assetId);
    const open = openStreams.get(user.id) ?? 0;
    if (open >= streamsPerUser) {
      emit({ type: "stream_limited", at: now(), userId: user.id, open });
      throw httpError(429, "rate_limited", "Too many open status streams; the page polls instead.", { retryAfter: 5 });
    }
    openStreams.set(user.id, open + 1);
    return assetEventStream({
      initial,
      cache,
      // Asked per event, not once: the host's answer can change when its hook records the playback id.
      decorate: (asset) => forViewer(asset, user, request, owner),
      signal: request.signal,
      heartbeatMs: options.sseHeartbeatMs ?? 15_000,
      maxLifetimeMs: streamLifetimeMs,
      onClose: () => {
        const left = (openStreams.get(user.id) ?? 1) - 1;
        if (left > 0) openStreams.set(user.id, left);
        else openStreams.delete(user.id);
      },
      onError: reportBackground,
    });
  }

  // ---- Captions ----
  const captionStore = options.captions?.store ?? createMemoryCaptionFileStore({ now });
  const captionSigner = options.captions?.urlSecret === undefined ? CaptionUrlSigner.random() : new CaptionUrlSigner(options.captions.urlSecret);
  const captionUrlSeconds = options.captions?.urlLifetimeSeconds ?? 600;
  const maxCaptionBytes = options.captions?.maxFileBytes ?? 512 * 1024;
  const captionPerUser = options.captions?.perUser === false ? undefined : (options.captions?.perUser ?? { limit: 30, windowMs: 3_600_000 });
  const captionsBase = basePath.replace(/\/+$/, "");

  /** Reloads an asset whose tracks changed, so `GET /assets/:id` and its event stream show them. */
  const refreshAsset = (assetId: string) => {
    backend.getAsset(assetId).then((fresh) => cache.set(fresh), reportBackground);
  };

  /** The backend's caption methods, or a 404 saying this backend has none (clients then hide the UI). */
  function captionBackend() {
    const { listCaptions, addCaption, removeCaption, generateCaptions } = backend;
    if (!addCaption || !removeCaption) throw httpError(404, "not_found", "This video backend has no caption tracks.");
    return { listCaptions, addCaption, removeCaption, generateCaptions };
  }

  /** Adding and removing tracks is for the asset's owner; viewers `canViewAsset` lets in may only list. */
  async function ownedAsset(request: Request, user: TUser, assetId: string): Promise<BackendAsset> {
    const { asset, owner } = await accessibleAsset(request, user, assetId);
    if (!owner) throw httpError(403, "forbidden", "Only the video's creator may change its captions.");
    return asset;
  }

  async function limitCaptionWork(user: TUser, route: string): Promise<void> {
    if (!captionPerUser) return;
    const decision = await consumeRateLimit(rateStore, `captions:${user.id}`, captionPerUser, now());
    if (decision.allowed) return;
    emit({ type: "rate_limited", at: now(), scope: "user", key: user.id, route, retryAfter: decision.retryAfterSeconds });
    throw httpError(429, "rate_limited", "Too many caption changes; try again later.", { retryAfter: decision.retryAfterSeconds });
  }

  /** The tracks as this user may see them: `src` with a token on a signed playback id, as `getAsset` does. */
  async function captionsForViewer(asset: BackendAsset, captions: CaptionTrack[], user: TUser, request: Request, owner: boolean): Promise<CaptionTrack[]> {
    const visible = await forViewer({ ...asset, captions }, user, request, owner);
    return visible.captions ?? [];
  }

  async function listCaptionsRoute(request: Request, user: TUser, assetId: string): Promise<Response> {
    const methods = captionBackend();
    const { asset, owner } = await accessibleAsset(request, user, assetId);
    const captions = methods.listCaptions ? await methods.listCaptions(assetId) : ((await backend.getAsset(assetId)).captions ?? []);
    return json(await captionsForViewer(asset, captions, user, request, owner));
  }

  async function addCaptionRoute(request: Request, user: TUser, assetId: string): Promise<Response> {
    const methods = captionBackend();
    const asset = await ownedAsset(request, user, assetId);
    await limitCaptionWork(user, "addCaption");
    // JSON escapes at most double most caption text (newlines, quotes); the text itself is measured below.
    const body = validateAddCaption(await readJsonBody(request, maxCaptionBytes * 2 + 4096));
    const bytes = new TextEncoder().encode(body.text);
    if (bytes.byteLength > maxCaptionBytes) {
      throw httpError(413, "file_too_large", `The caption file is larger than ${maxCaptionBytes} bytes.`, { details: { maxFileSize: maxCaptionBytes } });
    }
    const parsed = parseCaptionBytes(bytes);
    if (!parsed.ok) {
      if (parsed.problem === "empty") throw httpError(400, "file_empty", parsed.message);
      throw httpError(415, "file_type_not_allowed", `This is not a WebVTT or SRT caption file: ${parsed.message}`, { details: { problem: parsed.problem } });
    }
    if (asset.status !== "ready") throw httpError(409, "bad_request", "Captions can be added once the video is ready.");
    const fileId = crypto.randomUUID().replace(/-/g, "");
    const expiresAt = now() + captionUrlSeconds * 1000;
    await captionStore.put(fileId, { vtt: parsed.vtt, assetId, expiresAt });
    const origin = (options.captions?.publicOrigin ?? new URL(request.url).origin).replace(/\/+$/, "");
    const url = `${origin}${captionsBase}/caption-files/${fileId}.vtt?${await captionSigner.sign(fileId, expiresAt)}`;
    let track: CaptionTrack;
    try {
      track = await methods.addCaption(assetId, {
        url,
        languageCode: body.languageCode,
        closedCaptions: body.closedCaptions,
        ...(body.name === undefined ? {} : { name: body.name }),
      });
    } catch (error) {
      await captionStore.delete(fileId);
      throw error;
    }
    refreshAsset(assetId);
    return json(track, 201);
  }

  async function removeCaptionRoute(request: Request, user: TUser, assetId: string, trackId: string): Promise<Response> {
    const methods = captionBackend();
    await ownedAsset(request, user, assetId);
    await methods.removeCaption(assetId, trackId);
    refreshAsset(assetId);
    return new Response(null, { status: 204 });
  }

  async function generateCaptionsRoute(request: Request, user: TUser, assetId: string): Promise<Response> {
    const methods = captionBackend();
    if (!methods.generateCaptions) throw httpError(404, "not_found", "This video backend cannot generate captions.");
    const asset = await ownedAsset(request, user, assetId);
    await limitCaptionWork(user, "generateCaptions");
    const body = validateGenerateCaptions(await readJsonBody(request, 4096));
    if (asset.status !== "ready") throw httpError(409, "bad_request", "Captions can be generated once the video is ready.");
    const track = await methods.generateCaptions(assetId, body);
    refreshAsset(assetId);
    return json(track, 201);
  }

  /** `GET /caption-files/:id.vtt`: no `authorize` (the backend fetches it), only a valid, unexpired signature. */
  async function captionFileRoute(request: Request, fileId: string): Promise<Response> {
    if (!/^[0-9a-f]{32}$/.test(fileId)) throw httpError(404, "not_found", "There is no such caption file.");
    const check = await captionSigner.check(fileId, new URL(request.url).searchParams, now());
    if (check === "invalid") throw httpError(403, "forbidden", "This caption file link is not valid.");
    if (check === "expired") throw httpError(403, "forbidden", "This caption file link has expired.");
    const file = await captionStore.get(fileId);
    if (!file) throw httpError(404, "not_found", "There is no such caption file.");
    return new Response(request.method === "HEAD" ? null : file.vtt, {
      status: 200,
      headers: { "content-type": "text/vtt; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
    });
  }

  /** Origin, IP limit, `authorize`, user limit: what every route but the webhook goes through first. */
  async function guard(request: Request, context: RouteContext | undefined, route: string): Promise<TUser> {
    const ip = clientIp(request, context, trustProxy);
    if (perIp && ip !== undefined) {
      const decision = await consumeRateLimit(rateStore, `ip:${ip}`, perIp, now());
      if (!decision.allowed) {
        emit({ type: "rate_limited", at: now(), scope: "ip", key: ip, route, retryAfter: decision.retryAfterSeconds });
        throw httpError(429, "rate_limited", "Too many requests from this address.", { retryAfter: decision.retryAfterSeconds });
      }
    }
    const user = await options.authorize(request);
    if (!user) throw httpError(401, "unauthorized", "Sign in to use the video routes.");
    if (perUser) {
      const decision = await consumeRateLimit(rateStore, `user:${user.id}`, perUser, now());
      if (!decision.allowed) {
        emit({ type: "rate_limited", at: now(), scope: "user", key: user.id, route, retryAfter: decision.retryAfterSeconds });
        throw httpError(429, "rate_limited", "Too many requests.", { retryAfter: decision.retryAfterSeconds });
      }
    }
    return user;
  }

  function fail(error: unknown, route: string): Response {
    const raised = asStatusError(error);
    if (raised?.status !== undefined && raised.status < 500) {
      emit({ type: "request_rejected", at: now(), route, status: raised.status, code: raised.code });
      return errorResponse(raised);
    }
    emit({ type: "server_error", at: now(), route, message: error instanceof Error ? error.message : String(error) });
    // A 5xx raised on purpose keeps its message; anything unexpected says nothing about why.
    return errorResponse(raised ?? internalError());
  }

  async function handle(request: Request, frameworkContext?: unknown): Promise<Response> {
    const context = typeof frameworkContext === "object" && frameworkContext !== null ? (frameworkContext as RouteContext) : undefined;
    const route = matchRoute(new URL(request.url).pathname, basePath, request.method);
    if (!route) return fail(httpError(404, "not_found", "There is no such video route."), "unknown");

    if (route.name === "captionFile") {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(["GET"]);
      try {
        const ip = clientIp(request, context, trustProxy);
        if (perIp && ip !== undefined) {
          const decision = await consumeRateLimit(rateStore, `ip:${ip}`, perIp, now());
          if (!decision.allowed) throw httpError(429, "rate_limited", "Too many requests from this address.", { retryAfter: decision.retryAfterSeconds });
        }
        return await captionFileRoute(request, route.id);
      } catch (error) {
        return fail(error, route.name);
      }
    }

    if (route.name === "webhook") {
      if (request.method !== "POST") return methodNotAllowed(route.allowed);
      if (route.id !== backend.name) return fail(httpError(404, "not_found", "There is no such webhook route."), route.name);
      try {
        const ip = clientIp(request, context, trustProxy);
        if (webhookPerIp && ip !== undefined) {
          const decision = await consumeRateLimit(rateStore, `webhook-ip:${ip}`, webhookPerIp, now());
          if (!decision.allowed) {
            emit({ type: "webhook_rejected", at: now(), reason: "rate_limited" });
            throw httpError(429, "rate_limited", "Too many webhook deliveries from this address.", { retryAfter: decision.retryAfterSeconds });
          }
        }
        return await handleWebhook(request, {
          backend,
          hooks: options.hooks ?? {},
          cache,
          replayStore,
          options: options.webhooks ?? {},
          inFlight: webhooksInFlight,
          emit,
          now,
        });
      } catch (error) {
        return fail(error, route.name);
      }
    }

    if (request.method === "OPTIONS") {
      try {
        const preflight = preflightResponse(request, cors);
        // Only the caption-track path answers DELETE; every other path keeps GET and POST.
        if (route.allowed.includes("DELETE")) {
          for (const header of ["access-control-allow-methods", "allow"]) {
            if (preflight.headers.has(header)) preflight.headers.set(header, "GET, POST, DELETE, OPTIONS");
          }
        }
        return preflight;
      } catch (error) {
        return fail(error, route.name);
      }
    }
    if (request.method !== route.method) return methodNotAllowed(route.allowed);

    const origin = checkOrigin(request, cors);
    if (!origin.allowed) return fail(httpError(403, "forbidden", "This origin is not allowed to call the video routes."), route.name);
    let response: Response;
    try {
      const user = await guard(request, context, route.name);
      const id = route.id;
      // Ids are checked undecoded: a valid id never needs percent-encoding.
      if (route.name !== "createUpload" && !idPattern.test(id)) throw httpError(404, "not_found", "There is no such video.");
      if (route.name === "removeCaption" && !idPattern.test(route.subId)) throw httpError(404, "not_found", "There is no such caption track.");
      switch (route.name) {
        case "createUpload":
          response = await createUpload(request, user, origin);
          break;
        case "getUpload":
          response = await getUpload(request, user, id);
          break;
        case "cancelUpload":
          response = await cancelUpload(request, user, id);
          break;
        case "getAsset": {
          const { asset, owner } = await accessibleAsset(request, user, id);
          response = json(await forViewer(asset, user, request, owner));
          break;
        }
        case "assetEvents":
          response = await assetEvents(request, user, id);
          break;
        case "playbackToken":
          response = await playbackToken(request, user, id);
          break;
        case "listCaptions":
          response = await listCaptionsRoute(request, user, id);
          break;
        case "addCaption":
          response = await addCaptionRoute(request, user, id);
          break;
        case "removeCaption":
          response = await removeCaptionRoute(request, user, id, route.subId);
          break;
        case "generateCaptions":
          response = await generateCaptionsRoute(request, user, id);
          break;
      }
    } catch (error) {
      response = fail(error, route.name);
    }
    return withCorsHeaders(response, origin, cors);
  }

  return Object.assign(handle, { close: () => cache.close() });
}

function methodNotAllowed(allowed: readonly string[]): Response {
  const response = errorResponse(httpError(405, "bad_request", `Use ${allowed.join(" or ")} on this route.`));
  response.headers.set("allow", `${allowed.join(", ")}, OPTIONS`);
  return response;
}
