/**
 * What every route handler shares: the options with their defaults resolved, the stores, caches and
 * counters of one `createVideoRoutes` call. Handlers receive it as an argument instead of closing over it,
 * so each can be read (and tested) alone.
 */
import { overDefaults } from "../../core/over-defaults.js";
import { isMuxApiUrl } from "../backends/mux-host.js";
import { AssetCache } from "../asset-cache.js";
import type { VideoBackend } from "../backend.js";
import { CaptionUrlSigner, createMemoryCaptionFileStore, type CaptionFileStore } from "../caption-files.js";
import type { CorsOptions, OriginCheck } from "../cors.js";
import { createMemoryCounterStore, type CounterStore } from "../counter-store.js";
import { VideoRoutesConfigError } from "../errors.js";
import type { ServerVideoEvent } from "../events.js";
import { defaultTokenExpiresInSeconds } from "../playback-tokens.js";
import { defaultMaxRangesPerWrite, type ProgressLesson, type ProgressStore } from "../progress.js";
import { createMemoryProgressStore } from "../progress-memory.js";
import type { QuotaOptions } from "../quota.js";
import { defaultRateLimits, type RateLimitRule } from "../rate-limit.js";
import { PlaybackTokenCache } from "../token-cache.js";
import { parseAllowedHosts, type AllowedHost } from "../url-guard.js";
import { defaultServerUploadLimits, withAudio, type ServerUploadLimits } from "../validation.js";
import type { ImportRouteOptions, ProgressRouteOptions, RouteContext, VideoRoutesOptions, VideoUser } from "./options.js";

/**
 * Where the Fetch `Request` comes from: a `UserCall` builds it on `toNodeHandler`'s path only when read (a hook that
 * takes it, a body), so an owner's `GET /assets/:id` never builds one.
 */
export interface RequestSource {
  readonly request: Request;
}

/** One request as a handler of a signed-in route sees it, after the guard let it through. */
export interface UserCall<TUser extends VideoUser> extends RequestSource {
  user: TUser;
  /** The path's first parameter (`:id`, `:playbackId`); empty on `POST /uploads`. */
  id: string;
  /** The path's second parameter (`:trackId`). */
  subId: string;
  /** The request's `Origin`, as the CORS check allowed it. */
  origin: OriginCheck;
  /** The route's name, for monitoring events. */
  route: string;
  /** What the framework passed (`toNodeHandler`: the socket's addresses). */
  context: RouteContext | undefined;
}

/** One request to a route without `authorize` (the webhook, the caption file): its checks are its own. */
export interface PublicCall {
  request: Request;
  id: string;
  /** What the framework passed; `clientIp` keys the per-IP limit. */
  context: RouteContext | undefined;
  route: string;
}

export interface RoutesContext<TUser extends VideoUser> {
  options: VideoRoutesOptions<TUser>;
  backend: VideoBackend;
  now: () => number;
  /** Calls `onEvent`; a listener that throws is ignored. */
  emit: (event: ServerVideoEvent) => void;
  /** Reports a failure of work no request waits for (cache refreshes, polls). */
  reportBackground: (error: unknown) => void;
  basePath: string;
  cors: CorsOptions;
  limits: ServerUploadLimits;
  trustProxy: boolean | readonly string[];
  rateStore: CounterStore;
  perUser: RateLimitRule | undefined;
  perIp: RateLimitRule | undefined;
  quota: QuotaOptions | undefined;
  quotaStore: CounterStore;
  cache: AssetCache;
  tokens: PlaybackTokenCache;
  /** Playback ids whose owner has been seen, so the owner's token refreshes need no `canView`. Bounded. */
  playbackOwners: Map<string, string>;
  streams: { perUser: number; lifetimeMs: number; heartbeatMs: number; open: Map<string, number> };
  webhooks: { perIp: RateLimitRule | undefined; inFlight: { count: number }; replayStore: CounterStore };
  imports: { enabled: boolean; allowedHosts: readonly AllowedHost[]; maxRedirects: number; probeTimeoutMs: number };
  captions: {
    store: CaptionFileStore;
    signer: CaptionUrlSigner;
    urlSeconds: number;
    maxBytes: number;
    perUser: RateLimitRule | undefined;
    /** Origin of the caption-file URL; undefined only with the emulator (then the serving socket's). */
    publicOrigin: string | undefined;
  };
  /** The progress routes' settings; undefined without `progress` (the routes then answer 404). */
  progress: ResolvedProgressOptions<TUser> | undefined;
}

