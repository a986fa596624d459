import { errorCodeForStatus, isVideoError, VideoError, type VideoErrorCode, type VideoErrorOptions } from "./errors.js";
import { defaultErrorMessages } from "./messages.js";

/**
 * Builds a `VideoError` whose message is the default English text for its code (components show the
 * provider's `messages` for the code instead). For a custom transport or validation that raises the kit's
 * errors.
 *
 * @example
 * if (response.status === 402) throw createVideoError("quota_exceeded", { status: 402, retryable: false });
 */
export function createVideoError(code: VideoErrorCode, options: VideoErrorOptions = {}): VideoError {
  return new VideoError(code, defaultErrorMessages[code], options);
}

/** True for the error an aborted `fetch`, XHR or `sleep` raises. */
export function isAbortError(error: unknown): boolean {
  if (isVideoError(error)) return error.code === "aborted";
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/**
 * Turns anything a transport or `fetch` throws into a `VideoError`: aborts become `aborted`, a rejected
 * `fetch` (a `TypeError` in every runtime) becomes `network`, anything else `server`.
 */
export function toVideoError(error: unknown): VideoError {
  if (isVideoError(error)) return error;
  if (isAbortError(error)) return createVideoError("aborted", { cause: error });
  if (error instanceof TypeError) return createVideoError("network", { cause: error });
  return createVideoError("server", { cause: error });
}

/** Reads `Retry-After` (delta seconds or an HTTP date) as seconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** The error for an HTTP status that carries no body the kit understands. */
export function errorForStatus(status: number, retryAfterHeader: string | null = null): VideoError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  return createVideoError(errorCodeForStatus(status), retryAfter === undefined ? { status } : { status, retryAfter });
}
