"use client";
import type { MuxUploaderProps } from "@mux/mux-uploader-react";
import { type ComponentRef, forwardRef, lazy, Suspense, useCallback, useEffect, useRef, useState, type HTMLAttributes } from "react";
import type { VideoError } from "../../../core/errors.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import type { ExternalSendFile, UploadController } from "../../../core/upload-controller.js";
import { createVideoError, errorForStatus } from "../../../core/video-error.js";
import { useUpload } from "../../../react/use-upload.js";
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
  lessonId?: string;
  /**
   * `true` (default): the provider's upload, the one `useVideo()` and `LessonForm` see. `false`: an upload
   * of this component alone.
   */
  shared?: boolean;
  /** Called once the new video is ready to play. */
  onUploaded?: (asset: VideoAsset) => void;
  /** The upload in the kit's `UploadState` shape, on every change (bridged from Mux's events). */
  onStateChange?: (state: UploadState) => void;
  /** Title for the player of the finished video. */
  videoTitle?: string;
  /** Other `@mux/mux-uploader-react` props (`pausable`, `chunkSize`, `noDrop`…); `endpoint` is the kit's. */
  muxUploaderProps?: Omit<Partial<MuxUploaderProps>, "endpoint">;
  messages?: MessagesOverride;
  unstyled?: boolean;
}

/** What Mux's element reports about the run it is sending. */
interface StockRun {
  upload: StockUpload | undefined;
  progress(percent: number): void;
  succeeded(): void;
  failed(message: string): void;
}

/**
 * Tells when UpChunk's send loop has stopped after a pause. UpChunk pauses between chunks: the chunk in flight (or
 * its retry timer) still finishes, and resuming before then starts a second loop that sends chunks out of order.
 * (Mux's own Pause button stays disabled until the next chunk lands for the same reason.)
 */
function followSendLoop(upload: StockUpload): () => Promise<void> {
  let idle: Promise<void> = Promise.resolve();
  let settle = () => {};
  upload.on("attempt", () => {
    idle = new Promise((resolve) => (settle = resolve));
  });
  for (const done of ["chunkSuccess", "error", "success"] as const) upload.on(done, () => settle());
  // After a failed attempt UpChunk waits `delayBeforeAttempt` seconds, then parks the chunk if paused.
  upload.on("attemptFailure", () => setTimeout(() => settle(), upload.delayBeforeAttempt * 1000 + 20));
  return () => idle;
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
  const upload = useUpload({ shared });
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
  const sending = useRef<StockRun | null>(null);
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

  const endRun = () => {
    setStockOwnsRun(false);
    setElementKey((key) => key + 1);
  };

  const endpoint = (file?: File): Promise<string> =>
    new Promise<string>((resolveUrl, rejectUrl) => {
      if (!file) return rejectUrl(new Error("Mux's uploader asked for an upload URL without a file."));
      let urlGiven = false;
      let stock: StockUpload | undefined;
      let sendLoopIdle = () => Promise.resolve();

      const sendFile: ExternalSendFile = (_blob, target, { signal, onProgress, resumeFrom }) =>
        new Promise<void>((resolveSend, rejectSend) => {
          const el = element.current;
          if (!urlGiven) {
            urlGiven = true;
            stock = el?.upload?.file === file ? el.upload : undefined;
            if (stock) sendLoopIdle = followSendLoop(stock);
            resolveUrl(target.url);
          } else if (!stock || el?.upload !== stock) {
            // Mux's element and its upload are gone (e.g. unmounted while paused): Retry sends the rest.
            return rejectSend(createVideoError("network", { details: { reason: "Mux's uploader is no longer on the page" } }));
          } else if (resumeFrom !== undefined && el.paused) {
            // Once UpChunk's loop has stopped, and after the current event (UpChunk's own `online` handler).
            void sendLoopIdle().then(() =>
              setTimeout(() => {
                if (!signal.aborted && el.upload === stock && el.paused) el.paused = false;
              }, 0),
            );
          }
          const run: StockRun = {
            upload: stock,
            progress: (percent) => onProgress(Math.round((Math.min(100, Math.max(0, percent)) / 100) * file.size)),
            succeeded: () => finish(() => resolveSend()),
            failed: (message) => {
              finish(() => rejectSend(stockUploadError(message)));
              endRun();
            },
          };
          const finish = (settle: () => void) => {
            signal.removeEventListener("abort", onAbort);
            if (sending.current === run) sending.current = null;
            settle();
          };
          const onAbort = () => {
            finish(() => rejectSend(createVideoError("aborted")));
            // By the next microtask the controller has settled why it stopped: a pause keeps Mux's upload
            // paused; anything else (cancel, another file, unmount of the provider) ends it.
            queueMicrotask(() => {
              const current = element.current;
              if (controllerRef.current.getSnapshot().status === "paused") {
                if (current && current.upload === stock && !current.paused) current.paused = true;
                return;
              }
              stock?.abort();
              if (current?.upload === stock) endRun();
            });
          };
          signal.addEventListener("abort", onAbort);
          sending.current = run;
        });

      setStockOwnsRun(true);
      void controllerRef.current.start(file, { ...(lessonId ? { lessonId } : {}), sendFile }).then(() => {
        // The run ended before any byte: refused (not a video, too large, createUpload failed) or replaced by
        // another start. If Mux's element still waits for this file's URL, it stops too; if it has moved on
        // to another file, that run is its own.
        if (urlGiven || element.current?.upload?.file !== file) return;
        const { status, error } = controllerRef.current.getSnapshot();
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
          <MuxUploader
            {...muxUploaderProps}
            pausable={undefined}
            key={elementKey}
            ref={setElement}
            endpoint={endpoint}
            // Mux's `progress` CustomEvent shares its name with the media `onProgress` React type.
            onProgress={
              ((event: CustomEvent<number>) => {
                sending.current?.progress(Number(event.detail) || 0);
                (muxUploaderProps?.onProgress as ((event: CustomEvent<number>) => void) | undefined)?.(event);
              }) as MuxUploaderProps["onProgress"]
            }
            onUploadError={(event) => {
              sending.current?.failed(event.detail.message);
              muxUploaderProps?.onUploadError?.(event);
            }}
            onSuccess={(event) => {
              sending.current?.succeeded();
              muxUploaderProps?.onSuccess?.(event);
            }}
          />
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
              <button type="button" className={kit("lvk-button")} onClick={upload.reset}>
                {messages.manager.replace}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
});