export interface ResolvedProgressOptions<TUser extends VideoUser> {
  lesson: (user: TUser, lessonId: string, request: Request) => ProgressLesson | null | undefined | Promise<ProgressLesson | null | undefined>;
  store: ProgressStore;
  maxRanges: number;
  maxBodyBytes: number;
  perUser: RateLimitRule | undefined;
  buckets: number;
}

/** Environment variable read when `captions.publicOrigin` is not set. */
export const publicOriginEnv = "LESSON_VIDEO_PUBLIC_ORIGIN";

/** A `createMuxBackend()` pointed at something other than Mux's API: the emulator, which fetches from loopback only. */
function isEmulatorBackend(backend: VideoBackend): boolean {
  const { mux } = backend as { mux?: { baseURL?: unknown } };
  return typeof mux?.baseURL === "string" && !isMuxApiUrl(mux.baseURL);
}

/**
 * Where the backend downloads caption files from. Never the request's `Host`: that would let a client
 * choose what the backend fetches. Configured, or (emulator only) left to the serving socket's address.
 */
function resolvePublicOrigin(options: VideoRoutesOptions["captions"], backend: VideoBackend): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const configured = options?.publicOrigin ?? (env[publicOriginEnv]?.trim() || undefined);
  if (configured === undefined) {
    if (!backend.addCaption || isEmulatorBackend(backend)) return undefined;
    throw new VideoRoutesConfigError(
      "public_origin_missing",
      `lesson-video-kit: caption tracks need the origin the video backend reaches these routes at. Set captions.publicOrigin (e.g. "https://lessons.example") or ${publicOriginEnv}.`,
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(configured);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new VideoRoutesConfigError("public_origin_invalid", `lesson-video-kit: the caption public origin "${configured}" is not an http(s) origin such as "https://lessons.example".`);
  }
  return url.origin;
}

/** `imports` with its defaults; a bad allowlist entry or number stops `createVideoRoutes` at startup. */
function resolveImports(imports: ImportRouteOptions | undefined): RoutesContext<VideoUser>["imports"] {
  let allowedHosts: AllowedHost[];
  try {
    allowedHosts = parseAllowedHosts(imports?.allowedHosts ?? []);
  } catch (error) {
    throw new VideoRoutesConfigError("import_option_invalid", `lesson-video-kit: ${(error as Error).message}`);
  }
  const maxRedirects = imports?.maxRedirects ?? 5;
  const probeTimeoutMs = imports?.probeTimeoutMs ?? 10_000;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0 || !(probeTimeoutMs > 0)) {
    throw new VideoRoutesConfigError("import_option_invalid", "lesson-video-kit: imports.maxRedirects must be a whole number ≥ 0 and imports.probeTimeoutMs above 0.");
  }
  return { enabled: imports?.enabled !== false, allowedHosts, maxRedirects, probeTimeoutMs };
}

/** `progress` with its defaults; a bad number stops `createVideoRoutes` at startup. */
function resolveProgress<TUser extends VideoUser>(progress: ProgressRouteOptions<TUser> | undefined, now: () => number): ResolvedProgressOptions<TUser> | undefined {
  if (!progress) return undefined;
  if (typeof progress.lesson !== "function") {
    throw new VideoRoutesConfigError("progress_option_invalid", "lesson-video-kit: progress.lesson must be a function (user, lessonId, request) returning the lesson or null.");
  }
  const maxRanges = progress.maxRangesPerWrite ?? defaultMaxRangesPerWrite;
  const maxBodyBytes = progress.maxBodyBytes ?? 16 * 1024;
  const buckets = progress.insightBuckets ?? 100;
  const whole = (value: number, most: number) => Number.isInteger(value) && value >= 1 && value <= most;
  if (!whole(maxRanges, 100_000) || !whole(maxBodyBytes, 16 * 1024 * 1024) || !whole(buckets, 1000)) {
    throw new VideoRoutesConfigError(
      "progress_option_invalid",
      "lesson-video-kit: progress.maxRangesPerWrite, progress.maxBodyBytes and progress.insightBuckets must be whole numbers ≥ 1 (buckets at most 1000).",
    );
  }
  return {
    lesson: (user, lessonId, request) => progress.lesson(user, lessonId, request),
    store: progress.store ?? createMemoryProgressStore({ now }),
    maxRanges,
    maxBodyBytes,
    perUser: progress.perUser === false ? undefined : (progress.perUser ?? { limit: 60, windowMs: 60_000 }),
    buckets,
  };
}

