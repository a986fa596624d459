/**
 * With REDIS_URL, the stores every instance of the studio shares (`npm start -- --instances 2`): rate limits,
 * webhook replay protection, the asset cache and the fan-out of asset changes to event streams. Without it,
 * each process keeps its own, which is right for one instance.
 */
import { Redis } from "ioredis";
import type { VideoRoutesOptions } from "lesson-video-kit/server";
import { createRedisStores } from "lesson-video-kit/server/redis";

export function sharedStoreOptions(): Pick<VideoRoutesOptions, "rateLimit" | "webhooks" | "assetCache"> {
  const url = process.env.REDIS_URL;
  if (!url) return {};
  const redis = new Redis(url);
  // Outages are reported once by the stores below; ioredis would log every reconnect attempt.
  redis.on("error", () => {});
  const stores = createRedisStores(redis, {
    onStatusChange: (status, error) =>
      console.warn(`[studio] Redis ${status}${error instanceof Error ? `: ${error.message}` : ""}`),
  });
  return {
    rateLimit: { store: stores.rateLimitCounters },
    webhooks: { replayStore: stores.counters },
    assetCache: { store: stores.assets, events: stores.events },
  };
}
