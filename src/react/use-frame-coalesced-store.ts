import { useCallback, useSyncExternalStore } from "react";
import type { UploadState } from "../core/types.js";

/**
 * `useSyncExternalStore` over an upload store, with progress-only changes delivered at most once per
 * animation frame. Status and error changes are delivered at once. Without `requestAnimationFrame`
 * (server, some test environments) every change is delivered at once.
 */
export function useFrameCoalescedUploadState(subscribe: (listener: () => void) => () => void, getSnapshot: () => UploadState): UploadState {
  const subscribeCoalesced = useCallback(
    (onStoreChange: () => void) => {
      const canWait = typeof requestAnimationFrame === "function" && typeof cancelAnimationFrame === "function";
      let frame: number | null = null;
      let delivered = getSnapshot();
      const flush = () => {
        frame = null;
        delivered = getSnapshot();
        onStoreChange();
      };
      const unsubscribe = subscribe(() => {
        const next = getSnapshot();
        const urgent = next.status !== delivered.status || next.error !== delivered.error || next.uploadId !== delivered.uploadId;
        if (!canWait || urgent) {
          if (frame !== null) cancelAnimationFrame(frame);
          flush();
        } else if (frame === null) {
          frame = requestAnimationFrame(flush);
        }
      });
      return () => {
        unsubscribe();
        if (frame !== null) cancelAnimationFrame(frame);
      };
    },
    [subscribe, getSnapshot],
  );
  return useSyncExternalStore(subscribeCoalesced, getSnapshot, getSnapshot);
}
