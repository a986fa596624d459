import { createVideoError, errorForStatus, type VideoError } from "./errors.js";
import type { UploadState } from "./types.js";
import type { ExternalSendFile, ExternalSendOptions, StartUploadOptions, UploadStopReason } from "./upload-controller.js";

/** The events UpChunk documents (`upload.on(name, listener)`). */
export type UpChunkEventName = "attempt" | "attemptFailure" | "chunkSuccess" | "error" | "offline" | "online" | "progress" | "success";

/**
 * The part of UpChunk's public API (`@mux/upchunk` 3) the bridge uses: its documented events, `paused`, `pause()`,
 * `resume()` and `abort()`. Structural, so core never imports UpChunk; a fake with these members drives the
 * bridge in tests.
 */
export interface UpChunkLike {
  readonly file: File;
  readonly paused: boolean;
  on(eventName: UpChunkEventName, listener: (event: CustomEvent) => void): void;
  off(eventName: UpChunkEventName, listener: (event: CustomEvent) => void): void;
  pause(): void;
  resume(): void;
  abort(): void;
}

/**
 * The element that owns an UpChunk upload (`<mux-uploader>`): `upload` is its UpChunk once it made one, and
 * setting `paused` pauses or resumes that upload so the element's own Pause button shows it.
 */
export interface UpChunkHost {
  readonly upload?: UpChunkLike | null | undefined;
  paused: boolean;
  /** `pausedchange` (detail: the new `paused`) when its own Pause or Resume button was used. */
  addEventListener(type: "pausedchange", listener: (event: Event) => void): void;
  removeEventListener(type: "pausedchange", listener: (event: Event) => void): void;
}

/** The controller calls the bridge makes: `UploadController` satisfies it. */
export interface UpChunkBridgeController {
  start(file: File, options: StartUploadOptions): Promise<void>;
  getSnapshot(): UploadState;
  pause(): void;
  resume(): void;
}

export interface UpChunkBridgeOptions {
  /** The upload the runs go to (read at each `endpoint` call, so a host can swap it). */
  controller(): UpChunkBridgeController;
  /** The host element on the page now, or null once it is gone (its UpChunk may still be sending). */
  host(): UpChunkHost | null;
  /** Sent with `createUpload`; the backend keeps it as the asset's passthrough. A function is read at each run. */
  lessonId?: string | (() => string | undefined) | undefined;
  /** A run the host's UpChunk sends has started: show the host's UI rather than the kit's. */
  onRunStart?: (() => void) | undefined;
  /** The host's UpChunk sent every byte: the kit shows processing. */
  onSent?: (() => void) | undefined;
  /**
   * A run the host's UpChunk sent has ended without success (refused, failed, cancelled, handed to the kit's
   * sender): the host's element is spent, give the user a fresh one.
   */
  onRunEnd?: (() => void) | undefined;
}

/** What the bridge gives a host: the `endpoint` function for `<mux-uploader endpoint>`. */
export interface UpChunkBridge {
  /**
   * Starts the controller's run for `file` (validation by its bytes, `createUpload`) and resolves with the upload
   * URL for the host's UpChunk; rejects when the run ends before any byte (the file is refused, `createUpload`
   * fails, another run replaces it). Bound: `muxUploader.endpoint = bridge.endpoint` works.
   */
  endpoint: (file?: File) => Promise<string>;
  /**
   * Makes the controller follow `host`'s own Pause and Resume buttons (its `pausedchange` events; the bridge's
   * own pauses are not echoed back). Returns the unsubscribe.
   */
  followHost(host: UpChunkHost): () => void;
}

/** Where UpChunk's send loop is, as far as its events tell. */
type LoopState =
  /** Running: the next thing it does is an `attempt`, `success` or `error`. */
  | "running"
  /** A chunk is in flight. */
  | "sending"
  /** A chunk failed and a retry timer runs; paused, UpChunk parks the chunk when it fires, without an event. */
  | "retryWait"
  /** Not running: no chunk in flight, no timer pending. */
  | "stopped"
  | "failed"
  | "succeeded";

/** What the bridge knows of one UpChunk upload, from its documented events only. */
interface UpChunkFollower {
  readonly state: LoopState;
  /** Why UpChunk gave up, once it did. */
  readonly failure: VideoError | undefined;
  /** Resolves at the next state change. */
  changed(): Promise<void>;
}

/**
 * Follows UpChunk's send loop. UpChunk pauses between chunks only: the chunk in flight still finishes, and a
 * resume before then starts a second loop that puts chunks at the wrong offsets.
 */