export function createRoutesContext<TUser extends VideoUser>(options: VideoRoutesOptions<TUser>): RoutesContext<TUser> {
  const { backend } = options;
  const now = options.now ?? Date.now;
  const rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? {});
  const tokenSeconds = options.tokenExpiresInSeconds ?? defaultTokenExpiresInSeconds;
  const emit = (event: ServerVideoEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken metrics callback must not break uploads.
    }
  };
  const reportBackground = (error: unknown) =>
    emit({ type: "server_error", at: now(), route: "assetCache", message: error instanceof Error ? error.message : String(error) });
  const captions = options.captions;

  return {
    options,
    backend,
    now,
    emit,
    reportBackground,
    basePath: options.basePath ?? "/api/video",
    cors: options.cors ?? {},
    limits: withAudio(overDefaults(defaultServerUploadLimits, options.limits), options.allowAudio === true),
    trustProxy: options.trustProxy ?? false,
    rateStore: rateLimit?.store ?? createMemoryCounterStore({ now }),
    perUser: rateLimit && rateLimit.perUser !== false ? (rateLimit.perUser ?? defaultRateLimits.perUser) : undefined,
    perIp: rateLimit && rateLimit.perIp !== false ? (rateLimit.perIp ?? defaultRateLimits.perIp) : undefined,
    quota: options.quota,
    quotaStore: options.quota?.store ?? createMemoryCounterStore({ now }),
    cache: new AssetCache((id) => backend.getAsset(id), { now, ...options.assetCache }, reportBackground),
    // Keys are `<playback id>`, then `@<thumbnail time>` and `!<clip start>,<clip end>` when set: a poster time is part
    // of the thumbnail token, a clip of the video token.
    tokens: new PlaybackTokenCache(
      (key) => {
        const [head = "", clip] = key.split("!");
        const [playbackId = "", time] = head.split("@");
        const [start, end] = clip === undefined ? [] : clip.split(",").map(Number);
        return backend.signPlayback(playbackId, {
          expiresInSeconds: tokenSeconds,
          ...(time === undefined ? {} : { thumbnailTime: Number(time) }),
          ...(start === undefined || end === undefined ? {} : { clip: { startTime: start, endTime: end } }),
        });
      },
      { lifetimeSeconds: tokenSeconds, now },
    ),
    playbackOwners: new Map(),
    streams: {
      perUser: options.eventStreams?.perUser ?? 8,
      lifetimeMs: options.eventStreams?.maxLifetimeMs ?? 300_000,
      heartbeatMs: options.sseHeartbeatMs ?? 15_000,
      open: new Map(),
    },
    webhooks: {
      perIp: options.webhooks?.perIp === false ? undefined : (options.webhooks?.perIp ?? { limit: 600, windowMs: 60_000 }),
      inFlight: { count: 0 },
      replayStore: options.webhooks?.replayStore ?? createMemoryCounterStore({ now }),
    },
    imports: resolveImports(options.imports),
    captions: {
      store: captions?.store ?? createMemoryCaptionFileStore({ now }),
      signer: captions?.urlSecret === undefined ? CaptionUrlSigner.random() : new CaptionUrlSigner(captions.urlSecret),
      urlSeconds: captions?.urlLifetimeSeconds ?? 600,
      maxBytes: captions?.maxFileBytes ?? 512 * 1024,
      perUser: captions?.perUser === false ? undefined : (captions?.perUser ?? { limit: 30, windowMs: 3_600_000 }),
      publicOrigin: resolvePublicOrigin(captions, backend),
    },
    progress: resolveProgress(options.progress, now),
  };
}
