// What the component tests share: a memory backend quick enough for jsdom, a provider around it that polls often,
// and a ready asset.
import type { ReactNode } from "react";
import { VideoProvider, type VideoAsset } from "../../../src/index.js";
import { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";

/** Uploads at 4 MiB/s in 20 ms ticks, processing in 50 ms, pushed updates. */
export const fast: MemoryTransportOptions = { bytesPerSecond: 4 * 1024 * 1024, tickMs: 20, latencyMs: 5, processingMs: 50, push: true };

/** A wrapper for `render`: a `VideoProvider` on `transport` (default: a `fast` memory backend) that polls every 20–50 ms. */
export function withProvider(transport: MemoryTransport = createMemoryTransport(fast)) {
  return ({ children }: { children: ReactNode }) => (
    <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 20, maxIntervalMs: 50 }}>
      {children}
    </VideoProvider>
  );
}

/** A ready asset playing a local file, with `change` over it. */
export function readyAssetWith(change: Partial<VideoAsset> = {}): VideoAsset {
  return { id: "asset-9", status: "ready", playbackId: "pb-9", playback: { src: "/lesson.mp4", poster: "/poster.jpg" }, ...change };
}
