/**
 * Fixed-window rate limits per user and per client IP, counted in a `CounterStore` so several server
 * instances can share one limit.
 */
import type { CounterStore } from "./counter-store.js";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Where counts live. Default: this process's memory (one per `createVideoRoutes` call). */
  store?: CounterStore | undefined;
  /** Per authorized user. Default 120 requests a minute; `false` turns it off. */
  perUser?: RateLimitRule | false | undefined;
  /** Per client IP, checked before `authorize`. Default 300 requests a minute; `false` turns it off. */
  perIp?: RateLimitRule | false | undefined;
}

export const defaultRateLimits = {
  perUser: { limit: 120, windowMs: 60_000 },
  perIp: { limit: 300, windowMs: 60_000 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one request against `key` and says whether it is within `rule`. */
export async function consumeRateLimit(
  store: CounterStore,
  key: string,
  rule: RateLimitRule,
  now: number,
): Promise<RateLimitDecision> {
  const counter = await store.increment(`rl:${key}`, 1, rule.windowMs);
  if (counter.value <= rule.limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((counter.resetAt - now) / 1000)) };
}
