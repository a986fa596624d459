// The Redis adapter (lesson-video-kit/server/redis) against a real redis-server, in one process: counters
// with the in-process store's semantics and atomic under concurrency, the shared asset entries and refresh
// claims, the event bus, and what each store does when Redis cannot be reached.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { VideoError } from "../../src/core/errors.js";
import type { VideoAsset } from "../../src/core/types.js";
import { AssetCache, type AssetChange, type SharedAssetStore } from "../../src/server/asset-cache.js";
import { createMemoryCounterStore, type CounterStore } from "../../src/server/counter-store.js";
import type { VideoBackend } from "../../src/server/backend.js";
import { createRedisStores, type RedisStores } from "../../src/server/redis/index.js";
import { createVideoRoutes } from "../../src/server/routes.js";
import { startRedis, type RedisServer } from "../helpers/redis.js";

let server: RedisServer;
const clients: Redis[] = [];
const opened: RedisStores[] = [];

function client(url = server.url): Redis {
  const redis = new Redis(url, { retryStrategy: (attempt) => Math.min(attempt * 20, 200), maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  clients.push(redis);
  return redis;
}

/** Stores on a client of their own, as each server instance has; resolves once Redis is ready for them. */
async function stores(options: Parameters<typeof createRedisStores>[1] = {}): Promise<RedisStores> {
  const redis = client();
  const made = createRedisStores(redis, options);
  opened.push(made);
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  return made;
}

/**
 * Stores whose asset events go to `listener`, subscribed at once as the routes do; resolves when they report
 * "ready" (commands work and the subscription is live).
 */
async function subscribedStores(listener: (change: AssetChange) => void, prefix?: string): Promise<RedisStores> {
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const made = createRedisStores(client(), { ...(prefix ? { prefix } : {}), onStatusChange: (status) => status === "ready" && ready() });
  opened.push(made);
  made.events.subscribe(listener);
  await isReady;
  return made;
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await Promise.all(opened.map((made) => made.close()));
  for (const redis of clients) redis.disconnect();
  await server?.close();
});

const preparing: VideoAsset = { id: "asset-1", status: "preparing" };
const ready: VideoAsset = { id: "asset-1", status: "ready", playbackId: "play-1", duration: 2 };

describe("Redis counters", () => {
  it("count like the in-process store: a new counter starts its window, later increments keep it, amounts may be negative", async () => {
    const redis = (await stores()).counters;
    const memory = createMemoryCounterStore();
    const observe = async (store: CounterStore) => {
      const key = `semantics-${store === memory ? "memory" : "redis"}`;
      const before = Date.now();
      const first = await store.increment(key, 5, 60_000);
      const second = await store.increment(key, -2, 1_000);
      const read = await store.get(key);
      await store.delete(key);
      return {
        values: [first.value, second.value, read?.value],
        windowKept: Math.abs(second.resetAt - first.resetAt) < 50,
        windowStarted: first.resetAt >= before + 59_900 && first.resetAt <= Date.now() + 60_000,
        missingAfterDelete: await store.get(key),
        negativeStart: (await store.increment(`${key}-neg`, -3, 1000)).value,
      };
    };
    const fromRedis = await observe(redis);
    expect(fromRedis).toEqual({ values: [5, 3, 3], windowKept: true, windowStarted: true, missingAfterDelete: undefined, negativeStart: -3 });
    expect(fromRedis).toEqual(await observe(memory));
  });

  it("expire when their window ends", async () => {
    const { counters } = await stores();
    await counters.increment("short", 1, 100);
    await vi.waitFor(async () => expect(await counters.get("short")).toBeUndefined(), { timeout: 5000, interval: 20 });
    expect((await counters.increment("short", 1, 100)).value).toBe(1);
  });

  it("are atomic: 300 concurrent increments from three instances get every value from 1 to 300 once", async () => {
    const instances = await Promise.all([stores(), stores(), stores()]);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => instances[i % 3]!.counters.increment("concurrent", 1, 60_000)),
    );
    expect(results.map((r) => r.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => Math.round(r.resetAt / 1000))).size).toBeLessThanOrEqual(2);
  });

  it("run their script again when Redis has forgotten it (SCRIPT FLUSH, as after a restart)", async () => {
    const { counters } = await stores();
    expect((await counters.increment("flushed", 1, 60_000)).value).toBe(1);
    await client().call("SCRIPT", "FLUSH");
    expect((await counters.increment("flushed", 1, 60_000)).value).toBe(2);
  });

  it("keep apps apart by prefix", async () => {
    const one = await stores({ prefix: "app-one:" });
    const two = await stores({ prefix: "app-two:" });
    await one.counters.increment("shared-name", 4, 60_000);
    expect(await two.counters.get("shared-name")).toBeUndefined();
    expect(await client().call("GET", "app-one:counter:shared-name")).toBe("4");
  });
});

