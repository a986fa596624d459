// The asset of an upload as the browser tests' emulator backend reports it (GET /uploads/:id/asset of
// test/browser/setup/emulator.ts, which asks the emulator through @mux/mux-node), and a wait for it to settle.
import { vi } from "vitest";

/** What `GET /uploads/:id/asset` answers. */
export interface AssetView {
  status: string;
  assetId?: string;
  playbackId?: string;
  src?: string;
  poster?: string;
  duration?: number;
  aspectRatio?: string;
  errors?: { type: string; messages: string[] };
}

/** The upload's asset once it has settled (ready or errored), read as a client polling the server would. */
export function settledAsset(backend: string, uploadId: string, timeout = 30_000): Promise<AssetView> {
  return vi.waitFor(
    async () => {
      const view = (await (await fetch(`${backend}/uploads/${uploadId}/asset`)).json()) as AssetView;
      if (view.status !== "ready" && view.status !== "errored") throw new Error(`asset still ${view.status}`);
      return view;
    },
    { timeout, interval: 50 },
  );
}
