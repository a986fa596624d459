/**
 * `toNodeHandler`: mounts the Fetch-API handler on `node:http` or Express. Only type imports from
 * `node:` (and the global `Buffer` at call time), so the server entry still loads on edge runtimes that
 * never call this.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorResponse, internalError, JsonReply, malformedRequestError, type Reply } from "./errors.js";
import type { MalformedRequestReason } from "./events.js";
import type { RouteContext } from "./routes.js";
import { nodeDispatch, type HeaderReader, type Incoming } from "./routes/incoming.js";

/** `createVideoRoutes`' handler carries its route table's own entry for Node (see `nodeDispatch`). */
type NodeDispatch = (incoming: Incoming, context: RouteContext) => Promise<Reply>;

/** A Fetch-API handler `toNodeHandler` can mount, such as the one `createVideoRoutes` returns. */
export type FetchHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & {
  /**
   * The answer to a request whose `Host` or target cannot make a URL (`createVideoRoutes`' handler has it:
   * 400, reported to `onEvent`). Without it `toNodeHandler` answers the same 400 JSON body itself.
   */
  rejectMalformed?: ((reason: MalformedRequestReason) => Response) | undefined;
};

/** Options of `toNodeHandler`. */
export interface NodeHandlerOptions {
  /**
   * Build the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host` (behind a TLS-terminating
   * proxy), so same-origin checks compare against the public origin. Default false.
   */
  trustProxy?: boolean | undefined;
}

/** Express' request carries its mount-free URL and, after `express.raw()`/`express.text()`, the body. */
type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
/** Express' `next`: without one, a handler that throws answers a plain 500 itself. */
export type NextFunction = (error?: unknown) => void;

/**
 * Bytes of a request body a route left unread that are read and discarded to keep the connection for the
 * client's next request. A larger (or undeclared, chunked) remainder, and any body answered 413, closes the
 * connection instead: the server never reads what it already refused.
 */
const drainLimit = 64 * 1024;

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();

/** A host name, IPv4 address or bracketed IPv6 address, with an optional port: nothing a URL would read as a path, query or user. */
const hostShape = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/**
 * Hosts already parsed, by `proto://value` (`null`: not a valid host). A client chooses its `Host`, so the
 * map is bounded: past `hostsKept` entries the oldest is forgotten.
 */
const parsedHosts = new Map<string, string | null>();
const hostsKept = 256;

/** `host[:port]` as a URL spells it (lower case, no default port), or undefined when it is not a valid host. */
function parseHost(value: string | undefined, proto: string): string | undefined {
  if (value === undefined) return undefined;
  const key = `${proto}://${value}`;
  const known = parsedHosts.get(key);
  if (known !== undefined) return known ?? undefined;
  const host = parseHostOnce(value, proto);
  parsedHosts.set(key, host ?? null);
  if (parsedHosts.size > hostsKept) parsedHosts.delete(parsedHosts.keys().next().value as string);
  return host;
}

function parseHostOnce(value: string, proto: string): string | undefined {
  const shape = hostShape.exec(value);
  if (!shape || Number(shape[1] ?? 0) > 65535) return undefined;
  try {
    return new URL(`${proto}://${value}`).host || undefined;
  } catch {
    return undefined;
  }
}

