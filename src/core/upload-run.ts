// The work of one upload run after `UploadController` dispatched `started`: validation, `createUpload`, the transfer
// and watching processing. Loaded with the upload's code (upload-work.ts) on the first `start()`, so a page with an
// idle uploader carries only the controller's state, its reducer and its methods.
import { createVideoError, toVideoError, type VideoError } from "./errors.js";
import type { FileFingerprint } from "./file-fingerprint.js";
import { fingerprintFile, sameFile } from "./file-fingerprint.js";
import { readGrowingSource, type GrowingSourceReader } from "./growing-source.js";
import { sendChunks } from "./chunked-sender.js";
import type { AssetWatcherLike } from "./lazy-watcher.js";
import { SpeedMeter } from "./speed-meter.js";
import type { GrowingSource, UploadState, UploadTarget } from "./types.js";
import { isGrowing, type ExternalSendFile, type UploadControllerOptions } from "./upload-controller.js";
import type { UploadAction, UploadTransitionListener } from "./upload-machine.js";
import { createUploadMonitor } from "./upload-monitor.js";
import { createUploadRecordKeeper } from "./upload-record-keeper.js";
import type { UploadRecord } from "./upload-record-store.js";
import { validateGrowingSource, validateVideoFile, type ValidatableFile } from "./validation.js";

