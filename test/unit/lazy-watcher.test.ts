// The asset watcher's polling and server-sent-events code loads with a dynamic import when something first
// watches. These tests drive the real controller and the memory transport on real timers, waiting on
// state changes, and replace only the loader: to count its calls and to make it fail as a missing chunk.
import type { AssetWatcherEngine } from "../../src/core/lazy-watcher.js";
import { LazyAssetWatcher } from "../../src/core/lazy-watcher.js";
import type { UploadState } from "../../src/core/types.js";
import { UploadController } from "../../src/core/upload-controller.js";
import { createFakeVideoFile, createMemoryTransport } from "../../src/testing/index.js";

const realEngine = (): Promise<AssetWatcherEngine> => import("../../src/core/asset-watcher.js").then((module) => module.AssetWatcher);
const chunkMissing = () => Promise.reject(new TypeError("Failed to fetch dynamically imported module: /assets/asset-watcher-3f2a.js"));

/** Resolves once the controller's state satisfies `done` (checked on every change). */
function until(controller: UploadController, done: (state: UploadState) => boolean): Promise<UploadState> {
  return new Promise((resolve) => {
    const check = () => {
      const state = controller.getSnapshot();
      if (!done(state)) return;
      unsubscribe();
      resolve(state);
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}

/** Resolves on the next call of the listener a subscription was given. */
function nextChange(subscribe: (listener: () => void) => () => void): { changed: Promise<void>; unsubscribe: () => void } {
  let unsubscribe = () => {};
  const changed = new Promise<void>((resolve) => {
    unsubscribe = subscribe(() => resolve());
  });
  return { changed, unsubscribe };
}

const transportOptions = { bytesPerSecond: 8 * 1024 * 1024, tickMs: 10, latencyMs: 2, processingMs: 50 };

describe("LazyAssetWatcher (the AssetWatcher the kit exports)", () => {
  it("loads the watcher's code only once an upload has sent its bytes, then reaches complete", async () => {
    const transport = createMemoryTransport(transportOptions);
    const load = vi.fn(realEngine);
    const controller = new UploadController({ transport, watcher: new LazyAssetWatcher({ transport }, load) });
    const statusesAtLoad: string[] = [];
    load.mockImplementation(() => {
      statusesAtLoad.push(controller.getSnapshot().status);
      return realEngine();
    });
    void controller.start(createFakeVideoFile({ size: 256 * 1024 }));
    await until(controller, (state) => state.status === "uploading");
    expect(load).not.toHaveBeenCalled();
    const state = await until(controller, (s) => s.status === "complete" || s.status === "error");
    expect(state.status).toBe("complete");
    expect(controller.getAsset()).toMatchObject({ status: "ready" });
    expect(statusesAtLoad).toEqual(["processing"]);
  });

  it("ends the upload in a retryable network error when the code cannot load (a missing chunk), and a retry loads it again", async () => {
    const transport = createMemoryTransport(transportOptions);
    const load = vi.fn(realEngine).mockImplementationOnce(chunkMissing);
    const events: string[] = [];
    const controller = new UploadController({
      transport,
      watcher: new LazyAssetWatcher({ transport }, load),
      onEvent: (event) => events.push(event.type),
    });
    void controller.start(createFakeVideoFile({ size: 256 * 1024 }));
    const failed = await until(controller, (s) => s.status === "complete" || s.status === "error");
    expect(failed.status).toBe("error");
    expect(failed.error).toMatchObject({ code: "network", retryable: true, details: { module: "asset-watcher" } });
    expect(failed.error?.cause).toBeInstanceOf(TypeError);
    expect(events).toContain("processing_failed");

    expect(controller.retry()).toBe(true);
    const retried = await until(controller, (s) => s.status === "complete" || s.status === "error");
    expect(retried.status).toBe("complete");
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("rejects a wait with aborted at once when its signal aborts while the code loads", async () => {
    const transport = createMemoryTransport(transportOptions);
    const watcher = new LazyAssetWatcher({ transport }, () => new Promise<AssetWatcherEngine>(() => {}));
    const abort = new AbortController();
    const wait = watcher.waitForReadyAsset("upload-1", { signal: abort.signal });
    abort.abort();
    await expect(wait).rejects.toMatchObject({ code: "aborted" });
  });

  it("shows an error snapshot to subscribers when the code cannot load, and a new subscriber loads again and sees the asset", async () => {
    const transport = createMemoryTransport(transportOptions);
    const ready = { id: "asset-1", status: "ready" as const, playbackId: "p1" };
    const watched = { ...transport, getAsset: async () => ready };
    const load = vi.fn(realEngine).mockImplementationOnce(chunkMissing);
    const watcher = new LazyAssetWatcher({ transport: watched }, load);

    expect(watcher.getAssetSnapshot("asset-1")).toMatchObject({ status: "loading" });
    const first = nextChange((listener) => watcher.subscribeAsset("asset-1", listener));
    await first.changed;
    expect(watcher.getAssetSnapshot("asset-1")).toMatchObject({ status: "error", error: { code: "network", retryable: true } });

    const second = nextChange((listener) => watcher.subscribeAsset("asset-1", listener));
    expect(watcher.getAssetSnapshot("asset-1")).toMatchObject({ status: "loading" });
    await new Promise<void>((resolve) => {
      const stop = watcher.subscribeAsset("asset-1", () => {
        if (watcher.getAssetSnapshot("asset-1").status !== "ready") return;
        stop();
        resolve();
      });
    });
    expect(watcher.getAssetSnapshot("asset-1")).toMatchObject({ status: "ready", asset: ready });
    expect(load).toHaveBeenCalledTimes(2);
    first.unsubscribe();
    second.unsubscribe();
  });

  it("never attaches a subscription that left before the code arrived", async () => {
    const transport = createMemoryTransport(transportOptions);
    const getAsset = vi.fn(async (id: string) => ({ id, status: "ready" as const }));
    let arrive: (engine: AssetWatcherEngine) => void = () => {};
    const watcher = new LazyAssetWatcher({ transport: { ...transport, getAsset } }, () => new Promise((resolve) => (arrive = resolve)));
    const listener = vi.fn();
    const unsubscribe = watcher.subscribeAsset("asset-1", listener);
    unsubscribe();
    arrive(await realEngine());
    // A subscription that stays is attached and answered once the code is in place.
    await new Promise<void>((resolve) => {
      const stop = watcher.subscribeAsset("asset-2", () => {
        if (watcher.getAssetSnapshot("asset-2").status !== "ready") return;
        stop();
        resolve();
      });
    });
    expect(getAsset.mock.calls.map(([id]) => id)).toEqual(["asset-2"]);
    expect(listener).not.toHaveBeenCalled();
  });
});
