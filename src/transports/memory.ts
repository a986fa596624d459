import { mergeWatchedRanges, watchedSecondsOf, type LessonProgress } from "../core/watch-progress.js";
import { defaultUrlRefusalMessages, createVideoError, VideoError, type UrlRefusalReason, type VideoErrorCode } from "../core/errors.js";
import { validateCaptionText, type CaptionErrorDetails } from "../core/captions.js";
import { sleep } from "../core/retryer.js";
import type { ChunkRequester } from "../core/chunk-requester.js";
import type {
  AddCaptionRequest,
  CaptionTrack,
  CreateUploadRequest,
  GenerateCaptionsRequest,
  CreateClipRequest,
  ImportFromUrlRequest,
  SendFileOptions,
  StaticRenditionResolution,
  UploadInfo,
  UploadTarget,
  VideoAsset,
  VideoDownload,
  VideoPlayback,
  VideoTransport,
} from "../core/types.js";

/** Scripted behaviour of a memory transport. Every field can be changed later with `update()`. */
export interface MemoryTransportOptions {
  /** Simulated upload speed. Default 4 MiB/s. */
  bytesPerSecond?: number | undefined;
  /** Progress granularity: one progress report per tick. Default 100 ms. */
  tickMs?: number | undefined;
  /** Delay of every request (create, status, asset), ms. Default 30. */
  latencyMs?: number | undefined;
  /** Time from the last byte to `ready` (or `errored`), ms. Default 2000. */
  processingMs?: number | undefined;
  /**
   * Fail the upload when it reaches `byte`, with `code` (default `network`), `times` times (default 1).
   * Bytes before `byte` count as committed, so a retry resumes from there.
   */
  failAt?:
    | {
        /** Byte offset at which the upload fails. */
        byte: number;
        /** Code of the failure. Default `network`. */
        code?: VideoErrorCode | undefined;
        /** How many times sends fail there (counted across sends) before bytes get through. Default 1. */
        times?: number | undefined;
      }
    | undefined;
  /** `createUpload` fails with this code (e.g. `unauthorized`, `rate_limited`), and so do `importFromUrl` and `createClip`. */
  createUploadError?: VideoErrorCode | undefined;
  /** Processing ends `errored` (with this reason when an object is given). */
  assetError?: boolean | { type: string; message: string } | undefined;
  /** Give the transport `watchAsset` (push) instead of leaving the watcher to poll. Default false. */
  push?: boolean | undefined;
  /** Assets that exist from the start, e.g. a `ready` one for a player story. */
  assets?: VideoAsset[] | undefined;
  /** Playback of created assets. Default: a tiny embedded WebM and an SVG poster (no network). */
  playback?: ((ids: { assetId: string; playbackId: string }) => VideoPlayback) | undefined;
  /** Duration (s) of created assets. Default 4. */
  duration?: number | undefined;
  /** Aspect ratio of created assets. Default "16:9". */
  aspectRatio?: string | undefined;
  /**
   * Give the transport the caption methods (`listCaptions`, `addCaption`, `removeCaption`,
   * `generateCaptions`). Default true; `false` makes a transport without them (the captions UI hides).
   * Read once, when the transport is made.
   */
  captions?: boolean | undefined;
  /** Time a caption track stays `preparing` before it turns `ready` or `errored`, ms. Default 1500. */
  captionProcessingMs?: number | undefined;
  /** Added caption files end `errored` (with this reason when an object is given). */
  captionError?: boolean | { type: string; message: string } | undefined;
  /**
   * How generated captions end. Default `ready`; `errored` ends them with the emulator's
   * "speech-to-text is not emulated" reason, or with the given one.
   */
  generatedCaptions?: "ready" | "errored" | { type: string; message: string } | undefined;
  /**
   * Give the transport `importFromUrl`. Default true. Links are judged by their text, so stories can show each
   * outcome: not http(s) → `url_refused` `scheme`; a user name or password → `credentials`; `localhost`,
   * `127.*`, `10.*`, `192.168.*`, `169.254.*` or `[::1]` → `private_address`; a path containing `redirect-private`
   * → `redirect`; containing `not-found` → an asset that ends `errored` (the download answered 404); containing
   * `not-a-video` → an asset that ends `errored` (not a video). Anything else becomes `ready` like an upload.
   * Read once, when the transport is made.
   */
  imports?: boolean | undefined;
  /**
   * Give the transport `getDownloads`, listing these renditions of every asset: `preparing` until the asset is
   * ready, then `ready` with a URL (the fake playback source; for audio too). Default `["highest", "audio-only"]`;
   * `false` leaves `getDownloads` out. Read once, when the transport is made.
   */
  downloads?: readonly StaticRenditionResolution[] | false | undefined;
  /**
   * Give the transport `createClip`: a new asset, `preparing` then `ready` after `processingMs` like an upload, whose
   * `duration` is the clip's length; a source that is not ready or times outside it are refused with `bad_request`.
   * Default true. Read once, when the transport is made.
   */
  clips?: boolean | undefined;
  /**
   * Give the transport `getProgress`/`saveProgress`, kept in memory per lesson (one learner), merged and completed
   * as the progress routes do: `completionThreshold` (default 0.9) of the lesson's `duration` in distinct seconds.
   * Default true. `progress: { saved }` starts with saved progress (e.g. a position to resume at); `failSaves` makes
   * every save fail as a network error does (what a learner sees when their progress cannot be saved).
   */
  progress?:
    | boolean
    | { saved?: readonly LessonProgress[] | undefined; completionThreshold?: number | undefined; failSaves?: boolean | undefined }
    | undefined;
}

