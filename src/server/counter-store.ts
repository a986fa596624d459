/**
 * The one store behind rate limits, quotas and webhook replay protection: counters that expire. The
 * in-memory store is right for one server process; several instances share one in Redis
 * (`createRedisStores(redis).counters` from `lesson-video-kit/server/redis`, one Lua script per increment).
 */

export interface CounterValue {
  /** The sum of every amount added since the counter started. */
  value: number;
  /** When the counter expires, ms since epoch. */
  resetAt: number;
}

/** Counters that expire, for rate limits, quotas and webhook replay protection. */
export interface CounterStore {
  /**
   * Adds `amount` to `key` atomically and returns the new value. A counter that does not exist (or has
   * expired) starts at 0 and expires `windowMs` from now; later increments keep that expiry. `amount` may
   * be negative: quotas give back a reservation that was not used.
   */
  increment(key: string, amount: number, windowMs: number): Promise<CounterValue>;
  /** The current value, or undefined when the counter does not exist or has expired. */
  get(key: string): Promise<CounterValue | undefined>;
  /** Removes the counter (a webhook's hook failed: its retry must be processed). */
  delete(key: string): Promise<void>;
}

/** Options of `createMemoryCounterStore`. */
export interface MemoryCounterStoreOptions {
  /** Clock, for tests. */
  now?: (() => number) | undefined;
  /** Most counters kept; the soonest to expire are dropped first when full. Default 100 000. */
  maxKeys?: number | undefined;
}

/** Counters in this process's memory. Each call makes a new, independent store. */
export function createMemoryCounterStore(options: MemoryCounterStoreOptions = {}): CounterStore {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const counters = new Map<string, CounterValue>();

  const live = (key: string): CounterValue | undefined => {
    const counter = counters.get(key);
    if (counter && counter.resetAt <= now()) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };

  const makeRoom = () => {
    if (counters.size < maxKeys) return;
    const time = now();
    for (const [key, counter] of counters) if (counter.resetAt <= time) counters.delete(key);
    if (counters.size < maxKeys) return;
    const soonest = [...counters.entries()].sort((a, b) => a[1].resetAt - b[1].resetAt);
    for (const [key] of soonest.slice(0, counters.size - maxKeys + 1)) counters.delete(key);
  };

  return {
    async increment(key, amount, windowMs) {
      const existing = live(key);
      if (existing) {
        existing.value += amount;
        return { ...existing };
      }
      makeRoom();
      const created = { value: amount, resetAt: now() + windowMs };
      counters.set(key, created);
      return { ...created };
    },
    async get(key) {
      const counter = live(key);
      return counter ? { ...counter } : undefined;
    },
    async delete(key) {
      counters.delete(key);
    },
  };
}