/** A target a URL keeps exactly as written; group 1 is its path. */
const plainTarget = /^((?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+\/?|\/)(?:\?[A-Za-z0-9._~=&-]*)?$/;

type Target = { ok: true; url: string; pathname: string } | { ok: false; reason: MalformedRequestReason };

/**
 * The request's URL: the scheme and host the client reached (the socket's, or the trusted proxy's), and the
 * path of the request target. An absolute-form target (`GET http://host/path`, which HTTP/1.1 servers must
 * accept) is used only when it names that same host and port; one naming another host is refused, so a
 * client cannot make the routes see a URL, or an origin, the request was not sent to.
 */
function requestUrl(req: NodeRequest, trustProxy: boolean): Target {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const forwardedProto = trustProxy ? firstHeader(req.headers["x-forwarded-proto"])?.toLowerCase() : undefined;
  if (forwardedProto && forwardedProto !== "http" && forwardedProto !== "https") return { ok: false, reason: "forwarded_invalid" };
  const proto = forwardedProto || (encrypted ? "https" : "http");

  const forwardedHost = trustProxy ? firstHeader(req.headers["x-forwarded-host"]) : undefined;
  let host: string | undefined;
  if (forwardedHost) {
    host = parseHost(forwardedHost, proto);
    if (host === undefined) return { ok: false, reason: "forwarded_invalid" };
  } else {
    // HTTP/1.0 may leave Host out (Node refuses that on HTTP/1.1 itself); an empty or unparseable one is an error.
    host = req.headers.host === undefined ? "localhost" : parseHost(req.headers.host, proto);
    if (host === undefined) return { ok: false, reason: "host_invalid" };
  }

  const raw = req.originalUrl ?? req.url ?? "/";
  let path: string;
  if (raw.startsWith("/")) {
    path = raw;
  } else if (/^https?:\/\//i.test(raw)) {
    let target: URL;
    try {
      target = new URL(raw);
    } catch {
      return { ok: false, reason: "target_invalid" };
    }
    if (target.username || target.password) return { ok: false, reason: "target_invalid" };
    if (target.host !== host) return { ok: false, reason: "target_other_host" };
    path = `${target.pathname}${target.search}`;
  } else {
    // `*` (OPTIONS), or anything else that is not a path.
    return { ok: false, reason: "target_invalid" };
  }
  // A path of plain segments (none empty or starting with a dot) and a plain query is spelled by a URL as it
  // is: no parse needed.
  const plain = plainTarget.exec(path);
  if (plain) return { ok: true, url: `${proto}://${host}${path}`, pathname: plain[1] ?? path };
  try {
    const url = new URL(`${proto}://${host}${path}`);
    return url.host === host ? { ok: true, url: url.href, pathname: url.pathname } : { ok: false, reason: "target_invalid" };
  } catch {
    return { ok: false, reason: "target_invalid" };
  }
}

/**
 * The request's headers for its `Request`: Node's own object when every value is one string (the `Request`
 * copies it once), else a `Headers` with each value of a repeated header appended.
 */
function requestHeaders(req: IncomingMessage): HeadersInit {
  let plain = true;
  for (const name in req.headers) {
    if (typeof req.headers[name] !== "string" || name.startsWith(":")) {
      plain = false;
      break;
    }
  }
  if (plain) return req.headers as Record<string, string>;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** Spaces and tabs at either end, which `Headers` strips from a value. */
const outerWhitespace = /^[\t ]+|[\t ]+$/g;

/** Node's request headers read as `Headers.get` reads the `Headers` that `requestHeaders` builds from them. */
function headerReader(req: IncomingMessage): HeaderReader {
  return {
    get(name) {
      const key = name.toLowerCase();
      if (key.startsWith(":")) return null;
      const value = req.headers[key];
      if (value === undefined) return null;
      const text = Array.isArray(value) ? value.join(", ") : value;
      return text.replace(outerWhitespace, "");
    },
  };
}

function requestBody(req: NodeRequest): BodyInit | undefined {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  // A body parser already read the stream: use what it kept when it kept the raw text or bytes.
  if (typeof req.body === "string") return req.body;
  if (req.body instanceof Uint8Array) return new Uint8Array(req.body);
  if (req.readableEnded) return undefined;
  // Listeners are attached on the first read (and the queue holds nothing ahead of reads), so a body
  // the route never reads stays in the socket and can be drained after the response.
  let detach: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!detach) {
          const onData = (chunk: Buffer | string) => {
            controller.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
            req.pause();
          };
          const onEnd = () => {
            detach?.();
            controller.close();
          };
          const onError = (error: Error) => {
            detach?.();
            controller.error(error);
          };
          detach = () => void req.off("data", onData).off("end", onEnd).off("error", onError);
          req.on("data", onData).once("end", onEnd).once("error", onError);
        }
        req.resume();
      },
      // The route stopped reading (a body over its limit): what is left stays in the socket, and
      // `toNodeHandler` decides after the response whether to drain it or close the connection.
      cancel() {
        detach?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Whether body bytes may still be on their way: a request without a body counts as complete before Node says so. */
function bodyPending(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) !== 0;
}

/**
 * Before the head of a response goes out: when the request body is still unread and will not be drained
 * (see `drainLimit`), the response says `Connection: close`. Returns whether it did.
 */
function closeUnlessDrained(req: IncomingMessage, res: ServerResponse, status: number): boolean {
  if (!bodyPending(req)) return false;
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (status !== 413 && Number.isFinite(declared) && declared <= drainLimit) return false;
  res.shouldKeepAlive = false;
  res.setHeader("connection", "close");
  return true;
}

/** Once the response is flushed, the socket goes: the unread rest of the body is never read. */
function destroyAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  if (res.writableFinished) req.socket.destroy();
  else res.once("finish", () => req.socket.destroy());
}

/** A reply's status and headers onto Node's response, `Set-Cookie` kept as one header per cookie. */
function setHead(res: ServerResponse, status: number, headers: Headers): void {
  res.statusCode = status;
  const cookies = headers.getSetCookie();
  headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
}

/**
 * A JSON reply as text, with the headers its `Response` would have had: no Fetch `Response`, no body stream. The
 * head goes out in one `writeHead` with a flat name/value list, which Node stores as it is (no per-header
 * `setHeader`), unless `beforeHead` had to set `Connection: close` first (Node then merges the two).
 */
function writeJsonReply(reply: JsonReply, res: ServerResponse, beforeHead: () => void): void {
  const head = reply.headers.flat("content-length", String(Buffer.byteLength(reply.body)));
  beforeHead();
  res.writeHead(reply.status, head);
  res.end(reply.body);
}

