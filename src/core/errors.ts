/** Every error the kit raises has one of these codes; people-facing text lives in `messages.ts`. */
export type VideoErrorCode =
  | "file_empty"
  | "file_too_large"
  | "file_type_not_allowed"
  | "file_not_video"
  | "file_changed"
  | "network"
  | "upload_url_expired"
  | "server"
  | "bad_request"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "quota_exceeded"
  | "processing_failed"
  | "timeout"
  | "aborted"
  | "caption_invalid";

/**
 * Every `VideoErrorCode`, in declaration order: for exhaustive message tables, pickers and tests that walk
 * all codes.
 */
export const videoErrorCodes: readonly VideoErrorCode[] = [
  "file_empty",
  "file_too_large",
  "file_type_not_allowed",
  "file_not_video",
  "file_changed",
  "network",
  "upload_url_expired",
  "server",
  "bad_request",
  "not_found",
  "unauthorized",
  "forbidden",
  "rate_limited",
  "quota_exceeded",
  "processing_failed",
  "timeout",
  "aborted",
  "caption_invalid",
];

/** Codes a retry can fix without the user changing anything. */
const retryableByDefault: ReadonlySet<VideoErrorCode> = new Set([
  "network",
  "server",
  "rate_limited",
  "timeout",
  "upload_url_expired",
]);

/** What a `VideoError` carries besides its code and message. */
export interface VideoErrorOptions {
  /**
   * Whether retrying can succeed without the user changing anything. Default: true for `network`,
   * `server`, `rate_limited`, `timeout` and `upload_url_expired`, false for every other code.
   */
  retryable?: boolean | undefined;
  /** The HTTP status that caused the error, when there was a response. */
  status?: number | undefined;
  /** Seconds to wait before retrying, from `Retry-After`. */
  retryAfter?: number | undefined;
  /** The underlying error (e.g. the `TypeError` a failed `fetch` throws); set as the error's `cause`. */
  cause?: unknown | undefined;
  /** Extra data for the message (e.g. `{ maxFileSize }`). */
  details?: Record<string, unknown> | undefined;
}

/** A typed error: `code` for programs, `message` for people, `retryable` for the retry button. */
export class VideoError extends Error {
  /** Always `"VideoError"`. */
  override readonly name = "VideoError";
  /** What went wrong, for programs: branch on this, not on `message`. */
  readonly code: VideoErrorCode;
  /** Whether a retry can succeed without the user changing anything (shows the Retry button). */
  readonly retryable: boolean;
  /** The HTTP status that caused the error, when there was a response. */
  readonly status?: number | undefined;
  /** Seconds to wait before retrying, from `Retry-After`. */
  readonly retryAfter?: number | undefined;
  /** Extra data for the message, e.g. `{ maxFileSize, size }` for `file_too_large`. */
  readonly details?: Record<string, unknown> | undefined;

  constructor(code: VideoErrorCode, message: string, options: VideoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.details !== undefined) this.details = options.details;
  }

  /**
   * What `JSON.stringify` writes: `code`, `message` and `retryable`. `status`, `details`, `cause` and the
   * stack stay out, so a logged or sent error carries no internals.
   */
  toJSON(): { code: VideoErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/**
 * Whether `value` is a `VideoError` (an `instanceof` check: the client and core entries share one class).
 *
 * @example
 * catch (error) { if (isVideoError(error) && error.retryable) showRetryButton(); }
 */
export function isVideoError(value: unknown): value is VideoError {
  return value instanceof VideoError;
}

/** Maps an HTTP status to the error code a caller acts on. */
export function errorCodeForStatus(status: number): VideoErrorCode {
  if (status === 400 || status === 413 || status === 415 || status === 422) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 410) return "upload_url_expired";
  if (status === 429) return "rate_limited";
  return "server";
}
