import { createVideoError, type VideoError } from "./errors.js";
import { Subscribable } from "./subscribable.js";
import type { RecordingStore } from "./recording-store.js";
import type { GrowingSource } from "./types.js";

/**
 * Where a recording is: `ready` (made, not started), `recording`, `paused`, `stopped` (every byte produced; the
 * source's stream has ended), or `error` (the recorder failed; what was recorded so far is still in the stream).
 */
export type RecordingStatus = "ready" | "recording" | "paused" | "stopped" | "error";

/** Why a recording stopped: the user, a cap the host set, or a track that ended (a camera unplugged, screen sharing stopped from the browser's bar). */
export type RecordingStopReason = "user" | "max_duration" | "max_bytes" | "track_ended";

export interface RecordingSnapshot {
  status: RecordingStatus;
  /** Time recorded, pauses left out, ms. */
  elapsedMs: number;
  /** Bytes the recorder produced so far. */
  bytes: number;
  /** What the recorder writes (e.g. `video/webm;codecs=vp9,opus`). */
  mimeType: string;
  stopReason?: RecordingStopReason | undefined;
  error?: VideoError | undefined;
}

export interface MediaRecordingOptions {
  /** What to record: a camera, a screen, a canvas, or any stream the host composed. */
  stream: MediaStream;
  /**
   * Tracks whose end stops the recording with what was recorded (a camera unplugged, screen sharing stopped from the
   * browser's bar). Default: the `stream`'s tracks. `RecordingMedia.recordingStream()` says which they are for a
   * composed stream, whose own tracks never end by themselves.
   */
  endsWith?: readonly MediaStreamTrack[] | undefined;
  /** The recorder's type. Default: the first of `recordingMimeTypes` the browser can record. */
  mimeType?: string | undefined;
  /** How often the recorder hands over what it recorded, ms. Default 1000: the upload follows a second behind. */
  timesliceMs?: number | undefined;
  videoBitsPerSecond?: number | undefined;
  audioBitsPerSecond?: number | undefined;
  /** Stops by itself after this long (pauses left out), ms. */
  maxDurationMs?: number | undefined;
  /** Stops by itself once it produced this many bytes (a chunk may go past it by up to one timeslice). */
  maxBytes?: number | undefined;
  /** File name of the upload; its extension follows the type. Default `recording-<date>`. */
  name?: string | undefined;
  /** The `MediaRecorder` constructor (tests, polyfills). Default `globalThis.MediaRecorder`. */
  MediaRecorder?: typeof MediaRecorder | undefined;
  /** Called with every piece the recorder hands over, in order. */
  onData?: ((piece: Blob, offset: number) => void) | undefined;
  /**
   * Keeps every piece on the device (`createIndexedDbRecordingStore()`) so a crash or reload loses nothing: list and
   * read it again from the store. Remove the recording from the store once its upload reached processing.
   */
  store?: RecordingStore | undefined;
  /** This recording's id in the `store`. Default `crypto.randomUUID()`. */
  id?: string | undefined;
  /** Saved with the recording in the `store`, for the host to know what it was for. */
  lessonId?: string | undefined;
  now?: (() => number) | undefined;
}

/**
 * Types a recording is made in, best first: WebM with VP9 or VP8 and Opus (Chromium, Firefox), then MP4 (Safari
 * records fragmented MP4). Mux and the emulator process all of them.
 */
export const recordingMimeTypes: readonly string[] = [
  "video/webm;codecs=vp9,opus",
  "video/webm;codecs=vp8,opus",
  "video/webm",
  "video/mp4;codecs=avc1,mp4a",
  "video/mp4",
];

/** The first of `candidates` the browser's `MediaRecorder` can write; `undefined` without `MediaRecorder` or a match. */
export function pickRecordingMimeType(
  candidates: readonly string[] = recordingMimeTypes,
  isTypeSupported: ((type: string) => boolean) | undefined = supportCheckOf(globalMediaRecorder()),
): string | undefined {
  if (!isTypeSupported) return undefined;
  return candidates.find((type) => isTypeSupported(type));
}

const globalMediaRecorder = (): typeof MediaRecorder | undefined => (globalThis as { MediaRecorder?: typeof MediaRecorder }).MediaRecorder;
const supportCheckOf = (Recorder: typeof MediaRecorder | undefined): ((type: string) => boolean) | undefined =>
  Recorder ? (type) => Recorder.isTypeSupported(type) : undefined;

const extensionFor = (mimeType: string): string => (mimeType.startsWith("video/mp4") ? ".mp4" : mimeType.startsWith("audio/") ? ".weba" : ".webm");

