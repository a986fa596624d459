/**
 * Per-user upload quota: uploads and bytes per period (a day by default). Checked before an upload is
 * created and counted only once it was, so a refused or failed request costs nothing.
 */
import type { CounterStore } from "./counter-store.js";

export interface QuotaOptions {
  /** Where usage lives. Default: this process's memory (one per `createVideoRoutes` call). */
  store?: CounterStore | undefined;
  /** Uploads a user may create per period. */
  uploadsPerPeriod?: number | undefined;
  /** Declared bytes a user may upload per period. */
  bytesPerPeriod?: number | undefined;
  /** Length of a period; it starts with the user's first upload in it. Default one day. */
  periodMs?: number | undefined;
}

export const defaultQuotaPeriodMs = 86_400_000;

export type QuotaDecision = { allowed: true } | { allowed: false; limit: "uploads" | "bytes"; resetAt: number };

const uploadsKey = (userId: string) => `quota:uploads:${userId}`;
const bytesKey = (userId: string) => `quota:bytes:${userId}`;

/** Whether one more upload of `bytes` fits the user's quota. Counts nothing. */
export async function checkQuota(
  store: CounterStore,
  options: QuotaOptions,
  userId: string,
  bytes: number,
  now: number,
): Promise<QuotaDecision> {
  const [uploads, used] = await Promise.all([store.get(uploadsKey(userId)), store.get(bytesKey(userId))]);
  // With nothing used yet (a file larger than the whole allowance), the period would start now.
  const freshReset = now + (options.periodMs ?? defaultQuotaPeriodMs);
  if (options.uploadsPerPeriod !== undefined && (uploads?.value ?? 0) + 1 > options.uploadsPerPeriod) {
    return { allowed: false, limit: "uploads", resetAt: uploads?.resetAt ?? freshReset };
  }
  if (options.bytesPerPeriod !== undefined && (used?.value ?? 0) + bytes > options.bytesPerPeriod) {
    return { allowed: false, limit: "bytes", resetAt: used?.resetAt ?? freshReset };
  }
  return { allowed: true };
}

/** Records one created upload of `bytes`. */
export async function recordQuotaUse(store: CounterStore, options: QuotaOptions, userId: string, bytes: number): Promise<void> {
  const periodMs = options.periodMs ?? defaultQuotaPeriodMs;
  await Promise.all([store.increment(uploadsKey(userId), 1, periodMs), store.increment(bytesKey(userId), bytes, periodMs)]);
}