/** One run: a file from `start()` (or a resumed record) until the next start, cancel or dispose. */
export interface Run {
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

/** What a run's work reads and changes of its `UploadController` (internal). */
export interface UploadRunHost {
  readonly options: UploadControllerOptions;
  readonly now: () => number;
  readonly watcher: AssetWatcherLike;
  /** The run under way; a new start, cancel or dispose replaces it. */
  run(): Run | undefined;
  state(): UploadState;
  /** The reducer, then what follows from the transition, then listeners; false when the action does not apply. */
  dispatch(action: UploadAction): boolean;
  /** Adds what follows transitions from now on (monitoring, the resume records). */
  follow(listener: UploadTransitionListener<Run>): void;
  /** Whether monitoring and the resume records follow transitions yet. */
  following: boolean;
  /** The transfer's rate, made with the first transfer. */
  speed: SpeedMeter | undefined;
}

/** Validates the run's file and, when it may be sent, creates the upload and sends it. */
export async function validateAndRequest(host: UploadRunHost, signal: AbortSignal): Promise<void> {
  const run = host.run();
  if (!run) return;
  const problem = await validate(host, run.file);
  if (signal.aborted) return;
  if (problem) return void host.dispatch({ type: "failed", phase: "validating", error: problem });
  if (host.dispatch({ type: "validated" })) await request(host, signal);
}

async function validate(host: UploadRunHost, file: ValidatableFile | GrowingSource): Promise<VideoError | null> {
  // Monitoring and the resume records follow transitions from here on (their code came with the upload's).
  if (!host.following) {
    host.following = true;
    if (host.options.onEvent) host.follow(createUploadMonitor(host.options, host.now));
    if (host.options.records) host.follow(createUploadRecordKeeper(host.options.records, host.now));
  }
  try {
    if (!isGrowing(file)) return await validateVideoFile(file, host.options.limits);
    const run = host.run();
    if (!run) return createVideoError("aborted");
    run.reader ??= readGrowingSource(file, host.options.limits, (totalBytes) => host.run() === run && host.dispatch({ type: "sourceEnded", totalBytes }));
    return await validateGrowingSource(run.reader, host.options.limits);
  } catch (thrown) {
    // The file could not be read (removed, permission revoked): nothing to upload.
    return createVideoError("file_not_video", { cause: thrown });
  }
}

/**
 * Goes on with an upload recorded before a reload (`UploadController.resumeFromRecord`, after it dispatched
 * `started`): the file must match the record's fingerprint; the bytes continue from the server's offset.
 */
export async function resumeRun(host: UploadRunHost, signal: AbortSignal, file: ValidatableFile, record: UploadRecord): Promise<void> {
  let problem = await validate(host, file);
  const fingerprint = problem ? undefined : await fingerprintFile(file).catch(() => undefined);
  if (signal.aborted) return;
  if (!problem && (!fingerprint || !sameFile(fingerprint, record.file))) problem = createVideoError("file_changed", { retryable: false });
  if (problem) return void host.dispatch({ type: "failed", phase: "validating", error: problem });
  const run = host.run();
  if (!run) return;
  run.fingerprint = fingerprint;
  host.dispatch({ type: "restored", uploadId: record.uploadId, bytesSent: Math.min(record.bytesSent, file.size) });
  if (record.expiresAt !== undefined && record.expiresAt <= host.now()) {
    host.options.records?.remove(record.uploadId);
    if (host.dispatch({ type: "validated" })) await request(host, signal);
    return;
  }
  run.target = {
    uploadId: record.uploadId,
    url: record.url,
    ...(record.chunkSize === undefined ? {} : { chunkSize: record.chunkSize }),
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
  };
  if (host.dispatch({ type: "sending" })) await upload(host, signal, true);
}

/** Creates the upload at the backend, then sends the bytes. */
export async function request(host: UploadRunHost, signal: AbortSignal): Promise<void> {
  const run = host.run();
  const file = host.state().file;
  if (!run || !file) return;
  try {
    const target = await host.options.transport.createUpload(
      {
        // The file as `started` recorded it; a stream adds the most it may reach.
        file: { ...file, ...(run.reader && { maxSize: run.reader.maxSize }) },
        ...(run.lessonId === undefined ? {} : { lessonId: run.lessonId }),
      },
      { signal },
    );
    if (signal.aborted) return;
    run.target = target;
    host.dispatch({ type: "created", uploadId: target.uploadId });
    if (host.options.records && !run.reader) {
      // Resuming after a reload is a bonus: an unreadable tail just means no record.
      run.fingerprint ??= await fingerprintFile(run.file as Blob).catch(() => undefined);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted during the await (TypeScript#9998)
      if (signal.aborted) return;
    }
  } catch (thrown) {
    if (signal.aborted) return;
    // The outside uploader never got a URL: it has given up, and a retry sends with our own sender.
    run.externalSend = undefined;
    host.dispatch({ type: "failed", phase: "requesting", error: toVideoError(thrown) });
    return;
  }
  // Following the online source may pause the run as it starts sending (the browser is offline): that aborts the signal.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted by the dispatch's online policy (TypeScript#9998)
  if (host.dispatch({ type: "sending" }) && !signal.aborted) await upload(host, signal, false);
}

/** The transfer runner: chooses the sender, reports progress and retries, and ends in `sent` or `failed`. */
export async function upload(host: UploadRunHost, signal: AbortSignal, resuming: boolean): Promise<void> {
  const run = host.run();
  const target = run?.target;
  if (!run || !target) return;
  // The only place bytes are measured: each transfer (first, resumed, retried) starts a fresh rate.
  const speed = (host.speed ??= new SpeedMeter(host.now));
  speed.reset();
  const { reader } = run;
  const file = run.file as Blob;
  const onProgress = (sent: number) => {
    if (signal.aborted) return;
    const bytesRead = reader?.bytesRead;
    host.dispatch({ type: "progress", bytesSent: sent, speed: speed.sample(Math.min(sent, bytesRead ?? file.size)), bytesRead });
  };
  const resumeFrom = resuming ? host.state().bytesSent : undefined;
  const { options } = host;
  const transport = options.transport;
  const ownSend = async (from: number | undefined): Promise<void> => {
    const position = from === undefined ? {} : { resumeFrom: from };
    if (transport.sendFile && !reader) return transport.sendFile(file, target, { signal, onProgress, ...position });
    const chunkSize = options.chunkSize ?? target.chunkSize;
    return sendChunks(reader ?? file, target.url, {
      signal,
      onProgress,
      ...position,
      // None given: the sender adapts the size to the link (see `ChunkedSendOptions.chunkSize`).
      ...(chunkSize === undefined ? {} : { chunkSize }),
      ...(target.headers ? { headers: target.headers } : {}),
      ...(options.request ? { request: options.request } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      onRetry: ({ error }) => {
        if (!signal.aborted) host.dispatch({ type: "senderRetried", reason: error.code });
      },
    });
  };
  const externalSend = run.externalSend;
  try {
    if (externalSend) {
      const handOver = () => {
        // The outside uploader stops for good: this and later sends of the run are the controller's own.
        if (run.externalSend === externalSend) run.externalSend = undefined;
        return ownSend(host.state().bytesSent);
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
    return void host.dispatch({ type: "failed", phase: "uploading", error: toVideoError(thrown) });
  }
  if (!signal.aborted && host.dispatch({ type: "sent" })) await watchProcessing(host, signal);
}

/** Watches the asset the upload made until it is ready (or failed). */
export async function watchProcessing(host: UploadRunHost, signal: AbortSignal): Promise<void> {
  const run = host.run();
  const { uploadId } = host.state();
  if (!run || !uploadId) return;
  run.processingStartedAt = host.now();
  try {
    const asset = await host.watcher.waitForReadyAsset(uploadId, {
      signal,
      onAssetId: (assetId) => {
        if (!signal.aborted) host.dispatch({ type: "assetCreated", assetId });
      },
      onAsset: (asset) => {
        if (!signal.aborted) host.dispatch({ type: "assetChanged", asset });
      },
    });
    if (!signal.aborted) host.dispatch({ type: "ready", asset });
  } catch (thrown) {
    if (!signal.aborted) host.dispatch({ type: "failed", phase: "processing", error: toVideoError(thrown) });
  }
}
