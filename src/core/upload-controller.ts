import { AssetWatcher } from "./asset-watcher.js";
import type { ChunkRequester } from "./chunk-requester.js";
import { DEFAULT_CHUNK_SIZE, sendChunks } from "./chunked-sender.js";
import type { VideoError } from "./errors.js";
import type { VideoEvent, VideoEventListener } from "./events.js";
import { type FileFingerprint, fingerprintFile, sameFile } from "./file-fingerprint.js";
import type { UploadRecord, UploadRecordStore } from "./upload-record-store.js";
import { createBrowserOnlineManager, type OnlineSource } from "./online-manager.js";
import type { RetryPolicy } from "./retryer.js";
import { SpeedMeter } from "./speed-meter.js";
import type { SendFileOptions, UploadLimits, UploadState, UploadTarget, VideoAsset, VideoTransport } from "./types.js";
import { type ValidatableFile, validateVideoFile } from "./validation.js";
import { createVideoError, toVideoError } from "./video-error.js";

export interface UploadControllerOptions {
  transport: VideoTransport;
  /** Checked before any request; defaults in `defaultUploadLimits`. */
  limits?: Partial<UploadLimits> | undefined;
  /** Monitoring events (start, progress, pause, retry, success, failure, processing). */
  onEvent?: VideoEventListener | undefined;
  /** Share one watcher between controllers and `useAsset` so one asset is polled once. */
  watcher?: AssetWatcher | undefined;
  /**
   * The upload pauses while this says offline and resumes when it is back. Default: the window's
   * online/offline events (nothing on the server).
   */
  online?: OnlineSource | undefined;
  /** Bytes per PUT for the chunked sender. Default: the target's `chunkSize`, else 8 MiB. */
  chunkSize?: number | undefined;
  /** Retries of byte requests (network errors, 408, 429, 5xx). */
  retry?: Partial<RetryPolicy> | undefined;
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
   * `VideoTransport.sendFile`: its `signal` aborts on pause (pause the outside upload), cancel or a new start
   * (stop it); after a pause it is called again with `resumeFrom`. Once the run fails (it rejects, or
   * `createUpload` fails) the outside uploader has given up: `retry()` then sends the rest with the
   * controller's own sender, from the byte the server committed.
   */
  sendFile?: ExternalSendFile | undefined;
}

/** Sends a run's bytes for an outside uploader; see `StartUploadOptions.sendFile`. */
export type ExternalSendFile = (file: Blob, target: UploadTarget, options: SendFileOptions) => Promise<void>;

type Phase = "validating" | "requesting" | "uploading" | "processing";

export const idleUploadState: UploadState = Object.freeze({
  progress: 0,
  status: "idle",
  bytesSent: 0,
  totalBytes: 0,
  speed: 0,
  paused: false,
  attempt: 0,
});

/**
 * One upload's lifecycle as a subscribable store:
 * `idle → validating → requesting → uploading ⇄ paused → processing → complete | error`, `cancel()` back
 * to `idle`, `retry()` from a retryable error resuming from the byte the server committed.
 * Bind it to any framework with `subscribe` + `getSnapshot` (React: `useSyncExternalStore`).
 */
export class UploadController {
  readonly #options: UploadControllerOptions;
  readonly #watcher: AssetWatcher;
  readonly #now: () => number;
  readonly #online: OnlineSource;
  readonly #listeners = new Set<() => void>();
  #state: UploadState = idleUploadState;
  #asset: VideoAsset | null = null;
  #file: ValidatableFile | undefined;
  #lessonId: string | undefined;
  /** This run's outside sender, until it gives up. */
  #externalSend: ExternalSendFile | undefined;
  #target: UploadTarget | undefined;
  #failedPhase: Phase | undefined;
  /** Bumped whenever running work is superseded; stale continuations compare and stop. */
  #generation = 0;
  #abort = new AbortController();
  #speed: SpeedMeter;
  #startedAt = 0;
  #processingStartedAt = 0;
  #lastProgressEventAt = Number.NEGATIVE_INFINITY;
  #fingerprint: FileFingerprint | undefined;
  #lastRecordSavedAt = Number.NEGATIVE_INFINITY;
  #unsubscribeOnline: (() => void) | undefined;

