import { useCallback, useSyncExternalStore } from "react";
import type { AssetWatchSnapshot } from "../core/asset-watcher.js";
import { idleAssetSnapshot } from "../core/lazy-watcher.js";
import { useVideoClient } from "./video-context.js";

const noop = () => undefined;

/**
 * Watches an asset until it is `ready` or `errored`: any number of components watching one id make one
 * request per tick (the provider's `AssetWatcher`, whose code loads for the first id). With no id, returns
 * the `idle` snapshot. Must be called under a `VideoProvider`.
 *
 * @example
 * const { status, asset } = useAsset(lesson.assetId);
 * if (status === "ready" && asset?.playbackId) return <MuxPlayer playbackId={asset.playbackId} />;
 * return <p>{status === "errored" ? "Processing failed" : "Processing…"}</p>;
 */
export function useAsset(assetId: string | null | undefined): AssetWatchSnapshot {
  const { watcher } = useVideoClient("useAsset()");
  const subscribe = useCallback((listener: () => void) => (assetId ? watcher.subscribeAsset(assetId, listener) : noop), [watcher, assetId]);
  const getSnapshot = useCallback(() => (assetId ? watcher.getAssetSnapshot(assetId) : idleAssetSnapshot), [watcher, assetId]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
