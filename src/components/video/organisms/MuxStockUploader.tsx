"use client";
import type { MuxUploaderProps } from "@mux/mux-uploader-react";
import { type ComponentRef, forwardRef, lazy, Suspense, useCallback, useEffect, useRef, useState, type HTMLAttributes } from "react";
import type { VideoError } from "../../../core/errors.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import type { ExternalSendFile, UploadController } from "../../../core/upload-controller.js";
import { createVideoError, errorForStatus } from "../../../core/video-error.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { definedProps } from "../../shared/defined-props.js";
import { componentClassName } from "../../shared/class-names.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { VideoPlayer } from "../molecules/VideoPlayer.js";
import { useUploadAnnouncements } from "../use-upload-announcements.js";
import { useUploadCallbacks } from "../use-upload-callbacks.js";

// Mux's stock uploader loads only when this opt-in component mounts in the browser.
const MuxUploader = /* @__PURE__ */ lazy(() => import("@mux/mux-uploader-react"));

/** `<mux-uploader>`: its `paused` property pauses and resumes the UpChunk upload in `upload`. */
type StockElement = ComponentRef<typeof MuxUploader>;
type StockUpload = NonNullable<StockElement["upload"]>;

export interface MuxStockUploaderProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** Sent with `createUpload`; the backend keeps it as the asset's passthrough. */
  lessonId?: string | undefined;
  /**
   * `true` (default): the provider's upload, the one `useVideo()` and `LessonForm` see. `false`: an upload
   * of this component alone.
   */
  shared?: boolean | undefined;
  /** Called once the new video is ready to play. */
  onUploaded?: ((asset: VideoAsset) => void) | undefined;
  /** The upload in the kit's `UploadState` shape, on every change (bridged from Mux's events). */
  onStateChange?: ((state: UploadState) => void) | undefined;
  /** Title for the player of the finished video. */
  videoTitle?: string | undefined;
  /** Other `@mux/mux-uploader-react` props (`pausable`, `chunkSize`, `noDrop`…); `endpoint` is the kit's. */
  muxUploaderProps?: Omit<Partial<MuxUploaderProps>, "endpoint"> | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** What the bridge knows of one UpChunk upload, from its own events. */
interface UpChunkFollower {
  /** Resolves once UpChunk's send loop has stopped: no chunk in flight, no retry timer pending. */
  idle(): Promise<void>;
  /** UpChunk's message once it gave up (it may give up while the kit shows the upload paused). */
  readonly failure: string | undefined;
}

/**
 * Follows UpChunk's send loop. UpChunk pauses between chunks only: the chunk in flight (or its retry timer) still
 * finishes, and resuming before then starts a second loop that puts chunks at the wrong offsets. (Mux's own Pause
 * button stays disabled until the next chunk lands for the same reason.)
 */
function followUpChunk(upload: StockUpload): UpChunkFollower {
  let busy = false;
  let attempts = 0;
  let failure: string | undefined;
  let waiters: (() => void)[] = [];
  const stopped = () => {
    busy = false;
    const waiting = waiters;
    waiters = [];
    for (const wake of waiting) wake();
  };
  upload.on("attempt", () => {
    busy = true;
    attempts++;
  });
  // Unpaused, the loop goes on to read the next chunk; it stops after a chunk only when paused.
  upload.on("chunkSuccess", () => {
    if (upload.paused) stopped();
  });
  upload.on("success", stopped);
  upload.on("error", (event) => {
    failure = upChunkErrorMessage(event);
    stopped();
  });
  // After a failed attempt UpChunk waits `delayBeforeAttempt` s, then parks the chunk if paused or tries again.
  upload.on("attemptFailure", () => {
    const failedAttempt = attempts;
    setTimeout(() => {
      if (attempts === failedAttempt) stopped();
    }, upload.delayBeforeAttempt * 1000 + 20);
  });
  return {
    idle: () => (busy ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve()),
    get failure() {
      return failure;
    },
  };
}

/** The message of UpChunk's `error` event. */
function upChunkErrorMessage(event: CustomEvent): string {
  return String((event.detail as { message?: unknown } | null)?.message ?? "The upload stopped.");
}

/** UpChunk gives up with "Server responded with 500. Stopping upload."; keep the status when it names one. */
function stockUploadError(message: string): VideoError {
  const status = /responded with (\d{3})/.exec(message)?.[1];
  const error = status ? errorForStatus(Number(status)) : createVideoError("network");
  return createVideoError(error.code, { ...(status ? { status: Number(status) } : {}), retryable: error.retryable, details: { reason: message } });
}

