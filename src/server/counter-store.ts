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
  /**
   * Most counters kept. When full, expired counters and then the soonest to expire are dropped, down to
   * 90% of this. Default 100 000.
   */
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

  // When full, one pass drops the expired counters and then the soonest to expire down to 90% of
  // maxKeys: O(n) work that buys n/10 inserts, so an insert costs O(1) amortised instead of a sort each.
  const lowWater = Math.min(Math.floor(maxKeys * 0.9), maxKeys - 1);
  const makeRoom = () => {
    if (counters.size < maxKeys) return;
    const time = now();
    for (const [key, counter] of counters) if (counter.resetAt <= time) counters.delete(key);
    let excess = counters.size - lowWater;
    if (excess <= 0) return;
    const threshold = nthSmallest(Array.from(counters.values(), (counter) => counter.resetAt), excess - 1);
    // Strictly sooner first (fewer than `excess` of them), then ties at the threshold.
    for (const [key, counter] of counters) {
      if (excess > 0 && counter.resetAt < threshold) {
        counters.delete(key);
        excess--;
      }
    }
    for (const [key, counter] of counters) {
      if (excess === 0) break;
      if (counter.resetAt === threshold) {
        counters.delete(key);
        excess--;
      }
    }
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

/** The `n`th smallest of `values` (0-based), by quickselect: O(length) expected. Reorders `values`. */
function nthSmallest(values: number[], n: number): number {
  let low = 0;
  let high = values.length - 1;
  for (;;) {
    if (low >= high) return values[low] ?? Number.NaN;
    const pivot = values[low + Math.floor(Math.random() * (high - low + 1))] ?? 0;
    // Three-way partition: [low, lt) < pivot, [lt, gt] = pivot, (gt, high] > pivot.
    let lt = low;
    let gt = high;
    let i = low;
    while (i <= gt) {
      const value = values[i] ?? 0;
      if (value < pivot) {
        values[i] = values[lt] ?? 0;
        values[lt] = value;
        lt++;
        i++;
      } else if (value > pivot) {
        values[i] = values[gt] ?? 0;
        values[gt] = value;
        gt--;
      } else {
        i++;
      }
    }
    if (n < lt) high = lt - 1;
    else if (n > gt) low = gt + 1;
    else return pivot;
  }
}