  constructor(options: UploadControllerOptions) {
    this.#options = options;
    this.#watcher = options.watcher ?? new AssetWatcher({ transport: options.transport });
    this.#now = options.now ?? Date.now;
    this.#online = options.online ?? createBrowserOnlineManager();
    this.#speed = new SpeedMeter(this.#now);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getSnapshot = (): UploadState => this.#state;

  /** The asset, once the backend created it (status `preparing` while processing, then `ready`). */
  getAsset = (): VideoAsset | null => this.#asset;

  /**
   * Validates `file`, then uploads and watches it until its asset is ready. Supersedes a running upload.
   * Resolves when this run stops (complete, error, paused or replaced); never rejects: failures are in
   * `getSnapshot().error`.
   */
  async start(file: ValidatableFile, options: StartUploadOptions = {}): Promise<void> {
    this.#forgetRecord();
    const generation = this.#begin(file, options);
    const problem = await this.#validate(file);
    if (generation !== this.#generation) return;
    if (problem) return this.#fail(problem, "validating");
    this.#emit({ type: "upload_started", fileSize: file.size, fileType: file.type, at: this.#now() });
    await this.#request(generation);
  }

  /**
   * Resumes an upload recorded before a reload: `file` is the file the user picked again. It must match the
   * record's fingerprint (else `file_changed`, the record is kept); the server is asked for its committed
   * offset and the bytes continue from there. A record whose URL has expired starts a fresh upload.
   */
  async resumeFromRecord(file: ValidatableFile, record: UploadRecord): Promise<void> {
    const generation = this.#begin(file, record.lessonId === undefined ? {} : { lessonId: record.lessonId });
    let problem = await this.#validate(file);
    const fingerprint = problem ? undefined : await fingerprintFile(file).catch(() => undefined);
    if (generation !== this.#generation) return;
    if (!problem && (!fingerprint || !sameFile(fingerprint, record.file))) problem = createVideoError("file_changed", { retryable: false });
    if (problem) return this.#fail(problem, "validating");
    this.#fingerprint = fingerprint;
    this.#emit({ type: "upload_started", uploadId: record.uploadId, fileSize: file.size, fileType: file.type, at: this.#now() });
    if (record.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      this.#options.records?.remove(record.uploadId);
      return this.#request(generation);
    }
    this.#target = {
      uploadId: record.uploadId,
      url: record.url,
      ...(record.chunkSize === undefined ? {} : { chunkSize: record.chunkSize }),
      ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    };
    const bytesSent = Math.min(record.bytesSent, file.size);
    this.#setState({ ...this.#state, uploadId: record.uploadId, bytesSent, progress: (bytesSent / file.size) * 100 });
    await this.#upload(generation, true);
  }

  /** Pauses a running upload (the bytes the server has are kept). */
  pause(): void {
    if (this.#state.status === "uploading") this.#pause("user");
  }

  /** Resumes a paused upload from the byte the server committed. */
  resume(): void {
    if (this.#state.status === "paused") void this.#resume();
  }

  /**
   * Retries after a retryable error: creates the upload again if that failed or its URL expired, resumes
   * the bytes from the server's committed offset, or watches processing again. Returns false when there
   * is nothing to retry.
   */
  retry(): boolean {
    const { status, error } = this.#state;
    if (status !== "error" || !error?.retryable || !this.#file) return false;
    this.#stopWork();
    const generation = this.#generation;
    const attempt = this.#state.attempt + 1;
    this.#emit({
      type: "upload_retried",
      ...(this.#state.uploadId ? { uploadId: this.#state.uploadId } : {}),
      attempt,
      fromByte: this.#state.bytesSent,
      reason: `user:${error.code}`,
      at: this.#now(),
    });
    // No notification here: the phase started below publishes the new status together with this.
    this.#state = { ...this.#state, attempt, error: undefined };
    const phase = this.#failedPhase;
    if (phase === "processing") void this.#process(generation);
    else if (phase === "uploading" && this.#target && error.code !== "upload_url_expired") void this.#upload(generation, true);
    else void this.#request(generation);
    return true;
  }

  /**
   * Back to `idle` from any state, ready for another file: an upload still in flight is stopped and
   * cancelled at the backend; a finished or failed one is only forgotten here. (`useVideo()` calls this
   * `resetState`.)
   */
  cancel(): void {
    const { status, uploadId, bytesSent } = this.#state;
    if (status === "idle") return;
    const active = this.#isActive();
    this.#stopWork();
    if (active) this.#cancelOnServer();
    this.#forgetRecord();
    if (active) {
      this.#emit({
        type: "upload_failed",
        ...(uploadId ? { uploadId } : {}),
        code: "aborted",
        bytesSent,
        durationMs: this.#now() - this.#startedAt,
        at: this.#now(),
      });
    }
    this.#file = undefined;
    this.#target = undefined;
    this.#asset = null;
    this.#setState(idleUploadState);
  }

  /** Stops running requests without changing state or cancelling on the server (unmount). Reusable after. */
  dispose(): void {
    this.#stopWork();
  }

  /** Supersedes any running work and shows `file` as validating; returns the new run's generation. */
  #begin(file: ValidatableFile, { lessonId, sendFile }: StartUploadOptions): number {
    if (this.#isActive()) this.#cancelOnServer();
    this.#stopWork();
    this.#file = file;
    this.#lessonId = lessonId;
    this.#externalSend = sendFile;
    this.#target = undefined;
    this.#asset = null;
    this.#failedPhase = undefined;
    this.#fingerprint = undefined;
    this.#startedAt = this.#now();
    this.#speed.reset();
    this.#setState({
      ...idleUploadState,
      status: "validating",
      totalBytes: file.size,
      attempt: 1,
      file: { name: file.name ?? "", size: file.size, type: file.type },
    });
    return this.#generation;
  }

  async #validate(file: ValidatableFile): Promise<VideoError | null> {
    try {
      return await validateVideoFile(file, this.#options.limits);
    } catch (thrown) {
      // The file could not be read (removed, permission revoked): nothing to upload.
      return createVideoError("file_not_video", { cause: thrown });
    }
  }

  #isActive(): boolean {
    const { status } = this.#state;
    return status !== "idle" && status !== "complete" && status !== "error";
  }

