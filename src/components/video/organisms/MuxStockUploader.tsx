"use client";
import type { MuxUploaderProps } from "@mux/mux-uploader-react";
import { forwardRef, lazy, Suspense, useEffect, useRef, useState, type HTMLAttributes } from "react";
import { isVideoError, VideoError } from "../../../core/errors.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { useVideoClient } from "../../../react/video-context.js";
import { componentClassName } from "../../shared/class-names.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { VideoPlayer } from "../molecules/VideoPlayer.js";
import { useUploadAnnouncements } from "../use-upload-announcements.js";

// Mux's stock uploader loads only when this opt-in component mounts in the browser.
const MuxUploader = lazy(() => import("@mux/mux-uploader-react"));

export interface MuxStockUploaderProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** Sent with `createUpload`; the backend keeps it as the asset's passthrough. */
  lessonId?: string;
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

const idle: UploadState = { progress: 0, status: "idle", bytesSent: 0, totalBytes: 0, speed: 0, paused: false, attempt: 0 };

/**
 * `@mux/mux-uploader-react` for teams that want Mux's stock upload UI: its `endpoint` asks the
 * provider's transport (`createUpload`) for the upload URL, and its events are bridged into the kit's
 * `UploadState` (announced through the shared live region, reported by `onStateChange`), then the asset
 * is watched to `ready` and played. Lazy-loaded; needs a `VideoProvider`. The default `VideoUploader`
 * adds validation by bytes, resume after reload and cancel, which Mux's element does not offer.
 */
export const MuxStockUploader = forwardRef<HTMLDivElement, MuxStockUploaderProps>(function MuxStockUploader(props, ref) {
  return (
    <LiveAnnouncer>
      <MuxStockUploaderView {...props} ref={ref} />
    </LiveAnnouncer>
  );
});

const MuxStockUploaderView = forwardRef<HTMLDivElement, MuxStockUploaderProps>(function MuxStockUploaderView(
  { lessonId, onUploaded, onStateChange, videoTitle, muxUploaderProps, messages: messagesProp, unstyled, className, ...divProps },
  ref,
) {
  const messages = useMessages(messagesProp);
  const client = useVideoClient("MuxStockUploader");
  const [state, setState] = useState<UploadState>(idle);
  const [asset, setAsset] = useState<VideoAsset | null>(null);
  const [mounted, setMounted] = useState(false);
  const uploadId = useRef<string | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    setMounted(true);
    return () => abort.current?.abort();
  }, []);
  useUploadAnnouncements(state, messages);
  const onStateChangeRef = useRef(onStateChange);
  onStateChangeRef.current = onStateChange;
  useEffect(() => {
    onStateChangeRef.current?.(state);
  }, [state]);

  const fail = (error: VideoError) => setState((current) => ({ ...current, status: "error", error }));

  const endpoint = async (file?: File): Promise<string> => {
    abort.current?.abort();
    abort.current = new AbortController();
    const info = { name: file?.name ?? "", size: file?.size ?? 0, type: file?.type ?? "" };
    setAsset(null);
    setState({ ...idle, status: "requesting", totalBytes: info.size, attempt: 1, file: info });
    try {
      const target = await client.transport.createUpload({ file: info, ...(lessonId ? { lessonId } : {}) }, { signal: abort.current.signal });
      uploadId.current = target.uploadId;
      setState((current) => ({ ...current, uploadId: target.uploadId }));
      return target.url;
    } catch (thrown) {
      fail(isVideoError(thrown) ? thrown : new VideoError("server", String(thrown), { cause: thrown }));
      throw thrown;
    }
  };

  const watchAsset = () => {
    const id = uploadId.current;
    const signal = abort.current?.signal;
    if (!id || !signal) return;
    setState((current) => ({ ...current, status: "processing", progress: 100, bytesSent: current.totalBytes }));
    client.watcher
      .waitForReadyAsset(id, { signal, onAssetId: (assetId) => setState((current) => ({ ...current, assetId })) })
      .then((ready) => {
        setAsset(ready);
        setState((current) => ({ ...current, status: "complete" }));
        onUploaded?.(ready);
      })
      .catch((error: unknown) => {
        if (signal.aborted) return;
        fail(isVideoError(error) ? error : new VideoError("processing_failed", String(error), { cause: error }));
      });
  };

  const showMux = state.status === "idle" || state.status === "requesting" || state.status === "uploading" || state.status === "paused" || (state.status === "error" && !state.assetId);

  return (
    <div
      {...divProps}
      ref={ref}
      data-status={state.status}
      className={componentClassName(unstyled, "lvk-uploader lvk-mux-uploader", className)}
    >
      {mounted && showMux ? (
        <Suspense fallback={<div className={componentClassName(unstyled, "lvk-player__skeleton lvk-mux-uploader__skeleton", undefined)} aria-busy="true" />}>
          <MuxUploader
            {...muxUploaderProps}
            endpoint={endpoint}
            onUploadStart={(event) => {
              const { file } = event.detail;
              setState((current) => ({ ...current, status: "uploading", totalBytes: file.size, file: { name: file.name, size: file.size, type: file.type } }));
              muxUploaderProps?.onUploadStart?.(event);
            }}
            // Mux's `progress` CustomEvent shares its name with the media `onProgress` React type.
            onProgress={
              ((event: CustomEvent<number>) => {
                const percent = Number(event.detail) || 0;
                setState((current) => ({ ...current, status: "uploading", progress: percent, bytesSent: Math.round((percent / 100) * current.totalBytes) }));
                (muxUploaderProps?.onProgress as ((event: CustomEvent<number>) => void) | undefined)?.(event);
              }) as MuxUploaderProps["onProgress"]
            }
            onUploadError={(event) => {
              fail(new VideoError("network", event.detail.message));
              muxUploaderProps?.onUploadError?.(event);
            }}
            onSuccess={(event) => {
              watchAsset();
              muxUploaderProps?.onSuccess?.(event);
            }}
          />
        </Suspense>
      ) : null}
      {state.status === "processing" || (state.status === "error" && state.assetId) ? (
        <UploadStatus state={state} announce={false} messages={messagesProp} unstyled={unstyled} />
      ) : null}
      {state.status === "complete" && asset ? (
        <VideoPlayer asset={asset} title={videoTitle} messages={messagesProp} unstyled={unstyled} />
      ) : null}
    </div>
  );
});
