import { useMemo } from "react";
import type { VideoError } from "../core/errors.js";
import type { UploadState, VideoAsset } from "../core/types.js";
import type { StartUploadOptions } from "../core/upload-controller.js";
import type { ValidatableFile } from "../core/validation.js";
import { useUploadIn } from "./use-upload.js";

/** The integration plan's context API, plus pause/resume/cancel. */
export interface UseVideoResult {
  state: {
    asset: VideoAsset | null;
    uploadState: UploadState;
    error: VideoError | null;
  };
  actions: {
    /**
     * Validates and uploads `file`. Resolves when this run stops (complete, error, paused or replaced);
     * never rejects: failures are in `state.error`.
     */
    startUpload(file: ValidatableFile, options?: StartUploadOptions): Promise<void>;
    /** Retries a retryable error, resuming from the byte the server committed. */
    retryUpload(): boolean;
    /** Back to `idle` (cancels a running upload). */
    resetState(): void;
    pause(): void;
    resume(): void;
    cancel(): void;
  };
}

/** The provider's upload and its asset, in the integration plan's shape. */
export function useVideo(): UseVideoResult {
  const upload = useUploadIn("useVideo", {});
  const { state, asset, error, start, retry, reset, pause, resume, cancel } = upload;
  const actions = useMemo(
    () => ({ startUpload: start, retryUpload: retry, resetState: reset, pause, resume, cancel }),
    [start, retry, reset, pause, resume, cancel],
  );
  return useMemo(() => ({ state: { asset, uploadState: state, error }, actions }), [asset, state, error, actions]);
}
