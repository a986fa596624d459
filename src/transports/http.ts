import { createVideoError, parseRetryAfter, toVideoError, errorCodeForStatus, VideoError, type VideoErrorCode, videoErrorCodes } from "../core/errors.js";
import { lazyModule } from "../core/lazy-module.js";
import type {
  CreateUploadRequest,
  PlaybackTokens,
  UploadInfo,
  UploadTarget,
  VideoAsset,
  VideoTransport,
  VideoTrim,
} from "../core/types.js";
import type { LessonProgress } from "../core/watch-progress.js";

/**
 * Options of `createHttpTransport`: where the routes are and how to reach them.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({
 *   baseUrl: "https://api.example.com/video",
 *   headers: async () => ({ authorization: `Bearer ${await auth.getToken()}` }),
 * });
 * ```
 */
export interface HttpTransportOptions {
  /** Where `createVideoRoutes` is mounted. Default "/api/video". */
  baseUrl?: string | undefined;
  /** The `fetch` every request to the routes uses (a wrapper that logs, a test double). Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Headers on every request to your routes (not on the byte PUTs to the upload URL). A function is
   * called per request, so an auth context can supply a fresh token each time.
   */
  headers?: (HeadersInit | (() => HeadersInit | Promise<HeadersInit>)) | undefined;
  /** Watch assets over the `/assets/:id/events` stream. Default true; false leaves the watcher to poll. */
  events?: boolean | undefined;
  /**
   * Offer the caption methods (`listCaptions`, `addCaption`, `removeCaption`, `generateCaptions`), which
   * call `/assets/:id/captions…`, with `getDownloads` and `createClip` (`/assets/:id/downloads`, `/assets/:id/clips`),
   * whose code loads with them. Default true; `false` hides the captions UI (e.g. a backend without tracks).
   */
  captions?: boolean | undefined;
  /**
   * Offer `importFromUrl`, which calls `POST /assets`. Default true; `false` hides "Import from a link" (routes
   * whose backend cannot import, or with `imports.enabled: false`).
   */
  imports?: boolean | undefined;
  /** Offer `getProgress`/`saveProgress` (`/progress/:lessonId`). Default true; `false` for routes without progress. */
  progress?: boolean | undefined;
}

/** Signed playback tokens for a `signed` playback id, as `GET /playback/:id/token` returns them. */
export interface PlaybackTokenResponse {
  /** Playback, thumbnail and storyboard tokens for the player. */
  tokens: PlaybackTokens;
  /** When the tokens stop working, ms since epoch; fetch new ones before then. */
  expiresAt: number;
}

/** What `createHttpTransport` returns: a `VideoTransport` that always has `cancelUpload` and `discardUpload` and can fetch playback tokens. */
export interface HttpTransport extends VideoTransport {
  /**
   * Cancels an upload on the server (`POST /uploads/:id/cancel`), so its URL takes no more bytes. Rejects
   * with a `VideoError`, e.g. `not_found` for an upload that is not this user's.
   */
  cancelUpload(uploadId: string): Promise<void>;
  /**
   * Drops an abandoned upload and the asset it made (`POST /uploads/:id/cancel` with `{ "discardAsset": true }`):
   * cancelled while still sending, its asset deleted once it became one. Only the upload's creator may delete;
   * the server keeps a video a saved lesson refers to (409, when it sets `isAssetReferenced`). Rejects with a
   * `VideoError`, e.g. `not_found` for an upload that is not this user's.
   */
  discardUpload(uploadId: string): Promise<void>;
  /**
   * Fetches fresh signed tokens for a playback id (after the server's `canView` check). With
   * `thumbnailTime` (the lesson's poster frame, seconds) the thumbnail token shows that frame. With `clip` (the
   * lesson's trim) the video token plays only that part (`assetStartTime`/`assetEndTime`; a server with a
   * `playbackClip` hook decides the clip itself and ignores it).
   */
  getPlaybackTokens(
    playbackId: string,
    opts?: { signal?: AbortSignal | undefined; thumbnailTime?: number | undefined; clip?: VideoTrim | undefined },
  ): Promise<PlaybackTokenResponse>;
}

