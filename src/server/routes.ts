/**
 * `createVideoRoutes`: every route of the video API as one Fetch-API handler, `Request → Response`,
 * with no framework import, so Next.js, Remix, Hono, Bun, Deno and `node:http` (through
 * `toNodeHandler`) mount the same function.
 */
import type { UploadInfo, UploadTarget, VideoAsset } from "../core/types.js";
import { AssetCache, type AssetCacheOptions } from "./asset-cache.js";
import { assetEventStream } from "./asset-events.js";
import type { PlaybackPolicy, VideoBackend } from "./backend.js";
import { createMemoryCounterStore } from "./counter-store.js";
import { assertCorsOptions, checkOrigin, preflightResponse, withCorsHeaders, type CorsOptions, type OriginCheck } from "./cors.js";
import { asStatusError, errorResponse, httpError, internalError, json } from "./errors.js";
import type { ServerVideoEvent, ServerVideoEventListener } from "./events.js";
import { defaultTokenExpiresInSeconds, withPlaybackTokens } from "./playback-tokens.js";
import { checkQuota, recordQuotaUse, type QuotaOptions } from "./quota.js";
import { consumeRateLimit, defaultRateLimits, type RateLimitOptions } from "./rate-limit.js";
import { readJsonBody } from "./request-body.js";
import { PlaybackTokenCache } from "./token-cache.js";
import { defaultServerUploadLimits, validateUploadRequest, type ServerUploadLimits } from "./validation.js";
import { handleWebhook, type WebhookHooks, type WebhookRouteOptions } from "./webhook-route.js";

/** What `authorize` returns for a signed-in user; `id` keys rate limits and quotas. */
export interface VideoUser {
  id: string;
}

export interface VideoRoutesOptions<TUser extends VideoUser = VideoUser> {
  backend: VideoBackend;
  /**
   * Who is asking. Runs on every route except the webhook. Return the user, or null/undefined for
   * 401; throw a `VideoError` (e.g. `forbidden`, status 403) to answer otherwise. Required: there is
   * no allow-all default.
   */
  authorize(request: Request): TUser | null | undefined | Promise<TUser | null | undefined>;
  /**
   * May this user upload to this lesson? Runs on `POST /uploads` (with the requested lesson id) and
   * on reading or cancelling an upload (with the lesson id the upload carries). Default: any
   * authorized user may.
   */
  canUpload?(user: TUser, lessonId: string | undefined, request: Request): boolean | Promise<boolean>;
  /** May this user watch this signed playback id? Gates tokens. Default: any authorized user may. */
  canView?(user: TUser, playbackId: string, request: Request): boolean | Promise<boolean>;
  /** Path the routes are mounted at. Default `/api/video`. */
  basePath?: string | undefined;
  /** Server-side upload checks; merged over `defaultServerUploadLimits`. */
  limits?: Partial<ServerUploadLimits> | undefined;
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
  webhooks?: WebhookRouteOptions | undefined;
  assetCache?: AssetCacheOptions | undefined;
  /** Milliseconds between `: ping` comments on event streams. Default 15 000. */
  sseHeartbeatMs?: number | undefined;
  /**
   * Read the client IP from `X-Forwarded-For` (its last entry, added by the nearest proxy) or
   * `X-Real-IP`. Only behind a proxy that sets them; otherwise a client could pick its own rate-limit
   * key. Default false.
   */
  trustProxy?: boolean | undefined;
  /** Monitoring events (see `ServerVideoEvent`). Errors thrown here are ignored. */
  onEvent?: ServerVideoEventListener | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/** The second argument frameworks pass; `toNodeHandler` puts the socket's address in `clientIp`. */
export interface RouteContext {
  clientIp?: string | undefined;
  [key: string]: unknown;
}

export type VideoRouteHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & {
  /** Stops background polls of watched assets (tests, graceful shutdown). */
  close(): void;
};

type RouteName = "createUpload" | "getUpload" | "cancelUpload" | "getAsset" | "assetEvents" | "playbackToken" | "webhook";

const routeTable: ReadonlyArray<{ name: RouteName; method: "GET" | "POST"; pattern: RegExp }> = [
  { name: "createUpload", method: "POST", pattern: /^\/uploads$/ },
  { name: "getUpload", method: "GET", pattern: /^\/uploads\/([^/]+)$/ },
  { name: "cancelUpload", method: "POST", pattern: /^\/uploads\/([^/]+)\/cancel$/ },
  { name: "getAsset", method: "GET", pattern: /^\/assets\/([^/]+)$/ },
  { name: "assetEvents", method: "GET", pattern: /^\/assets\/([^/]+)\/events$/ },
  { name: "playbackToken", method: "GET", pattern: /^\/playback\/([^/]+)\/token$/ },
  { name: "webhook", method: "POST", pattern: /^\/webhooks\/([^/]+)$/ },
];

/** Ids travel into backend URLs; anything outside this shape is not an id this API handed out. */
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

function matchRoute(pathname: string, basePath: string): { name: RouteName; method: string; id: string } | undefined {
  const base = basePath.replace(/\/+$/, "");
  if (base && pathname !== base && !pathname.startsWith(`${base}/`)) return undefined;
  const rest = pathname.slice(base.length).replace(/\/+$/, "") || "/";
  for (const route of routeTable) {
    const match = route.pattern.exec(rest);
    if (match) return { name: route.name, method: route.method, id: match[1] ?? "" };
  }
  return undefined;
}

function clientIp(request: Request, context: RouteContext | undefined, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    // The last entry is the one the nearest proxy added; earlier ones are whatever the client sent.
    const forwarded = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || request.headers.get("x-real-ip")?.trim();
    if (forwarded) return forwarded;
  }
  return typeof context?.clientIp === "string" && context.clientIp !== "" ? context.clientIp : undefined;
}

