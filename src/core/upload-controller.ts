import { type AssetWatcherLike, LazyAssetWatcher } from "./lazy-watcher.js";
import { lazyModule } from "./lazy-module.js";
import { Subscribable } from "./subscribable.js";
import { initialMachineState, isActiveStatus, reduceUpload, type UploadAction, type UploadMachineState } from "./upload-machine.js";
import type { ChunkRequester } from "./chunk-requester.js";
import type { VideoError } from "./errors.js";
import type { VideoEvent, VideoEventListener } from "./events.js";
import type { FileFingerprint } from "./file-fingerprint.js";
import type { UploadRecord, UploadRecordStore } from "./upload-record-store.js";
import type { UploadRecordKeeper } from "./upload-record-keeper.js";
import { createBrowserOnlineManager, type OnlineSource } from "./online-manager.js";
import type { RetryPolicy } from "./retryer.js";
import { SpeedMeter } from "./speed-meter.js";
import type { SendFileOptions, UploadLimits, UploadState, UploadTarget, VideoAsset, VideoTransport } from "./types.js";
import type { ValidatableFile } from "./validation.js";
import { createVideoError, toVideoError } from "./video-error.js";

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
  /** Bytes per PUT for the chunked sender. Default: the target's `chunkSize`, else 8 MiB. */
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

/** One run: a file from `start()` (or a resumed record) until the next start, cancel or dispose. */
interface Run {
  file: ValidatableFile;
  lessonId: string | undefined;
  /** The run's outside sender, until it gives up. */
  externalSend: ExternalSendFile | undefined;
  target: UploadTarget | undefined;
  fingerprint: FileFingerprint | undefined;
  startedAt: number;
  processingStartedAt: number;
}


/**
 * One upload's lifecycle as a subscribable store:
 * `idle → validating → requesting → uploading ⇄ paused → processing → complete | error`, `cancel()` back
 * to `idle`, `retry()` from a retryable error resuming from the byte the server committed.
 * Bind it to any framework with `subscribe` + `getSnapshot` (React: `useSyncExternalStore`).
 *
 * Every state change is a named action through the pure `reduceUpload` (see upload-machine.ts), in one
 * place (`#dispatch`), where the monitoring events and the resume records follow from (previous state,
 * action). The controller itself only runs the side effects: validation, `createUpload`, the transfer,
 * and watching processing. `dispose()` is the one teardown.
 */
export class UploadController extends Subscribable {
  readonly #options: UploadControllerOptions;
  readonly #watcher: AssetWatcherLike;
  readonly #now: () => number;
  readonly #online: OnlineSource;
  readonly #speed: SpeedMeter;
  #machine: UploadMachineState = initialMachineState;
  #asset: VideoAsset | null = null;
  #run: Run | undefined;
  /** Bumped whenever running work is superseded; stale continuations compare and stop. */
  #generation = 0;
  #abort = new AbortController();
  #lastProgressEventAt = Number.NEGATIVE_INFINITY;
  /** Keeps the resume records (with `records`), once the upload's code has loaded. */
  #recordKeeper: UploadRecordKeeper | undefined;
  #unsubscribeOnline: (() => void) | undefined;
  /** Set by `dispose()`: background triggers (online, timers) no longer start work; user calls do. */
  #disposed = false;

  constructor(options: UploadControllerOptions) {
    super();
    this.#options = options;
    // Lazy: the watcher's code loads when an upload reaches processing.
    this.#watcher = options.watcher ?? new LazyAssetWatcher({ transport: options.transport });
    this.#now = options.now ?? Date.now;
    this.#online = options.online ?? createBrowserOnlineManager();
    this.#speed = new SpeedMeter(this.#now);
  }

  getSnapshot = (): UploadState => this.#machine.upload;

  /** The asset, once the backend created it (status `preparing` while processing, then `ready`). */
  getAsset = (): VideoAsset | null => this.#asset;

