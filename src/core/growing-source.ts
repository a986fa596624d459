/**
 * Reading a `GrowingSource` (a stream of unknown length) for the chunked sender: the stream cannot rewind, so the
 * reader keeps the bytes the server has not acknowledged, one chunk at most plus the piece that crossed its end,
 * and reads no further ahead (the stream's own queue holds the rest). Loaded with the upload's work.
 */
import { createVideoError, isAbortError, isVideoError, type VideoError } from "./errors.js";
import type { GrowingSource, UploadLimits } from "./types.js";
import { resolveUploadLimits } from "./upload-limits.js";

type Part = Blob | Uint8Array;

const sizeOf = (part: Part): number => (part instanceof Blob ? part.size : part.byteLength);

/** Rejects with an `aborted` error when `signal` aborts first; the read itself goes on and is kept. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(createVideoError("aborted", { cause: signal.reason }));
    };
  });
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return Promise.race([promise, aborted]).finally(() => {
    signal.removeEventListener("abort", onAbort);
  });
}

/**
 * One run's reading of a `GrowingSource`. `chunk(from, size)` returns the bytes from `from` (which must not be
 * before what it still holds) and forgets the ones before it: the server has them. A read that a pause or cancel
 * cut short is kept and awaited by the next call, so no byte is lost.
 */
export class GrowingSourceReader {
  /** The source being read (its name and type go with the chunks). */
  readonly source: GrowingSource;
  /** The most bytes the source may produce; more fail with `file_too_large`. */
  readonly maxSize: number;
  readonly #onEnd: ((total: number) => void) | undefined;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Offset of the first byte still held: the server has every byte before it. */
  #start = 0;
  #parts: Part[] = [];
  #held = 0;
  #ended = false;
  #failure: VideoError | undefined;
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  constructor(source: GrowingSource, options: { maxSize: number; onEnd?: ((total: number) => void) | undefined }) {
    this.source = source;
    this.maxSize = options.maxSize;
    this.#onEnd = options.onEnd;
    this.#reader = source.stream.getReader();
  }

  /** Bytes read from the stream so far. */
  get bytesRead(): number {
    return this.#start + this.#held;
  }

  /** The total, once the stream has ended. */
  get total(): number | undefined {
    return this.#ended ? this.bytesRead : undefined;
  }

  /** Offset of the first byte still held; a send cannot start before it. */
  get start(): number {
    return this.#start;
  }

  /** The first `count` bytes (fewer if the stream ends first), kept for the send: validation sniffs them. */
  async head(count: number, signal?: AbortSignal): Promise<Uint8Array> {
    await this.#fill(count, signal);
    const head = new Uint8Array(Math.min(count, this.#held));
    let at = 0;
    for (const part of this.#parts) {
      if (at >= head.length) break;
      const bytes = part instanceof Blob ? new Uint8Array(await part.slice(0, head.length - at).arrayBuffer()) : part.subarray(0, head.length - at);
      head.set(bytes, at);
      at += bytes.length;
    }
    return head;
  }

  /**
   * The bytes `[from, from + size)` as one Blob, fewer when the stream ends first (none when it ended at `from`).
   * Bytes before `from` are dropped; `from` before `start` fails with `file_changed` (a stream cannot rewind).
   */
  async chunk(from: number, size: number, signal?: AbortSignal): Promise<Blob> {
    if (from < this.#start || from > this.bytesRead) {
      throw createVideoError("file_changed", { retryable: false, details: { offset: from, held: this.#start, reason: "a stream cannot resend bytes it no longer holds" } });
    }
    this.#drop(from - this.#start);
    await this.#fill(size, signal);
    // The chunk's bytes become one Blob (the pieces it was read in can go), the overshoot stays a piece.
    const take: Part[] = [];
    let taken = 0;
    for (let part = this.#parts[0]; taken < size && part !== undefined; part = this.#parts[0]) {
      const want = size - taken;
      if (sizeOf(part) <= want) {
        take.push(part);
        this.#parts.shift();
        taken += sizeOf(part);
      } else {
        take.push(part instanceof Blob ? part.slice(0, want) : part.subarray(0, want));
        this.#parts[0] = part instanceof Blob ? part.slice(want) : part.subarray(want);
        taken += want;
      }
    }
    const body = new Blob(take as BlobPart[], { type: this.source.type });
    this.#parts.unshift(body);
    return body;
  }

  /** Stops reading: the run is over (cancelled or replaced). */
  cancel(reason?: unknown): void {
    this.#parts = [];
    this.#held = 0;
    this.#reader.cancel(reason).catch(() => undefined);
  }

  #drop(count: number): void {
    let left = count;
    for (let part = this.#parts[0]; left > 0 && part !== undefined; part = this.#parts[0]) {
      const size = sizeOf(part);
      if (size <= left) {
        this.#parts.shift();
        left -= size;
      } else {
        this.#parts[0] = part instanceof Blob ? part.slice(left) : part.subarray(left);
        left = 0;
      }
    }
    this.#start += count;
    this.#held -= count;
  }

  /** Reads until `count` bytes are held or the stream ended. */
  async #fill(count: number, signal: AbortSignal | undefined): Promise<void> {
    while (this.#held < count && !this.#ended) {
      if (this.#failure) throw this.#failure;
      this.#pending ??= this.#reader.read();
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await unlessAborted(this.#pending, signal);
      } catch (error) {
        if (isAbortError(error) && signal?.aborted) throw error;
        this.#pending = undefined;
        this.#failure = isVideoError(error) ? error : createVideoError("file_changed", { cause: error, retryable: false, details: { reason: "the source stream failed" } });
        throw this.#failure;
      }
      this.#pending = undefined;
      if (result.done) {
        this.#ended = true;
        this.#onEnd?.(this.bytesRead);
        return;
      }
      if (result.value.byteLength === 0) continue;
      this.#parts.push(result.value);
      this.#held += result.value.byteLength;
      if (this.bytesRead > this.maxSize) {
        this.#failure = createVideoError("file_too_large", { details: { maxFileSize: this.maxSize, size: this.bytesRead } });
        throw this.#failure;
      }
    }
  }
}

/** A run's reader of `source`: at most `source.maxSize` bytes, else the `maxFileSize` limit; `onEnd` hears the total. */
export function readGrowingSource(
  source: GrowingSource,
  limits: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined } | undefined,
  onEnd: (total: number) => void,
): GrowingSourceReader {
  return new GrowingSourceReader(source, { maxSize: source.maxSize ?? resolveUploadLimits(limits).maxFileSize, onEnd });
}