describe("Redis asset entries and refresh claims", () => {
  it("never let a late preparing answer undo a settled asset, and say whether a write changed anything", async () => {
    const { assets } = await stores();
    expect(await assets.set({ asset: { ...preparing, id: "entry-1" }, fetchedAt: 1000 }, 60_000)).toBe("changed");
    expect(await assets.set({ asset: { ...ready, id: "entry-1" }, fetchedAt: 2000 }, 60_000)).toBe("changed");
    expect(await assets.set({ asset: { ...preparing, id: "entry-1" }, fetchedAt: 3000 }, 60_000)).toBe("kept");
    expect(await assets.set({ asset: { ...ready, id: "entry-1" }, fetchedAt: 1500 }, 60_000)).toBe("unchanged");
    expect(await assets.get("entry-1")).toEqual({ asset: { ...ready, id: "entry-1" }, fetchedAt: 2000 });
    await assets.delete("entry-1");
    expect(await assets.get("entry-1")).toBeUndefined();
  });

  it("give one instance at a time the right to refresh an asset, for the window it asked", async () => {
    const [a, b] = await Promise.all([stores(), stores()]);
    const claims = await Promise.all([a, b, a, b].map((s) => s.assets.claimRefresh("claimed", 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const holder = claims[0] ? a : b;
    const other = holder === a ? b : a;
    await other.assets.releaseRefresh("claimed");
    expect(await other.assets.claimRefresh("claimed", 60_000)).toBe(false);
    await holder.assets.releaseRefresh("claimed");
    expect(await other.assets.claimRefresh("claimed", 60_000)).toBe(true);

    expect(await a.assets.claimRefresh("short-claim", 50)).toBe(true);
    await vi.waitFor(async () => expect(await b.assets.claimRefresh("short-claim", 50)).toBe(true), { timeout: 5000, interval: 20 });
  });

  it("let three caches answer 60 concurrent readers of a cold asset with one backend call", async () => {
    const instances = await Promise.all([stores(), stores(), stores()]);
    // The backend answers only once both other instances were refused the refresh claim, so they are known to
    // have asked while the call was in flight (a second call releases it too, and fails the count below).
    let calls = 0;
    const refused = new Set<number>();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const load = async (id: string): Promise<VideoAsset> => {
      calls++;
      if (calls > 1) answer();
      await answered;
      return { id, status: "preparing" };
    };
    const counted = (store: SharedAssetStore, instance: number): SharedAssetStore => ({
      get: (assetId) => store.get(assetId),
      set: (entry, ttlMs) => store.set(entry, ttlMs),
      delete: (assetId) => store.delete(assetId),
      releaseRefresh: (assetId) => store.releaseRefresh(assetId),
      claimRefresh: async (assetId, ms) => {
        const claimed = await store.claimRefresh(assetId, ms);
        if (!claimed) refused.add(instance);
        if (refused.size === 2) answer();
        return claimed;
      },
    });
    // A fresh time far beyond any delay a loaded machine adds, so no waiting instance gives up and asks itself.
    const caches = instances.map((s, i) => new AssetCache(load, { store: counted(s.assets, i), events: s.events, freshMs: 30_000 }));
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => caches[i % 3]!.get("cold-asset")));
    expect(answers.every((asset) => asset.status === "preparing")).toBe(true);
    expect(calls).toBe(1);
    for (const cache of caches) cache.close();
  });
});

describe("Redis asset events", () => {
  it("reach every other instance, not the one that published", async () => {
    const heard: Record<"a" | "b" | "c", AssetChange[]> = { a: [], b: [], c: [] };
    const [a, b] = await Promise.all([
      subscribedStores((change) => heard.a.push(change)),
      subscribedStores((change) => heard.b.push(change)),
      subscribedStores((change) => heard.c.push(change)),
    ]);
    await a.events.publish({ type: "changed", asset: ready });
    await b.events.publish({ type: "deleted", assetId: "gone" });
    await vi.waitFor(
      () => {
        expect(heard.b).toEqual([{ type: "changed", asset: ready }]);
        expect(heard.c).toEqual([{ type: "changed", asset: ready }, { type: "deleted", assetId: "gone" }]);
        expect(heard.a).toEqual([{ type: "deleted", assetId: "gone" }]);
      },
      { timeout: 10_000, interval: 20 },
    );
  });

  it("ignore messages on the channel that are not asset changes", async () => {
    const heard: AssetChange[] = [];
    await subscribedStores((change) => heard.push(change), "noise:");
    const other = client();
    await other.publish("noise:asset-events", "not json");
    await other.publish("noise:asset-events", JSON.stringify({ from: "x", change: { type: "changed", asset: { id: 5 } } }));
    const sender = await stores({ prefix: "noise:" });
    await sender.events.publish({ type: "changed", asset: ready });
    // Published after the noise on the same channel, so heard after it: the noise was dropped, not pending.
    await vi.waitFor(() => expect(heard).toEqual([{ type: "changed", asset: ready }]), { timeout: 10_000, interval: 20 });
  });
});

describe("a Redis quota store shared by two route instances", () => {
  it("lets exactly the quota through when link imports and uploads of one user race across both", async () => {
    const source = createServer((_req, res) => res.writeHead(200, { "content-type": "video/mp4", "content-length": "1000" }).end());
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const port = (source.address() as AddressInfo).port;
    let created = 0;
    const backend = {
      name: "test",
      async createUpload() {
        created++;
        return { uploadId: `up${created}`, url: `https://upload.test/${created}` };
      },
      async createAssetFromUrl() {
        created++;
        return { id: `asset${created}`, status: "preparing" };
      },
    } as unknown as VideoBackend;
    const prefix = `quota-import-${Date.now()}:`;
    const handlers = await Promise.all(
      [0, 1].map(async () =>
        createVideoRoutes({
          backend,
          authorize: () => ({ id: "alice" }),
          rateLimit: false,
          quota: { store: (await stores({ prefix })).counters, uploadsPerPeriod: 6 },
          imports: { allowedHosts: [`127.0.0.1:${port}`] },
        }),
      ),
    );
    const [first, second] = handlers;
    if (!first || !second) throw new Error("two handlers");
    const post = (i: number, path: string, body: unknown) =>
      (i % 2 === 0 ? first : second)(new Request(`http://app.test/api/video${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    try {
      expect((await post(0, "/assets", { url: "http://169.254.169.254/latest/meta-data/" })).status).toBe(422);
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 4 < 2 ? post(i, "/assets", { url: `http://127.0.0.1:${port}/v${i}.mp4` }) : post(i, "/uploads", { file: { name: "v.mp4", size: 1000, type: "video/mp4" } }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(6);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(34);
      expect(created).toBe(6);
    } finally {
      for (const handler of handlers) handler.close();
      source.closeAllConnections();
      await new Promise((resolve) => source.close(resolve));
    }
  });
});

describe("when Redis cannot be reached", () => {
  it("quota and replay counters refuse with 503, rate-limit counters count in this instance, asset calls reject, and the outage is reported once", async () => {
    const dead = await startRedis();
    const url = dead.url;
    await dead.close();
    const changes: Array<{ status: string; error?: unknown }> = [];
    const made = createRedisStores(client(url), {
      commandTimeoutMs: 300,
      onStatusChange: (status, error) => changes.push({ status, error }),
    });
    opened.push(made);

    const started = Date.now();
    const refusal = await made.counters.increment("quota:uploads:u1", 1, 60_000).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(VideoError);
    expect(refusal).toMatchObject({ code: "server", status: 503 });
    await expect(made.counters.get("webhook:mux:e1")).rejects.toMatchObject({ status: 503 });

    const counted = [];
    for (let i = 0; i < 3; i++) counted.push((await made.rateLimitCounters.increment("rl:user:u1", 1, 60_000)).value);
    expect(counted).toEqual([1, 2, 3]);
    expect((await made.rateLimitCounters.get("rl:user:u1"))?.value).toBe(3);

    await expect(made.assets.get("asset-1")).rejects.toThrow();
    await expect(made.assets.claimRefresh("asset-1", 1000)).rejects.toThrow();
    await expect(made.events.publish({ type: "changed", asset: ready })).rejects.toThrow();
    // Each call gave up within its deadline rather than waiting for a reconnect (which retries for minutes).
    // A generous bound: ten calls of a 300 ms deadline, with room for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(changes.map((c) => c.status)).toEqual(["unavailable"]);
    expect(changes[0]?.error).toBeInstanceOf(Error);
    expect(made.status()).toBe("unavailable");
  });

  it("an asset cache on unreachable Redis serves from the backend, as one instance would", async () => {
    const dead = await startRedis();
    const url = dead.url;
    await dead.close();
    const made = createRedisStores(client(url), { commandTimeoutMs: 300 });
    opened.push(made);
    let calls = 0;
    const errors: unknown[] = [];
    const cache = new AssetCache(
      async (id) => {
        calls++;
        return { id, status: "ready" };
      },
      { store: made.assets, events: made.events },
      (error) => errors.push(error),
    );
    await expect(cache.get("offline-asset")).resolves.toMatchObject({ status: "ready" });
    await expect(cache.get("offline-asset")).resolves.toMatchObject({ status: "ready" });
    expect(calls).toBe(1);
    // Reported once for the outage, not once per request.
    expect(errors).toHaveLength(1);
    cache.close();
  });
});
