/**
 * `lesson-video-kit/server/redis`: the stores several instances of `createVideoRoutes` share, on Redis (or
 * Valkey) through the host's ioredis client. Nothing here imports a Redis client: pass yours.
 *
 * ```ts
 * const stores = createRedisStores(new Redis(process.env.REDIS_URL!));
 * createVideoRoutes({
 *   …,
 *   rateLimit: { store: stores.rateLimitCounters },
 *   quota: { store: stores.counters, uploadsPerPeriod: 20 },
 *   webhooks: { replayStore: stores.counters },
 *   assetCache: { store: stores.assets, events: stores.events },
 * });
 * ```
 */
import type { AssetEventBus, SharedAssetStore } from "../asset-cache.js";
import type { CounterStore } from "../counter-store.js";
import { redisAssetStore } from "./asset-store.js";
import { RedisCommands, RedisUnavailableError, type RedisClient } from "./commands.js";
import { failClosed, failToMemory, redisCounterStore } from "./counter-store.js";
import { redisEventBus } from "./event-bus.js";

export type { RedisClient } from "./commands.js";
// The store types the stores implement, for hosts that wrap or replace one of them.
export type { VideoAsset } from "../../core/types.js";
export type { CounterStore, CounterValue } from "../counter-store.js";
export type { AssetChange, AssetEventBus, SharedAssetEntry, SharedAssetStore, SharedAssetWrite } from "../asset-cache.js";

/** What the stores can do: `ready` when commands (and the asset-event subscription, once used) work. */
export type RedisStoresStatus = "ready" | "unavailable";

/** Options of `createRedisStores`. */
export interface RedisStoresOptions {
  /** Put before every key and the channel name, so apps can share one Redis. Default `"lvk:"`. */
  prefix?: string | undefined;
  /** Longest wait for one Redis command, connecting included; then the store's fallback applies. Default 1000 ms. */
  commandTimeoutMs?: number | undefined;
  /**
   * Called when Redis becomes unreachable (with the first error of the outage) and when it works again.
   * Log it: while unavailable, rate limits count per instance, quotas and webhooks answer 503, and event
   * streams fall back to polling.
   */
  onStatusChange?: ((status: RedisStoresStatus, error?: unknown) => void) | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/** The stores `createVideoRoutes` takes, on one Redis: pass each to its option (see `createRedisStores`). */
export interface RedisStores {
  /**
   * For quotas (`quota.store`) and webhook replay protection (`webhooks.replayStore`). Fails closed: while
   * Redis is unreachable every call throws a 503 `VideoError` (uploads are refused, webhooks are retried
   * by the backend later), so no quota is overrun and no event is processed twice.
   */
  counters: CounterStore;
  /**
   * For rate limits (`rateLimit.store`). Fails open to this instance: while Redis is unreachable each
   * instance counts in its own memory, so limits hold per instance and the routes stay up.
   */
  rateLimitCounters: CounterStore;
  /** For `assetCache.store`: entries and a per-asset refresh claim shared by every instance. */
  assets: SharedAssetStore;
  /** For `assetCache.events`: asset changes fanned out to every instance's watchers over pub/sub. */
  events: AssetEventBus;
  /** The last status reported to `onStatusChange` (`unavailable` until Redis is first ready). */
  status(): RedisStoresStatus;
  /** Closes the adapter's own subscriber connection. Your client stays open: quit it yourself. */
  close(): Promise<void>;
}

/**
 * The shared stores on the host's Redis client (`new Redis(url)` from ioredis, or iovalkey). The asset-event
 * subscription uses one more connection, made with `redis.duplicate()` when the routes start.
 */
export function createRedisStores(redis: RedisClient, options: RedisStoresOptions = {}): RedisStores {
  const prefix = options.prefix ?? "lvk:";
  const now = options.now ?? Date.now;
  const instanceId = crypto.randomUUID();

  // Nothing is reported while the first connection is being made; then "ready" once commands work and, when
  // asset events are used, the subscription is live; "unavailable" with the first failure of an outage.
  let status: RedisStoresStatus | undefined;
  let commandsWork = redis.status === "ready";
  let subscription: "unused" | "pending" | "live" | "lost" = "unused";
  const update = (failure?: unknown) => {
    if (commandsWork && (subscription === "unused" || subscription === "live")) {
      if (status === "ready") return;
      status = "ready";
      options.onStatusChange?.("ready");
      return;
    }
    if (status === "unavailable" || failure === undefined) return;
    status = "unavailable";
    options.onStatusChange?.("unavailable", failure);
  };
  const onReady = () => {
    commandsWork = true;
    update();
  };
  const onClose = () => {
    commandsWork = false;
    update(new RedisUnavailableError("The connection to Redis closed."));
  };
  redis.on("ready", onReady);
  redis.on("close", onClose);
  redis.on("end", onClose);

  const commands = new RedisCommands(redis, {
    timeoutMs: options.commandTimeoutMs ?? 1000,
    onFailure(error) {
      // A script or type error is a bug, not an outage.
      if (!(error instanceof RedisUnavailableError) && redis.status === "ready") return;
      commandsWork = false;
      update(error);
    },
    onSuccess() {
      if (commandsWork) return;
      commandsWork = true;
      update();
    },
  });
  const counters = redisCounterStore({ commands, prefix, now });
  const events = redisEventBus({
    commands,
    connect: () => {
      subscription = "pending";
      return redis.duplicate();
    },
    channel: `${prefix}asset-events`,
    instanceId,
    onSubscribed(live) {
      subscription = live ? "live" : "lost";
      update(live ? undefined : new RedisUnavailableError("The asset-event subscription was lost."));
    },
  });

  return {
    counters: failClosed(counters),
    rateLimitCounters: failToMemory(counters, now),
    assets: redisAssetStore({ commands, prefix, instanceId }),
    events,
    status: () => status ?? "unavailable",
    async close() {
      redis.removeListener("ready", onReady);
      redis.removeListener("close", onClose);
      redis.removeListener("end", onClose);
      await events.close();
    },
  };
}