async function writeResponse(response: Response, res: ServerResponse, closed: AbortSignal, beforeHead: () => void): Promise<void> {
  setHead(res, response.status, response.headers);
  if (!response.body) {
    beforeHead();
    res.end();
    return;
  }
  // The routes' bodies are small JSON: one write with Content-Length. Only event streams are streamed.
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", body.length);
    beforeHead();
    res.end(body);
    return;
  }
  beforeHead();
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  closed.addEventListener("abort", stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || closed.aborted) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
    }
  } finally {
    closed.removeEventListener("abort", stop);
    res.end();
  }
}

/** The origin each connection reached (its local address and port), by socket: a kept-alive socket asks once. */
const serverOrigins = new WeakMap<IncomingMessage["socket"], string | null>();

function serverOriginOf(socket: IncomingMessage["socket"]): string | undefined {
  let origin = serverOrigins.get(socket);
  if (origin === undefined) {
    const { localAddress, localPort } = socket;
    origin = null;
    if (localAddress && localPort) {
      const host = localAddress.startsWith("::ffff:") ? localAddress.slice(7) : localAddress;
      origin = `${(socket as { encrypted?: boolean }).encrypted === true ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${localPort}`;
    }
    serverOrigins.set(socket, origin);
  }
  return origin ?? undefined;
}

/**
 * A `(req, res, next?)` function for `http.createServer` or `app.use("/api/video", …)`. Mount it
 * before any JSON body parser (webhook signatures need the raw body); `express.raw()` is fine.
 * The request URL keeps Express' mount path (`originalUrl`), so `basePath` is the full path.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { createMuxBackend, createVideoRoutes, toNodeHandler } from "lesson-video-kit/server";
 *
 * const routes = createVideoRoutes({ backend: createMuxBackend(), authorize: (request) => userFrom(request) });
 * createServer(toNodeHandler(routes)).listen(3000);
 * // Express: app.use("/api/video", toNodeHandler(routes));
 * ```
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}) {
  // `createVideoRoutes`' handler answers Node's requests through its route table directly: the Fetch
  // `Request` is built only when something needs it, and JSON answers are written as text. Any other
  // handler (or a wrapper of ours) gets a `Request` and answers a `Response`.
  const native = (handler as { [nodeDispatch]?: NodeDispatch })[nodeDispatch];
  return (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    const nodeRequest = req as NodeRequest;
    // Only a connection that closed before its response finished aborts the handler's work. The
    // controller is made when a `Request` (its signal) or an event stream needs it.
    let closed: AbortController | undefined;
    let gone = false;
    res.once("close", () => {
      if (res.writableFinished) return;
      gone = true;
      closed?.abort();
    });
    const closedSignal = (): AbortSignal => {
      if (!closed) {
        closed = new AbortController();
        if (gone) closed.abort();
      }
      return closed.signal;
    };
    let closing = false;
    const beforeHead = (status: number) => () => {
      closing = closeUnlessDrained(req, res, status);
    };
    const buildRequest = (url: string): Request => {
      const body = requestBody(nodeRequest);
      const init: RequestInit & { duplex?: "half" } = {
        method: req.method ?? "GET",
        headers: requestHeaders(req),
        signal: closedSignal(),
      };
      if (body !== undefined) {
        init.body = body;
        init.duplex = "half";
      }
      return new Request(url, init);
    };
    const run = async () => {
      const target = requestUrl(nodeRequest, options.trustProxy ?? false);
      let reply: Reply;
      if (!target.ok) {
        reply = handler.rejectMalformed?.(target.reason) ?? errorResponse(malformedRequestError(target.reason));
      } else {
        const context: RouteContext = {};
        if (req.socket.remoteAddress) context.clientIp = req.socket.remoteAddress;
        const serverOrigin = serverOriginOf(req.socket);
        if (serverOrigin) context.serverOrigin = serverOrigin;
        if (native) {
          let request: Request | undefined;
          const incoming: Incoming = {
            method: req.method ?? "GET",
            url: target.url,
            pathname: target.pathname,
            headers: headerReader(req),
            request: () => (request ??= buildRequest(target.url)),
            node: req,
          };
          reply = await native(incoming, context);
        } else {
          reply = await handler(buildRequest(target.url), context);
        }
      }
      if (reply instanceof JsonReply) writeJsonReply(reply, res, beforeHead(reply.status));
      else await writeResponse(reply, res, closedSignal(), beforeHead(reply.status));
      // A route may answer without reading the body (refused before reading, too large): a small rest is
      // drained so the kept-alive connection is clean for the client's next request; otherwise the
      // connection closes once the response is out.
      if (closing) destroyAfterResponse(req, res);
      else if (bodyPending(req)) req.resume();
    };
    run().catch((error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json; charset=utf-8");
        if (closeUnlessDrained(req, res, 500)) destroyAfterResponse(req, res);
        res.end(JSON.stringify({ error: { code: "server", message: internalError().message } }));
      } else {
        res.destroy();
      }
    });
  };
}
