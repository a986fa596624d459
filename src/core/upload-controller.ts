import { type AssetWatcherLike, LazyAssetWatcher } from "./lazy-watcher.js";
import { lazyModule } from "./lazy-module.js";
import { Subscribable } from "./subscribable.js";
import { initialMachineState, isActiveStatus, reduceUpload, type FailedPhase, type UploadAction, type UploadMachineState, type UploadTransitionListener } from "./upload-machine.js";
import type { ChunkRequester } from "./chunk-requester.js";
import { createVideoError } from "./errors.js";
import type { VideoEventListener } from "./events.js";
import type { UploadRecord, UploadRecordStore } from "./upload-record-store.js";
import { createBrowserOnlineManager, type OnlineSource } from "./online-manager.js";
import type { RetryPolicy } from "./retryer.js";
import type { Run, UploadRunHost } from "./upload-run.js";
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
 * The code a running upload needs (the run's work: validation, `createUpload`, the transfer and watching processing,
 * with the container sniffing, the fingerprint and the chunked sender), loaded on the first `start()`: bundlers put
 * it in a chunk of its own, so a page with an idle uploader never downloads it. A failed load is tried again by the
 * next start or retry.
 */
const uploadWork = /* @__PURE__ */ lazyModule(() => import("./upload-work.js"));
const loadUploadWork = uploadWork.load;

/**
 * Starts loading the upload's code ahead of the first `start()` (an uploader on screen calls it when it
 * mounts), so picking a file does not wait for it. Internal; a failure is left to `start()` to report.
 */
export const preloadUploadWork = (): void => void loadUploadWork().catch(() => undefined);

/** A `GrowingSource`'s `stream` is a ReadableStream; a Blob's is a method. Internal. */
export const isGrowing = (source: ValidatableFile | GrowingSource): source is GrowingSource => typeof source.stream === "object";

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
  readonly #now: () => number;
  readonly #online: OnlineSource;
  #machine: UploadMachineState = initialMachineState;
  #run: Run | undefined;
  /** The work under way; aborted (with an `UploadStopReason`) when something supersedes it. */
  #work = new AbortController();
  readonly #transitionListeners: TransitionListener[];
  /** What the run's work (upload-run.ts, loaded with the upload's code) reads and changes of this controller. */
  readonly #host: UploadRunHost;
  #unsubscribeOnline: (() => void) | undefined;

  constructor(options: UploadControllerOptions) {
    super();
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#online = options.online ?? createBrowserOnlineManager();
    this.#transitionListeners = [this.#followOnline, this.#cancelOnServer];
    this.#host = {
      options,
      now: this.#now,
      // Lazy: the watcher's code loads when an upload reaches processing.
      watcher: options.watcher ?? new LazyAssetWatcher({ transport: options.transport }),
      run: () => this.#run,
      state: () => this.#machine.upload,
      dispatch: (action) => this.#dispatch(action),
      follow: (listener) => void this.#transitionListeners.push(listener),
      following: false,
      speed: undefined,
    };
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
    const signal = this.#begin(file, options);
    await this.#withWork(signal, "validating", (work) => work.validateAndRequest(this.#host, signal));
  }

  /**
   * Resumes an upload recorded before a reload: `file` is the file the user picked again. It must match the
   * record's fingerprint (else `file_changed`, the record is kept); the server is asked for its committed
   * offset and the bytes continue from there. A record whose URL has expired starts a fresh upload.
   */
  async resumeFromRecord(file: ValidatableFile, record: UploadRecord): Promise<void> {
    const signal = this.#begin(file, record.lessonId === undefined ? {} : { lessonId: record.lessonId }, false);
    await this.#withWork(signal, "validating", (work) => work.resumeRun(this.#host, signal, file, record));
  }

  /** Pauses a running upload (the bytes the server has are kept). */
  pause(): void {
    this.#pause("user");
  }

  /** Resumes a paused upload from the byte the server committed (also one paused by `dispose()`). */
  resume(): void {
    if (this.#dispatch({ type: "resumed" })) void this.#upload(this.#restart("retry"));
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
    if (status === "validating") void this.#withWork(signal, "validating", (work) => work.validateAndRequest(this.#host, signal));
    else if (status === "requesting") void this.#withWork(signal, "requesting", (work) => work.request(this.#host, signal));
    else if (status === "uploading") void this.#upload(signal);
    else void this.#withWork(signal, "processing", (work) => work.watchProcessing(this.#host, signal));
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

  /**
   * Runs `next` with the upload's code: at once when it has loaded (a resume starts sending in the same task), else
   * once it arrives. When it cannot load (offline, a chunk gone after a deploy) the run fails in `phase` with a
   * retryable `network` error, and `retry()` loads it again.
   */
  #withWork(signal: AbortSignal, phase: FailedPhase, next: (work: UploadWork) => Promise<void>): Promise<void> {
    const loaded = uploadWork.loaded();
    if (loaded) return next(loaded);
    return loadUploadWork().then(next, (thrown: unknown) => {
      if (!signal.aborted) this.#dispatch({ type: "failed", phase, error: createVideoError("network", { cause: thrown }) });
    });
  }

  /** Sends the run's bytes from the byte the server committed (a resume, a retry, back online). */
  #upload(signal: AbortSignal): Promise<void> {
    return this.#withWork(signal, "uploading", (work) => work.upload(this.#host, signal, true));
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
        else if (this.#dispatch({ type: "backOnline" })) void this.#upload(this.#restart("retry"));
      });
      if (!online.isOnline()) this.#pause("offline");
    } else if (!follow && this.#unsubscribeOnline) {
      this.#unsubscribeOnline();
      this.#unsubscribeOnline = undefined;
    }
  }
}
