/**
 * Fixed-window rate limits per user and per client IP, counted in a `CounterStore` so several server
 * instances can share one limit.
 */
import type { CounterStore } from "./counter-store.js";

/** A fixed-window limit: at most `limit` requests per `windowMs`; more answer 429 with `Retry-After`. */
export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  /** Length of the window, in ms; it starts with the first request counted in it. */
  windowMs: number;
}

/**
 * Rate limits of the routes (`createVideoRoutes`' `rateLimit`; `false` there turns them all off). Requests
 * over a limit answer 429 with code `rate_limited` and `Retry-After`.
 *
 * @example
 * ```ts
 * // Stricter per-user limit, no per-IP limit (e.g. every client comes through one NAT).
 * createVideoRoutes({ backend, authorize, rateLimit: { perUser: { limit: 60, windowMs: 60_000 }, perIp: false } });
 * ```
 */
export interface RateLimitOptions {
  /** Where counts live. Default: this process's memory (one per `createVideoRoutes` call). */
  store?: CounterStore | undefined;
  /** Per authorized user. Default 120 requests a minute; `false` turns it off. */
  perUser?: RateLimitRule | false | undefined;
  /** Per client IP, checked before `authorize`. Default 300 requests a minute; `false` turns it off. */
  perIp?: RateLimitRule | false | undefined;
}

/** The limits `RateLimitOptions` falls back to: 120 requests a minute per user, 300 a minute per IP. */
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
