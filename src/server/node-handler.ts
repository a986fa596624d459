/**
 * `toNodeHandler`: mounts the Fetch-API handler on `node:http` or Express. Only type imports from
 * `node:` (and the global `Buffer` at call time), so the server entry still loads on edge runtimes that
 * never call this.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteContext } from "./routes.js";

/** A Fetch-API handler `toNodeHandler` can mount, such as the one `createVideoRoutes` returns. */
export type FetchHandler = (request: Request, context?: RouteContext) => Promise<Response>;

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

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();

function requestUrl(req: NodeRequest, trustProxy: boolean): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (trustProxy && firstHeader(req.headers["x-forwarded-proto"])) || (encrypted ? "https" : "http");
  const host = (trustProxy && firstHeader(req.headers["x-forwarded-host"])) || req.headers.host || "localhost";
  return `${proto}://${host}${req.originalUrl ?? req.url ?? "/"}`;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
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
      cancel() {
        detach?.();
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

async function writeResponse(response: Response, res: ServerResponse, closed: AbortSignal): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  // The routes' bodies are small JSON: one write with Content-Length. Only event streams are streamed.
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", body.length);
    res.end(body);
    return;
  }
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
  return (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    const nodeRequest = req as NodeRequest;
    const closed = new AbortController();
    // Only a connection that closed before its response finished aborts the handler's work.
    res.once("close", () => {
      if (!res.writableFinished) closed.abort();
    });
    const run = async () => {
      const body = requestBody(nodeRequest);
      const init: RequestInit & { duplex?: "half" } = {
        method: req.method ?? "GET",
        headers: requestHeaders(req),
        signal: closed.signal,
      };
      if (body !== undefined) {
        init.body = body;
        init.duplex = "half";
      }
      const request = new Request(requestUrl(nodeRequest, options.trustProxy ?? false), init);
      const context: RouteContext = {};
      if (req.socket.remoteAddress) context.clientIp = req.socket.remoteAddress;
      const { localAddress, localPort } = req.socket;
      if (localAddress && localPort) {
        const host = localAddress.startsWith("::ffff:") ? localAddress.slice(7) : localAddress;
        context.serverOrigin = `${(req.socket as { encrypted?: boolean }).encrypted === true ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${localPort}`;
      }
      await writeResponse(await handler(request, context), res, closed.signal);
      // A route may answer without reading the body (too large, refused): drain what is left so the
      // kept-alive connection is clean for the client's next request.
      if (!req.complete) req.resume();
    };
    run().catch((error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(JSON.stringify({ error: { code: "server", message: "The video service had a problem. Try again in a moment." } }));
      } else {
        res.destroy();
      }
    });
  };
}
