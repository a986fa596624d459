// One route-handler instance of a multi-instance host, run in its own process by redis-cluster.ts (bundled
// with esbuild, started with `fork`): createVideoRoutes + createMuxBackend (pointed at the shared emulator)
// + toNodeHandler on node:http, with the stores of lesson-video-kit/server/redis on the shared Redis (or the
// in-process defaults, for comparison). It tells its parent over IPC what happens inside: when it listens,
// Redis status changes, monitoring events, hook calls and every backend call.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { AssetEventBus } from "../../src/server/asset-cache.js";
import { createMuxBackend, createVideoRoutes, toNodeHandler, type VideoBackend, type VideoRoutesOptions } from "../../src/server/index.js";
import { createRedisStores } from "../../src/server/redis/index.js";

export interface InstanceConfig {
  name: string;
  /** The shared Redis; without it the instance keeps everything in its own memory. */
  redisUrl?: string | undefined;
  emulator: { url: string; tokenId: string; tokenSecret: string; webhookSecret: string };
  quota?: { uploadsPerPeriod?: number; bytesPerPeriod?: number } | undefined;
  rateLimit?: { perUser?: { limit: number; windowMs: number } | false; perIp?: { limit: number; windowMs: number } | false } | undefined;
  assetCache?: { watchPollMs?: number; freshMs?: number } | undefined;
}

export type InstanceMessage =
  | { type: "listening"; origin: string }
  | { type: "redis"; status: "ready" | "unavailable"; error?: string }
  | { type: "event"; event: { type: string; [key: string]: unknown } }
  | { type: "hook"; name: string; assetId?: string; eventId: string }
  | { type: "backend"; method: string; id?: string; at: number }
  /** An asset change this instance heard from another over the event bus. */
  | { type: "bus"; assetId: string; status?: string }
  | { type: "pong"; id: number };

const config = JSON.parse(process.argv[2] ?? "{}") as InstanceConfig;
const send = (message: InstanceMessage): void => {
  process.send?.(message);
};

const muxBackend = createMuxBackend({
  baseURL: config.emulator.url,
  tokenId: config.emulator.tokenId,
  tokenSecret: config.emulator.tokenSecret,
  webhookSecret: config.emulator.webhookSecret,
  maxRetries: 0,
  env: {},
});
// Every call that reaches the backend (here the emulator) is reported: what a Mux rate limit would see.
const backend: VideoBackend = {
  ...muxBackend,
  getAsset(assetId) {
    send({ type: "backend", method: "getAsset", id: assetId, at: Date.now() });
    return muxBackend.getAsset(assetId);
  },
  createUpload(input) {
    send({ type: "backend", method: "createUpload", at: Date.now() });
    return muxBackend.createUpload(input);
  },
};

const redis = config.redisUrl
  ? new Redis(config.redisUrl, {
      // Reconnect quickly, so a test that restarts Redis does not wait seconds for the next attempt.
      retryStrategy: (attempt) => Math.min(attempt * 20, 200),
      maxRetriesPerRequest: 1,
    })
  : undefined;
// ioredis reports connection errors as events; an unhandled one would only log noise.
redis?.on("error", () => {});
const stores = redis
  ? createRedisStores(redis, {
      onStatusChange: (status, error) =>
        send({ type: "redis", status, ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }) }),
    })
  : undefined;

/** The Redis event bus, telling the parent what arrives through it. */
function reportingBus(events: AssetEventBus): AssetEventBus {
  return {
    publish: (change) => events.publish(change),
    subscribe: (listener) =>
      events.subscribe((change) => {
        if (change.type === "changed") send({ type: "bus", assetId: change.asset.id, status: change.asset.status });
        else send({ type: "bus", assetId: change.assetId });
        listener(change);
      }),
  };
}

const options: VideoRoutesOptions = {
  backend,
  authorize: (request) => {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return token.endsWith("-token") ? { id: token.slice(0, -"-token".length) } : null;
  },
  canViewAsset: () => true,
  onEvent: (event) => send({ type: "event", event: event as unknown as { type: string } }),
  hooks: {
    onAssetReady: (info) => send({ type: "hook", name: "onAssetReady", assetId: info.assetId, eventId: info.eventId }),
    onAssetErrored: (info) => send({ type: "hook", name: "onAssetErrored", assetId: info.assetId, eventId: info.eventId }),
    onUploadAssetCreated: (info) => send({ type: "hook", name: "onUploadAssetCreated", assetId: info.assetId, eventId: info.eventId }),
  },
  rateLimit: { ...config.rateLimit, ...(stores ? { store: stores.rateLimitCounters } : {}) },
  ...(config.quota ? { quota: { ...config.quota, ...(stores ? { store: stores.counters } : {}) } } : {}),
  ...(stores ? { webhooks: { replayStore: stores.counters } } : {}),
  assetCache: { ...config.assetCache, ...(stores ? { store: stores.assets, events: reportingBus(stores.events) } : {}) },
};
const routes = createVideoRoutes(options);

const server = createServer(toNodeHandler(routes));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
send({ type: "listening", origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });

async function shutdown() {
  routes.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stores?.close();
  redis?.disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
// Messages go out in order on the IPC channel: a pong tells the parent it has everything sent before.
process.on("message", (message: { type?: string; id?: number }) => {
  if (message.type === "ping" && typeof message.id === "number") send({ type: "pong", id: message.id });
});
process.on("disconnect", () => void shutdown());
