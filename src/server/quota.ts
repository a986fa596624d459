/**
 * Per-user upload quota: uploads and declared bytes per period (a day by default). One atomic step per
 * counter: reserve (increment), compare, and give back when over the limit or when the upload is not
 * created after all. A counter only grows through reservations that fit, so N concurrent requests never
 * create more than the quota allows, on one instance or many sharing a store. An upload its creator cancels
 * or discards gives its reservation back once, within the period it was taken in.
 */
import type { CounterStore } from "./counter-store.js";

/**
 * Per-user upload quota (`createVideoRoutes`' `quota`): an upload that would pass a limit answers 429 with
 * code `quota_exceeded` and `Retry-After` until the period ends. A limit left unset is not enforced.
 *
 * @example
 * ```ts
 * // 20 uploads and 10 GB a day per user.
 * createVideoRoutes({ backend, authorize, quota: { uploadsPerPeriod: 20, bytesPerPeriod: 10 * 1024 ** 3 } });
 * ```
 */
export interface QuotaOptions {
  /** Where usage lives. Default: this process's memory (one per `createVideoRoutes` call). */
  store?: CounterStore | undefined;
  /** Uploads a user may create per period. Default: no limit. */
  uploadsPerPeriod?: number | undefined;
  /** Declared bytes (the file sizes clients send) a user may upload per period. Default: no limit. */
  bytesPerPeriod?: number | undefined;
  /** Length of a period; it starts with the user's first upload in it. Default one day. */
  periodMs?: number | undefined;
}

export const defaultQuotaPeriodMs = 86_400_000;

export type QuotaReservation =
  | {
      allowed: true;
      /** Gives the reservation back (the upload was not created). */
      release: () => Promise<void>;
      /** When the soonest of the counters it took from resets, ms since epoch; undefined when it took nothing. */
      resetAt: number | undefined;
    }
  | { allowed: false; limit: "uploads" | "bytes"; resetAt: number };

const uploadsKey = (userId: string) => `quota:uploads:${userId}`;
const bytesKey = (userId: string) => `quota:bytes:${userId}`;
/** What one upload's reservation took (its declared bytes), until the period it was taken in ends. */
const heldKey = (userId: string, uploadId: string) => `quota:held:${userId}:${uploadId}`;
/** Set by the one refund of an upload: a second (or concurrent) refund finds it taken. */
const refundedKey = (userId: string, uploadId: string) => `quota:refunded:${userId}:${uploadId}`;

/** Reserves one upload of `bytes` against the user's quota, or says which limit it would pass. */
export async function reserveQuota(store: CounterStore, options: QuotaOptions, userId: string, bytes: number): Promise<QuotaReservation> {
  const periodMs = options.periodMs ?? defaultQuotaPeriodMs;
  const taken: Array<[key: string, amount: number]> = [];
  let resetAt: number | undefined;
  const release = async () => {
    await Promise.all(taken.splice(0).map(([key, amount]) => store.increment(key, -amount, periodMs)));
  };
  const limits: Array<[limit: "uploads" | "bytes", key: string, amount: number, max: number | undefined]> = [
    ["uploads", uploadsKey(userId), 1, options.uploadsPerPeriod],
    ["bytes", bytesKey(userId), bytes, options.bytesPerPeriod],
  ];
  for (const [limit, key, amount, max] of limits) {
    if (max === undefined) continue;
    const counter = await store.increment(key, amount, periodMs);
    taken.push([key, amount]);
    if (counter.value > max) {
      await release();
      return { allowed: false, limit, resetAt: counter.resetAt };
    }
    resetAt = Math.min(resetAt ?? counter.resetAt, counter.resetAt);
  }
  return { allowed: true, release, resetAt };
}

/**
 * Remembers that `uploadId` took `bytes` (and one upload) from the user's quota, until `resetAt` (the
 * reservation's), so `refundQuota` can give it back when the upload is cancelled or discarded.
 */
export async function holdQuota(store: CounterStore, userId: string, uploadId: string, bytes: number, resetAt: number, now: number): Promise<void> {
  if (resetAt <= now) return;
  await store.increment(heldKey(userId, uploadId), bytes, resetAt - now);
}

/**
 * Gives back what `holdQuota` remembered for the upload: at most once (a claim counter decides between
 * concurrent or repeated calls), and only while the period it was taken in lasts (the hold expires with it, so
 * a refund never credits the next period). True when something was given back.
 */
export async function refundQuota(store: CounterStore, options: QuotaOptions, userId: string, uploadId: string, now: number): Promise<boolean> {
  const held = await store.get(heldKey(userId, uploadId));
  if (!held || held.resetAt <= now) return false;
  const claim = await store.increment(refundedKey(userId, uploadId), 1, held.resetAt - now);
  if (claim.value !== 1) return false;
  await store.delete(heldKey(userId, uploadId));
  const periodMs = options.periodMs ?? defaultQuotaPeriodMs;
  await Promise.all([
    options.uploadsPerPeriod === undefined ? undefined : store.increment(uploadsKey(userId), -1, periodMs),
    options.bytesPerPeriod === undefined ? undefined : store.increment(bytesKey(userId), -held.value, periodMs),
  ]);
  return true;
}