/**
 * `@mux/mux-uploader-react` for teams that want Mux's stock upload UI, bridged into the kit's upload: its
 * `endpoint` starts the provider's upload (`useVideo()` sees it), which validates the file by its bytes and
 * asks the transport's `createUpload` for the URL; Mux's element then sends the bytes and its progress,
 * pause and errors become the kit's `UploadState`. `useVideo().actions` pause, resume and cancel it. When
 * Mux's uploader gives up, Retry continues with the kit's sender from the byte the server committed. The
 * asset is watched to `ready` and played. Lazy-loaded; needs a `VideoProvider`.
 */
export const MuxStockUploader = /* @__PURE__ */ forwardRef<HTMLDivElement, MuxStockUploaderProps>(function MuxStockUploader(props, ref) {
  return (
    <LiveAnnouncer>
      <MuxStockUploaderView {...props} ref={ref} />
    </LiveAnnouncer>
  );
});

const MuxStockUploaderView = /* @__PURE__ */ forwardRef<HTMLDivElement, MuxStockUploaderProps>(function MuxStockUploaderView(
  { lessonId, shared = true, onUploaded, onStateChange, videoTitle, muxUploaderProps, messages: messagesProp, unstyled, className, ...divProps },
  ref,
) {
  const messages = useMessages(messagesProp);
  const upload = useUploadIn("<MuxStockUploader>", { shared });
  const { state, asset, controller } = upload;
  useUploadAnnouncements(state, messages);
  useUploadCallbacks(state, asset, { onStateChange, onUploaded });
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);

  // Whether Mux's element is sending the current run (else the kit shows it), and a key that gives a
  // fresh element (its file picker) once a run it sent has ended without success.
  const [stockOwnsRun, setStockOwnsRun] = useState(false);
  const [elementKey, setElementKey] = useState(0);
  const element = useRef<StockElement | null>(null);
  const controllerRef = useRef<UploadController>(controller);
  controllerRef.current = controller;

  // mux-uploader-react 1.5 under React 19 sets `pausable` as the property "" (false); set it ourselves.
  const pausable = Boolean(muxUploaderProps?.pausable);
  const pausableRef = useRef(pausable);
  pausableRef.current = pausable;
  useEffect(() => {
    if (element.current) element.current.pausable = pausable;
  }, [pausable]);

  // Mux's own Pause/Resume buttons set the element's `paused`; the kit's upload follows.
  const listening = useRef<(() => void) | null>(null);
  const setElement = useCallback((node: StockElement | null) => {
    listening.current?.();
    listening.current = null;
    element.current = node;
    if (!node) return;
    node.pausable = pausableRef.current;
    const onPausedChange = (event: Event) => {
      const paused = (event as CustomEvent<boolean>).detail;
      const current = controllerRef.current;
      const { status } = current.getSnapshot();
      if (paused && status === "uploading") current.pause();
      else if (!paused && status === "paused") current.resume();
    };
    node.addEventListener("pausedchange", onPausedChange);
    listening.current = () => node.removeEventListener("pausedchange", onPausedChange);
  }, []);

  // Mux's React wrapper sets refs from an effect and never calls them with null: forget the element on unmount, so a
  // run that goes on (the provider's upload outlives this component) drives UpChunk directly.
  useEffect(
    () => () => {
      listening.current?.();
      listening.current = null;
      element.current = null;
    },
    [],
  );

  const endRun = () => {
    setStockOwnsRun(false);
    setElementKey((key) => key + 1);
  };

  const endpoint = (file?: File): Promise<string> =>
    new Promise<string>((resolveUrl, rejectUrl) => {
      if (!file) return rejectUrl(new Error("Mux's uploader asked for an upload URL without a file."));
      const owner = controllerRef.current;
      // The element whose UpChunk asks (it sets `upload` right after this call returns).
      const host = element.current;
      let urlGiven = false;
      let stock: StockUpload | undefined;
      let follower: UpChunkFollower | undefined;

      const sendFile: ExternalSendFile = (_blob, target, { signal, onProgress, resumeFrom }) =>
        new Promise<void>((resolveSend, rejectSend) => {
          if (!urlGiven) {
            urlGiven = true;
            stock = host?.upload?.file === file ? host.upload : undefined;
            if (host && stock) {
              follower = followUpChunk(stock);
              resolveUrl(target.url);
              // A pause Mux's button took before the URL existed would leave UpChunk waiting for good (and its
              // button on "Pausing…"): start instead, once UpChunk has the URL.
              if (stock.paused) {
                const waiting = stock;
                setTimeout(() => {
                  if (host.upload === waiting) host.paused = false;
                }, 0);
              }
            } else {
              // No UpChunk to follow: it must not send unseen.
              rejectUrl(new Error("Mux's uploader has no upload for this file."));
            }
          }
          if (!stock || !follower) {
            return rejectSend(createVideoError("network", { details: { reason: "Mux's uploader has no upload for this file" } }));
          }
          const upload = stock;
          const failure = follower.failure;
          if (failure !== undefined) return rejectSend(stockUploadError(failure));
          if (resumeFrom !== undefined && upload.paused) {
            // Once UpChunk's loop has stopped, and after the current event (UpChunk's own `online` handler).
            void follower.idle().then(() =>
              setTimeout(() => {
                if (signal.aborted || !upload.paused) return;
                const el = element.current;
                // Through the element when it is on the page, so Mux's Pause button shows it too.
                if (el?.upload === upload) el.paused = false;
                else upload.resume();
              }, 0),
            );
          }
          // UpChunk's own events, so a stale upload or the element's other errors never reach this run.
          const progress = (event: CustomEvent) =>
            onProgress(Math.round((Math.min(100, Math.max(0, Number(event.detail) || 0)) / 100) * file.size));
          const succeeded = () => {
            finish();
            setStockOwnsRun(false);
            resolveSend();
          };
          const failed = (event: CustomEvent) => {
            finish();
            rejectSend(stockUploadError(upChunkErrorMessage(event)));
            if (element.current?.upload === upload) endRun();
          };
          const onAbort = () => {
            finish();
            rejectSend(createVideoError("aborted"));
            // By the next microtask the controller has settled why it stopped: a pause keeps UpChunk's bytes
            // and pauses it; anything else (cancel, another file, the provider unmounting) ends it.
            queueMicrotask(() => {
              const el = element.current;
              if (owner.getSnapshot().status === "paused") {
                if (el?.upload === upload) el.paused = true;
                else upload.pause();
                return;
              }
              upload.abort();
              if (el?.upload === upload) endRun();
            });
          };
          const finish = () => {
            signal.removeEventListener("abort", onAbort);
            upload.off("progress", progress);
            upload.off("success", succeeded);
            upload.off("error", failed);
          };
          signal.addEventListener("abort", onAbort);
          upload.on("progress", progress);
          upload.on("success", succeeded);
          upload.on("error", failed);
        });

      setStockOwnsRun(true);
      void owner.start(file, { ...(lessonId ? { lessonId } : {}), sendFile }).then(() => {
        // The run ended before any byte: refused (not a video, too large, createUpload failed) or replaced by
        // another start. If Mux's element still waits for this file's URL, it stops too; if it has moved on
        // to another file, that run is its own.
        if (urlGiven || host?.upload?.file !== file) return;
        const { status, error } = owner.getSnapshot();
        rejectUrl(status === "error" && error ? error : new Error("The upload was replaced before it started."));
        endRun();
      });
    });

  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const { status } = state;
  const running = status === "validating" || status === "requesting" || status === "uploading" || status === "paused";
  const showStock = status === "idle" || status === "error" || (running && stockOwnsRun);
  const showStatus = status === "processing" || status === "error" || (running && !stockOwnsRun);

  return (
    <div
      {...divProps}
      ref={ref}
      data-status={status}
      className={componentClassName(unstyled, "lvk-uploader lvk-mux-uploader", className)}
    >
      {showStatus ? (
        <UploadStatus
          state={state}
          announce={false}
          onPause={upload.pause}
          onResume={upload.resume}
          onCancel={upload.cancel}
          onRetry={() => upload.retry()}
          messages={messagesProp}
          unstyled={unstyled}
        />
      ) : null}
      {mounted && showStock ? (
        <Suspense fallback={<div className={componentClassName(unstyled, "lvk-player__skeleton lvk-mux-uploader__skeleton", undefined)} aria-busy="true" />}>
          <MuxUploader {...definedProps({ ...muxUploaderProps, pausable: undefined })} key={elementKey} ref={setElement} endpoint={endpoint} />
        </Suspense>
      ) : null}
      {status === "complete" && asset ? (
        <div role="group" aria-label={messages.status.complete} className={kit("lvk-uploader__ready")}>
          <VideoPlayer asset={asset} title={videoTitle} messages={messagesProp} unstyled={unstyled} />
          <div className={kit("lvk-manager__summary")}>
            <span className={kit("lvk-badge")} data-status="ready">
              {messages.manager.ready}
            </span>
            <div className={kit("lvk-actions")}>
              {/* Back to Mux's picker; the next file replaces this one in the provider's upload. */}
              <button type="button" className={kit("lvk-button")} onClick={upload.cancel}>
                {messages.manager.replace}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
});
