import { type AssetWatcherLike, LazyAssetWatcher } from "./lazy-watcher.js";
import { lazyModule } from "./lazy-module.js";
import { Subscribable } from "./subscribable.js";
import { initialMachineState, isActiveStatus, reduceUpload, type UploadAction, type UploadMachineState, type UploadTransitionListener } from "./upload-machine.js";
import type { ChunkRequester } from "./chunk-requester.js";
import { createVideoError, toVideoError, type VideoError } from "./errors.js";
import type { VideoEventListener } from "./events.js";
import type { FileFingerprint } from "./file-fingerprint.js";
import type { GrowingSourceReader } from "./growing-source.js";
import type { UploadRecord, UploadRecordStore } from "./upload-record-store.js";
import { createBrowserOnlineManager, type OnlineSource } from "./online-manager.js";
import type { RetryPolicy } from "./retryer.js";
import { SpeedMeter } from "./speed-meter.js";
import type { GrowingSource, SendFileOptions, UploadLimits, UploadState, UploadTarget, VideoAsset, VideoTransport } from "./types.js";
import type { ValidatableFile } from "./validation.js";

export interface UploadControllerOptions {
  transport: VideoTransport;
  /** Checked before any request; defaults in `defaultUploadLimits`. */
  limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined } | undefined;
  /** Monitoring events (start, progress, pause, retry, success, failure, processing). */
  onEvent?: VideoEventListener | undefined;
  /** Share one watcher between controllers and `useAsset` so one asset is polled once. */
  watcher?: AssetWatcherLike | undefined;
  /**
   * The upload pauses while this says offline and resumes when it is back. Default: the window's
   * online/offline events (nothing on the server).
   */
  online?: OnlineSource | undefined;
  /**
   * Bytes per PUT for the chunked sender. Default: the target's `chunkSize`, else adaptive from 8 MiB (doubling while
   * chunks take under 2 s, up to 128 MiB; halving on a failure or a chunk over 20 s, down to 1 MiB).
   */
  chunkSize?: number | undefined;
  /** Retries of byte requests (network errors, 408, 429, 5xx). */
  retry?: { [Field in keyof RetryPolicy]?: RetryPolicy[Field] | undefined } | undefined;
  /** How the chunked sender sends a PUT (default XHR in browsers, fetch elsewhere). */
  request?: ChunkRequester | undefined;
  /** Clock for speed and durations; injectable for tests. */
  now?: (() => number) | undefined;
  /** Least time between two `upload_progress` events, ms. Default 1000. */
  progressEventIntervalMs?: number | undefined;
  /**
   * Records uploads in flight so a reload can resume them (`resumeFromRecord`). Off by default; e.g.
   * `createLocalStorageUploadRecordStore()`. A record is cleared when its bytes are all sent, it is
   * cancelled, or it fails for good.
   */
  records?: UploadRecordStore | undefined;
}

export interface StartUploadOptions {
  /** Sent with `createUpload`; the server stores it as the asset's passthrough. */
  lessonId?: string | undefined;
  /**
   * Bytes sent by another uploader for this run (e.g. Mux's stock `<mux-uploader>`), while the controller
   * keeps validation, `createUpload`, state, records of progress and processing. Same contract as
   * `VideoTransport.sendFile`: its `signal` aborts on pause, cancel, a new start or `dispose()`, and
   * `signal.reason` (an {@link UploadStopReason}) says which: on `"paused"` and `"disposed"` pause the outside
   * upload (it is called again with `resumeFrom` on resume), on anything else stop it. It may hand the rest
   * of the run to the controller's own sender with `options.handOver()`. Once the run fails (it rejects, or
   * `createUpload` fails) the outside uploader has given up: `retry()` then sends the rest with the
   * controller's own sender, from the byte the server committed.
   */
  sendFile?: ExternalSendFile | undefined;
}

/**
 * Why the controller stopped a sender: the `reason` of the `signal` it gave the sender. `paused`: `pause()` or
 * offline (the bytes are kept, a resume follows); `disposed`: `dispose()` left the run paused; `cancelled`:
 * `cancel()`; `superseded`: another `start()`; `retry`: the run starts again (resume or retry).
 */
