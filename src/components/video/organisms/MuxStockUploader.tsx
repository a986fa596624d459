"use client";
import type { MuxUploaderProps } from "@mux/mux-uploader-react";
import { type ComponentRef, forwardRef, lazy, Suspense, useCallback, useEffect, useRef, useState, type HTMLAttributes } from "react";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { createUpChunkBridge } from "../../../core/upchunk-bridge.js";
import type { UploadController } from "../../../core/upload-controller.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { definedProps } from "../../shared/defined-props.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useInBrowser } from "../../shared/use-in-browser.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { VideoPlayer } from "../molecules/VideoPlayer.js";
import { useUploadAnnouncements } from "../use-upload-announcements.js";
import { useUploadCallbacks } from "../use-upload-callbacks.js";

// Mux's stock uploader loads only when this opt-in component mounts in the browser.
const MuxUploader = /* @__PURE__ */ lazy(() => import("@mux/mux-uploader-react"));

/** `<mux-uploader>`: its `paused` property pauses and resumes the UpChunk upload in `upload`. */
type StockElement = ComponentRef<typeof MuxUploader>;

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
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <MuxStockUploaderView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const MuxStockUploaderView = /* @__PURE__ */ forwardRef<HTMLDivElement, MuxStockUploaderProps>(function MuxStockUploaderView(
  { lessonId, shared = true, onUploaded, onStateChange, videoTitle, muxUploaderProps, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const upload = useUploadIn("<MuxStockUploader>", { shared });
  const { state, asset, controller } = upload;
  useUploadAnnouncements(state, messages);
  useUploadCallbacks(state, asset, { onStateChange, onUploaded });
  const inBrowser = useInBrowser();

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

  // The bridge turns Mux's UpChunk events into the provider's run; this component only shows whose UI is current.
  const lessonIdRef = useRef(lessonId);
  lessonIdRef.current = lessonId;
  const [bridge] = useState(() =>
    createUpChunkBridge({
      controller: () => controllerRef.current,
      host: () => element.current,
      lessonId: () => lessonIdRef.current,
      onRunStart: () => setStockOwnsRun(true),
      onSent: () => setStockOwnsRun(false),
      onRunEnd: () => {
        setStockOwnsRun(false);
        setElementKey((key) => key + 1);
      },
    }),
  );

  // Mux's own Pause/Resume buttons set the element's `paused`; the kit's upload follows.
  const listening = useRef<(() => void) | null>(null);
  const setElement = useCallback(
    (node: StockElement | null) => {
      listening.current?.();
      listening.current = null;
      element.current = node;
      if (!node) return;
      node.pausable = pausableRef.current;
      listening.current = bridge.followHost(node);
    },
    [bridge],
  );

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
          onPause={() => upload.pause()}
          onResume={() => upload.resume()}
          onCancel={() => upload.cancel()}
          onRetry={() => upload.retry()}
        />
      ) : null}
      {inBrowser && showStock ? (
        <Suspense fallback={<div className={componentClassName(unstyled, "lvk-player__skeleton lvk-mux-uploader__skeleton", undefined)} aria-busy="true" />}>
          <MuxUploader {...definedProps({ ...muxUploaderProps, pausable: undefined })} key={elementKey} ref={setElement} endpoint={bridge.endpoint} />
        </Suspense>
      ) : null}
      {status === "complete" && asset ? (
        <div role="group" aria-label={messages.status.complete} className={kit("lvk-uploader__ready")}>
          <VideoPlayer asset={asset} title={videoTitle} />
          <div className={kit("lvk-manager__summary")}>
            <span className={kit("lvk-badge")} data-status="ready">
              {messages.manager.ready}
            </span>
            <div className={kit("lvk-actions")}>
              {/* Back to Mux's picker; the next file replaces this one in the provider's upload. */}
              <button type="button" className={kit("lvk-button")} onClick={() => upload.cancel()}>
                {messages.manager.replace}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
});
