// The asset cache behind GET /assets/:id and its event stream: how many backend calls viewers cause,
// what they are served while a refresh runs, and what watchers hear.
import type { VideoAsset } from "../../src/core/types.js";
import { AssetCache } from "../../src/server/asset-cache.js";

function backend(initial: VideoAsset) {
  let current = initial;
  let calls = 0;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  return {
    load: async (id: string): Promise<VideoAsset> => {
      calls++;
      if (gate) await gate;
      if (id !== current.id) throw new Error("not found");
      return current;
    },
    set(asset: VideoAsset) {
      current = asset;
    },
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release() {
      gate = undefined;
      release?.();
    },
    get calls() {
      return calls;
    },
  };
}

const preparing: VideoAsset = { id: "a1", status: "preparing" };
const ready: VideoAsset = { id: "a1", status: "ready", playbackId: "p1", duration: 2 };

describe("AssetCache", () => {
  it("answers fifty concurrent viewers of one asset with one backend call", async () => {
    const b = backend(preparing);
    const cache = new AssetCache(b.load);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get("a1")));
    expect(b.calls).toBe(1);
    expect(answers.every((a) => a.status === "preparing")).toBe(true);
  });

  it("serves a stale entry at once and refreshes it in the background", async () => {
    let time = 0;
    const b = backend(preparing);
    const cache = new AssetCache(b.load, { now: () => time, freshMs: 1000, maxStaleMs: 10_000 });
    await cache.get("a1");
    b.set(ready);
    b.hold();
    time = 1500;
    await expect(cache.get("a1")).resolves.toMatchObject({ status: "preparing" });
    expect(b.calls).toBe(2);
    b.release();
    await vi.waitFor(() => expect(cache.peek("a1")?.status).toBe("ready"));
    await expect(cache.get("a1")).resolves.toMatchObject({ status: "ready" });
    expect(b.calls).toBe(2);
  });

  it("waits for the backend when the entry is too old to serve", async () => {
    let time = 0;
    const b = backend(preparing);
    const cache = new AssetCache(b.load, { now: () => time, freshMs: 1000, maxStaleMs: 1000 });
    await cache.get("a1");
    b.set(ready);
    time = 5000;
    await expect(cache.get("a1")).resolves.toMatchObject({ status: "ready" });
  });

  it("lets a webhook's update answer the next viewer without a backend call and tells watchers once", async () => {
    const b = backend(preparing);
    const cache = new AssetCache(b.load);
    await cache.get("a1");
    const heard: VideoAsset[] = [];
    const stop = cache.watch("a1", (asset) => heard.push(asset));
    cache.set(ready);
    cache.set(ready);
    await expect(cache.get("a1")).resolves.toEqual(ready);
    expect(b.calls).toBe(1);
    expect(heard).toEqual([ready]);
    stop();
    cache.close();
  });

  it("does not let a late preparing answer undo a ready webhook", async () => {
    const b = backend(preparing);
    const cache = new AssetCache(b.load, { freshMs: 0 });
    cache.set(ready);
    cache.set(preparing);
    expect(cache.peek("a1")).toEqual(ready);
  });

  it("polls a watched preparing asset once for all its watchers, and stops when it is ready", async () => {
    // The poller's clock is driven by hand: each tick is a known event, so "no more calls" is checked over fifty
    // ticks that a still-running poller could not skip, however slow the machine.
    vi.useFakeTimers();
    try {
      const b = backend(preparing);
      const cache = new AssetCache(b.load, { watchPollMs: 20, freshMs: 0 });
      await cache.get("a1");
      const heard: string[] = [];
      const stops = [cache.watch("a1", (a) => heard.push(`x:${a.status}`)), cache.watch("a1", (a) => heard.push(`y:${a.status}`))];
      await vi.advanceTimersByTimeAsync(20);
      expect(b.calls).toBe(2);
      expect(heard).toEqual([]);
      b.set(ready);
      await vi.advanceTimersByTimeAsync(20);
      expect(b.calls).toBe(3);
      expect(heard).toEqual(["x:ready", "y:ready"]);
      await vi.advanceTimersByTimeAsync(50 * 20);
      expect(b.calls).toBe(3);
      for (const stop of stops) stop();
      cache.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it("passes a backend failure to the caller when it has nothing to serve", async () => {
    const cache = new AssetCache(backend(preparing).load);
    await expect(cache.get("missing")).rejects.toThrow("not found");
  });
});