export type UploadStopReason = "paused" | "cancelled" | "superseded" | "disposed" | "retry";

/** What an outside sender gets: `SendFileOptions`, and a way to hand the rest of the run back. */
export interface ExternalSendOptions extends SendFileOptions {
  /**
   * Sends the rest of this run with the controller's own sender (the transport's `sendFile` or the chunked
   * sender), from the byte the server committed, and stops calling the outside sender for this run. Resolve
   * or reject the outside send with the promise this returns.
   */
  handOver(): Promise<void>;
}

/** What `UploadController.cancel` may also drop. */
export interface CancelUploadOptions {
  /**
   * The run is abandoned for good (a recording taken again): besides stopping it, ask the backend to drop the
   * upload and **the asset it already made** (`VideoTransport.discardUpload`), whatever state it reached,
   * processing and complete included. Default false: a finished upload is only forgotten here, because its video may
   * be the one a lesson keeps. Without `discardUpload` on the transport this cancels as without the option.
   */
  discardAsset?: boolean | undefined;
}

/** Sends a run's bytes for an outside uploader; see `StartUploadOptions.sendFile`. */
export type ExternalSendFile = (file: Blob, target: UploadTarget, options: ExternalSendOptions) => Promise<void>;

export { idleUploadState } from "./upload-machine.js";

type UploadWork = typeof import("./upload-work.js");

/**
 * The code a running upload needs (container sniffing, the fingerprint, the chunked sender), loaded on the
 * first `start()`: bundlers put it in a chunk of its own, so a page with an idle uploader never downloads
 * it. A failed load is tried again by the next start or retry.
 */
const loadUploadWork = /* @__PURE__ */ lazyModule(() => import("./upload-work.js")).load;

/**
 * Starts loading the upload's code ahead of the first `start()` (an uploader on screen calls it when it
 * mounts), so picking a file does not wait for it. Internal; a failure is left to `start()` to report.
 */
export const preloadUploadWork = (): void => void loadUploadWork().catch(() => undefined);

/** A `GrowingSource`'s `stream` is a ReadableStream; a Blob's is a method. */
const isGrowing = (source: ValidatableFile | GrowingSource): source is GrowingSource => typeof source.stream === "object";

/** One run: a file from `start()` (or a resumed record) until the next start, cancel or dispose. */
interface Run {
  file: ValidatableFile | GrowingSource;
  /** A growing source's reading, made when the run's work loads: it holds the bytes the server has not acknowledged. */
  reader: GrowingSourceReader | undefined;
  lessonId: string | undefined;
  /** The run's outside sender, until it gives up. */
  externalSend: ExternalSendFile | undefined;
  target: UploadTarget | undefined;
  fingerprint: FileFingerprint | undefined;
  startedAt: number;
  processingStartedAt: number;
}

type TransitionListener = UploadTransitionListener<Run>;

/**
 * One upload's lifecycle as a subscribable store:
 * `idle → validating → requesting → uploading ⇄ paused → processing → complete | error`, `cancel()` back
 * to `idle`, `retry()` from a retryable error resuming from the byte the server committed.
 * Bind it to any framework with `subscribe` + `getSnapshot` (React: `useSyncExternalStore`).
 *
 * Every observable change is a named action through the pure `reduceUpload` (see upload-machine.ts), which
 * decides whether it applies and where it leads (a retry's target included). A method dispatches first and
 * runs its side effects only when the reducer accepted the action. What follows from a transition (monitoring
 * events, following the online source, the resume records) subscribes to transitions. The work under way
 * (validation, `createUpload`, the transfer, watching processing) has one `AbortController`: whatever
 * supersedes it (pause, cancel, a new start, retry, dispose) aborts it, and its continuations stop.
 * `dispose()` is the one teardown; a later `start`, `resume` or `retry` revives the controller.
 */