function followUpChunk(upload: UpChunkLike, state: LoopState): UpChunkFollower {
  let failure: VideoError | undefined;
  let waiters: (() => void)[] = [];
  const set = (next: LoopState) => {
    state = next;
    const waiting = waiters;
    waiters = [];
    for (const wake of waiting) wake();
  };
  upload.on("attempt", () => set("sending"));
  // Unpaused, the loop goes on to the next chunk; paused (or offline), it stops before reading it.
  upload.on("chunkSuccess", () => set(upload.paused ? "stopped" : "running"));
  upload.on("attemptFailure", () => set("retryWait"));
  upload.on("success", () => set("succeeded"));
  upload.on("error", (event) => {
    failure = upChunkError(event);
    set("failed");
  });
  // Back online, UpChunk restarts its own loop unless it is paused.
  upload.on("online", () => {
    if (!upload.paused && state === "stopped") set("running");
  });
  return {
    get state() {
      return state;
    },
    get failure() {
      return failure;
    },
    changed: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

interface UpChunkErrorDetail {
  response?: { statusCode?: unknown; headers?: Record<string, string | undefined> } | undefined;
}

/**
 * The kit's error for UpChunk's `error` event, from its detail's `response.statusCode` (and `Retry-After`):
 * never from its message text. No status (the connection failed, the file could not be read) is `network`.
 */
export function upChunkError(event: CustomEvent): VideoError {
  const response = (event.detail as UpChunkErrorDetail | null | undefined)?.response;
  const status = typeof response?.statusCode === "number" ? response.statusCode : 0;
  if (status < 400) return createVideoError("network", { details: { reason: "stock uploader stopped", ...(status ? { status } : {}) } });
  return errorForStatus(status, response?.headers?.["retry-after"] ?? null);
}

/** Resolves after the current task: every microtask queued by the code that runs now has run. */
function afterCurrentTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function stopReason(signal: AbortSignal): UploadStopReason | undefined {
  const reason: unknown = signal.reason;
  return typeof reason === "string" ? (reason as UploadStopReason) : undefined;
}

/**
 * Bridges an UpChunk upload (Mux's stock `<mux-uploader>`, or `@mux/upchunk` itself) into an `UploadController`
 * run: the host's `endpoint` starts the controller's run, which validates the file and creates the upload; the
 * URL goes to UpChunk, whose documented events (`progress`, `chunkSuccess`, `attempt`, `attemptFailure`, `error`,
 * `success`, `online`) become the run's progress, success and typed errors (from status codes, never message
 * text). The controller's pause pauses UpChunk through its host; a resume restarts UpChunk once its loop has
 * stopped, or, when UpChunk was paused while it waited to retry a chunk (it then parks the chunk without any
 * event), hands the rest to the controller's own sender from the byte the server committed. Cancel and
 * replace abort UpChunk. No framework import: a React or plain-DOM host only wires it.
 *
 * @example
 * ```ts
 * const bridge = createUpChunkBridge({ controller: () => controller, host: () => muxUploader });
 * muxUploader.endpoint = bridge.endpoint;
 * ```
 */
export function createUpChunkBridge(options: UpChunkBridgeOptions): UpChunkBridge {
  // Set while the bridge itself pauses or resumes through the host, whose `pausedchange` is then no user's.
  let settingHost = false;
  const setPaused = (upload: UpChunkLike, paused: boolean) => {
    const host = options.host();
    if (host?.upload !== upload) return paused ? upload.pause() : upload.resume();
    // Through the element while it shows this upload, so its Pause button follows.
    settingHost = true;
    try {
      host.paused = paused;
    } finally {
      settingHost = false;
    }
  };
  const followHost = (host: UpChunkHost) => {
    const onPausedChange = (event: Event) => {
      if (settingHost) return;
      const paused = (event as CustomEvent<unknown>).detail === true;
      const controller = options.controller();
      const { status } = controller.getSnapshot();
      if (paused && status === "uploading") controller.pause();
      else if (!paused && status === "paused") controller.resume();
    };
    host.addEventListener("pausedchange", onPausedChange);
    return () => host.removeEventListener("pausedchange", onPausedChange);
  };
  const endRunOf = (upload: UpChunkLike) => {
    if (options.host()?.upload === upload) options.onRunEnd?.();
  };

  /** Brings a paused UpChunk back once its loop has stopped; hands over when it may have parked a chunk. */
  const resumeWhenStopped = async (upload: UpChunkLike, follower: UpChunkFollower, send: ExternalSendOptions): Promise<"resumed" | "handOver" | "none"> => {
    while (follower.state === "running" || follower.state === "sending") await follower.changed();
    if (send.signal.aborted || !upload.paused) return "none";
    if (follower.state === "retryWait") return "handOver";
    if (follower.state !== "stopped") return "none";
    // The `chunkSuccess` that stopped it runs the rest of UpChunk's loop in microtasks: let them finish.
    await afterCurrentTask();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- both may change during the await; TypeScript keeps the narrowing from before it (microsoft/TypeScript#9998)
    if (send.signal.aborted || !upload.paused) return "none";
    setPaused(upload, false);
    return "resumed";
  };

  const endpoint = (file?: File): Promise<string> =>
    new Promise<string>((resolveUrl, rejectUrl) => {
      if (!file) return rejectUrl(new Error("Mux's uploader asked for an upload URL without a file."));
      const owner = options.controller();
      // The host whose UpChunk asks (it keeps the UpChunk in `upload` once this call returns).
      const host = options.host();
      let urlGiven = false;
      let upload: UpChunkLike | undefined;
      let follower: UpChunkFollower | undefined;

      const giveUrl = (url: string) => {
        urlGiven = true;
        upload = host?.upload?.file === file ? host.upload : undefined;
        if (!upload) {
          // No UpChunk to follow: it must not send unseen.
          rejectUrl(new Error("Mux's uploader has no upload for this file."));
          return;
        }
        // Paused before the URL existed (its Pause button), UpChunk would wait for good with the button on
        // "Pausing…": start it instead, once it has taken the URL (it does so in microtasks of this task).
        const pausedEarly = upload.paused;
        follower = followUpChunk(upload, pausedEarly ? "stopped" : "running");
        resolveUrl(url);
        if (pausedEarly) {
          const waiting = upload;
          void afterCurrentTask().then(() => {
            if (waiting.paused && follower?.state === "stopped") setPaused(waiting, false);
          });
        }
      };

      const sendFile: ExternalSendFile = (_blob, target, send) => {
        if (!urlGiven) giveUrl(target.url);
        const stock = upload;
        const following = follower;
        if (!stock || !following) {
          return Promise.reject(createVideoError("network", { details: { reason: "Mux's uploader has no upload for this file" } }));
        }
        if (following.failure) return Promise.reject(following.failure);
        if (following.state === "succeeded") return Promise.resolve();
        return new Promise<void>((resolveSend, rejectSend) => {
          const progress = (event: CustomEvent) => {
            const percent = Math.min(100, Math.max(0, Number(event.detail) || 0));
            send.onProgress(Math.round((percent / 100) * file.size));
          };
          const succeeded = () => {
            finish();
            options.onSent?.();
            resolveSend();
          };
          const failed = () => {
            finish();
            rejectSend(following.failure ?? createVideoError("network"));
            endRunOf(stock);
          };
          const onAbort = () => {
            finish();
            rejectSend(createVideoError("aborted"));
            const reason = stopReason(send.signal);
            // A pause keeps UpChunk's bytes; anything else (cancel, another file, a retry) ends it.
            if (reason === "paused" || reason === "disposed") return setPaused(stock, true);
            stock.abort();
            endRunOf(stock);
          };
          const finish = () => {
            send.signal.removeEventListener("abort", onAbort);
            stock.off("progress", progress);
            stock.off("success", succeeded);
            stock.off("error", failed);
          };
          if (send.signal.aborted) return onAbort();
          send.signal.addEventListener("abort", onAbort);
          stock.on("progress", progress);
          stock.on("success", succeeded);
          stock.on("error", failed);
          if (send.resumeFrom === undefined || !stock.paused) return;
          void resumeWhenStopped(stock, following, send).then((outcome) => {
            if (outcome !== "handOver") return;
            finish();
            stock.abort();
            endRunOf(stock);
            send.handOver().then(resolveSend, rejectSend);
          });
        });
      };

      options.onRunStart?.();
      const lessonId = typeof options.lessonId === "function" ? options.lessonId() : options.lessonId;
      void owner.start(file, { ...(lessonId ? { lessonId } : {}), sendFile }).then(() => {
        // The run ended before any byte: refused (not a video, too large, createUpload failed) or replaced by
        // another start. If the host still waits for this file's URL, it stops too; if it has moved on to
        // another file, that run is its own.
        if (urlGiven || host?.upload?.file !== file) return;
        const { status, error } = owner.getSnapshot();
        rejectUrl(status === "error" ? error : new Error("The upload was replaced before it started."));
        options.onRunEnd?.();
      });
    });

  return { endpoint, followHost };
}
