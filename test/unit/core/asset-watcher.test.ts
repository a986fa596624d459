import { AssetWatcher } from "../../../src/core/asset-watcher.js";
import { backoffDelay, resolveRetryPolicy } from "../../../src/core/retryer.js";
import type { UploadInfo, VideoAsset, VideoTransport } from "../../../src/core/types.js";
import { createVideoError } from "../../../src/core/errors.js";
import { VisibilityManager } from "../../../src/core/visibility-manager.js";

/** A backend whose asset and upload answers the test scripts; records when each request arrived. */
function scriptedTransport() {
  const state = {
    asset: { id: "a1", status: "preparing" } as VideoAsset,
    upload: { uploadId: "u1", status: "waiting" } as UploadInfo,
    assetError: undefined as Error | undefined,
    assetCalls: [] as number[],
    uploadCalls: [] as number[],
  };
  const transport: VideoTransport = {
    createUpload: () => Promise.reject(new Error("not used")),
    getUpload: async () => {
      state.uploadCalls.push(Date.now());
      return state.upload;
    },
    getAsset: async () => {
      state.assetCalls.push(Date.now());
      if (state.assetError) throw state.assetError;
      return state.asset;
    },
  };
  return { state, transport };
}

/** No jitter: every delay is the policy's full backoff. */
const steady = { jitter: 0 };