export class UploadController extends Subscribable {
  readonly #options: UploadControllerOptions;
  readonly #watcher: AssetWatcherLike;
  readonly #now: () => number;
  readonly #online: OnlineSource;
  readonly #speed: SpeedMeter;
  #machine: UploadMachineState = initialMachineState;
  #run: Run | undefined;
  /** The work under way; aborted (with an `UploadStopReason`) when something supersedes it. */
  #work = new AbortController();
  readonly #transitionListeners: TransitionListener[];
  /** Whether monitoring and the resume records (which come with the upload's code) follow transitions yet. */
  #workListening = false;
  #unsubscribeOnline: (() => void) | undefined;

  constructor(options: UploadControllerOptions) {
    super();
    this.#options = options;
    // Lazy: the watcher's code loads when an upload reaches processing.
    this.#watcher = options.watcher ?? new LazyAssetWatcher({ transport: options.transport });
    this.#now = options.now ?? Date.now;
    this.#online = options.online ?? createBrowserOnlineManager();
    this.#speed = new SpeedMeter(this.#now);
    this.#transitionListeners = [this.#followOnline, this.#cancelOnServer];
  }

  getSnapshot = (): UploadState => this.#machine.upload;

  /** The asset, once the backend created it (status `preparing` while processing, then `ready`). */
  getAsset = (): VideoAsset | null => this.#machine.upload.asset ?? null;

  /**
   * Validates `file`, then uploads and watches it until its asset is ready. Supersedes a running upload.
   * Resolves when this run stops (complete, error, paused or replaced); never rejects: failures are in
   * `getSnapshot().error`. A `GrowingSource` (a stream of unknown length) is sent as it fills, with the chunked
   * sender (never `transport.sendFile` or `options.sendFile`, which take a Blob); a new start or `cancel()`
   * cancels its stream.
   */
  async start(file: ValidatableFile | GrowingSource, options: StartUploadOptions = {}): Promise<void> {
    await this.#validateAndRequest(this.#begin(file, options));
  }

