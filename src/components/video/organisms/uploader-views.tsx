"use client";
// The views `VideoUploader` shows once a file is picked: the running upload, the error and the finished
// video. They load with `import()` while the drop zone shows, so a page's first load carries only the
// drop zone (see `useUploaderViews` in VideoUploader.tsx).
import type { ReactNode } from "react";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";
import { UploadButton } from "../atoms/UploadButton.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { VideoPlayer } from "../molecules/VideoPlayer.js";

/** What every view gets from `VideoUploader`. */
export interface UploaderViewProps {
  state: UploadState;
  messages: MessagesOverride | undefined;
  unstyled: boolean | undefined;
}

/** The running upload: progress, speed, time left, Pause/Resume/Cancel. */
export function UploaderProgressView({ state, messages, unstyled, onPause, onResume, onCancel }: UploaderViewProps & {
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
      messages={messages}
      unstyled={unstyled}
    />
  );
}

/** A failed upload: the reason, Retry when a retry can help, and another file. */
export function UploaderErrorView({ state, messages: messagesProp, unstyled, onRetry, onFileSelect }: UploaderViewProps & {
  onRetry: () => void;
  onFileSelect: (file: File) => void;
}): ReactNode {
  const messages = useMessages(messagesProp);
  return (
    <>
      <div data-lvk-focus-first="">
        <UploadStatus data-lvk-focus="" state={state} announce={false} onRetry={onRetry} messages={messagesProp} unstyled={unstyled} />
      </div>
      <div className={componentClassName(unstyled, "lvk-actions", undefined)}>
        <UploadButton onFileSelect={onFileSelect} appearance="secondary" unstyled={unstyled} messages={messagesProp}>
          {messages.upload.chooseAnotherFile}
        </UploadButton>
      </div>
    </>
  );
}

/** The finished video: the player, Replace, Remove and the host's own actions. */
export function UploaderReadyView({ asset, videoTitle, actions, messages: messagesProp, unstyled, onFileSelect, onRemove }: Omit<UploaderViewProps, "state"> & {
  asset: VideoAsset | null;
  videoTitle: string | undefined;
  actions: ReactNode;
  onFileSelect: (file: File) => void;
  onRemove: (() => void) | undefined;
}): ReactNode {
  const messages = useMessages(messagesProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  return (
    <div role="group" tabIndex={-1} data-lvk-focus="" aria-label={messages.status.complete} className={kit("lvk-uploader__ready")}>
      {asset ? <VideoPlayer asset={asset} title={videoTitle} messages={messagesProp} unstyled={unstyled} /> : null}
      <div className={kit("lvk-manager__summary")}>
        <span className={kit("lvk-badge")} data-status="ready">
          {messages.manager.ready}
        </span>
        <div className={kit("lvk-actions")}>
          {actions}
          <UploadButton onFileSelect={onFileSelect} appearance="secondary" unstyled={unstyled} messages={messagesProp}>
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