describe("AssetWatcher", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("makes one request per tick however many components watch one asset", async () => {
    const { state, transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, ...steady });
    const unsubscribes = Array.from({ length: 5 }, () => watcher.subscribeAsset("a1", () => undefined));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.assetCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.assetCalls).toHaveLength(2);
    for (const unsubscribe of unsubscribes) unsubscribe();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.assetCalls).toHaveLength(2);
  });

  it("backs off from 1 s to a 10 s cap between polls", async () => {
    const { state, transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, ...steady });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    const gaps = state.assetCalls.slice(1).map((at, i) => at - state.assetCalls[i]!);
    expect(gaps.slice(0, 8)).toEqual([1000, 1500, 2250, 3375, 5063, 7594, 10_000, 10_000]);
  });

  it("takes up to 20 % off each delay at random, so clients spread out", () => {
    const { transport } = scriptedTransport();
    expect(new AssetWatcher({ transport, random: () => 0 }).pollDelay(0)).toBe(800);
    expect(new AssetWatcher({ transport, random: () => 0.5 }).pollDelay(0)).toBe(900);
    expect(new AssetWatcher({ transport, random: () => 0.999 }).pollDelay(10)).toBe(9998);
  });

  it("polls with the kit's one retry policy: pollDelay is backoffDelay of the same settings", () => {
    const { transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, initialIntervalMs: 200, maxIntervalMs: 900, factor: 2, jitter: 0.3, random: () => 0.25 });
    const policy = resolveRetryPolicy({ baseDelayMs: 200, maxDelayMs: 900, factor: 2, jitter: 0.3, random: () => 0.25 });
    expect([0, 1, 2, 3].map((poll) => watcher.pollDelay(poll))).toEqual([1, 2, 3, 4].map((retry) => backoffDelay(retry, policy)));
  });

  it("waits out a rate limit's Retry-After before its next request, for every id it watches", async () => {
    const { state, transport } = scriptedTransport();
    const uploadCalls: number[] = [];
    let limited = true;
    transport.getUpload = async () => {
      uploadCalls.push(Date.now());
      if (limited) {
        limited = false;
        throw createVideoError("rate_limited", { status: 429, retryAfter: 20 });
      }
      return { uploadId: "u1", status: "waiting" };
    };
    const watcher = new AssetWatcher({ transport, ...steady });
    watcher.subscribeUpload("u1", () => undefined);
    await vi.advanceTimersByTimeAsync(500);
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(19_000);
    // The 429 came at 0 s: nothing goes out to this server until 20 s.
    expect(uploadCalls).toEqual([0]);
    expect(state.assetCalls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(uploadCalls).toEqual([0, 20_000]);
    expect(state.assetCalls).toEqual([20_000]);
    expect(watcher.getUploadSnapshot("u1").status).toBe("waiting");
  });

  it("stops polling when the asset is ready and keeps the ready snapshot", async () => {
    const { state, transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, ...steady });
    const seen: string[] = [];
    watcher.subscribeAsset("a1", () => seen.push(watcher.getAssetSnapshot("a1").status));
    await vi.advanceTimersByTimeAsync(0);
    state.asset = { id: "a1", status: "ready", playbackId: "p1" };
    await vi.advanceTimersByTimeAsync(1000);
    const calls = state.assetCalls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.assetCalls).toHaveLength(calls);
    expect(seen).toEqual(["preparing", "ready"]);
    expect(watcher.getAssetSnapshot("a1").asset?.playbackId).toBe("p1");
  });

  it("reports an errored asset as processing_failed with the backend's reason", async () => {
    const { state, transport } = scriptedTransport();
    state.asset = { id: "a1", status: "errored", errors: [{ type: "invalid_input", message: "no video track" }] };
    const watcher = new AssetWatcher({ transport });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const snapshot = watcher.getAssetSnapshot("a1");
    expect(snapshot.status).toBe("errored");
    expect(snapshot.error?.code).toBe("processing_failed");
    expect(snapshot.error?.details).toMatchObject({ reason: "no video track" });
  });

  it("waits while the page is hidden and polls at once when it is visible again", async () => {
    const { state, transport } = scriptedTransport();
    const visibility = new VisibilityManager(undefined, false);
    const watcher = new AssetWatcher({ transport, visibility, ...steady });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.assetCalls).toHaveLength(0);
    visibility.setVisible(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.assetCalls).toHaveLength(1);
    visibility.setVisible(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.assetCalls).toHaveLength(1);
  });

  it("gives up with timeout after the configured limit", async () => {
    const { state, transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, timeoutMs: 5000, ...steady });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(5000);
    const snapshot = watcher.getAssetSnapshot("a1");
    expect(snapshot.status).toBe("error");
    expect(snapshot.error?.code).toBe("timeout");
    const calls = state.assetCalls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.assetCalls).toHaveLength(calls);
  });

  it("keeps polling through a server error but stops on forbidden", async () => {
    const { state, transport } = scriptedTransport();
    const watcher = new AssetWatcher({ transport, ...steady });
    state.assetError = createVideoError("server", { status: 503 });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(2500);
    expect(state.assetCalls).toHaveLength(3);
    expect(watcher.getAssetSnapshot("a1").status).toBe("loading");
    state.assetError = createVideoError("forbidden", { status: 403 });
    await vi.advanceTimersByTimeAsync(2250);
    expect(watcher.getAssetSnapshot("a1").error?.code).toBe("forbidden");
    const calls = state.assetCalls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.assetCalls).toHaveLength(calls);
  });

  it("uses the transport's push instead of polling", async () => {
    const { state, transport } = scriptedTransport();
    let push: ((asset: VideoAsset) => void) | undefined;
    const stop = vi.fn();
    transport.watchAsset = (_id, onChange) => {
      push = onChange;
      return stop;
    };
    const watcher = new AssetWatcher({ transport, ...steady });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.assetCalls).toHaveLength(1);
    push?.({ id: "a1", status: "ready", playbackId: "p1" });
    expect(watcher.getAssetSnapshot("a1").status).toBe("ready");
    expect(stop).toHaveBeenCalled();
  });

  it("falls back to polling when the push channel fails", async () => {
    const { state, transport } = scriptedTransport();
    let fail: ((error: ReturnType<typeof createVideoError>) => void) | undefined;
    transport.watchAsset = (_id, _onChange, onError) => {
      fail = onError;
      return () => undefined;
    };
    const watcher = new AssetWatcher({ transport, ...steady });
    watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.assetCalls).toHaveLength(1);
    fail?.(createVideoError("network"));
    await vi.advanceTimersByTimeAsync(2500);
    expect(state.assetCalls).toHaveLength(4);
  });

  it.each([
    ["failed synchronously, inside watchAsset", "sync"],
    ["failed after a while (polling since)", "later"],
    ["still pushing", "never"],
  ] as const)("makes no request after its last subscriber leaves when the push channel %s", async (_case, failure) => {
    const { state, transport } = scriptedTransport();
    const unsubscribePush = vi.fn();
    let fail: ((error: ReturnType<typeof createVideoError>) => void) | undefined;
    transport.watchAsset = (_id, _onChange, onError) => {
      // The contract allows reporting the failure before returning the unsubscribe.
      if (failure === "sync") onError?.(createVideoError("network"));
      fail = onError;
      return unsubscribePush;
    };
    const watcher = new AssetWatcher({ transport, ...steady });
    const leave = watcher.subscribeAsset("a1", () => undefined);
    await vi.advanceTimersByTimeAsync(1000);
    if (failure === "later") fail?.(createVideoError("network"));
    await vi.advanceTimersByTimeAsync(2500);
    expect(state.assetCalls.length).toBeGreaterThan(0);
    if (failure !== "never") expect(unsubscribePush).toHaveBeenCalled();
    leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(unsubscribePush).toHaveBeenCalled();
    const seen = state.assetCalls.length;
    // Whatever the channel does afterwards.
    fail?.(createVideoError("network"));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(state.assetCalls).toHaveLength(seen);
  });

  describe("waitForReadyAsset", () => {
    it("waits for the upload's asset id, then for the asset to be ready", async () => {
      const { state, transport } = scriptedTransport();
      const watcher = new AssetWatcher({ transport, ...steady });
      const assetIds: string[] = [];
      const ready = watcher.waitForReadyAsset("u1", { signal: new AbortController().signal, onAssetId: (id) => assetIds.push(id) });
      await vi.advanceTimersByTimeAsync(1000);
      state.upload = { uploadId: "u1", status: "asset_created", assetId: "a1" };
      await vi.advanceTimersByTimeAsync(1500);
      expect(assetIds).toEqual(["a1"]);
      state.asset = { id: "a1", status: "ready", playbackId: "p1" };
      await vi.advanceTimersByTimeAsync(1000);
      await expect(ready).resolves.toMatchObject({ id: "a1", status: "ready" });
      const uploadCalls = state.uploadCalls.length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(state.uploadCalls).toHaveLength(uploadCalls);
    });

    it.each([
      ["errored", "processing_failed"],
      ["cancelled", "aborted"],
      ["timed_out", "upload_url_expired"],
    ] as const)("rejects when the upload is %s, with %s", async (status, code) => {
      const { state, transport } = scriptedTransport();
      state.upload = { uploadId: "u1", status };
      const watcher = new AssetWatcher({ transport });
      const ready = watcher.waitForReadyAsset("u1", { signal: new AbortController().signal });
      const settled = expect(ready).rejects.toMatchObject({ code });
      await vi.advanceTimersByTimeAsync(0);
      await settled;
    });

    it("rejects with aborted and stops polling when the signal aborts", async () => {
      const { state, transport } = scriptedTransport();
      const watcher = new AssetWatcher({ transport, ...steady });
      const controller = new AbortController();
      const ready = watcher.waitForReadyAsset("u1", { signal: controller.signal });
      const settled = expect(ready).rejects.toMatchObject({ code: "aborted" });
      await vi.advanceTimersByTimeAsync(0);
      controller.abort();
      await settled;
      const calls = state.uploadCalls.length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(state.uploadCalls).toHaveLength(calls);
    });
  });
});
