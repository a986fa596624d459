/** Every error the kit raises has one of these codes; its English text is `defaultErrorMessages` (below). */
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

/** English messages for every error code. Pass a partial object to override (i18n). */
export const defaultErrorMessages: Record<VideoErrorCode, string> = {
  file_empty: "This file is empty. Choose a video file with content.",
  file_too_large: "This file is larger than the maximum allowed size.",
  file_type_not_allowed: "This type of file is not allowed. Choose an MP4, MOV, WebM or MKV video.",
  file_not_video: "This file is not a video, whatever its name says. Choose a video file.",
  file_changed: "The file changed while it was uploading. Choose it again.",
  file_duplicate: "This file is already in the list.",
  network: "The connection was lost. The upload will continue when you retry.",
  upload_url_expired: "The upload link expired. Retry to start a fresh upload.",
  server: "The video service had a problem. Try again in a moment.",
  bad_request: "The video service refused the request.",
  not_found: "The video could not be found.",
  unauthorized: "You need to sign in to upload videos.",
  forbidden: "You are not allowed to do this.",
  rate_limited: "Too many requests. The upload will retry shortly.",
  quota_exceeded: "You have reached your upload limit for today.",
  processing_failed: "The video could not be processed. Try a different file.",
  timeout: "This is taking too long. Try again.",
  aborted: "The upload was cancelled.",
  caption_invalid: "This caption file cannot be used. Check that it is a WebVTT or SRT file.",
  url_refused: "This link cannot be imported.",
  recording_unsupported: "This browser cannot record video. Upload a video file instead.",
  recording_failed: "The recording stopped because of a problem. What was recorded is kept.",
  media_permission_denied: "Access to the camera, microphone or screen was refused. Allow it in the site settings, then try again.",
  media_device_missing: "No camera or microphone was found. Connect one, or upload a file instead.",
  media_device_busy: "The camera or microphone is in use by another app. Close it, then try again.",
};

/** English text for every `UrlRefusalReason` (`details.reason` of a `url_refused` error). Pass a partial object to override. */
export const defaultUrlRefusalMessages: Readonly<Record<UrlRefusalReason, string>> = {
  malformed: "This is not a link to a video. Paste a full address starting with https://.",
  scheme: "Only http and https links can be imported.",
  credentials: "Links with a user name or password are refused.",
  private_address: "This link points to a private or local network address.",
  unresolvable: "The address of this link could not be found.",
  unreachable: "The server of this link could not be reached.",
  redirect: "This link redirects to an address that cannot be imported.",
};

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
