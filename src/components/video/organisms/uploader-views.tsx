"use client";
// The views `VideoUploader` shows once a file is picked: the running upload, the error and the finished
// video. They load with `import()` while the drop zone shows, so a page's first load carries only the
// drop zone (see `useUploaderViews` in VideoUploader.tsx).
import type { ReactNode } from "react";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import { UploadButton } from "../atoms/UploadButton.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { VideoPlayer } from "../molecules/VideoPlayer.js";

/**
 * What every view gets from `VideoUploader`. The uploader's `messages` and `unstyled` reach the views (and the
 * components they render) through its `KitSettingsProvider`.
 */
export interface UploaderViewProps {
  state: UploadState;
}

/** The running upload: progress, speed, time left, Pause/Resume/Cancel. */
export function UploaderProgressView({ state, onPause, onResume, onCancel }: UploaderViewProps & {
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}): ReactNode {
  return (
    <UploadStatus
      data-lvk-focus=""
      state={state}
      announce={false}
      onPause={onPause}
      onResume={onResume}
      onCancel={onCancel}
    />
  );
}

/** A failed upload: the reason, Retry when a retry can help, and another file. */
export function UploaderErrorView({ state, onRetry, onFileSelect }: UploaderViewProps & {
  onRetry: () => void;
  onFileSelect: (file: File) => void;
}): ReactNode {
  const messages = useMessages();
  const unstyled = useUnstyled();
  return (
    <>
      <div data-lvk-focus-first="">
        <UploadStatus data-lvk-focus="" state={state} announce={false} onRetry={onRetry} />
      </div>
      <div className={componentClassName(unstyled, "lvk-actions", undefined)}>
        <UploadButton onFileSelect={onFileSelect} appearance="secondary">
          {messages.upload.chooseAnotherFile}
        </UploadButton>
      </div>
    </>
  );
}

/** The finished video: the player, Replace, Remove and the host's own actions. */
export function UploaderReadyView({ asset, videoTitle, actions, onFileSelect, onRemove }: Omit<UploaderViewProps, "state"> & {
  asset: VideoAsset | null;
  videoTitle: string | undefined;
  actions: ReactNode;
  onFileSelect: (file: File) => void;
  onRemove: (() => void) | undefined;
}): ReactNode {
  const messages = useMessages();
  const unstyled = useUnstyled();
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  return (
    <div role="group" tabIndex={-1} data-lvk-focus="" aria-label={messages.status.complete} className={kit("lvk-uploader__ready")}>
      {asset ? <VideoPlayer asset={asset} title={videoTitle} /> : null}
      <div className={kit("lvk-manager__summary")}>
        <span className={kit("lvk-badge")} data-status="ready">
          {messages.manager.ready}
        </span>
        <div className={kit("lvk-actions")}>
          {actions}
          <UploadButton onFileSelect={onFileSelect} appearance="secondary">
            {messages.manager.replace}
          </UploadButton>
          {onRemove ? (
            <button type="button" className={kit("lvk-button lvk-button--danger")} onClick={onRemove}>
              {messages.manager.remove}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