/** How many times each method was called: what tests of dedupe and retries assert on. */
export interface MemoryTransportCalls {
  /** Calls of `createUpload`. */
  createUpload: number;
  /** Calls of `sendFile` (one per send attempt, retries included). */
  sendFile: number;
  /** Calls of `getUpload`. */
  getUpload: number;
  /** Calls of `getAsset`. */
  getAsset: number;
  /** Calls of `watchAsset` (only with `push: true`). */
  watchAsset: number;
  /** Calls of `cancelUpload`. */
  cancelUpload: number;
  /** Calls of `discardUpload`. */
  discardUpload: number;
  /** Calls of `importFromUrl`. */
  importFromUrl: number;
  /** Calls of `listCaptions`. */
  listCaptions: number;
  /** Calls of `getDownloads`. */
  getDownloads: number;
  /** Calls of `createClip`. */
  createClip: number;
  /** Calls of `addCaption`. */
  addCaption: number;
  /** Calls of `removeCaption`. */
  removeCaption: number;
  /** Calls of `generateCaptions`. */
  generateCaptions: number;
}

/**
 * What `createMemoryTransport` returns: a `VideoTransport` that sends the bytes itself, plus test controls
 * to change the script and inspect what the fake backend saw.
 *
 * @example
 * ```ts
 * // The first upload stops at 1 MiB with a retryable `network` error; a retry resumes from there.
 * const transport = createMemoryTransport({ processingMs: 500, failAt: { byte: 1024 * 1024, code: "network" } });
 * render(<VideoProvider transport={transport}><VideoUploader /></VideoProvider>);
 * // … later in the test:
 * transport.update({ bytesPerSecond: 256 * 1024 }); // a slower network from now on
 * expect(transport.calls.createUpload).toBe(1);
 * ```
 */
export interface MemoryTransport extends VideoTransport {
  /** Simulates sending the file at `bytesPerSecond`, reporting progress each `tickMs`; fails as `failAt` says. */
  sendFile(file: Blob, target: UploadTarget, opts: SendFileOptions): Promise<void>;
  /**
   * Cancels a `waiting` upload (its status becomes `cancelled`); any other upload is left as it is. Rejects
   * with `not_found` for an unknown id.
   */
  cancelUpload(uploadId: string): Promise<void>;
  /**
   * Drops an abandoned upload: a `waiting` one is cancelled, the asset of one that became an asset is deleted
   * (`getAsset` then rejects with `not_found`; the upload stays `asset_created`, as Mux leaves it). Rejects with
   * `not_found` for an unknown id.
   */
  discardUpload(uploadId: string): Promise<void>;
  /** How many times each method was called. */
  readonly calls: MemoryTransportCalls;
  /** Bytes of an upload the fake server has committed. */
  receivedBytes(uploadId: string): number;
  /** Upload status as the fake backend sees it. */
  uploadInfo(uploadId: string): UploadInfo | undefined;
  /** Changes the script (speed, faults…) from now on. */
  update(options: Partial<MemoryTransportOptions>): void;
  /** Adds or replaces an asset (and notifies push watchers). */
  putAsset(asset: VideoAsset): void;
  /** The caption file text an `addCaption` call stored for a track, to assert on in tests. */
  captionText(trackId: string): string | undefined;
  /**
   * The fake server's upload URL for the chunked sender (what it uses for a growing source, e.g. a recording):
   * pass it as `VideoProvider`'s `uploadOptions.request` (or `UploadController`'s `request`). It answers the
   * resumable protocol (308 with `Range`, 200 at the end), so recordings upload in stories and jsdom tests too.
   */
  request: ChunkRequester;
}

