"use client";
import { useEffect, useInsertionEffect, useRef } from "react";
import type { UploadState, VideoAsset } from "../../core/types.js";

export interface UploadCallbacks {
  /** Called on every upload state change. */
  onStateChange?: ((state: UploadState) => void) | undefined;
  /** Called once per asset, when it is ready to play. */
  onUploaded?: ((asset: VideoAsset) => void) | undefined;
}

/** Reports an upload to an organism's `onStateChange` and `onUploaded` props (latest callbacks, no re-subscribing). */
export function useUploadCallbacks(state: UploadState, asset: VideoAsset | null, callbacks: UploadCallbacks): void {
  const latest = useRef(callbacks);
  // Updated after each commit (insertion effects run before the effects below), never during a render.
  useInsertionEffect(() => {
    latest.current = callbacks;
  });
  useEffect(() => {
    latest.current.onStateChange?.(state);
  }, [state]);

  const reportedAsset = useRef<string | null>(null);
  useEffect(() => {
    if (state.status === "complete" && asset?.status === "ready" && reportedAsset.current !== asset.id) {
      reportedAsset.current = asset.id;
      latest.current.onUploaded?.(asset);
    }
  }, [state.status, asset]);
}
