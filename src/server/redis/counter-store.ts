/**
 * `CounterStore` on Redis, with the in-process store's semantics: one Lua script per increment
 * (`INCRBY`, then `PEXPIRE` only when the counter is new), so concurrent requests on any number of
 * instances never read-then-write.
 */
import { VideoError } from "../../core/errors.js";
import { createMemoryCounterStore, type CounterStore, type CounterValue } from "../counter-store.js";
import { redisScript, type RedisCommands } from "./commands.js";

// KEYS[1] counter; ARGV[1] amount, ARGV[2] window ms. Returns { value, ms left }.
const incrementScript = redisScript(`
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return { value, ttl }
`);

// KEYS[1] counter. Returns { value, ms left } or nil.
const readScript = redisScript(`
local value = redis.call('GET', KEYS[1])
if not value then return false end
return { value, redis.call('PTTL', KEYS[1]) }
`);

export interface RedisCounterStoreInput {
  commands: RedisCommands;
  prefix: string;
  now: () => number;
}

/** Counters that throw while Redis is unreachable. */
export function redisCounterStore({ commands, prefix, now }: RedisCounterStoreInput): CounterStore {
  const counterKey = (key: string) => `${prefix}counter:${key}`;
  const counter = (reply: unknown): CounterValue => {
    const [value, ttl] = reply as [number | string, number | string];
    return { value: Number(value), resetAt: now() + Math.max(0, Number(ttl)) };
  };
  return {
    async increment(key, amount, windowMs) {
      if (!Number.isSafeInteger(amount)) throw new TypeError(`Redis counters count whole numbers, not ${amount}.`);
      return counter(await commands.script(incrementScript, [counterKey(key)], [amount, Math.max(1, Math.ceil(windowMs))]));
    },
    async get(key) {
      const reply = await commands.script(readScript, [counterKey(key)], []);
      return reply === null ? undefined : counter(reply);
    },
    async delete(key) {
      await commands.call("DEL", counterKey(key));
    },
  };
}

/**
 * Fails closed: while Redis is unreachable every call refuses with a 503 `VideoError`, which the routes
 * answer as it is (an upload is refused, a webhook is left for the backend to retry).
 */
export function failClosed(store: CounterStore): CounterStore {
  const refuse = (error: unknown): never => {
    throw new VideoError("server", "The shared store is unavailable; try again in a moment.", { status: 503, retryAfter: 5, cause: error });
  };
  return {
    increment: (key, amount, windowMs) => store.increment(key, amount, windowMs).catch(refuse),
    get: (key) => store.get(key).catch(refuse),
    delete: (key) => store.delete(key).catch(refuse),
  };
}

/**
 * Fails open to this process: while Redis is unreachable, counts go to an in-memory store of this instance,
 * so limits still hold per instance (N instances allow up to N times the limit) and no request waits on Redis.
 */
export function failToMemory(store: CounterStore, now: () => number): CounterStore {
  const local = createMemoryCounterStore({ now });
  return {
    increment: (key, amount, windowMs) => store.increment(key, amount, windowMs).catch(() => local.increment(key, amount, windowMs)),
    get: (key) => store.get(key).catch(() => local.get(key)),
    async delete(key) {
      await Promise.all([local.delete(key), store.delete(key).catch(() => {})]);
    },
  };
}