/** What the memory transport refuses a link for, judged by its text alone (see `MemoryTransportOptions.imports`). */
function memoryUrlRefusal(raw: string): UrlRefusalReason | undefined {
  if (!URL.canParse(raw)) return "malformed";
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "scheme";
  if (url.username || url.password) return "credentials";
  if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|\[::1\])/.test(url.hostname)) return "private_address";
  if (url.pathname.includes("redirect-private")) return "redirect";
  return undefined;
}

/** 4 s of a dark blue 160×90 VP8 WebM: plays in any browser, no network needed. */
export const memoryPlaybackSrc = "data:video/webm;base64,GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAAALKEU2bdLpNu4tTq4QVSalmU6yBoU27i1OrhBZUrmtTrIHYTbuMU6uEElTDZ1OsggEeTbuMU6uEHFO7a1OsggK07AEAAAAAAABZAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVSalmsirXsYMPQkBNgI1MYXZmNTkuMjcuMTAwV0GNTGF2ZjU5LjI3LjEwMESJiECvQAAAAAAAFlSua8GuAQAAAAAAADjXgQFzxYil2QwYxR1gCZyBACK1nIN1bmSIgQCGhVZfVlA4g4EBI+ODhB3NZQDgibCBoLqBWpqBAhJUw2f9c3OgY8CAZ8iaRaOHRU5DT0RFUkSHjUxhdmY1OS4yNy4xMDBzc9djwItjxYil2QwYxR1gCWfIoUWjh0VOQ09ERVJEh5RMYXZjNTkuMzcuMTAwIGxpYnZweGfIokWjiERVUkFUSU9ORIeUMDA6MDA6MDQuMDAwMDAwMDAwAAAfQ7Z1QQ7ngQCj1IEAAIDwBQCdASqgAFoAAEcIhYWIhYSIAgICdaoD+AIGmhPghqqTXcQ6qk13EOqpNdxDqqTXcQ6qk13EGAD+/pSAf/ID/kB/yA//kB//z8zu3F/OYKOYgQH0ABECAAEQEAAYABhYL/QACICBAAAAo5iBA+gAEQIAARAQABgAGFgv9AAIgIEAAACjmIEF3AARAgABEBAAGAAYWC/0AAiAgQAAAKOYgQfQABECAAEQEAAYABhYL/QACICBAAAAo5iBCcQAEQIAARAQABgAGFgv9AAIgIEAAACjmIELuAARAgABEBAAGAAYWC/0AAiAgQAAAKOXgQ2sAPEBAAEQEBRgAGFgv9AAIgIEAAAcU7trkbuPs4EAt4r3gQHxggGg8IED";