/** The declared type sent with the upload: the container without its codecs (what the server's type check reads). */
const containerOf = (mimeType: string): string => (mimeType.split(";")[0] ?? mimeType).trim();

/**
 * One recording of a `MediaStream`, uploading while it records: `source` is a `GrowingSource` to hand to
 * `UploadController.start` (or `useUpload().start`) right away; the recorder's pieces flow into it as they come, so
 * the upload advances during the recording and only the tail is left after `stop()`. Pause and resume the recording
 * itself, caps on duration and size stop it by itself, and a track that ends (a camera unplugged, screen sharing
 * stopped from the browser's bar) stops it with what was recorded. Framework-free: `subscribe` + `getSnapshot`.
 *
 * @example
 * const camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
 * const recording = new MediaRecording({ stream: camera, maxDurationMs: 30 * 60_000 });
 * void controller.start(recording.source, { lessonId });
 * recording.start();
 * // …
 * const file = await recording.stop(); // the whole recording, for review
 */
export class MediaRecording extends Subscribable {
  readonly source: GrowingSource;
  /** This recording's id (in the `store`, when there is one). */
  readonly id: string;
  #startedAt = 0;
  readonly #options: MediaRecordingOptions;
  readonly #recorder: MediaRecorder;
  readonly #now: () => number;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #snapshot: RecordingSnapshot;
  /** Pieces in order: each is read to bytes before the next is queued, so the stream keeps the recorder's order. */
  #queue: Promise<void> = Promise.resolve();
  readonly #pieces: Blob[] = [];
  #bytes = 0;
  /** When the current stretch of recording started (none while paused or stopped), and the time before it. */
  #since: number | undefined;
  #before = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped: Promise<Blob>;
  #resolveStopped!: (blob: Blob) => void;
  #stopReason: RecordingStopReason = "user";
  readonly #endedTracks: (() => void)[] = [];

