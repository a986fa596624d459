import { createVideoError, errorForStatus, toVideoError, type VideoError } from "./errors.js";
import { type ChunkRequester, type ChunkResponse, createDefaultRequester } from "./chunk-requester.js";
import { GrowingSourceReader } from "./growing-source.js";
import type { OnlineSource } from "./online-manager.js";
import { type RetryContext, type RetryPolicy, resolveRetryPolicy, withRetry } from "./retryer.js";

/** Chunk sizes are multiples of this (Google Cloud Storage resumable uploads require it). */
export const CHUNK_GRANULARITY = 256 * 1024;
/** The first chunk's size, unless a size is given. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
/**
 * Every chunk's size for a growing source (a recording), unless a size is given: small, because its bytes arrive at
 * the recording's pace and what has not filled a chunk is what is left to send after Stop.
 */
export const GROWING_CHUNK_SIZE = 1024 * 1024;
/** The adaptive size's bounds: 1 MiB on a slow or failing link, 128 MiB on a fast one. */
export const MIN_ADAPTIVE_CHUNK_SIZE = 1024 * 1024;
export const MAX_ADAPTIVE_CHUNK_SIZE = 128 * 1024 * 1024;
/** A chunk faster than this doubles the next one (its round trip is a large share of its time); slower than `SHRINK_ABOVE_MS` halves it. */
const GROW_BELOW_MS = 2_000;
const SHRINK_ABOVE_MS = 20_000;

export interface ChunkedSendOptions {
  signal: AbortSignal;
  /** Bytes the server holds (committed plus the part of the current chunk already sent). */
  onProgress(sentBytes: number): void;
  /**
   * Set when resuming (any value, even 0): the sender first asks the server which byte it holds
   * (`bytes *\/total`) and continues from there, not from this hint.
   */
  resumeFrom?: number | undefined;
  /**
   * Bytes per PUT, rounded up to a multiple of 256 KiB. Default: adaptive, from 8 MiB: a chunk sent in under 2 s
   * doubles the next (fewer round trips on a fast link, up to 128 MiB), one over 20 s or a failed one halves it (down
   * to 1 MiB, so a slow link still makes progress it can keep). A growing source's chunks stay 1 MiB (the reader
   * holds one chunk in memory, and what has not filled one is what is left to send after a recording stops).
   */
  chunkSize?: number | undefined;
  /** The clock that times chunks for the adaptive size (milliseconds). Default: `performance.now`. */
  now?: (() => number) | undefined;
  /** Extra headers on every PUT (from `UploadTarget.headers`). */
  headers?: Record<string, string> | undefined;
  /** How a PUT goes out. Default: XHR in browsers, `fetch` elsewhere. */
  request?: ChunkRequester | undefined;
  retry?: { [Field in keyof RetryPolicy]?: RetryPolicy[Field] | undefined } | undefined;
  /** When given, a retry waits until the browser is online again. */
  online?: OnlineSource | undefined;
  /** Called before each retry, with the byte the upload continues from. */
  onRetry?: ((context: RetryContext) => void) | undefined;
}

export { GrowingSourceReader } from "./growing-source.js";

/** Rounds a chunk size up to a multiple of 256 KiB (at least one unit). */
export function normaliseChunkSize(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_GRANULARITY)) * CHUNK_GRANULARITY;
}

/**
 * The next chunk's size: fixed when one was given, else adapted to how long the last full chunk took (see
 * `ChunkedSendOptions.chunkSize`). Sizes stay multiples of 256 KiB.
 */
export class ChunkSizer {
  #size: number;
  readonly #fixed: boolean;

  constructor(given: number | undefined) {
    this.#fixed = given !== undefined;
    this.#size = normaliseChunkSize(given ?? DEFAULT_CHUNK_SIZE);
  }

  get size(): number {
    return this.#size;
  }

