import { useMemo } from "react";
import type { VideoError } from "../core/errors.js";
import type { UploadState, VideoAsset } from "../core/types.js";
import type { StartUploadOptions, UploadController } from "../core/upload-controller.js";
import type { ValidatableFile } from "../core/validation.js";
import { useUploadIn } from "./use-upload.js";

/** What `useVideo()` returns: the upload and its asset (`state`) and what a user can do with it (`actions`). */
export interface UseVideoResult {
  /** The upload and its asset; a new object when either changes. */
  state: {
    /** The asset once the backend created it (`preparing`, then `ready`); `null` before. */
    asset: VideoAsset | null;
    /**
     * The upload's snapshot (status, progress, speed, error). Progress-only changes render at most once per
     * animation frame and every 250 ms; status and error changes at once.
     */
    uploadState: UploadState;
    /** The error that stopped the upload, also in `uploadState.error`; `null` when none. */
    error: VideoError | null;
  };
  /**
   * What a user can do with the upload: the same functions from render to render while the provider keeps
   * its client, so they are safe in effect dependencies.
   */
  actions: {
    /**
     * Validates and uploads `file` (replacing a running upload). Resolves when this run stops (complete,
     * error or paused); never rejects: failures are in `state.error`.
     */
    startUpload: (file: ValidatableFile, options?: StartUploadOptions) => Promise<void>;
    /** Pauses the bytes in flight; the server keeps what it has. */
    pauseUpload: () => void;
    /** Continues a paused upload from the byte the server committed. */
    resumeUpload: () => void;
    /**
     * Retries after a retryable error (`state.error.retryable`), resuming from the byte the server
     * committed. Resolves when the retried run stops; at once when there is nothing to retry.
     */
    retryUpload: () => Promise<void>;
    /** Back to `idle`, ready for another file. An upload still in flight is cancelled at the backend. */
    resetState: () => void;
  };
}

/**
 * The provider's upload and its asset: the hook most apps use. Must be called under a `VideoProvider`.
 *
 * @example
 * const { state, actions } = useVideo();
 * <input type="file" onChange={(e) => e.target.files?.[0] && actions.startUpload(e.target.files[0])} />
 */
export function useVideo(): UseVideoResult {
  const upload = useUploadIn("useVideo()", {});
  const { state, asset, error, controller } = upload;
  const actions = useMemo(
    () => ({
      startUpload: (file: ValidatableFile, options?: StartUploadOptions) => controller.start(file, options),
      pauseUpload: () => controller.pause(),
      resumeUpload: () => controller.resume(),
      retryUpload: () => retryAndSettle(controller),
      resetState: () => controller.cancel(),
    }),
    [controller],
  );
  return useMemo(() => ({ state: { asset, uploadState: state, error }, actions }), [asset, state, error, actions]);
}

const runningStatuses: ReadonlySet<UploadState["status"]> = new Set(["validating", "requesting", "uploading", "processing"]);

/** Retries and resolves once the run stops (complete, error, paused or idle), as `start()` does. */
function retryAndSettle(controller: UploadController): Promise<void> {
  if (!controller.retry()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (runningStatuses.has(controller.getSnapshot().status)) return false;
      unsubscribe();
      resolve();
      return true;
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}
