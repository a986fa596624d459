// The host app the benchmarks run against, in its own process so its CPU and memory are its own:
// the local Mux emulator, createMuxBackend pointed at it, createVideoRoutes on node:http (toNodeHandler),
// the emulator's webhooks delivered to those routes, and static bench pages on the same origin.
// Counts requests per route and per id (routes and backend calls), so traffic can be reported exactly.
// Started by bench/lib/stack-client.mjs; prints one JSON line `{ origin, emulatorUrl }` when ready.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { startMuxEmulator } from "../../src/emulator/index.ts";
import { createMuxBackend, createVideoRoutes, toNodeHandler } from "../../src/server/index.ts";

const options = JSON.parse(process.argv[2] ?? "{}");
const emulator = await startMuxEmulator({
  processingDelayMs: options.processingDelayMs ?? 1000,
  webhookRetryDelaysMs: [200, 1000],
  ...(options.tools ? { tools: options.tools } : {}),
});

/** Counts: `route` → n, `route id` → n, and backend calls `backend.<method> id` → n. */
const counts = new Map();
const bump = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);

const realBackend = createMuxBackend({
  baseURL: emulator.url,
  tokenId: emulator.tokenId,
  tokenSecret: emulator.tokenSecret,
  webhookSecret: emulator.webhookSecret,
  maxRetries: 0,
  env: {},
});
// Count what reaches Mux (here the emulator): the figure a Mux rate limit sees.
const backend = new Proxy(realBackend, {
  get(target, property) {
    const value = target[property];
    if (typeof value !== "function") return value;
    return (...args) => {
      bump(`backend.${String(property)}`);
      if (typeof args[0] === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(args[0])) bump(`backend.${String(property)} ${args[0]}`);
      return value.apply(target, args);
    };
  },
});

const routes = createVideoRoutes({
  backend,
  authorize: () => ({ id: "bench-user" }),
  rateLimit: false,
  ...(options.assetCache ? { assetCache: options.assetCache } : {}),
  // The webhook route's caps (deliveries at once, deliveries per IP), set by the bench that measures it.
  ...(options.webhooks ? { webhooks: options.webhooks } : {}),
});
const handleRoutes = toNodeHandler(routes);
// With `defaultCapsRoutes`: the same routes with the webhook route's default caps, under their own base path,
// to count what those caps refuse under the bench's load.
const defaultCapsBase = "/api/video-default-caps";
const defaultCapsRoutes = options.defaultCapsRoutes ? createVideoRoutes({ backend, authorize: () => ({ id: "bench-user" }), rateLimit: false, basePath: defaultCapsBase }) : undefined;
const handleDefaultCapsRoutes = defaultCapsRoutes && toNodeHandler(defaultCapsRoutes);
// With `sessionRoutes`: routes that sign the user in from a session cookie, as a host's would, under their own
// base paths: one asks `authorize(request)` (a Fetch `Request` per request), the other `authorizeNode(req)`.
const sessionCookie = "session=bench-session";
const sessionUser = (cookie) => (cookie?.split(/;\s*/).includes(sessionCookie) ? { id: "bench-user" } : null);
const authorizeSession = (request) => sessionUser(request.headers.get("cookie"));
const sessionBases = { fetch: "/api/video-session-fetch", node: "/api/video-session-node" };
const sessionHandlers = options.sessionRoutes
  ? [
      [sessionBases.fetch, toNodeHandler(createVideoRoutes({ backend, rateLimit: false, basePath: sessionBases.fetch, authorize: authorizeSession }))],
      [
        sessionBases.node,
        toNodeHandler(
          createVideoRoutes({
            backend,
            rateLimit: false,
            basePath: sessionBases.node,
            authorize: authorizeSession,
            authorizeNode: (req) => sessionUser(req.headers.cookie),
          }),
        ),
      ],
    ]
  : [];

/** The floor's answer: a fixed asset-sized JSON, or (`POST /__bench/floor-body`) the very bytes a route answered. */
let floorBody = JSON.stringify({ id: "a".repeat(32), status: "ready", playbackId: "p".repeat(32), duration: 1, aspectRatio: "4:3" });
const contentTypes = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css" };
const pagesDir = options.pagesDir;

function routeKey(method, path) {
  const rest = path.replace(/^\/api\/video/, "").split("?")[0];
  const match = rest.match(/^\/(uploads|assets|playback|webhooks)(?:\/([^/]+))?(?:\/([^/]+))?/);
  if (!match) return { route: `${method} ${rest}` };
  const [, kind, id, tail] = match;
  const route = `${method} /${kind}${id ? "/:id" : ""}${tail ? `/${tail}` : ""}`;
  return { route, id };
}

/**
 * A byte sink speaking the upload URL's protocol (single PUT → 200; `Content-Range: bytes a-b/total` →
 * 308 + `Range` until the last byte, then 200) that keeps nothing: uploads to it measure the client alone.
 */
function sink(req, res) {
  let received = 0;
  req.on("data", (chunk) => {
    received += chunk.length;
  });
  req.on("end", () => {
    const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(req.headers["content-range"] ?? "");
    if (!range || Number(range[2]) + 1 === Number(range[3])) {
      res.writeHead(200, { "content-length": "0" });
    } else {
      res.writeHead(308, { "content-length": "0", range: `bytes=0-${range[2]}` });
    }
    res.end();
  });
}

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (handleDefaultCapsRoutes && url.startsWith(`${defaultCapsBase}/`)) return handleDefaultCapsRoutes(req, res);
  for (const [base, handle] of sessionHandlers) if (url.startsWith(`${base}/`)) return handle(req, res);
  if (url.startsWith("/api/video")) {
    const { route, id } = routeKey(req.method ?? "GET", url);
    bump(route);
    if (id) bump(`${route} ${id}`);
    return handleRoutes(req, res);
  }
  if (url === "/__bench/counts") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(Object.fromEntries(counts)));
  }
  if (url === "/__bench/reset" && req.method === "POST") {
    counts.clear();
    res.writeHead(204);
    return res.end();
  }
  if (url.startsWith("/__sink/") && req.method === "PUT") return sink(req, res);
  if (url === "/__bench/floor-body" && req.method === "POST") {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      floorBody = body;
      res.writeHead(204);
      res.end();
    });
    return;
  }
  if (url === "/__bench/floor") {
    // The floor: node:http answering fixed bytes, no routing, auth or cache.
    // The headers the status route answers with, so both write the same bytes.
    res.writeHead(200, { "cache-control": "no-store", "content-type": "application/json; charset=utf-8", vary: "Origin", "content-length": Buffer.byteLength(floorBody) });
    return res.end(floorBody);
  }
  if (url === "/__bench/cpu") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(process.cpuUsage()));
  }
  if (url === "/__bench/memory") {
    globalThis.gc?.();
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(process.memoryUsage()));
  }
  if (pagesDir && req.method === "GET") {
    const file = normalize(join(pagesDir, url.split("?")[0] === "/" ? "index.html" : url.split("?")[0]));
    if (file.startsWith(pagesDir)) {
      try {
        const body = readFileSync(file);
        res.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
        return res.end(body);
      } catch {
        // fall through to 404
      }
    }
  }
  res.writeHead(404);
  res.end();
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
emulator.setWebhookUrls([`${origin}/api/video/webhooks/mux`]);

const shutdown = async () => {
  routes.close();
  defaultCapsRoutes?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(() => resolve()));
  await emulator.close();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.stdout.write(`${JSON.stringify({ origin, emulatorUrl: emulator.url, webhookSecret: emulator.webhookSecret, sessionCookie, sessionBases })}\n`);
