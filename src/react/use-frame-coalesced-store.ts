import { useCallback, useSyncExternalStore } from "react";
import type { UploadState } from "../core/types.js";

/**
 * Least time between two progress-only renders. Upload progress events can arrive many times a second;
 * four renders a second keep the bar and the speed smooth (the bar animates between values) at a
 * fraction of the commits.
 */
export const progressRenderIntervalMs = 250;

/**
 * `useSyncExternalStore` over an upload store, with progress-only changes delivered at most once per
 * animation frame and at most every `progressRenderIntervalMs`. Status and error changes are delivered
 * at once. Without `requestAnimationFrame` (server, some test environments) every change is delivered at once.
 */
export function useFrameCoalescedUploadState(subscribe: (listener: () => void) => () => void, getSnapshot: () => UploadState): UploadState {
  return useFrameCoalescedStore(subscribe, getSnapshot, uploadChangeIsUrgent);
}

const uploadChangeIsUrgent = (delivered: UploadState, next: UploadState): boolean =>
  next.status !== delivered.status || next.error !== delivered.error || next.uploadId !== delivered.uploadId;

/**
 * `useSyncExternalStore` over any store whose changes are mostly progress: a change `isUrgent` says matters (a
 * status, an error) renders at once, the others at most once per animation frame and every
 * `progressRenderIntervalMs`. `isUrgent` must be a stable function.
 */
export function useFrameCoalescedStore<T>(
  subscribe: (listener: () => void) => () => void,
  getSnapshot: () => T,
  isUrgent: (delivered: T, next: T) => boolean,
): T {
  const subscribeCoalesced = useCallback(
    (onStoreChange: () => void) => {
      const canWait = typeof requestAnimationFrame === "function" && typeof cancelAnimationFrame === "function";
      let frame: number | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let lastFlush = Number.NEGATIVE_INFINITY;
      let delivered = getSnapshot();
      const cancelPending = () => {
        if (frame !== null) cancelAnimationFrame(frame);
        if (timer !== null) clearTimeout(timer);
        frame = null;
        timer = null;
      };
      const flush = () => {
        frame = null;
        lastFlush = Date.now();
        delivered = getSnapshot();
        onStoreChange();
      };
      const unsubscribe = subscribe(() => {
        if (!canWait || isUrgent(delivered, getSnapshot())) {
          cancelPending();
          flush();
          return;
        }
        if (frame !== null || timer !== null) return;
        const wait = lastFlush + progressRenderIntervalMs - Date.now();
        if (wait <= 0) {
          frame = requestAnimationFrame(flush);
          return;
        }
        timer = setTimeout(() => {
          timer = null;
          frame = requestAnimationFrame(flush);
        }, wait);
      });
      return () => {
        unsubscribe();
        cancelPending();
      };
    },
    [subscribe, getSnapshot, isUrgent],
  );
  return useSyncExternalStore(subscribeCoalesced, getSnapshot, getSnapshot);
}