  /**
   * Validates `file`, then uploads and watches it until its asset is ready. Supersedes a running upload.
   * Resolves when this run stops (complete, error, paused or replaced); never rejects: failures are in
   * `getSnapshot().error`.
   */
  async start(file: ValidatableFile, options: StartUploadOptions = {}): Promise<void> {
    const generation = this.#begin(file, options);
    const problem = await this.#validate(file);
    if (generation !== this.#generation) return;
    if (problem) return void this.#dispatch({ type: "failed", phase: "validating", error: problem });
    this.#dispatch({ type: "validated" });
    await this.#request(generation);
  }

  /**
   * Resumes an upload recorded before a reload: `file` is the file the user picked again. It must match the
   * record's fingerprint (else `file_changed`, the record is kept); the server is asked for its committed
   * offset and the bytes continue from there. A record whose URL has expired starts a fresh upload.
   */
  async resumeFromRecord(file: ValidatableFile, record: UploadRecord): Promise<void> {
    const generation = this.#begin(file, record.lessonId === undefined ? {} : { lessonId: record.lessonId }, false);
    let problem = await this.#validate(file);
    const work = problem ? undefined : await loadUploadWork();
    const fingerprint = work ? await work.fingerprintFile(file).catch(() => undefined) : undefined;
    if (generation !== this.#generation) return;
    if (!problem && (!fingerprint || !work?.sameFile(fingerprint, record.file))) problem = createVideoError("file_changed", { retryable: false });
    if (problem) return void this.#dispatch({ type: "failed", phase: "validating", error: problem });
    const run = this.#run!;
    run.fingerprint = fingerprint;
    this.#dispatch({ type: "restored", uploadId: record.uploadId, bytesSent: Math.min(record.bytesSent, file.size) });
    if (record.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      this.#options.records?.remove(record.uploadId);
      this.#dispatch({ type: "validated" });
      return this.#request(generation);
    }
    run.target = {
      uploadId: record.uploadId,
      url: record.url,
      ...(record.chunkSize === undefined ? {} : { chunkSize: record.chunkSize }),
      ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    };
    await this.#upload(generation, true);
  }

  /** Pauses a running upload (the bytes the server has are kept). */
  pause(): void {
    if (this.#machine.upload.status === "uploading") this.#pause("user");
  }

  /** Resumes a paused upload from the byte the server committed (also one paused by `dispose()`). */
  resume(): void {
    if (this.#machine.upload.status !== "paused") return;
    this.#disposed = false;
    this.#stopWork("retry");
    void this.#upload(this.#generation, true);
  }

  /**
   * Retries after a retryable error: creates the upload again if that failed or its URL expired, resumes
   * the bytes from the server's committed offset, or watches processing again. Returns false when there
   * is nothing to retry.
   */
  retry(): boolean {
    const { upload, failedPhase } = this.#machine;
    const run = this.#run;
    if (upload.status !== "error" || !upload.error?.retryable || !run) return false;
    this.#disposed = false;
    if (failedPhase === "validating") {
      // The upload's code could not load (the only retryable validation failure): start this file again.
      void this.start(run.file, { lessonId: run.lessonId, sendFile: run.externalSend });
      return true;
    }
    this.#stopWork("retry");
    const generation = this.#generation;
    const to =
      failedPhase === "processing"
        ? "processing"
        : failedPhase === "uploading" && run.target && upload.error.code !== "upload_url_expired"
          ? "uploading"
          : "requesting";
    // The phase started below publishes the status the reducer chose.
    this.#dispatch({ type: "retried", to });
    if (to === "processing") void this.#process(generation);
    else if (to === "uploading") void this.#upload(generation, true);
    else void this.#request(generation);
    return true;
  }

  /**
   * Back to `idle` from any state, ready for another file: an upload still in flight is stopped and
   * cancelled at the backend; a finished or failed one is only forgotten here. (`useVideo()` calls this
   * `resetState`.)
   */
  cancel(): void {
    if (this.#machine.upload.status === "idle") return;
    if (isActiveStatus(this.#machine.upload.status)) this.#cancelOnServer();
    this.#stopWork("cancelled");
    this.#dispatch({ type: "cancelled" });
    this.#run = undefined;
    this.#asset = null;
  }

  /**
   * The one teardown (a page or provider unmounted): stops every request, timer and watch of this
   * controller, stops following the online source, and drops its listeners. Nothing is cancelled on the
   * server. A transfer under way is left `paused` (`pausedReason: "disposed"`) and a run that had not
   * started sending, or was waiting for processing, goes back to `idle`. Online changes never wake a
   * disposed controller; an explicit `start`, `resume` or `retry` does.
   */
  dispose(): void {
    this.#disposed = true;
    this.#stopWork("disposed");
    this.#dispatch({ type: "disposed" });
    this.#followOnline(false);
    this.clearListeners();
  }

  /** Supersedes any running work and shows `file` as validating; returns the new run's generation. */
  #begin(file: ValidatableFile, { lessonId, sendFile }: StartUploadOptions, forgetPrevious = true): number {
    if (isActiveStatus(this.#machine.upload.status)) this.#cancelOnServer();
    // A new file: the previous run's resume record is of no use any more.
    if (forgetPrevious) this.#forgetRecord();
    this.#disposed = false;
    this.#stopWork("superseded");
    this.#run = {
      file,
      lessonId,
      externalSend: sendFile,
      target: undefined,
      fingerprint: undefined,
      startedAt: this.#now(),
      processingStartedAt: 0,
    };
    this.#asset = null;
    this.#speed.reset();
    this.#dispatch({ type: "started", file: { name: file.name ?? "", size: file.size, type: file.type } });
    return this.#generation;
  }

  async #validate(file: ValidatableFile): Promise<VideoError | null> {
    let work: UploadWork;
    try {
      work = await loadUploadWork();
    } catch (thrown) {
      // The upload's code did not arrive (offline, a chunk gone after a deploy): retry() loads it again.
      return createVideoError("network", { cause: thrown });
    }
    if (this.#options.records) this.#recordKeeper ??= work.createUploadRecordKeeper(this.#options.records, this.#now);
    try {
      return await work.validateVideoFile(file, this.#options.limits);
    } catch (thrown) {
      // The file could not be read (removed, permission revoked): nothing to upload.
      return createVideoError("file_not_video", { cause: thrown });
    }
  }

  /** Tells the backend to drop an upload that will never finish (best effort). */
  #cancelOnServer(): void {
    const { uploadId, status } = this.#machine.upload;
    if (!uploadId || status === "processing" || !this.#options.transport.cancelUpload) return;
    this.#options.transport.cancelUpload(uploadId).catch(() => undefined);
  }

  #stopWork(reason: UploadStopReason): void {
    this.#generation++;
    this.#abort.abort(reason);
    this.#abort = new AbortController();
  }

  async #request(generation: number): Promise<void> {
    const run = this.#run;
    if (!run) return;
    try {
      const target = await this.#options.transport.createUpload(
        {
          file: { name: run.file.name ?? "", size: run.file.size, type: run.file.type },
          ...(run.lessonId === undefined ? {} : { lessonId: run.lessonId }),
        },
        { signal: this.#abort.signal },
      );
      if (generation !== this.#generation) return;
      run.target = target;
      this.#dispatch({ type: "created", uploadId: target.uploadId });
      if (this.#options.records) {
        // Resuming after a reload is a bonus: an unreadable tail just means no record.
        run.fingerprint ??= await loadUploadWork()
          .then((work) => work.fingerprintFile(run.file))
          .catch(() => undefined);
        if (generation !== this.#generation) return;
      }
    } catch (thrown) {
      if (generation !== this.#generation) return;
      // The outside uploader never got a URL: it has given up, and a retry sends with our own sender.
      run.externalSend = undefined;
      this.#dispatch({ type: "failed", phase: "requesting", error: toVideoError(thrown) });
      return;
    }
    await this.#upload(generation, false);
  }

  /** The transfer runner: chooses the sender, reports progress and retries, and ends in `sent` or `failed`. */
  async #upload(generation: number, resuming: boolean): Promise<void> {
    const run = this.#run;
    const target = run?.target;
    if (!run || !target) return;
    this.#speed.reset();
    if (this.#machine.upload.status !== "uploading") this.#dispatch({ type: "sending" });
    // Following the online source may have paused this run already (the browser is offline).
    if (generation !== this.#generation) return;
    const signal = this.#abort.signal;
    const onProgress = (sent: number) => {
      if (generation === this.#generation) this.#dispatch({ type: "progress", bytesSent: sent, speed: this.#speed.sample(Math.min(sent, run.file.size)) });
    };
    const resumeFrom = resuming ? this.#machine.upload.bytesSent : undefined;
    const transport = this.#options.transport;
    const ownSend = async (from: number | undefined): Promise<void> => {
      const position = from === undefined ? {} : { resumeFrom: from };
      if (transport.sendFile) return transport.sendFile(run.file, target, { signal, onProgress, ...position });
      const { sendChunks, DEFAULT_CHUNK_SIZE } = await loadUploadWork();
      return sendChunks(run.file, target.url, {
        signal,
        onProgress,
        ...position,
        chunkSize: this.#options.chunkSize ?? target.chunkSize ?? DEFAULT_CHUNK_SIZE,
        ...(target.headers ? { headers: target.headers } : {}),
        ...(this.#options.request ? { request: this.#options.request } : {}),
        ...(this.#options.retry ? { retry: this.#options.retry } : {}),
        onRetry: ({ error }) => {
          if (generation === this.#generation) this.#dispatch({ type: "senderRetried", reason: error.code });
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
        await externalSend(run.file, target, { signal, onProgress, ...(resumeFrom === undefined ? {} : { resumeFrom }), handOver });
      } else {
        await ownSend(resumeFrom);
      }
    } catch (thrown) {
      // Our own aborts (pause, cancel, a new start, dispose) always come with a new generation.
      if (generation !== this.#generation) return;
      // An outside uploader serves one attempt: once it failed it has given up, and a retry uses our own sender.
      run.externalSend = undefined;
      return void this.#dispatch({ type: "failed", phase: "uploading", error: toVideoError(thrown) });
    }
    if (generation !== this.#generation) return;
    this.#dispatch({ type: "sent" });
    await this.#process(generation);
  }

  async #process(generation: number): Promise<void> {
    const uploadId = this.#machine.upload.uploadId;
    if (!uploadId || !this.#run) return;
    this.#run.processingStartedAt = this.#now();
    try {
      const asset = await this.#watcher.waitForReadyAsset(uploadId, {
        signal: this.#abort.signal,
        onAssetId: (assetId) => {
          if (generation === this.#generation) this.#dispatch({ type: "assetCreated", assetId });
        },
        onAsset: (asset) => {
          if (generation !== this.#generation || asset === this.#asset) return;
          this.#asset = asset;
          this.notifyListeners();
        },
      });
      if (generation !== this.#generation) return;
      this.#asset = asset;
      this.#dispatch({ type: "ready", assetId: asset.id });
    } catch (thrown) {
      if (generation !== this.#generation) return;
      this.#dispatch({ type: "failed", phase: "processing", error: toVideoError(thrown) });
    }
  }

  #pause(reason: "user" | "offline"): void {
    this.#stopWork("paused");
    this.#speed.reset();
    this.#dispatch({ type: "paused", reason });
  }

  /** Every state change: the reducer, then what follows from (previous, action, next), then listeners. */
  #dispatch(action: UploadAction & { reason?: string }): boolean {
    const previous = this.#machine;
    const next = reduceUpload(previous, action);
    if (!next) return false;
    this.#machine = next;
    const event = this.#monitoringEvent(previous, action, next);
    if (event) this.#emit(event);
    this.#recordKeeper?.(previous, action, next, this.#run);
    this.#followOnline(next.upload.status === "uploading" || (next.upload.status === "paused" && next.upload.pausedReason !== "disposed"));
    this.notifyListeners();
    return true;
  }

  /** The monitoring event a transition means, if any: derived in this one place. */
  #monitoringEvent(previous: UploadMachineState, action: UploadAction & { reason?: string }, next: UploadMachineState): VideoEvent | undefined {
    const now = this.#now();
    const before = previous.upload;
    const after = next.upload;
    const uploadId = after.uploadId ?? before.uploadId;
    const withUpload = uploadId ? { uploadId } : {};
    const run = this.#run;
    switch (action.type) {
      case "validated":
      case "sending":
        // A resumed record skips "validated": it starts at "sending".
        if (action.type === "sending" && before.status !== "validating") return undefined;
        return { type: "upload_started", ...withUpload, fileSize: after.totalBytes, fileType: after.file?.type ?? "", at: now };
      case "progress": {
        if (!uploadId || now - this.#lastProgressEventAt < (this.#options.progressEventIntervalMs ?? 1000)) return undefined;
        this.#lastProgressEventAt = now;
        return { type: "upload_progress", uploadId, bytesSent: after.bytesSent, totalBytes: after.totalBytes, speed: after.speed, at: now };
      }
      case "paused":
        return action.reason === "disposed" ? undefined : { type: "upload_paused", ...withUpload, bytesSent: after.bytesSent, reason: action.reason, at: now };
      case "senderRetried":
        return { type: "upload_retried", ...withUpload, attempt: after.attempt, fromByte: after.bytesSent, reason: action.reason ?? "unknown", at: now };
      case "retried":
        return { type: "upload_retried", ...withUpload, attempt: after.attempt, fromByte: after.bytesSent, reason: `user:${before.error?.code ?? "unknown"}`, at: now };
      case "sent":
        return { type: "upload_succeeded", uploadId: uploadId ?? "", totalBytes: after.totalBytes, durationMs: now - (run?.startedAt ?? now), at: now };
      case "ready":
        return { type: "processing_ready", assetId: action.assetId, durationMs: now - (run?.processingStartedAt ?? now), at: now };
      case "failed":
        if (action.phase === "processing") {
          return { type: "processing_failed", assetId: after.assetId ?? "", code: action.error.code, durationMs: now - (run?.processingStartedAt ?? now), at: now };
        }
        return { type: "upload_failed", ...withUpload, code: action.error.code, bytesSent: after.bytesSent, durationMs: now - (run?.startedAt ?? now), at: now };
      case "cancelled":
        return isActiveStatus(before.status)
          ? { type: "upload_failed", ...withUpload, code: "aborted", bytesSent: before.bytesSent, durationMs: now - (run?.startedAt ?? now), at: now }
          : undefined;
      default:
        return undefined;
    }
  }

  /** Drops the current run's resume record (a new file, or an expired URL). */
  #forgetRecord(): void {
    const uploadId = this.#run?.target?.uploadId;
    if (uploadId) this.#options.records?.remove(uploadId);
  }

  /** Listens to the online source only while bytes are moving or paused, and never once disposed. */
  #followOnline(follow: boolean): void {
    const online = this.#online;
    if (follow && !this.#disposed && !this.#unsubscribeOnline) {
      this.#unsubscribeOnline = online.subscribe((isOnline) => {
        if (this.#disposed) return;
        const { status, pausedReason } = this.#machine.upload;
        if (!isOnline && status === "uploading") this.#pause("offline");
        else if (isOnline && status === "paused" && pausedReason === "offline") {
          this.#stopWork("retry");
          void this.#upload(this.#generation, true);
        }
      });
      if (!online.isOnline() && this.#machine.upload.status === "uploading") this.#pause("offline");
    } else if ((!follow || this.#disposed) && this.#unsubscribeOnline) {
      this.#unsubscribeOnline();
      this.#unsubscribeOnline = undefined;
    }
  }

  #emit(event: VideoEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A failing analytics callback must not break the upload.
    }
  }
}