const knownCodes: ReadonlySet<string> = new Set(videoErrorCodes);
/** The server-sent-events reader, loaded once by the first watch of any transport; a failed load is tried again by the next. */
const eventStream = /* @__PURE__ */ lazyModule(() => import("./event-stream.js"));
/** The caption calls, loaded by the first of them. */
const captionCalls = /* @__PURE__ */ lazyModule(() => import("./http-captions.js"));

/** Reads the routes' error body `{ error: { code, message, details? } }`; falls back to the status. */
async function errorFromResponse(response: Response): Promise<VideoError> {
  let code: VideoErrorCode = errorCodeForStatus(response.status);
  let message: string | undefined;
  // `details.reason` of a refused link (`url_refused`) picks its message in `defaultUrlRefusalMessages`.
  let details: Record<string, unknown> | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; details?: Record<string, unknown> } };
    if (typeof body.error?.code === "string" && knownCodes.has(body.error.code)) code = body.error.code as VideoErrorCode;
    if (typeof body.error?.message === "string" && body.error.message !== "") message = body.error.message;
    details = body.error?.details;
  } catch {
    // Not JSON (a proxy's HTML page): the status decides.
  }
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  const options = { status: response.status, retryAfter, details };
  return message === undefined ? createVideoError(code, options) : new VideoError(code, message, options);
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw createVideoError("server", { details: { reason: `response has no ${what}` } });
  return value;
}

