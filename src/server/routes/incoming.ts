/**
 * A request as the route table reads it: method, URL, headers, and the Fetch `Request` itself only when a
 * route (or the host's `authorize`) needs it. The Fetch handler wraps the `Request` it was given;
 * `toNodeHandler` wraps Node's request and builds the `Request` on first use, so the answers that need none
 * (no such route, 405, a preflight, a refused origin, the per-IP limit) never build one.
 */
import type { IncomingMessage } from "node:http";

/** Reads request headers the way `Headers.get` does. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface Incoming {
  readonly method: string;
  /** The request URL, as `Request.url` spells it. */
  readonly url: string;
  readonly pathname: string;
  readonly headers: HeaderReader;
  /** The Fetch `Request`: the one the handler was given, or one built on the first call. */
  request(): Request;
  /** Node's request, on `toNodeHandler`'s path (what `authorizeNode` is given). */
  readonly node?: IncomingMessage | undefined;
}

export function incomingFromRequest(request: Request): Incoming {
  return {
    method: request.method,
    url: request.url,
    pathname: new URL(request.url).pathname,
    headers: request.headers,
    request: () => request,
  };
}

/**
 * The handler's own entry for `toNodeHandler`: the same route table, given an `Incoming` instead of a
 * `Request`, answering a `Response` or a `JsonReply` (written as text, without a Fetch `Response`). Keyed
 * by a symbol so it is not part of the handler's public shape; a wrapper of the handler drops it, and
 * `toNodeHandler` then goes through the Fetch handler.
 */
export const nodeDispatch = Symbol("lesson-video-kit.nodeDispatch");