  /** A chunk of `bytes` reached the server in `ms`. A short last chunk says nothing about the link. */
  sent(bytes: number, ms: number): void {
    if (this.#fixed || bytes < this.#size) return;
    if (ms < GROW_BELOW_MS) this.#size = Math.min(this.#size * 2, MAX_ADAPTIVE_CHUNK_SIZE);
    else if (ms > SHRINK_ABOVE_MS) this.failed();
  }

  /** A chunk failed: the next is smaller, so less is sent again if the link keeps failing. */
  failed(): void {
    if (!this.#fixed) this.#size = Math.max(MIN_ADAPTIVE_CHUNK_SIZE, normaliseChunkSize(this.#size / 2));
  }
}

type Step = { done: true } | { done: false; offset: number };

/** `Range: bytes=0-N` → N + 1, the next byte the server wants. */
function nextByteFromRange(range: string | null): number | undefined {
  const match = range?.match(/bytes=\d+-(\d+)/);
  return match ? Number(match[1]) + 1 : undefined;
}

/** A byte request failing with this status means the session is gone (GCS answers 404 or 410). */
const expiredStatuses = new Set([404, 410]);

function errorForResponse(response: ChunkResponse): VideoError {
  if (expiredStatuses.has(response.status)) return createVideoError("upload_url_expired", { status: response.status, retryable: true });
  return errorForStatus(response.status, response.header("Retry-After"));
}

/** What a byte request's answer means: done (200/201), continue from `Range` (308; `fallback` without one), else an error. */
function stepOf(response: ChunkResponse, fallback: number, fail: (response: ChunkResponse) => VideoError = errorForResponse): Step {
  if (response.status === 200 || response.status === 201) return { done: true };
  if (response.status !== 308) throw fail(response);
  return { done: false, offset: nextByteFromRange(response.header("Range")) ?? fallback };
}

/**
 * Resolves once `source` is online (at once if it already is); rejects when `signal` aborts. The byte requests'
 * wait between retries; here, with the upload's code, not in online-manager.ts, which the first load carries.
 */
export function waitForOnline(source: OnlineSource, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(createVideoError("aborted"));
  if (source.isOnline()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = source.subscribe((online) => {
      if (!online) return;
      cleanup();
      resolve();
    });
    const onAbort = () => {
      cleanup();
      reject(createVideoError("aborted"));
    };
    const cleanup = () => {
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The one retry policy for byte requests: transient failures, waiting for the browser to be online again. */
function byteRetryOptions({ signal, retry, onRetry, online }: ChunkedSendOptions) {
  return {
    signal,
    policy: resolveRetryPolicy(retry),
    shouldRetry: isTransientByteError,
    toError: toVideoError,
    ...(onRetry ? { onRetry } : {}),
    ...(online ? { waitUntilReady: (s: AbortSignal) => waitForOnline(online, s) } : {}),
  };
}

/** Network failures, 408, 429 and 5xx: a retry of the same request can work. Other 4xx cannot. */
export function isTransientByteError(error: VideoError): boolean {
  if (error.code === "network") return true;
  const status = error.status;
  return status !== undefined && (status === 408 || status === 429 || status >= 500);
}

/** False when the bytes can no longer be read, as when the picked file changed on disk. */
async function isReadable(blob: Blob): Promise<boolean> {
  try {
    await blob.slice(0, 1).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `file` to a resumable upload URL with the protocol of Mux direct uploads (Google Cloud Storage
 * resumable semantics): one PUT per chunk with `Content-Range: bytes start-end/total`, `308` + `Range`
 * meaning "continue from here", `200`/`201` meaning done, and an empty PUT with `bytes *\/total` asking
 * which byte the server has before resuming. Reads the file with `Blob.slice`, one chunk at a time.
 * Resolves when the server has every byte; rejects with a `VideoError` (`aborted` when `signal` aborts).
 *
 * A `GrowingSourceReader` (a stream of unknown length) is sent as it fills: full chunks with
 * `bytes start-end/*`, the last one with the total (or an empty `bytes *\/total` when the stream ended on a chunk
 * boundary), offset queries with `bytes *\/*`. Call again with the same reader and `resumeFrom` to resume: it
 * holds the bytes the server has not acknowledged.
 */
export async function sendChunks(file: Blob | GrowingSourceReader, url: string, options: ChunkedSendOptions): Promise<void> {
  if (file instanceof GrowingSourceReader) return sendGrowing(file, url, options);
  const total = file.size;
  if (total === 0) throw createVideoError("file_empty");
  const sizer = new ChunkSizer(options.chunkSize);
  const now = options.now ?? (() => performance.now());
  const request = options.request ?? createDefaultRequester();
  const { signal } = options;
  const baseHeaders = options.headers ?? {};

  const queryOffset = async (): Promise<Step> => {
    const response = await request({ url, headers: { ...baseHeaders, "Content-Range": `bytes */${total}` }, body: null, signal });
    // 308 without Range: the server holds nothing yet.
    return stepOf(response, 0);
  };

  const putChunk = async (start: number): Promise<Step> => {
    const end = Math.min(start + sizer.size, total);
    const body = file.slice(start, end, file.type);
    if (body.size !== end - start) throw createVideoError("file_changed", { details: { offset: start } });
    let response: ChunkResponse;
    const began = now();
    try {
      response = await request({
        url,
        headers: { ...baseHeaders, "Content-Range": `bytes ${start}-${end - 1}/${total}` },
        body,
        signal,
        onUploadProgress: (loaded) => options.onProgress(start + Math.min(loaded, end - start)),
      });
    } catch (error) {
      // Browsers fail a request whose file changed on disk after it was picked like a dropped
      // connection; retrying cannot help, so tell the user to pick the file again.
      if (!signal.aborted && !(await isReadable(body))) throw createVideoError("file_changed", { cause: error, details: { offset: start } });
      throw error;
    }
    // Trust `Range` when the server exposes it (it may hold less than sent); without it (CORS hides the
    // header) assume the chunk arrived, as upchunk does.
    const step = stepOf(response, end);
    sizer.sent(end - start, now() - began);
    return step;
  };

  const retryOptions = byteRetryOptions(options);
  const onRetry = retryOptions.onRetry;
  const retrying = {
    ...retryOptions,
    onRetry: (context: RetryContext) => {
      sizer.failed();
      onRetry?.(context);
    },
  };

  let offset = 0;
  if (options.resumeFrom !== undefined) {
    const step = await withRetry(() => queryOffset(), retryOptions);
    if (step.done) {
      options.onProgress(total);
      return;
    }
    offset = step.offset;
    options.onProgress(offset);
  }

  for (;;) {
    const from = offset;
    const step = await withRetry(async (retry) => {
      if (retry === 0) return from >= total ? queryOffset() : putChunk(from);
      // After a failure the server may hold part of the chunk: ask before sending again.
      const known = await queryOffset();
      if (known.done) return known;
      options.onProgress(known.offset);
      return known.offset >= total ? queryOffset() : putChunk(known.offset);
    }, retrying);
    if (step.done) {
      options.onProgress(total);
      return;
    }
    if (step.offset >= total && from >= total) throw createVideoError("server", { details: { reason: "server has every byte but did not finish the upload" } });
    offset = step.offset;
    options.onProgress(offset);
  }
}

/** `sendChunks` for a source of unknown length: see there. */
async function sendGrowing(source: GrowingSourceReader, url: string, options: ChunkedSendOptions): Promise<void> {
  // Fixed: the reader holds a chunk's bytes until the server acknowledges them.
  const chunkSize = normaliseChunkSize(options.chunkSize ?? GROWING_CHUNK_SIZE);
  const request = options.request ?? createDefaultRequester();
  const { signal } = options;
  const baseHeaders = options.headers ?? {};
  // A session that is gone cannot be started again once the stream moved past its first bytes.
  const failed = (response: ChunkResponse): VideoError => {
    const error = errorForResponse(response);
    return error.code === "upload_url_expired" && source.start > 0 ? createVideoError("upload_url_expired", { status: response.status, retryable: false }) : error;
  };

  const query = async (): Promise<Step> => {
    const response = await request({ url, headers: { ...baseHeaders, "Content-Range": `bytes */${source.total ?? "*"}` }, body: null, signal });
    return stepOf(response, 0, failed);
  };

  const put = async (start: number): Promise<Step> => {
    const body = await source.chunk(start, chunkSize, signal);
    // The stream ended exactly where the server is: an empty request declares the total.
    if (body.size === 0) {
      if (source.total === 0) throw createVideoError("file_empty");
      return query();
    }
    const end = start + body.size;
    const total = source.total === end ? String(end) : "*";
    const response = await request({
      url,
      headers: { ...baseHeaders, "Content-Range": `bytes ${start}-${end - 1}/${total}` },
      body,
      signal,
      onUploadProgress: (loaded) => options.onProgress(start + Math.min(loaded, end - start)),
    });
    return stepOf(response, end, failed);
  };

  const retryOptions = byteRetryOptions(options);

  let offset = 0;
  if (options.resumeFrom !== undefined) {
    const step = await withRetry(() => query(), retryOptions);
    if (step.done) return options.onProgress(source.bytesRead);
    offset = step.offset;
    options.onProgress(offset);
  }
  for (;;) {
    const from = offset;
    const step = await withRetry(async (retry) => {
      if (retry === 0) return put(from);
      // After a failure the server may hold part of the chunk: ask before sending again.
      const known = await query();
      if (known.done) return known;
      options.onProgress(known.offset);
      return put(known.offset);
    }, retryOptions);
    if (step.done) return options.onProgress(source.bytesRead);
    offset = step.offset;
    options.onProgress(offset);
  }
}
