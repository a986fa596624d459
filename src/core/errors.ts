import { defaultErrorMessages } from "./messages.js";

/** Every error the kit raises has one of these codes; people-facing text lives in `messages.ts`. */
export type VideoErrorCode =
  | "file_empty"
  | "file_too_large"
  | "file_type_not_allowed"
  | "file_not_video"
  | "file_changed"
  | "file_duplicate"
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
  | "caption_invalid"
  | "url_refused"
  | "recording_unsupported"
  | "recording_failed"
  | "media_permission_denied"
  | "media_device_missing"
  | "media_device_busy";

/**
 * Why a link was refused for import (`details.reason` of a `url_refused` error); each has a message in
 * `defaultUrlRefusalMessages`.
 * - `malformed`: not an absolute URL (or longer than 2048 characters).
 * - `scheme`: not `http:` or `https:`.
 * - `credentials`: a user name or password in the URL.
 * - `private_address`: the host is, or resolves to, a loopback, private, link-local or other non-public address.
 * - `unresolvable`: the host name does not resolve.
 * - `unreachable`: the server could not connect to the host, or it did not answer in time.
 * - `redirect`: a redirect leads to a link refused for one of the reasons above, or there are too many.
 */
export type UrlRefusalReason = "malformed" | "scheme" | "credentials" | "private_address" | "unresolvable" | "unreachable" | "redirect";

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
  "file_duplicate",
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
  "url_refused",
  "recording_unsupported",
  "recording_failed",
  "media_permission_denied",
  "media_device_missing",
  "media_device_busy",
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
  cause?: unknown;
  /** Extra data for the message (e.g. `{ maxFileSize }`). */
  details?: Record<string, unknown> | undefined;
}

/**
 * Marks every `VideoError`, from any copy of the kit: the ESM and CJS builds load as two classes (and an app
 * may bundle two copies), so `instanceof` alone would not recognise the other's errors. A registry symbol is
 * the same in every copy.
 */
const brand = Symbol.for("lesson-video-kit.VideoError");

/**
 * A typed error: `code` for programs, `message` for people, `retryable` for the retry button. Recognised by
 * `isVideoError` and `instanceof VideoError` whichever build or copy of the kit made it.
 */
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

  /**
   * `error instanceof VideoError` holds for a `VideoError` made by any build (ESM or CJS) or copy of the kit;
   * for a subclass, `instanceof` is the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === VideoError ? isVideoError(value) : Object.prototype.isPrototypeOf.call(this.prototype, value as object);
  }

  static {
    // On the prototype, not the instance: a spread or `Object.assign` copy of an error is not a `VideoError`.
    (this.prototype as unknown as Record<symbol, boolean>)[brand] = true;
  }
}

/**
 * Whether `value` is a `VideoError`, made by any build (ESM or CJS) or copy of the kit: it checks the brand
 * every `VideoError` carries (`Symbol.for("lesson-video-kit.VideoError")`), not the class.
 *
 * @example
 * catch (error) { if (isVideoError(error) && error.retryable) showRetryButton(); }
 */
export function isVideoError(value: unknown): value is VideoError {
  return (value as Partial<Record<symbol, unknown>> | null | undefined)?.[brand] === true;
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
