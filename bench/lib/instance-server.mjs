// One route-handler instance of a multi-instance host, for bench/redis-status.mjs: createVideoRoutes +
// createMuxBackend (pointed at a shared emulator) on node:http, with the Redis stores of
// lesson-video-kit/server/redis when given a Redis URL, else the in-process defaults. Counts requests per
// route and id and backend calls per id, like bench/lib/stack-server.mjs. Prints one JSON line `{ origin }`
// when it listens (and, with Redis, once its stores report ready).
import { createServer } from "node:http";
import { Redis } from "ioredis";
import { createMuxBackend, createVideoRoutes, toNodeHandler } from "../../src/server/index.ts";
import { createRedisStores } from "../../src/server/redis/index.ts";

const options = JSON.parse(process.argv[2] ?? "{}");

const counts = new Map();
const bump = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);

const realBackend = createMuxBackend({
  baseURL: options.emulator.url,
  tokenId: options.emulator.tokenId,
  tokenSecret: options.emulator.tokenSecret,
  webhookSecret: options.emulator.webhookSecret,
  maxRetries: 0,
  env: {},
});
const backend = new Proxy(realBackend, {
  get(target, property) {
    const value = target[property];
    if (typeof value !== "function") return value;
    return (...args) => {
      bump(`backend.${String(property)}`);
      if (typeof args[0] === "string") bump(`backend.${String(property)} ${args[0]}`);
      return value.apply(target, args);
    };
  },
});

const redis = options.redisUrl ? new Redis(options.redisUrl) : undefined;
redis?.on("error", () => {});
let storesReady;
const ready = new Promise((resolve) => (storesReady = resolve));
const stores = redis ? createRedisStores(redis, { onStatusChange: (status) => status === "ready" && storesReady() }) : undefined;

const routes = createVideoRoutes({
  backend,
  authorize: () => ({ id: "bench-user" }),
  rateLimit: false,
  // Every viewer of the bench is the same user; the per-user stream cap is not what is measured.
  eventStreams: { perUser: 10_000 },
  ...(stores
    ? {
        webhooks: { replayStore: stores.counters },
        assetCache: { store: stores.assets, events: stores.events },
      }
    : {}),
});
const handleRoutes = toNodeHandler(routes);

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url.startsWith("/api/video")) {
    const rest = url.replace(/^\/api\/video/, "").split("?")[0];
    const match = rest.match(/^\/(uploads|assets|playback|webhooks)(?:\/([^/]+))?(?:\/([^/]+))?/);
    if (match) {
      const [, kind, id, tail] = match;
      const route = `${req.method} /${kind}${id ? "/:id" : ""}${tail ? `/${tail}` : ""}`;
      bump(route);
      if (id) bump(`${route} ${id}`);
    }
    return handleRoutes(req, res);
  }
  if (url === "/__bench/counts") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(Object.fromEntries(counts)));
  }
  res.writeHead(404);
  res.end();
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
if (stores) await ready;

const shutdown = async () => {
  routes.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(() => resolve()));
  await stores?.close();
  redis?.disconnect();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.stdout.write(`${JSON.stringify({ origin: `http://127.0.0.1:${server.address().port}` })}\n`);