  /** Saves where this upload stands, when a record store is configured. */
  #saveRecord(): void {
    const records = this.#options.records;
    const target = this.#target;
    if (!records || !target || !this.#fingerprint) return;
    this.#lastRecordSavedAt = this.#now();
    records.save({
      uploadId: target.uploadId,
      url: target.url,
      ...(target.chunkSize === undefined ? {} : { chunkSize: target.chunkSize }),
      ...(target.expiresAt === undefined ? {} : { expiresAt: target.expiresAt }),
      ...(this.#lessonId === undefined ? {} : { lessonId: this.#lessonId }),
      file: this.#fingerprint,
      bytesSent: this.#state.bytesSent,
      savedAt: this.#lastRecordSavedAt,
    });
  }

  #forgetRecord(): void {
    const uploadId = this.#target?.uploadId;
    if (uploadId) this.#options.records?.remove(uploadId);
  }

  /** Tells the backend to drop an upload that will never finish (best effort). */
  #cancelOnServer(): void {
    const { uploadId, status } = this.#state;
    if (!uploadId || status === "processing" || !this.#options.transport.cancelUpload) return;
    this.#options.transport.cancelUpload(uploadId).catch(() => undefined);
  }

  #stopWork(): void {
    this.#generation++;
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  async #request(generation: number): Promise<void> {
    const file = this.#file;
    if (!file) return;
    this.#setState({ ...this.#state, status: "requesting", paused: false, pausedReason: undefined });
    try {
      const target = await this.#options.transport.createUpload(
        {
          file: { name: file.name ?? "", size: file.size, type: file.type },
          ...(this.#lessonId === undefined ? {} : { lessonId: this.#lessonId }),
        },
        { signal: this.#abort.signal },
      );
      if (generation !== this.#generation) return;
      this.#target = target;
      this.#setState({ ...this.#state, uploadId: target.uploadId, bytesSent: 0, progress: 0 });
      if (this.#options.records) {
        // Resuming after a reload is a bonus: an unreadable tail just means no record.
        this.#fingerprint ??= await fingerprintFile(file).catch(() => undefined);
        if (generation !== this.#generation) return;
        this.#saveRecord();
      }
    } catch (thrown) {
      if (generation === this.#generation) this.#fail(toVideoError(thrown), "requesting");
      return;
    }
    await this.#upload(generation, false);
  }

  async #upload(generation: number, resuming: boolean): Promise<void> {
    const file = this.#file;
    const target = this.#target;
    if (!file || !target) return;
    this.#speed.reset();
    this.#setState({ ...this.#state, status: "uploading", paused: false, pausedReason: undefined });
    // Following the online source may have paused this run already (the browser is offline).
    if (generation !== this.#generation) return;
    const signal = this.#abort.signal;
    const onProgress = (sent: number) => {
      if (generation === this.#generation) this.#progress(sent);
    };
    const resumeFrom = resuming ? this.#state.bytesSent : undefined;
    const transport = this.#options.transport;
    const sendFile = this.#externalSend ?? (transport.sendFile ? transport.sendFile.bind(transport) : undefined);
    try {
      if (sendFile) {
        await sendFile(file, target, { signal, onProgress, ...(resumeFrom === undefined ? {} : { resumeFrom }) });
      } else {
        await sendChunks(file, target.url, {
          signal,
          onProgress,
          ...(resumeFrom === undefined ? {} : { resumeFrom }),
          chunkSize: this.#options.chunkSize ?? target.chunkSize ?? DEFAULT_CHUNK_SIZE,
          ...(target.headers ? { headers: target.headers } : {}),
          ...(this.#options.request ? { request: this.#options.request } : {}),
          ...(this.#options.retry ? { retry: this.#options.retry } : {}),
          onRetry: ({ error }) => {
            if (generation !== this.#generation) return;
            const attempt = this.#state.attempt + 1;
            this.#setState({ ...this.#state, attempt });
            this.#emit({ type: "upload_retried", uploadId: target.uploadId, attempt, fromByte: this.#state.bytesSent, reason: error.code, at: this.#now() });
          },
        });
      }
    } catch (thrown) {
      // Our own aborts (pause, cancel, a new start) always come with a new generation.
      if (generation !== this.#generation) return;
      return this.#fail(toVideoError(thrown), "uploading");
    }
    if (generation !== this.#generation) return;
    this.#progress(file.size);
    this.#forgetRecord();
    this.#emit({
      type: "upload_succeeded",
      uploadId: target.uploadId,
      totalBytes: file.size,
      durationMs: this.#now() - this.#startedAt,
      at: this.#now(),
    });
    await this.#process(generation);
  }

  async #process(generation: number): Promise<void> {
    const uploadId = this.#state.uploadId;
    if (!uploadId) return;
    this.#processingStartedAt = this.#now();
    this.#setState({ ...this.#state, status: "processing", speed: 0, eta: undefined, paused: false, pausedReason: undefined });
    try {
      const asset = await this.#watcher.waitForReadyAsset(uploadId, {
        signal: this.#abort.signal,
        onAssetId: (assetId) => {
          if (generation === this.#generation) this.#setState({ ...this.#state, assetId });
        },
        onAsset: (asset) => {
          if (generation !== this.#generation || asset === this.#asset) return;
          this.#asset = asset;
          this.#notify();
        },
      });
      if (generation !== this.#generation) return;
      this.#asset = asset;
      this.#setState({ ...this.#state, status: "complete", assetId: asset.id });
      this.#emit({ type: "processing_ready", assetId: asset.id, durationMs: this.#now() - this.#processingStartedAt, at: this.#now() });
    } catch (thrown) {
      if (generation !== this.#generation) return;
      this.#fail(toVideoError(thrown), "processing");
    }
  }

  #pause(reason: "user" | "offline"): void {
    this.#stopWork();
    this.#speed.reset();
    this.#setState({ ...this.#state, status: "paused", paused: true, pausedReason: reason, speed: 0, eta: undefined });
    this.#saveRecord();
    this.#emit({
      type: "upload_paused",
      ...(this.#state.uploadId ? { uploadId: this.#state.uploadId } : {}),
      bytesSent: this.#state.bytesSent,
      reason,
      at: this.#now(),
    });
  }

  async #resume(): Promise<void> {
    this.#stopWork();
    await this.#upload(this.#generation, true);
  }

  #progress(sent: number): void {
    const total = this.#state.totalBytes;
    const bytesSent = Math.min(sent, total);
    const speed = this.#speed.sample(bytesSent);
    const eta = speed > 0 ? (total - bytesSent) / speed : undefined;
    this.#setState({
      ...this.#state,
      bytesSent,
      progress: total > 0 ? (bytesSent / total) * 100 : 0,
      speed,
      eta,
    });
    const now = this.#now();
    if (now - this.#lastRecordSavedAt >= 2000) this.#saveRecord();
    const uploadId = this.#state.uploadId;
    if (uploadId && now - this.#lastProgressEventAt >= (this.#options.progressEventIntervalMs ?? 1000)) {
      this.#lastProgressEventAt = now;
      this.#emit({ type: "upload_progress", uploadId, bytesSent, totalBytes: total, speed, at: now });
    }
  }

  #fail(error: VideoError, phase: Phase): void {
    this.#failedPhase = phase;
    // An outside uploader serves one attempt: once the run failed it has given up, and a retry uses our own sender.
    this.#externalSend = undefined;
    if (phase === "uploading" || phase === "requesting") {
      // A retryable failure keeps the record (a reload can still resume); a final one drops it.
      if (error.retryable && error.code !== "upload_url_expired") this.#saveRecord();
      else this.#forgetRecord();
    }
    this.#setState({ ...this.#state, status: "error", error, paused: false, pausedReason: undefined, speed: 0, eta: undefined });
    const uploadId = this.#state.uploadId;
    if (phase === "processing") {
      this.#emit({
        type: "processing_failed",
        assetId: this.#state.assetId ?? "",
        code: error.code,
        durationMs: this.#now() - this.#processingStartedAt,
        at: this.#now(),
      });
    } else {
      this.#emit({
        type: "upload_failed",
        ...(uploadId ? { uploadId } : {}),
        code: error.code,
        bytesSent: this.#state.bytesSent,
        durationMs: this.#now() - this.#startedAt,
        at: this.#now(),
      });
    }
  }

  #setState(next: UploadState): void {
    this.#state = next;
    this.#followOnline(next.status === "uploading" || next.status === "paused");
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Listens to the online source only while bytes are moving or paused. */
  #followOnline(follow: boolean): void {
    const online = this.#online;
    if (follow && !this.#unsubscribeOnline) {
      this.#unsubscribeOnline = online.subscribe((isOnline) => {
        const { status, pausedReason } = this.#state;
        if (!isOnline && status === "uploading") this.#pause("offline");
        else if (isOnline && status === "paused" && pausedReason === "offline") void this.#resume();
      });
      if (!online.isOnline() && this.#state.status === "uploading") this.#pause("offline");
    } else if (!follow && this.#unsubscribeOnline) {
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
