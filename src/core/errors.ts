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
  | "aborted";

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
];

/** Codes a retry can fix without the user changing anything. */
const retryableByDefault: ReadonlySet<VideoErrorCode> = new Set([
  "network",
  "server",
  "rate_limited",
  "timeout",
  "upload_url_expired",
]);

export interface VideoErrorOptions {
  retryable?: boolean | undefined;
  status?: number | undefined;
  /** Seconds to wait before retrying, from `Retry-After`. */
  retryAfter?: number | undefined;
  cause?: unknown | undefined;
  /** Extra data for the message (e.g. `{ maxFileSize }`). */
  details?: Record<string, unknown> | undefined;
}

/** A typed error: `code` for programs, `message` for people, `retryable` for the retry button. */
export class VideoError extends Error {
  override readonly name = "VideoError";
  readonly code: VideoErrorCode;
  readonly retryable: boolean;
  readonly status?: number | undefined;
  readonly retryAfter?: number | undefined;
  readonly details?: Record<string, unknown> | undefined;

  constructor(code: VideoErrorCode, message: string, options: VideoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.details !== undefined) this.details = options.details;
  }

  toJSON(): { code: VideoErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

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