/** Poster of the memory transport's assets: an SVG lesson slide (no play symbol to clash with the player's). */
export const memoryPosterSrc = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 160 90'><rect width='160' height='90' fill='#1e3a8a'/><rect x='14' y='16' width='70' height='8' rx='2' fill='#93c5fd'/><rect x='14' y='32' width='96' height='4' rx='2' fill='#bfdbfe' opacity='.6'/><rect x='14' y='40' width='82' height='4' rx='2' fill='#bfdbfe' opacity='.6'/><rect x='14' y='48' width='90' height='4' rx='2' fill='#bfdbfe' opacity='.6'/><circle cx='132' cy='68' r='12' fill='#3b82f6'/></svg>",
)}`;

interface UploadRecord {
  info: UploadInfo;
  size: number;
  received: number;
  generatedCaptions: GenerateCaptionsRequest[];
}

const defaults = {
  bytesPerSecond: 4 * 1024 * 1024,
  tickMs: 100,
  latencyMs: 30,
  processingMs: 2000,
  duration: 4,
  aspectRatio: "16:9",
};

/**
 * A `VideoTransport` that keeps everything in memory: scripted upload speed, processing time and
 * faults (fail at a byte, errored asset, refused request, slow network). Time passes through
 * `setTimeout` only and ids are counters, so runs are deterministic under fake timers. For Storybook
 * stories and host-app tests; each call makes an independent fake backend.
 */
export function createMemoryTransport(initial: MemoryTransportOptions = {}): MemoryTransport {
  let options: MemoryTransportOptions = { ...initial };
  let nextId = 1;
  let failuresLeft = initial.failAt?.times ?? 1;
  const uploads = new Map<string, UploadRecord>();
  const assets = new Map<string, VideoAsset>();
  const watchers = new Map<string, Set<(asset: VideoAsset) => void>>();
  const calls: MemoryTransportCalls = {
    createUpload: 0,
    sendFile: 0,
    getUpload: 0,
    getAsset: 0,
    watchAsset: 0,
    cancelUpload: 0,
    discardUpload: 0,
    importFromUrl: 0,
    listCaptions: 0,
    getDownloads: 0,
    createClip: 0,
    addCaption: 0,
    removeCaption: 0,
    generateCaptions: 0,
  };
  const captionTexts = new Map<string, string>();
  for (const asset of initial.assets ?? []) assets.set(asset.id, asset);

  const setting = <K extends keyof typeof defaults>(key: K): (typeof defaults)[K] => (options[key] as (typeof defaults)[K] | undefined) ?? defaults[key];
  const latency = (signal?: AbortSignal) => sleep(setting("latencyMs"), signal);

  const putAsset = (asset: VideoAsset) => {
    assets.set(asset.id, asset);
    for (const listener of [...(watchers.get(asset.id) ?? [])]) listener(asset);
  };

  const playbackFor = (assetId: string, playbackId: string): VideoPlayback =>
    options.playback?.({ assetId, playbackId }) ?? { src: memoryPlaybackSrc, poster: memoryPosterSrc, policy: "public" };

  /**
   * Creates a `preparing` asset and settles it after `processingMs`: `errored` with `failure` (or `assetError`),
   * else `ready`. Returns the preparing asset.
   */
  const processAsset = (fields: { uploadId?: string | undefined; passthrough?: string | undefined; duration?: number | undefined }, failure?: { type: string; message: string }, captions: GenerateCaptionsRequest[] = []): VideoAsset => {
    const n = nextId++;
    const assetId = `asset-${n}`;
    const playbackId = `playback-${n}`;
    const base = { id: assetId, ...(fields.uploadId === undefined ? {} : { uploadId: fields.uploadId }), ...(fields.passthrough === undefined ? {} : { passthrough: fields.passthrough }) };
    const preparing: VideoAsset = { ...base, status: "preparing" };
    putAsset(preparing);
    setTimeout(() => {
      // Discarded while it processed: nothing to settle.
      if (!assets.has(assetId)) return;
      const scripted = options.assetError;
      const reason = failure ?? (scripted ? (typeof scripted === "object" ? scripted : { type: "invalid_input", message: "The file could not be decoded as a video." }) : undefined);
      if (reason) {
        putAsset({ ...base, status: "errored", errors: [reason] });
        return;
      }
      putAsset({
        ...base,
        status: "ready",
        playbackId,
        duration: fields.duration ?? setting("duration"),
        aspectRatio: setting("aspectRatio"),
        playback: playbackFor(assetId, playbackId),
      });
      // Captions asked for at upload time start once the asset is ready, as Mux's do.
      if (initial.captions !== false) for (const req of captions) startTrack(assetId, generatedTrack(req), generatedOutcome);
    }, setting("processingMs"));
    return { ...preparing };
  };

  /** The last byte arrived: create the asset, then finish processing after `processingMs`. */
  const finishUpload = (record: UploadRecord) => {
    const asset = processAsset({ uploadId: record.info.uploadId }, undefined, record.generatedCaptions);
    record.info = { ...record.info, status: "asset_created", assetId: asset.id };
  };

  const findAsset = (assetId: string): VideoAsset => {
    const asset = assets.get(assetId);
    if (!asset) throw createVideoError("not_found", { status: 404 });
    return asset;
  };

  const notReady = () => createVideoError("bad_request", { status: 409, details: { reason: "asset is not ready" } });

  /** The asset, which must be ready: 409 `bad_request` while it processes, as the routes answer. */
  const readyAsset = (assetId: string): VideoAsset => {
    const asset = findAsset(assetId);
    if (asset.status !== "ready") throw notReady();
    return asset;
  };

  /** Adds a `preparing` track to the asset and settles it after `captionProcessingMs`. */
  const startTrack = (assetId: string, track: CaptionTrack, outcome: () => { type: string; message: string } | undefined): CaptionTrack => {
    const asset = findAsset(assetId);
    putAsset({ ...asset, captions: [...(asset.captions ?? []), track] });
    setTimeout(() => {
      const current = assets.get(assetId);
      if (!current?.captions?.some((t) => t.id === track.id)) return;
      const error = outcome();
      const settled: CaptionTrack = error ? { ...track, status: "errored", error } : { ...track, status: "ready" };
      putAsset({ ...current, captions: current.captions.map((t) => (t.id === track.id ? settled : t)) });
    }, options.captionProcessingMs ?? 1500);
    return { ...track };
  };

  const generatedTrack = (req: GenerateCaptionsRequest): CaptionTrack => ({
    id: `track-${nextId++}`,
    languageCode: req.languageCode,
    name: req.name ?? `${req.languageCode} (generated)`,
    closedCaptions: false,
    status: "preparing",
    source: "generated",
  });

  const generatedOutcome = (): { type: string; message: string } | undefined => {
    const outcome = options.generatedCaptions ?? "ready";
    if (outcome === "ready") return undefined;
    return typeof outcome === "object" ? outcome : { type: "not_emulated", message: "speech-to-text is not emulated" };
  };

  const findUpload = (uploadId: string): UploadRecord => {
    const record = uploads.get(uploadId);
    if (!record) throw createVideoError("not_found", { status: 404 });
    return record;
  };

  const transport: MemoryTransport = {
    calls,

    async createUpload(req: CreateUploadRequest, { signal }) {
      calls.createUpload++;
      await latency(signal);
      if (options.createUploadError) throw createVideoError(options.createUploadError);
      const uploadId = `upload-${nextId++}`;
      uploads.set(uploadId, { info: { uploadId, status: "waiting" }, size: req.file.size, received: 0, generatedCaptions: req.generatedCaptions ?? [] });
      return { uploadId, url: `memory://uploads/${uploadId}` };
    },

    async sendFile(file, target, send) {
      const { signal, resumeFrom } = send;
      calls.sendFile++;
      const record = findUpload(target.uploadId);
      if (record.info.status !== "waiting") throw createVideoError("upload_url_expired", { status: 410 });
      // Resuming continues from what the fake server committed, whatever the hint says.
      if (resumeFrom === undefined) record.received = 0;
      await latency(signal);
      send.onProgress(record.received);
      while (record.received < file.size) {
        await sleep(setting("tickMs"), signal);
        const step = Math.max(1, Math.round((setting("bytesPerSecond") * setting("tickMs")) / 1000));
        const next = Math.min(file.size, record.received + step);
        const failAt = options.failAt;
        if (failAt && failuresLeft > 0 && record.received < failAt.byte && failAt.byte <= next) {
          failuresLeft--;
          record.received = failAt.byte;
          send.onProgress(record.received);
          throw createVideoError(failAt.code ?? "network");
        }
        record.received = next;
        send.onProgress(record.received);
      }
      finishUpload(record);
    },

    async getUpload(uploadId, { signal }) {
      calls.getUpload++;
      await latency(signal);
      return { ...findUpload(uploadId).info };
    },

    async getAsset(assetId, { signal }) {
      calls.getAsset++;
      await latency(signal);
      const asset = assets.get(assetId);
      if (!asset) throw createVideoError("not_found", { status: 404 });
      return asset;
    },

    async cancelUpload(uploadId) {
      calls.cancelUpload++;
      await latency();
      const record = findUpload(uploadId);
      if (record.info.status === "waiting") record.info = { ...record.info, status: "cancelled" };
    },

    async discardUpload(uploadId) {
      calls.discardUpload++;
      await latency();
      const record = findUpload(uploadId);
      if (record.info.status === "waiting") record.info = { ...record.info, status: "cancelled" };
      else if (record.info.assetId !== undefined) assets.delete(record.info.assetId);
    },

    receivedBytes: (uploadId) => uploads.get(uploadId)?.received ?? 0,
    uploadInfo: (uploadId) => {
      const info = uploads.get(uploadId)?.info;
      return info ? { ...info } : undefined;
    },
    update(next) {
      options = { ...options, ...next };
      if (next.failAt) failuresLeft = next.failAt.times ?? 1;
    },
    putAsset,
    captionText: (trackId) => captionTexts.get(trackId),
    async request({ url, headers, body, signal }) {
      const answer = (status: number, values: Record<string, string> = {}) => ({ status, header: (name: string) => values[name.toLowerCase()] ?? null });
      const record = uploads.get(url.split("/").pop() ?? "");
      if (!record) return answer(404);
      await latency(signal);
      if (record.info.status === "cancelled") return answer(410);
      if (record.info.status !== "waiting") return answer(200);
      const committed = () => (record.received > 0 ? { range: `bytes=0-${record.received - 1}` } : {});
      const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(headers["content-range"] ?? headers["Content-Range"] ?? "");
      const total = range?.[3] === undefined || range[3] === "*" ? undefined : Number(range[3]);
      if (body && range?.[1] !== undefined) {
        // Only the next bytes are taken; anything else is answered with what the server has.
        if (Number(range[1]) !== record.received) return answer(308, committed());
        const bytes = new Uint8Array(await body.arrayBuffer());
        record.received += bytes.byteLength;
        record.size = Math.max(record.size, record.received);
      }
      if (total !== undefined && record.received >= total) {
        record.size = total;
        finishUpload(record);
        return answer(200);
      }
      return answer(308, committed());
    },
  };

  if (initial.captions !== false) {
    transport.listCaptions = async (assetId, { signal }) => {
      calls.listCaptions++;
      await latency(signal);
      return (findAsset(assetId).captions ?? []).map((track) => ({ ...track }));
    };
    transport.addCaption = async (assetId: string, req: AddCaptionRequest, { signal }) => {
      calls.addCaption++;
      await latency(signal);
      readyAsset(assetId);
      const text = await req.file.text();
      // The server's check (the same rules as the browser's), answered as createVideoRoutes answers it.
      const checked = validateCaptionText(text);
      if (!checked.ok) {
        const { problem } = checked.error.details as unknown as CaptionErrorDetails;
        if (problem === "empty") throw createVideoError("file_empty", { status: 400 });
        throw createVideoError("file_type_not_allowed", { status: 415, details: { problem } });
      }
      const track: CaptionTrack = {
        id: `track-${nextId++}`,
        languageCode: req.languageCode,
        name: req.name ?? req.languageCode,
        closedCaptions: req.closedCaptions,
        status: "preparing",
        source: "uploaded",
      };
      captionTexts.set(track.id, text);
      return startTrack(assetId, track, () => {
        const failure = options.captionError;
        if (!failure) return undefined;
        return typeof failure === "object" ? failure : { type: "invalid_input", message: "The caption file could not be read." };
      });
    };
    transport.removeCaption = async (assetId, trackId, { signal }) => {
      calls.removeCaption++;
      await latency(signal);
      const asset = findAsset(assetId);
      if (!asset.captions?.some((t) => t.id === trackId)) throw createVideoError("not_found", { status: 404 });
      captionTexts.delete(trackId);
      putAsset({ ...asset, captions: asset.captions.filter((t) => t.id !== trackId) });
    };
    transport.generateCaptions = async (assetId: string, req: GenerateCaptionsRequest, { signal }) => {
      calls.generateCaptions++;
      await latency(signal);
      readyAsset(assetId);
      return startTrack(assetId, generatedTrack(req), generatedOutcome);
    };
  }

  if (initial.downloads !== false) {
    const resolutions = initial.downloads ?? ["highest", "audio-only"];
    transport.getDownloads = async (assetId, { signal }) => {
      calls.getDownloads++;
      await latency(signal);
      const asset = findAsset(assetId);
      return resolutions.map((resolution): VideoDownload => {
        const kind = resolution === "audio-only" ? "audio" : "video";
        const name = kind === "audio" ? "audio.m4a" : `${resolution}.mp4`;
        if (asset.status !== "ready") return { name, kind, resolution, status: asset.status === "errored" ? "errored" : "preparing" };
        return { name, kind, resolution, status: "ready", url: asset.playback?.src ?? memoryPlaybackSrc };
      });
    };
  }

  if (initial.clips !== false) {
    transport.createClip = async (assetId, req: CreateClipRequest, { signal }) => {
      calls.createClip++;
      await latency(signal);
      if (options.createUploadError) throw createVideoError(options.createUploadError);
      const source = readyAsset(assetId);
      if (source.duration === undefined) throw notReady();
      if (!(req.startTime >= 0 && req.endTime > req.startTime && req.endTime <= source.duration)) {
        throw createVideoError("bad_request", { status: 400, details: { reason: "times outside the asset" } });
      }
      return processAsset({ passthrough: source.passthrough, duration: Math.round((req.endTime - req.startTime) * 1000) / 1000 });
    };
  }

  if (initial.imports !== false) {
    transport.importFromUrl = async (req: ImportFromUrlRequest, { signal }) => {
      calls.importFromUrl++;
      await latency(signal);
      if (options.createUploadError) throw createVideoError(options.createUploadError);
      const reason = memoryUrlRefusal(req.url);
      if (reason) throw new VideoError("url_refused", defaultUrlRefusalMessages[reason], { status: 422, details: { reason } });
      const failure = req.url.includes("not-found")
        ? { type: "invalid_input", message: "Failed to download input file: the source answered 404 Not Found." }
        : req.url.includes("not-a-video")
          ? { type: "invalid_input", message: "The input file is not a video: its bytes are not an MP4, MOV, WebM or Matroska container." }
          : undefined;
      return processAsset({ passthrough: req.lessonId }, failure);
    };
  }

  if (initial.push) {
    transport.watchAsset = (assetId, onChange) => {
      calls.watchAsset++;
      let set = watchers.get(assetId);
      if (!set) watchers.set(assetId, (set = new Set()));
      const listener = (asset: VideoAsset) => onChange(asset);
      set.add(listener);
      const current = assets.get(assetId);
      // Deliver the current state first, as the HTTP transport's event stream does.
      if (current) setTimeout(() => set.has(listener) && onChange(current), 0);
      return () => {
        set.delete(listener);
      };
    };
  }
  if (options.progress !== false) {
    const settings = typeof options.progress === "object" ? options.progress : {};
    const progress = new Map<string, LessonProgress>((settings.saved ?? []).map((saved) => [saved.lessonId, saved]));
    const empty = (lessonId: string, duration: number): LessonProgress => ({ lessonId, position: 0, duration, watched: [], watchedSeconds: 0, completedAt: null, updatedAt: null });
    transport.getProgress = async (lessonId) => {
      await latency();
      return progress.get(lessonId) ?? empty(lessonId, options.duration ?? 0);
    };
    transport.saveProgress = async (lessonId, update) => {
      await latency();
      if (settings.failSaves) throw createVideoError("network");
      const before = progress.get(lessonId) ?? empty(lessonId, options.duration ?? update.duration ?? 0);
      const duration = before.duration > 0 ? before.duration : (update.duration ?? 0);
      const watched = mergeWatchedRanges([...before.watched, ...update.watched], duration > 0 ? duration : undefined);
      const watchedSeconds = watchedSecondsOf(watched);
      const complete = duration > 0 && watchedSeconds >= (settings.completionThreshold ?? 0.9) * duration;
      const now = new Date().toISOString();
      const saved: LessonProgress = {
        lessonId,
        position: Math.min(Math.max(0, update.position), duration > 0 ? duration : update.position),
        duration,
        watched,
        watchedSeconds,
        completedAt: before.completedAt ?? (complete ? now : null),
        updatedAt: now,
      };
      progress.set(lessonId, saved);
      return saved;
    };
  }
  return transport;
}