export function createVideoRoutes<TUser extends VideoUser>(options: VideoRoutesOptions<TUser>): VideoRouteHandler {
  if (typeof options.authorize !== "function") {
    throw new Error("lesson-video-kit: createVideoRoutes needs an authorize(request) function; there is no allow-all default.");
  }
  const cors = options.cors ?? {};
  assertCorsOptions(cors);
  const { backend } = options;
  const now = options.now ?? Date.now;
  const basePath = options.basePath ?? "/api/video";
  const limits: ServerUploadLimits = { ...defaultServerUploadLimits, ...options.limits };
  const rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? {});
  const rateStore = rateLimit?.store ?? createMemoryCounterStore({ now });
  const perUser = rateLimit && rateLimit.perUser !== false ? (rateLimit.perUser ?? defaultRateLimits.perUser) : undefined;
  const perIp = rateLimit && rateLimit.perIp !== false ? (rateLimit.perIp ?? defaultRateLimits.perIp) : undefined;
  const quota = options.quota;
  const quotaStore = quota?.store ?? createMemoryCounterStore({ now });
  const replayStore = options.webhooks?.replayStore ?? createMemoryCounterStore({ now });
  const tokenSeconds = options.tokenExpiresInSeconds ?? defaultTokenExpiresInSeconds;
  const tokens = new PlaybackTokenCache((playbackId) => backend.signPlayback(playbackId, { expiresInSeconds: tokenSeconds }), {
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

  const mayView = async (user: TUser, playbackId: string, request: Request) =>
    options.canView ? options.canView(user, playbackId, request) : true;

  /** The asset as this user may see it: tokens (and tokenized media URLs) only for signed ids they may view. */
  async function forViewer(asset: VideoAsset, user: TUser, request: Request): Promise<VideoAsset> {
    const playback = asset.playback;
    if (playback?.policy !== "signed" || !asset.playbackId || asset.status !== "ready") return asset;
    if (!(await mayView(user, asset.playbackId, request))) return asset;
    return withPlaybackTokens(asset, (await tokens.get(asset.playbackId)).tokens);
  }

  async function assertMayUseUpload(user: TUser, lessonId: string | undefined, request: Request) {
    if (options.canUpload && lessonId !== undefined && !(await options.canUpload(user, lessonId, request))) {
      throw httpError(403, "forbidden", "You may not use this upload.");
    }
  }

  async function createUpload(request: Request, user: TUser, origin: OriginCheck): Promise<Response> {
    const check = validateUploadRequest(await readJsonBody(request, limits.maxRequestBodyBytes), limits);
    if (!check.ok) throw check.error;
    const { file, lessonId } = check.request;
    if (options.canUpload && !(await options.canUpload(user, lessonId, request))) {
      throw httpError(403, "forbidden", "You may not upload videos to this lesson.");
    }
    if (quota) {
      const decision = await checkQuota(quotaStore, quota, user.id, file.size, now());
      if (!decision.allowed) {
        emit({ type: "quota_exceeded", at: now(), userId: user.id, limit: decision.limit, resetAt: decision.resetAt });
        const what = decision.limit === "uploads" ? "uploads" : "upload volume";
        throw httpError(429, "quota_exceeded", `You have reached your ${what} limit; it resets at ${new Date(decision.resetAt).toISOString()}.`, {
          retryAfter: (decision.resetAt - now()) / 1000,
          details: { resetAt: decision.resetAt },
        });
      }
    }
    const corsOrigin = options.uploadCorsOrigin ?? (origin.allowed ? origin.origin : undefined) ?? new URL(request.url).origin;
    const timeoutSeconds = options.uploadTimeoutSeconds ?? 3600;
    const createdAt = now();
    const upload = await backend.createUpload({
      corsOrigin,
      timeoutSeconds,
      playbackPolicy: options.playbackPolicy ?? "public",
      ...(lessonId === undefined ? {} : { passthrough: lessonId }),
    });
    if (quota) await recordQuotaUse(quotaStore, quota, user.id, file.size);
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
    const { passthrough, ...info } = await backend.getUpload(uploadId);
    await assertMayUseUpload(user, passthrough, request);
    const body: UploadInfo = info;
    return json(body);
  }

  async function cancelUpload(request: Request, user: TUser, uploadId: string): Promise<Response> {
    const { passthrough } = await backend.getUpload(uploadId);
    await assertMayUseUpload(user, passthrough, request);
    await backend.cancelUpload(uploadId);
    return new Response(null, { status: 204 });
  }

  async function playbackToken(request: Request, user: TUser, playbackId: string): Promise<Response> {
    if (!(await mayView(user, playbackId, request))) throw httpError(403, "forbidden", "You may not watch this video.");
    return json(await tokens.get(playbackId));
  }

  async function assetEvents(request: Request, user: TUser, assetId: string): Promise<Response> {
    const initial = await cache.get(assetId);
    return assetEventStream({
      initial,
      cache,
      // Asked per event, not once: the host's answer can change when its hook records the playback id.
      decorate: (asset) => forViewer(asset, user, request),
      signal: request.signal,
      heartbeatMs: options.sseHeartbeatMs ?? 15_000,
      onError: reportBackground,
    });
  }

  /** Origin, IP limit, `authorize`, user limit: what every route but the webhook goes through first. */
  async function guard(request: Request, context: RouteContext | undefined, route: string): Promise<TUser> {
    const ip = clientIp(request, context, options.trustProxy ?? false);
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

  async function handle(request: Request, context?: RouteContext): Promise<Response> {
    const route = matchRoute(new URL(request.url).pathname, basePath);
    if (!route) return fail(httpError(404, "not_found", "There is no such video route."), "unknown");

    if (route.name === "webhook") {
      if (request.method !== "POST") return methodNotAllowed(route.method);
      if (route.id !== backend.name) return fail(httpError(404, "not_found", "There is no such webhook route."), route.name);
      try {
        return await handleWebhook(request, { backend, hooks: options.hooks ?? {}, cache, replayStore, options: options.webhooks ?? {}, emit, now });
      } catch (error) {
        return fail(error, route.name);
      }
    }

    if (request.method === "OPTIONS") {
      try {
        return preflightResponse(request, cors);
      } catch (error) {
        return fail(error, route.name);
      }
    }
    if (request.method !== route.method) return methodNotAllowed(route.method);

    const origin = checkOrigin(request, cors);
    if (!origin.allowed) return fail(httpError(403, "forbidden", "This origin is not allowed to call the video routes."), route.name);
    let response: Response;
    try {
      const user = await guard(request, context, route.name);
      const id = route.id;
      // Ids are checked undecoded: a valid id never needs percent-encoding.
      if (route.name !== "createUpload" && !idPattern.test(id)) throw httpError(404, "not_found", "There is no such video.");
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
        case "getAsset":
          response = json(await forViewer(await cache.get(id), user, request));
          break;
        case "assetEvents":
          response = await assetEvents(request, user, id);
          break;
        case "playbackToken":
          response = await playbackToken(request, user, id);
          break;
      }
    } catch (error) {
      response = fail(error, route.name);
    }
    return withCorsHeaders(response, origin, cors);
  }

  return Object.assign(handle, { close: () => cache.close() });
}

function methodNotAllowed(allowed: string): Response {
  const response = errorResponse(httpError(405, "bad_request", `Use ${allowed} on this route.`));
  response.headers.set("allow", allowed === "GET" ? "GET, OPTIONS" : `${allowed}, OPTIONS`);
  return response;
}
