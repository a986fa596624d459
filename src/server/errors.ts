/**
 * JSON error responses. Every route answers errors as `{ error: { code, message } }` with the codes the
 * client's `VideoError` uses; nothing internal (stack, backend messages, credentials) reaches the body.
 */
import { isVideoError, VideoError, type UrlRefusalReason, type VideoErrorCode } from "../core/errors.js";
import type { RequestedAssetSettings } from "../core/types.js";
import type { MalformedRequestReason } from "./events.js";

/** The JSON body of every error the routes answer, e.g. `{ "error": { "code": "not_found", "message": "…" } }`. */
export interface ErrorBody {
  /** `resetAt` (ms since epoch) is present on `quota_exceeded`: when the quota allows uploads again. */
  error: {
    code: VideoErrorCode;
    message: string;
    resetAt?: number | undefined;
    /**
     * Present on `url_refused`: why the link was refused (a `UrlRefusalReason`); on a `forbidden` refusal of a
     * requested asset setting: which setting (a key of `RequestedAssetSettings`).
     */
    details?: { reason: UrlRefusalReason } | { setting: keyof RequestedAssetSettings } | undefined;
  };
}

/** Raises a `VideoError` carrying the HTTP status a route answers with. */
export function httpError(
  status: number,
  code: VideoErrorCode,
  message: string,
  options: { retryAfter?: number; details?: Record<string, unknown> } = {},
): VideoError {
  return new VideoError(code, message, { status, ...options });
}

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), headers === undefined ? { status } : { status, headers });
  response.headers.set("content-type", "application/json; charset=utf-8");
  response.headers.set("cache-control", "no-store");
  return response;
}

/**
 * A JSON answer not yet made a `Response`: the Fetch handler turns it into one (`toResponse`), `toNodeHandler`
 * writes its text and headers straight to Node's response. Its headers are a real `Headers`, so CORS and
 * everything else that adds to them behave as on a `Response`.
 */
export class JsonReply {
  readonly headers = new ReplyHeaders();
  constructor(
    readonly body: string,
    readonly status: number,
  ) {}

  toResponse(): Response {
    return new Response(this.body, { status: this.status, headers: this.headers.entries() });
  }
}

/**
 * A JSON reply's headers: the few the routes set (CORS, `Vary`), by lower-case name, without a Fetch `Headers` (whose
 * checks cost more than the rest of a cached status answer). `append` joins values with ", " as `Headers` does; the
 * routes set no cookies.
 */
export class ReplyHeaders {
  readonly #values = new Map<string, string>([
    ["content-type", "application/json; charset=utf-8"],
    ["cache-control", "no-store"],
  ]);

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.#values.get(key);
    this.#values.set(key, before === undefined ? value : `${before}, ${value}`);
  }

  entries(): [string, string][] {
    return [...this.#values];
  }

  /** Each name followed by its value, then `extra` pairs: the flat list Node's `writeHead` takes. */
  flat(...extra: string[]): string[] {
    const list: string[] = [];
    for (const [name, value] of this.#values) list.push(name, value);
    list.push(...extra);
    return list;
  }
}

/** What a route answers: a `Response`, or JSON the adapter makes one of (or writes directly). */
export type Reply = Response | JsonReply;

export const toResponse = (reply: Reply): Response => (reply instanceof JsonReply ? reply.toResponse() : reply);

/** The response for a `VideoError` raised by a route, with `Retry-After` when it has one. */
export function errorResponse(error: VideoError): Response {
  const status = error.status ?? 500;
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  const resetAt = error.details?.resetAt;
  if (typeof resetAt === "number") body.error.resetAt = resetAt;
  // Only the reason of a refused link: other details may hold what the client must not see.
  if (error.code === "url_refused" && typeof error.details?.reason === "string") body.error.details = { reason: error.details.reason as UrlRefusalReason };
  if (error.code === "forbidden" && typeof error.details?.setting === "string") body.error.details = { setting: error.details.setting as keyof RequestedAssetSettings };
  const response = json(body, status);
  if (error.retryAfter !== undefined) response.headers.set("retry-after", String(Math.max(1, Math.ceil(error.retryAfter))));
  return response;
}

/** What an unexpected failure turns into: a generic 500 whose message says nothing about why. */
export const internalError = (): VideoError => httpError(500, "server", "The video service had a problem. Try again in a moment.");

const malformedMessages: Record<MalformedRequestReason, string> = {
  host_invalid: "The request's Host header is not a valid host.",
  forwarded_invalid: "The proxy's X-Forwarded-Host or X-Forwarded-Proto header is not valid.",
  target_invalid: "The request target is not a path.",
  target_other_host: "The request target names another host than the one the request was sent to.",
};

/** The 400 of a request whose `Host` or target cannot make a URL (`toNodeHandler`). */
export const malformedRequestError = (reason: MalformedRequestReason): VideoError => httpError(400, "bad_request", malformedMessages[reason]);

/** A `VideoError` with an HTTP status raised on purpose (by a route, a backend or the host's `authorize`). */
export function asStatusError(error: unknown): VideoError | undefined {
  return isVideoError(error) && error.status !== undefined ? error : undefined;
}

/** Why `createVideoRoutes` refused its options. */
export type VideoRoutesConfigProblem = "public_origin_missing" | "public_origin_invalid" | "import_option_invalid" | "progress_option_invalid";

/**
 * A configuration `createVideoRoutes` cannot run with, thrown when it is called (at startup), not on a
 * request. `problem` says which; the message says what to set.
 */
export class VideoRoutesConfigError extends Error {
  override readonly name = "VideoRoutesConfigError";
  constructor(
    readonly problem: VideoRoutesConfigProblem,
    message: string,
  ) {
    super(message);
  }
}
