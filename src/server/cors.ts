/**
 * CORS for the routes: same-origin requests always pass, other origins only from the allowlist, and
 * preflights are answered here. The webhook route takes no part: Mux calls it server to server.
 */
import { httpError } from "./errors.js";

/** What the origin checks read of a request: a Fetch `Request`, or the routes' own view of one. */
interface RequestHead {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/**
 * Which other origins may call the routes from a browser (`createVideoRoutes`' `cors`). Requests from the
 * routes' own origin always pass; a cross-origin request from an origin not listed answers 403.
 *
 * @example
 * ```ts
 * createVideoRoutes({ backend, authorize, cors: { origins: ["https://studio.example.com"], credentials: true } });
 * ```
 */
export interface CorsOptions {
  /**
   * Origins other than the routes' own that may call them, e.g. `["https://studio.example.com"]`.
   * `"*"` allows any origin (never with `credentials`). Default: none, same-origin only.
   */
  origins?: readonly string[] | undefined;
  /** Send `Access-Control-Allow-Credentials: true` to allowed cross-origin callers (cookies). Default false. */
  credentials?: boolean | undefined;
  /** Request headers a cross-origin caller may send. Default `content-type`, `authorization`. */
  allowedHeaders?: readonly string[] | undefined;
  /** How long browsers may cache a preflight, in seconds. Default 600. */
  maxAgeSeconds?: number | undefined;
}

export type OriginCheck =
  | { allowed: true; origin?: string; crossOrigin: boolean }
  | { allowed: false; origin: string };

const allowedMethods = "GET, POST, OPTIONS";

/** Throws at startup for a configuration that would be unsafe. */
export function assertCorsOptions(options: CorsOptions): void {
  if (options.credentials && options.origins?.includes("*")) {
    throw new Error('lesson-video-kit: cors.origins "*" cannot be combined with cors.credentials; list the origins.');
  }
}

/**
 * The routes' own origin: the request URL's, or the one the browser addressed through `Host` (servers
 * bound to 127.0.0.1 may see `localhost` in the URL). A page cannot choose the `Host` its browser sends.
 */
function isOwnOrigin(request: RequestHead, origin: string): boolean {
  const url = new URL(request.url);
  if (origin === url.origin) return true;
  const host = request.headers.get("host");
  return host !== null && origin === `${url.protocol}//${host}`;
}

export function checkOrigin(request: RequestHead, options: CorsOptions): OriginCheck {
  const origin = request.headers.get("origin");
  // Requests that carry no Origin are not cross-origin browser requests (server calls, same-origin GETs).
  if (origin === null) return { allowed: true, crossOrigin: false };
  if (isOwnOrigin(request, origin)) return { allowed: true, origin, crossOrigin: false };
  const list = options.origins ?? [];
  if (origin !== "null" && (list.includes(origin) || list.includes("*"))) return { allowed: true, origin, crossOrigin: true };
  return { allowed: false, origin };
}

/** Adds the CORS headers an allowed cross-origin caller needs to read `response`. */
export function withCorsHeaders<T extends { headers: Pick<Headers, "append" | "set"> }>(response: T, check: OriginCheck, options: CorsOptions): T {
  response.headers.append("vary", "Origin");
  if (!check.allowed || !check.crossOrigin || check.origin === undefined) return response;
  response.headers.set("access-control-allow-origin", check.origin);
  response.headers.set("access-control-expose-headers", "Retry-After");
  if (options.credentials) response.headers.set("access-control-allow-credentials", "true");
  return response;
}

/** The answer to an `OPTIONS` preflight; a refused origin gets 403 and no CORS headers. */
export function preflightResponse(request: RequestHead, options: CorsOptions): Response {
  const check = checkOrigin(request, options);
  if (!check.allowed) throw httpError(403, "forbidden", "This origin is not allowed to call the video routes.");
  const response = new Response(null, { status: 204 });
  response.headers.set("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  if (check.crossOrigin && check.origin !== undefined) {
    response.headers.set("access-control-allow-origin", check.origin);
    response.headers.set("access-control-allow-methods", allowedMethods);
    response.headers.set("access-control-allow-headers", (options.allowedHeaders ?? ["content-type", "authorization"]).join(", "));
    response.headers.set("access-control-max-age", String(options.maxAgeSeconds ?? 600));
    if (options.credentials) response.headers.set("access-control-allow-credentials", "true");
  } else {
    response.headers.set("allow", allowedMethods);
  }
  return response;
}
