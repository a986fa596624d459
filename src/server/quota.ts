/**
 * Per-user upload quota: uploads and declared bytes per period (a day by default). One atomic step per
 * counter: reserve (increment), compare, and give back when over the limit or when the upload is not
 * created after all. A counter only grows through reservations that fit, so N concurrent requests never
 * create more than the quota allows, on one instance or many sharing a store.
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
  | { allowed: true; /** Gives the reservation back (the upload was not created). */ release: () => Promise<void> }
  | { allowed: false; limit: "uploads" | "bytes"; resetAt: number };

const uploadsKey = (userId: string) => `quota:uploads:${userId}`;
const bytesKey = (userId: string) => `quota:bytes:${userId}`;

/** Reserves one upload of `bytes` against the user's quota, or says which limit it would pass. */
export async function reserveQuota(store: CounterStore, options: QuotaOptions, userId: string, bytes: number): Promise<QuotaReservation> {
  const periodMs = options.periodMs ?? defaultQuotaPeriodMs;
  const taken: Array<[key: string, amount: number]> = [];
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
  }
  return { allowed: true, release };
}