  /**
   * Resumes an upload recorded before a reload: `file` is the file the user picked again. It must match the
   * record's fingerprint (else `file_changed`, the record is kept); the server is asked for its committed
   * offset and the bytes continue from there. A record whose URL has expired starts a fresh upload.
   */
  async resumeFromRecord(file: ValidatableFile, record: UploadRecord): Promise<void> {
    const signal = this.#begin(file, record.lessonId === undefined ? {} : { lessonId: record.lessonId }, false);
    let problem = await this.#validate(file);
    const work = problem ? undefined : await loadUploadWork();
    const fingerprint = work ? await work.fingerprintFile(file).catch(() => undefined) : undefined;
    if (signal.aborted) return;
    if (!problem && (!fingerprint || !work?.sameFile(fingerprint, record.file))) problem = createVideoError("file_changed", { retryable: false });
    if (problem) return void this.#dispatch({ type: "failed", phase: "validating", error: problem });
    const run = this.#run;
    if (!run) return;
    run.fingerprint = fingerprint;
    this.#dispatch({ type: "restored", uploadId: record.uploadId, bytesSent: Math.min(record.bytesSent, file.size) });
    if (record.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      this.#options.records?.remove(record.uploadId);
      if (this.#dispatch({ type: "validated" })) await this.#request(signal);
      return;
    }
    run.target = {
      uploadId: record.uploadId,
      url: record.url,
      ...(record.chunkSize === undefined ? {} : { chunkSize: record.chunkSize }),
      ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    };
    if (this.#dispatch({ type: "sending" })) await this.#upload(signal, true);
  }

  /** Pauses a running upload (the bytes the server has are kept). */
  pause(): void {
    this.#pause("user");
  }

  /** Resumes a paused upload from the byte the server committed (also one paused by `dispose()`). */
  resume(): void {
    if (this.#dispatch({ type: "resumed" })) void this.#upload(this.#restart("retry"), true);
  }

  /**
   * Retries after a retryable error, where the reducer says (`retryTarget`): validates again if the upload's
   * code could not load, creates the upload again if that failed or its URL expired, resumes the bytes from the
   * server's committed offset, or watches processing again. Returns false when there is nothing to retry.
   */
  retry(): boolean {
    if (!this.#run || !this.#dispatch({ type: "retried" })) return false;
    const signal = this.#restart("retry");
    const { status } = this.#machine.upload;
    if (status === "validating") void this.#validateAndRequest(signal);
    else if (status === "requesting") void this.#request(signal);
    else if (status === "uploading") void this.#upload(signal, true);
    else void this.#process(signal);
    return true;
  }

  /**
   * Back to `idle` from any state, ready for another file: an upload still in flight is stopped and
   * cancelled at the backend; a finished or failed one is only forgotten here, its asset kept. (`useVideo()`
   * calls this `resetState`.)
   *
   * With `{ discardAsset: true }` the upload is abandoned for good: the transport's `discardUpload` drops it at the
   * backend together with the asset it made, also once it is processing or complete. Use it only for a video no
   * lesson keeps (a take recorded again), never to take a saved video off a form.
   *
   * @example
   * // "Record again": the take just reviewed is thrown away, its asset too.
   * controller.cancel({ discardAsset: true });
   */
  cancel(options: CancelUploadOptions = {}): void {
    if (this.#dispatch({ type: "cancelled", discardAsset: options.discardAsset })) this.#stop("cancelled");
  }

  /**
   * The one teardown (a page or provider unmounted): stops every request, timer and watch of this
   * controller, stops following the online source, and drops its listeners. Nothing is cancelled on the
   * server. A transfer under way is left `paused` (`pausedReason: "disposed"`) and a run that had not
   * started sending, or was waiting for processing, goes back to `idle` (a growing source's stream is then
   * cancelled). Online changes never wake a
   * disposed controller; an explicit `start`, `resume` or `retry` revives it.
   */
  dispose(): void {
    if (this.#dispatch({ type: "disposed" })) this.#stop("disposed");
    this.#subscribeOnline(false);
    this.clearListeners();
  }

  /**
   * Stops the work under way; a run the reducer sent back to idle is forgotten and a growing source's stream
   * cancelled (nothing will read it again; a paused run keeps its reader for `resume()`).
   */
  #stop(reason: UploadStopReason): void {
    this.#restart(reason);
    if (this.#machine.upload.status !== "idle") return;
    this.#run?.reader?.cancel();
    this.#run = undefined;
  }

  /** A new run for `file`, shown as validating; supersedes any work under way. Returns the run's signal. */
  #begin(file: ValidatableFile | GrowingSource, { lessonId, sendFile }: StartUploadOptions, forgetPrevious = true): AbortSignal {
    const previousRun = this.#run;
    previousRun?.reader?.cancel();
    const growing = isGrowing(file);
    this.#run = {
      file,
      reader: undefined,
      lessonId,
      externalSend: growing ? undefined : sendFile,
      target: undefined,
      fingerprint: undefined,
      startedAt: this.#now(),
      processingStartedAt: 0,
    };
    this.#dispatch({ type: "started", file: { name: file.name ?? "", size: growing ? 0 : file.size, type: file.type }, sizeUnknown: growing });
    const signal = this.#restart("superseded");
    // A new file: the previous run's resume record is of no use any more.
    const previousUpload = previousRun?.target?.uploadId;
    if (forgetPrevious && previousUpload) this.#options.records?.remove(previousUpload);
    return signal;
  }

  /** Aborts the work under way with `reason` and returns the signal of the work that follows. */
  #restart(reason: UploadStopReason): AbortSignal {
    this.#work.abort(reason);
    this.#work = new AbortController();
    return this.#work.signal;
  }

  async #validateAndRequest(signal: AbortSignal): Promise<void> {
    const run = this.#run;
    if (!run) return;
    const problem = await this.#validate(run.file);
    if (signal.aborted) return;
    if (problem) return void this.#dispatch({ type: "failed", phase: "validating", error: problem });
    if (this.#dispatch({ type: "validated" })) await this.#request(signal);
  }

  async #validate(file: ValidatableFile | GrowingSource): Promise<VideoError | null> {
    let work: UploadWork;
    try {
      work = await loadUploadWork();
    } catch (thrown) {
      // The upload's code did not arrive (offline, a chunk gone after a deploy): retry() loads it again.
      return createVideoError("network", { cause: thrown });
    }
    // Monitoring and the resume records follow transitions from here on (their code came with the upload's).
    if (!this.#workListening) {
      this.#workListening = true;
      if (this.#options.onEvent) this.#transitionListeners.push(work.createUploadMonitor(this.#options, this.#now));
      if (this.#options.records) this.#transitionListeners.push(work.createUploadRecordKeeper(this.#options.records, this.#now));
    }
    try {
      if (!isGrowing(file)) return await work.validateVideoFile(file, this.#options.limits);
      const run = this.#run;
      if (!run) return createVideoError("aborted");
      run.reader ??= work.readGrowingSource(file, this.#options.limits, (totalBytes) => this.#run === run && this.#dispatch({ type: "sourceEnded", totalBytes }));
      return await work.validateGrowingSource(run.reader, this.#options.limits);
    } catch (thrown) {
      // The file could not be read (removed, permission revoked): nothing to upload.
      return createVideoError("file_not_video", { cause: thrown });
    }
  }

  /**
   * A run that will never finish (cancelled, or replaced by a new file) is dropped at the backend too (best
   * effort): while its bytes are on their way with `cancelUpload`; an abandoned one (`discardAsset`) in any state
   * with `discardUpload`, its asset included.
   */
  readonly #cancelOnServer: TransitionListener = (previous, action) => {
    const { uploadId, status } = previous.upload;
    if ((action.type !== "cancelled" && action.type !== "started") || !uploadId) return;
    const { transport } = this.#options;
    if (action.type === "cancelled" && action.discardAsset === true && transport.discardUpload) {
      transport.discardUpload(uploadId).catch(() => undefined);
    } else if (isActiveStatus(status) && status !== "processing") {
      transport.cancelUpload?.(uploadId).catch(() => undefined);
    }
  };

  async #request(signal: AbortSignal): Promise<void> {
    const run = this.#run;
    const file = this.#machine.upload.file;
    if (!run || !file) return;
    try {
      const target = await this.#options.transport.createUpload(
        {
          // The file as `started` recorded it; a stream adds the most it may reach.
          file: { ...file, ...(run.reader && { maxSize: run.reader.maxSize }) },
          ...(run.lessonId === undefined ? {} : { lessonId: run.lessonId }),
        },
        { signal },
      );
      if (signal.aborted) return;
      run.target = target;
      this.#dispatch({ type: "created", uploadId: target.uploadId });
      if (this.#options.records && !run.reader) {
        // Resuming after a reload is a bonus: an unreadable tail just means no record.
        run.fingerprint ??= await loadUploadWork()
          .then((work) => work.fingerprintFile(run.file as Blob))
          .catch(() => undefined);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted during the await (TypeScript#9998)
        if (signal.aborted) return;
      }
    } catch (thrown) {
      if (signal.aborted) return;
      // The outside uploader never got a URL: it has given up, and a retry sends with our own sender.
      run.externalSend = undefined;
      this.#dispatch({ type: "failed", phase: "requesting", error: toVideoError(thrown) });
      return;
    }
    // Following the online source may pause the run as it starts sending (the browser is offline): that aborts the signal.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted by the dispatch's online policy (TypeScript#9998)
    if (this.#dispatch({ type: "sending" }) && !signal.aborted) await this.#upload(signal, false);
  }

  /** The transfer runner: chooses the sender, reports progress and retries, and ends in `sent` or `failed`. */
  async #upload(signal: AbortSignal, resuming: boolean): Promise<void> {
    const run = this.#run;
    const target = run?.target;
    if (!run || !target) return;
    // The only place bytes are measured: each transfer (first, resumed, retried) starts a fresh rate.
    this.#speed.reset();
    const { reader } = run;
    const file = run.file as Blob;
    const onProgress = (sent: number) => {
      if (signal.aborted) return;
      const bytesRead = reader?.bytesRead;
      this.#dispatch({ type: "progress", bytesSent: sent, speed: this.#speed.sample(Math.min(sent, bytesRead ?? file.size)), bytesRead });
    };
    const resumeFrom = resuming ? this.#machine.upload.bytesSent : undefined;
    const transport = this.#options.transport;
    const ownSend = async (from: number | undefined): Promise<void> => {
      const position = from === undefined ? {} : { resumeFrom: from };
      if (transport.sendFile && !reader) return transport.sendFile(file, target, { signal, onProgress, ...position });
      const { sendChunks } = await loadUploadWork();
      const chunkSize = this.#options.chunkSize ?? target.chunkSize;
      return sendChunks(reader ?? file, target.url, {
        signal,
        onProgress,
        ...position,
        // None given: the sender adapts the size to the link (see `ChunkedSendOptions.chunkSize`).
        ...(chunkSize === undefined ? {} : { chunkSize }),
        ...(target.headers ? { headers: target.headers } : {}),
        ...(this.#options.request ? { request: this.#options.request } : {}),
        ...(this.#options.retry ? { retry: this.#options.retry } : {}),
        onRetry: ({ error }) => {
          if (!signal.aborted) this.#dispatch({ type: "senderRetried", reason: error.code });
        },
      });
    };
    const externalSend = run.externalSend;
    try {
      if (externalSend) {
        const handOver = () => {
          // The outside uploader stops for good: this and later sends of the run are the controller's own.
          if (run.externalSend === externalSend) run.externalSend = undefined;
          return ownSend(this.#machine.upload.bytesSent);
        };
        await externalSend(file, target, { signal, onProgress, ...(resumeFrom === undefined ? {} : { resumeFrom }), handOver });
      } else {
        await ownSend(resumeFrom);
      }
    } catch (thrown) {
      // Our own aborts (pause, cancel, a new start, dispose) always come with an aborted signal.
      if (signal.aborted) return;
      // An outside uploader serves one attempt: once it failed it has given up, and a retry uses our own sender.
      run.externalSend = undefined;
      return void this.#dispatch({ type: "failed", phase: "uploading", error: toVideoError(thrown) });
    }
    if (!signal.aborted && this.#dispatch({ type: "sent" })) await this.#process(signal);
  }

  async #process(signal: AbortSignal): Promise<void> {
    const run = this.#run;
    const { uploadId } = this.#machine.upload;
    if (!run || !uploadId) return;
    run.processingStartedAt = this.#now();
    try {
      const asset = await this.#watcher.waitForReadyAsset(uploadId, {
        signal,
        onAssetId: (assetId) => {
          if (!signal.aborted) this.#dispatch({ type: "assetCreated", assetId });
        },
        onAsset: (asset) => {
          if (!signal.aborted) this.#dispatch({ type: "assetChanged", asset });
        },
      });
      if (!signal.aborted) this.#dispatch({ type: "ready", asset });
    } catch (thrown) {
      if (!signal.aborted) this.#dispatch({ type: "failed", phase: "processing", error: toVideoError(thrown) });
    }
  }

  #pause(reason: "user" | "offline"): void {
    if (!this.#dispatch({ type: "paused", reason })) return;
    this.#restart("paused");
  }

  /** Every state change: the reducer, then what follows from (previous, action, next), then listeners. */
  #dispatch(action: UploadAction): boolean {
    const previous = this.#machine;
    const next = reduceUpload(previous, action);
    if (!next) return false;
    this.#machine = next;
    for (const listener of this.#transitionListeners) listener(previous, action, next, this.#run);
    this.notifyListeners();
    return true;
  }

  /** The online policy: follow the online source while bytes move or wait, pause when it goes offline and resume when it is back. */
  readonly #followOnline: TransitionListener = (_previous, _action, next) => {
    const { status, pausedReason } = next.upload;
    this.#subscribeOnline(status === "uploading" || (status === "paused" && pausedReason !== "disposed"));
  };

  #subscribeOnline(follow: boolean): void {
    const online = this.#online;
    if (follow && !this.#unsubscribeOnline) {
      this.#unsubscribeOnline = online.subscribe((isOnline) => {
        if (!isOnline) this.#pause("offline");
        else if (this.#dispatch({ type: "backOnline" })) void this.#upload(this.#restart("retry"), true);
      });
      if (!online.isOnline()) this.#pause("offline");
    } else if (!follow && this.#unsubscribeOnline) {
      this.#unsubscribeOnline();
      this.#unsubscribeOnline = undefined;
    }
  }
}