  /** Throws a `VideoError` `recording_unsupported` when the browser has no `MediaRecorder` or cannot record any type. */
  constructor(options: MediaRecordingOptions) {
    super();
    this.#options = options;
    this.id = options.id ?? crypto.randomUUID();
    this.#now = options.now ?? (() => performance.now());
    const Recorder = options.MediaRecorder ?? globalMediaRecorder();
    const mimeType = options.mimeType ?? pickRecordingMimeType(recordingMimeTypes, supportCheckOf(Recorder));
    if (!Recorder || !mimeType) throw createVideoError("recording_unsupported", { details: { mediaRecorder: Boolean(Recorder) } });
    this.#recorder = new Recorder(options.stream, {
      mimeType,
      // Chromium starts an MP4 fragment only at a key frame, and by default makes one key frame per recording: nothing
      // would upload until Stop. A key frame each timeslice gives a fragment each timeslice (Chromium's option;
      // others ignore it).
      ...(mimeType.startsWith("video/mp4") ? { videoKeyFrameIntervalDuration: options.timesliceMs ?? 1000 } : {}),
      ...(options.videoBitsPerSecond === undefined ? {} : { videoBitsPerSecond: options.videoBitsPerSecond }),
      ...(options.audioBitsPerSecond === undefined ? {} : { audioBitsPerSecond: options.audioBitsPerSecond }),
    });
    const type = containerOf(this.#recorder.mimeType || mimeType);
    this.source = {
      stream: new ReadableStream<Uint8Array>({ start: (controller) => void (this.#controller = controller) }),
      name: options.name ?? `recording-${new Date().toISOString().replace(/[:.]/g, "-")}${extensionFor(type)}`,
      type,
      ...(options.maxBytes === undefined ? {} : { maxSize: options.maxBytes + 64 * 1024 * 1024 }),
    };
    this.#snapshot = { status: "ready", elapsedMs: 0, bytes: 0, mimeType: this.#recorder.mimeType || mimeType };
    this.#stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    this.#recorder.ondataavailable = (event) => this.#take(event.data);
    this.#recorder.onstop = () => this.#finish();
    this.#recorder.onerror = (event) => this.#fail((event as Event & { error?: unknown }).error);
  }

  getSnapshot = (): RecordingSnapshot => this.#snapshot;

  /** Starts recording (once). */
  start(): void {
    if (this.#snapshot.status !== "ready") return;
    for (const track of this.#options.endsWith ?? this.#options.stream.getTracks()) {
      const onEnded = () => this.#stopBecause("track_ended");
      track.addEventListener("ended", onEnded);
      this.#endedTracks.push(() => track.removeEventListener("ended", onEnded));
    }
    this.#startedAt = Date.now();
    this.#recorder.start(this.#options.timesliceMs ?? 1000);
    this.#since = this.#now();
    this.#armDurationCap();
    this.#set({ status: "recording" });
  }

  /** Pauses the recording (not the upload: what was recorded keeps going up). */
  pause(): void {
    if (this.#snapshot.status !== "recording") return;
    this.#recorder.pause();
    // What the recorder holds goes up now rather than after the pause.
    this.#recorder.requestData();
    this.#before = this.#elapsed();
    this.#since = undefined;
    clearTimeout(this.#timer);
    this.#set({ status: "paused" });
  }

  resume(): void {
    if (this.#snapshot.status !== "paused") return;
    this.#recorder.resume();
    this.#since = this.#now();
    this.#armDurationCap();
    this.#set({ status: "recording" });
  }

  /**
   * Stops the recording: the last piece goes into the source and its stream ends (the upload then sends the tail and
   * learns the total). Resolves with the whole recording as one `Blob` (for review, or to download).
   */
  stop(): Promise<Blob> {
    this.#stopBecause("user");
    return this.#stopped;
  }

  /** Resolves with the whole recording once it stopped (by `stop()`, a cap, or an ended track). */
  get stopped(): Promise<Blob> {
    return this.#stopped;
  }

  /** The elapsed time now (the snapshot's `elapsedMs` is updated on each piece and state change). */
  elapsedMs(): number {
    return this.#elapsed();
  }

  #elapsed(): number {
    return this.#before + (this.#since === undefined ? 0 : this.#now() - this.#since);
  }

  #armDurationCap(): void {
    const cap = this.#options.maxDurationMs;
    if (cap === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#stopBecause("max_duration"), Math.max(0, cap - this.#elapsed()));
  }

  #stopBecause(reason: RecordingStopReason): void {
    const { status } = this.#snapshot;
    if (status !== "recording" && status !== "paused") return;
    this.#stopReason = reason;
    this.#before = this.#elapsed();
    this.#since = undefined;
    clearTimeout(this.#timer);
    for (const detach of this.#endedTracks.splice(0)) detach();
    if (this.#recorder.state !== "inactive") this.#recorder.stop();
  }

  #take(piece: Blob): void {
    if (piece.size === 0) return;
    const offset = this.#bytes;
    this.#bytes += piece.size;
    this.#pieces.push(piece);
    this.#options.onData?.(piece, offset);
    // A device that cannot keep the piece (quota, private mode) does not stop the recording: the upload still has it.
    this.#options.store
      ?.append(this.id, piece, { name: this.source.name, type: this.source.type, startedAt: this.#startedAt, lessonId: this.#options.lessonId })
      .catch(() => undefined);
    this.#queue = this.#queue.then(async () => {
      const bytes = new Uint8Array(await piece.arrayBuffer());
      try {
        this.#controller.enqueue(bytes);
      } catch {
        // The upload cancelled the stream (a new start, cancel): the recording goes on for review.
      }
    });
    this.#set({});
    const cap = this.#options.maxBytes;
    if (cap !== undefined && this.#bytes >= cap) this.#stopBecause("max_bytes");
  }

  #finish(): void {
    this.#queue = this.#queue.then(() => {
      try {
        this.#controller.close();
      } catch {
        // Already cancelled by the upload.
      }
    });
    void this.#queue.then(() => {
      if (this.#snapshot.status !== "error") this.#set({ status: "stopped", stopReason: this.#stopReason });
      this.#resolveStopped(new Blob(this.#pieces, { type: this.source.type }));
    });
  }

  #fail(cause: unknown): void {
    this.#stopBecause("user");
    this.#set({ status: "error", error: createVideoError("recording_failed", { cause }) });
  }

  #set(change: Partial<RecordingSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, elapsedMs: this.#elapsed(), bytes: this.#bytes, ...change };
    this.notifyListeners();
  }
}

/**
 * The typed error for what `getUserMedia` / `getDisplayMedia` rejected with: `media_permission_denied` (the person
 * or the browser said no), `media_device_missing` (no camera or microphone, or none that fits), `media_device_busy`
 * (another app holds it), else `recording_failed`. Each has a message people can act on.
 */
export function mediaAccessError(cause: unknown): VideoError {
  const name = typeof cause === "object" && cause !== null && "name" in cause ? String(cause.name) : "";
  if (name === "NotAllowedError" || name === "SecurityError") return createVideoError("media_permission_denied", { cause });
  if (name === "NotFoundError" || name === "OverconstrainedError") return createVideoError("media_device_missing", { cause });
  if (name === "NotReadableError" || name === "AbortError") return createVideoError("media_device_busy", { cause });
  return createVideoError("recording_failed", { cause });
}