/**
 * The transport for `createVideoRoutes`: JSON over `fetch` to your own server, which talks to Mux (or
 * the emulator). Bytes go straight from the browser to the upload URL the server returns. Errors
 * become `VideoError`s with the server's code, and `retryAfter` from `Retry-After`.
 *
 * `watchAsset` reads the server-sent events of `/assets/:id/events` with `fetch` rather than
 * `EventSource`, because `EventSource` cannot send the `headers` (an auth token) and cannot be aborted
 * with a signal; if the stream fails the watcher falls back to polling `getAsset`.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const baseUrl = (options.baseUrl ?? "/api/video").replace(/\/+$/, "");
  const doFetch: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const resolveHeaders = async (): Promise<Headers> => {
    const given = typeof options.headers === "function" ? await options.headers() : options.headers;
    return new Headers(given);
  };

  const request = async (
    path: string,
    init: { method?: string; body?: unknown; signal?: AbortSignal | undefined; accept?: string; keepalive?: boolean | undefined },
  ): Promise<Response> => {
    const headers = await resolveHeaders();
    headers.set("Accept", init.accept ?? "application/json");
    if (init.body !== undefined) headers.set("Content-Type", "application/json");
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        ...(init.signal ? { signal: init.signal } : {}),
        ...(init.keepalive ? { keepalive: true } : {}),
      });
    } catch (thrown) {
      throw toVideoError(thrown);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  };

  const json = async <T>(response: Response): Promise<T> => {
    try {
      return (await response.json()) as T;
    } catch (thrown) {
      throw createVideoError("server", { cause: thrown, details: { reason: "response is not JSON" } });
    }
  };

  /** `POST /uploads/:id/cancel`; the body `{ discardAsset: true }` also drops the asset the upload made. */
  const cancel = async (uploadId: string, body?: { discardAsset: true }): Promise<void> => {
    await request(`/uploads/${encodeURIComponent(uploadId)}/cancel`, { method: "POST", body });
  };

  const transport: HttpTransport = {
    async createUpload(req: CreateUploadRequest, { signal }): Promise<UploadTarget> {
      const body = {
        file: { name: req.file.name, size: req.file.size, type: req.file.type, ...(req.file.maxSize === undefined ? {} : { maxSize: req.file.maxSize }) },
        ...(req.lessonId === undefined ? {} : { lessonId: req.lessonId }),
        ...(req.generatedCaptions === undefined || req.generatedCaptions.length === 0 ? {} : { generatedCaptions: req.generatedCaptions }),
        // JSON leaves out a `requested` that is undefined.
        requested: req.requested,
      };
      const target = await json<UploadTarget>(await request("/uploads", { method: "POST", body, signal }));
      expectString(target.uploadId, "uploadId");
      expectString(target.url, "url");
      return target;
    },

    async getUpload(uploadId, { signal }): Promise<UploadInfo> {
      return json<UploadInfo>(await request(`/uploads/${encodeURIComponent(uploadId)}`, { signal }));
    },

    async getAsset(assetId, { signal }): Promise<VideoAsset> {
      return json<VideoAsset>(await request(`/assets/${encodeURIComponent(assetId)}`, { signal }));
    },

    cancelUpload: (uploadId) => cancel(uploadId),

    discardUpload: (uploadId) => cancel(uploadId, { discardAsset: true }),

    async getPlaybackTokens(playbackId, opts = {}): Promise<PlaybackTokenResponse> {
      const query = new URLSearchParams();
      if (opts.thumbnailTime !== undefined) query.set("thumbnailTime", String(opts.thumbnailTime));
      if (opts.clip !== undefined) {
        query.set("assetStartTime", String(opts.clip.startTime));
        query.set("assetEndTime", String(opts.clip.endTime));
      }
      const search = query.toString() === "" ? "" : `?${query.toString()}`;
      return json<PlaybackTokenResponse>(await request(`/playback/${encodeURIComponent(playbackId)}/token${search}`, { signal: opts.signal }));
    },
  };

  if (options.imports !== false) {
    // JSON leaves out a lessonId that is undefined.
    transport.importFromUrl = async ({ url, lessonId, requested }, { signal }) =>
      json<VideoAsset>(await request("/assets", { method: "POST", body: { url, lessonId, requested }, signal }));
  }

  if (options.progress !== false) {
    const path = (lessonId: string) => `/progress/${encodeURIComponent(lessonId)}`;
    transport.getProgress = async (lessonId, { signal }) => json<LessonProgress>(await request(path(lessonId), { signal }));
    // `keepalive` lets the save outlive a page that is closing (its body stays far below the 64 KiB keepalive limit).
    transport.saveProgress = async (lessonId, update, { signal, keepalive }) =>
      json<LessonProgress>(await request(path(lessonId), { method: "POST", body: update, signal, keepalive }));
  }

  if (options.captions !== false) {
    // The caption calls' code loads with the first of them (a lesson's captions panel), not with the page.
    const calls = () =>
      captionCalls.load().then(
        (module) => module.createCaptionCalls(request, json),
        // Its code did not arrive (offline, a chunk gone after a deploy): the next call loads it again.
        (thrown: unknown) => Promise.reject(createVideoError("network", { cause: thrown })),
      );
    transport.listCaptions = async (assetId, opts) => (await calls()).listCaptions(assetId, opts);
    transport.addCaption = async (assetId, req, opts) => (await calls()).addCaption(assetId, req, opts);
    transport.removeCaption = async (assetId, trackId, opts) => (await calls()).removeCaption(assetId, trackId, opts);
    transport.generateCaptions = async (assetId, req, opts) => (await calls()).generateCaptions(assetId, req, opts);
    // The asset's downloads are a call of the same lazily loaded module: none of it weighs on the first load.
    transport.getDownloads = async (assetId, opts) => (await calls()).getDownloads(assetId, opts);
    transport.createClip = async (assetId, req, opts) => (await calls()).createClip(assetId, req, opts);
  }

  if (options.events !== false) {
    transport.watchAsset = (assetId, onChange, onError) => {
      const stop = new AbortController();
      // The stream's reader loads with the first watch (the watcher itself loads then too).
      eventStream.load().then(
        ({ watchAssetEvents }) =>
          watchAssetEvents({
            open: (signal) => request(`/assets/${encodeURIComponent(assetId)}/events`, { signal, accept: "text/event-stream" }),
            stop: stop.signal,
            onChange,
            onError,
          }),
        (thrown: unknown) => stop.signal.aborted || onError?.(createVideoError("network", { cause: thrown })),
      );
      return () => stop.abort();
    };
  }
  return transport;
}
