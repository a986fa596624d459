import { createVideoError, type VideoError } from "./errors.js";
import { overDefaults } from "./over-defaults.js";

/** How a failed request is retried. */
export interface RetryPolicy {
  /** Retries after the first failure before giving up. Default 5. */
  retries: number;
  /** Delay before the first retry, in ms. Default 1000. */
  baseDelayMs: number;
  /** Largest delay between two tries, in ms. Default 30 000. */
  maxDelayMs: number;
  /** Growth of the delay per retry. Default 2. */
  factor: number;
  /**
   * Fraction of the delay that is random, 0–1. Default 0.5: a delay `d` becomes a value in `[d/2, d]`, so
   * clients that failed together do not come back together.
   */
  jitter: number;
  /** Random source in [0, 1); injectable for deterministic tests. */
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
  random: Math.random,
};

/** `policy` over `defaultRetryPolicy`; a field left out or `undefined` is the default. */
export function resolveRetryPolicy(policy?: { [Field in keyof RetryPolicy]?: RetryPolicy[Field] | undefined }): RetryPolicy {
  return overDefaults(defaultRetryPolicy, policy);
}

/** Exponential backoff with jitter for the `retry`-th retry (1-based). */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1));
  return Math.round(exponential * (1 - policy.jitter + policy.jitter * policy.random()));
}

/** The wait before a retry: the server's `Retry-After` when it gave one, otherwise backoff. */
export function retryDelay(retry: number, error: VideoError, policy: RetryPolicy): number {
  if (error.retryAfter !== undefined) return error.retryAfter * 1000;
  return backoffDelay(retry, policy);
}

/** Waits `ms`, or rejects with an `aborted` VideoError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(createVideoError("aborted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(createVideoError("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryContext {
  retry: number;
  error: VideoError;
  delayMs: number;
}

export interface RetryOptions {
  signal: AbortSignal;
  policy: RetryPolicy;
  /** Which failures a retry can fix. */
  shouldRetry(error: VideoError): boolean;
  /** Normalises whatever `run` throws. */
  toError(error: unknown): VideoError;
  /** Called before waiting for each retry. */
  onRetry?(context: RetryContext): void;
  /** Resolves when a retry may go out (e.g. the browser is back online). */
  waitUntilReady?(signal: AbortSignal): Promise<void>;
}

/**
 * Runs `run` until it succeeds, a failure is not retryable, or the retries are spent. `run` receives the
 * retry number (0 for the first try). Successes in between are the caller's business: call `withRetry`
 * per request so the count restarts after progress.
 */
export async function withRetry<T>(run: (retry: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await run(retry);
    } catch (thrown) {
      const error = options.toError(thrown);
      if (options.signal.aborted || error.code === "aborted") throw createVideoError("aborted", { cause: thrown });
      if (retry >= options.policy.retries || !options.shouldRetry(error)) throw error;
      const delayMs = retryDelay(retry + 1, error, options.policy);
      options.onRetry?.({ retry: retry + 1, error, delayMs });
      await sleep(delayMs, options.signal);
      await options.waitUntilReady?.(options.signal);
    }
  }
}
