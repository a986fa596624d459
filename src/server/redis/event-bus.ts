/**
 * Asset changes between instances over Redis pub/sub: one channel, one subscriber connection per instance
 * (`duplicate()` of the host's client unless it passes one). Each message names the instance that sent it,
 * which does not hear its own. Pub/sub keeps nothing for a disconnected subscriber: what an instance misses
 * during an outage its polls of watched assets catch up on.
 */
import type { AssetChange, AssetEventBus } from "../asset-cache.js";
import type { RedisClient, RedisCommands } from "./commands.js";

export interface RedisEventBusInput {
  commands: RedisCommands;
  /** Makes the subscriber connection when the first listener subscribes. */
  connect(): RedisClient;
  channel: string;
  instanceId: string;
  /** The subscription is live (again), or lost. */
  onSubscribed(live: boolean): void;
}

export interface RedisEventBus extends AssetEventBus {
  close(): Promise<void>;
}

interface Envelope {
  from: string;
  change: AssetChange;
}

function parseEnvelope(message: string): Envelope | undefined {
  try {
    // Any JSON another publisher sent: every field is checked before the message is trusted.
    const value = JSON.parse(message) as { from?: unknown; change?: { type?: unknown; assetId?: unknown; asset?: { id?: unknown; status?: unknown } | null } | null } | null;
    const change = value?.change;
    if (typeof value?.from !== "string" || !change) return undefined;
    if (change.type === "deleted" && typeof change.assetId === "string") return value as Envelope;
    if (change.type === "changed" && typeof change.asset?.id === "string" && typeof change.asset.status === "string") return value as Envelope;
  } catch {
    // Not ours: another program may publish on the channel.
  }
  return undefined;
}

export function redisEventBus(input: RedisEventBusInput): RedisEventBus {
  const listeners = new Set<(change: AssetChange) => void>();
  let subscriber: RedisClient | undefined;

  const onMessage = (channel: string, message: string) => {
    if (channel !== input.channel) return;
    const envelope = parseEnvelope(message);
    if (!envelope || envelope.from === input.instanceId) return;
    for (const listener of listeners) listener(envelope.change);
  };
  const subscribe = () => {
    // ioredis also resubscribes by itself after a reconnect; asking again is harmless and says when it is live.
    subscriber?.subscribe(input.channel).then(
      () => input.onSubscribed(true),
      () => input.onSubscribed(false),
    );
  };
  const onClose = () => input.onSubscribed(false);
  // The connection is ours: its errors are the outage `onClose` reports, not something to crash on or print.
  const onError = () => {};

  return {
    async publish(change) {
      await input.commands.call("PUBLISH", input.channel, JSON.stringify({ from: input.instanceId, change } satisfies Envelope));
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!subscriber) {
        subscriber = input.connect();
        subscriber.on("message", onMessage);
        subscriber.on("ready", subscribe);
        subscriber.on("close", onClose);
        subscriber.on("error", onError);
        if (subscriber.status === "ready" || subscriber.status === "wait") subscribe();
      }
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      const current = subscriber;
      subscriber = undefined;
      if (!current) return;
      current.removeListener("message", onMessage);
      current.removeListener("ready", subscribe);
      current.removeListener("close", onClose);
      // QUIT lets Redis finish what it was sending; a connection that is down gets no answer, so not for long.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([current.quit().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      current.disconnect();
      current.removeListener("error", onError);
    },
  };
}
