import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AssetWatcher } from "../../src/core/asset-watcher.js";
import type { VideoAsset } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A small node:http server speaking the routes' contract; each test scripts the handlers it needs. */
let server: Server;
let baseUrl: string;
let routes: Map<string, Handler>;
let seen: Array<{ method: string; url: string; authorization: string | undefined; body: string }>;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const path = (req.url ?? "").replace(/^\/api\/video/, "");
      seen.push({ method: req.method ?? "", url: path, authorization: req.headers.authorization, body });
      const handler = routes.get(`${req.method} ${path}`);
      if (handler) handler(req, res, body);
      else json(res, 404, { error: { code: "not_found", message: "No such route." } });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/video`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  routes = new Map();
  seen = [];
});

const signal = () => new AbortController().signal;

describe("createHttpTransport", () => {
  it("creates an upload with the file's metadata and the lesson id, never the bytes", async () => {
    routes.set("POST /uploads", (_req, res) => json(res, 201, { uploadId: "u1", url: "http://upload.test/u1", chunkSize: 262144 }));
    const transport = createHttpTransport({ baseUrl: `${baseUrl}/` });
    const target = await transport.createUpload({ file: { name: "a.mp4", size: 10, type: "video/mp4" }, lessonId: "l1" }, { signal: signal() });
    expect(target).toEqual({ uploadId: "u1", url: "http://upload.test/u1", chunkSize: 262144 });
    expect(JSON.parse(seen[0]!.body)).toEqual({ file: { name: "a.mp4", size: 10, type: "video/mp4" }, lessonId: "l1" });
  });

  it("asks the headers function on every request, so a fresh token goes each time", async () => {
    routes.set("GET /uploads/u1", (_req, res) => json(res, 200, { uploadId: "u1", status: "waiting" }));
    let n = 0;
    const transport = createHttpTransport({ baseUrl, headers: async () => ({ authorization: `Bearer token-${++n}` }) });
    await transport.getUpload("u1", { signal: signal() });
    await transport.getUpload("u1", { signal: signal() });
    expect(seen.map((r) => r.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("reads upload status, asset and playback tokens at the contract's paths, escaping ids", async () => {
    const asset: VideoAsset = { id: "a/1", status: "ready", playbackId: "p1", playback: { src: "http://e/stream/p1.mp4" } };
    routes.set("GET /uploads/u%201", (_req, res) => json(res, 200, { uploadId: "u 1", status: "asset_created", assetId: "a/1" }));
    routes.set("GET /assets/a%2F1", (_req, res) => json(res, 200, asset));
    routes.set("GET /playback/p1/token", (_req, res) => json(res, 200, { tokens: { playback: "t1" }, expiresAt: 5 }));
    routes.set("POST /uploads/u%201/cancel", (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const transport = createHttpTransport({ baseUrl });
    expect(await transport.getUpload("u 1", { signal: signal() })).toEqual({ uploadId: "u 1", status: "asset_created", assetId: "a/1" });
    expect(await transport.getAsset("a/1", { signal: signal() })).toEqual(asset);
    expect(await transport.getPlaybackTokens("p1")).toEqual({ tokens: { playback: "t1" }, expiresAt: 5 });
    routes.set("GET /playback/p1/token?thumbnailTime=2&assetStartTime=20&assetEndTime=80.5", (_req, res) => json(res, 200, { tokens: { playback: "t2" }, expiresAt: 5 }));
    expect(await transport.getPlaybackTokens("p1", { thumbnailTime: 2, clip: { startTime: 20, endTime: 80.5 } })).toEqual({ tokens: { playback: "t2" }, expiresAt: 5 });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/playback/p1/token?thumbnailTime=2&assetStartTime=20&assetEndTime=80.5" });
    await transport.cancelUpload("u 1");
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/uploads/u%201/cancel", body: "" });
    await transport.discardUpload("u 1");
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/uploads/u%201/cancel", body: '{"discardAsset":true}' });
  });

  it.each([
    [400, { error: { code: "bad_request", message: "Body is not JSON." } }, "bad_request", false],
    [401, { error: { code: "unauthorized", message: "Sign in." } }, "unauthorized", false],
    [403, { error: { code: "forbidden", message: "Not yours." } }, "forbidden", false],
    [404, { error: { code: "not_found", message: "No upload." } }, "not_found", false],
    [413, { error: { code: "file_too_large", message: "Max 1 GB." } }, "file_too_large", false],
    [415, { error: { code: "file_type_not_allowed", message: "Not a video type." } }, "file_type_not_allowed", false],
    [429, { error: { code: "quota_exceeded", message: "Daily limit." } }, "quota_exceeded", false],
    [500, { error: { code: "server", message: "Backend down." } }, "server", true],
    [502, "<html>Bad gateway</html>", "server", true],
    [403, { error: { code: "made_up_code", message: "?" } }, "forbidden", false],
  ] as const)("maps a %i answer to a VideoError with the server's code", async (status, body, code, retryable) => {
    routes.set("POST /uploads", (_req, res) => {
      if (typeof body === "string") {
        res.writeHead(status, { "Content-Type": "text/html" });
        res.end(body);
      } else json(res, status, body);
    });
    const transport = createHttpTransport({ baseUrl });
    const error = await transport.createUpload({ file: { name: "a.mp4", size: 1, type: "video/mp4" } }, { signal: signal() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "VideoError", code, retryable, status });
    if (typeof body !== "string" && body.error.code !== "made_up_code") expect((error as Error).message).toBe(body.error.message);
  });

  it("carries Retry-After of a 429 as retryAfter, and the error is retryable", async () => {
    routes.set("POST /uploads", (_req, res) => json(res, 429, { error: { code: "rate_limited", message: "Slow down." } }, { "Retry-After": "12" }));
    const error = await createHttpTransport({ baseUrl })
      .createUpload({ file: { name: "a.mp4", size: 1, type: "video/mp4" } }, { signal: signal() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfter: 12, retryable: true });
  });

  it("reports an unreachable server as network, and an aborted request as aborted", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createHttpTransport({ baseUrl: `http://127.0.0.1:${port}` }).getAsset("a", { signal: signal() })).rejects.toMatchObject({ code: "network" });
    routes.set("GET /assets/slow", () => undefined);
    const controller = new AbortController();
    const pending = createHttpTransport({ baseUrl }).getAsset("slow", { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
  });

  it("refuses a create answer without uploadId or url as a server error", async () => {
    routes.set("POST /uploads", (_req, res) => json(res, 201, { url: "x" }));
    await expect(
      createHttpTransport({ baseUrl }).createUpload({ file: { name: "a.mp4", size: 1, type: "video/mp4" } }, { signal: signal() }),
    ).rejects.toMatchObject({ code: "server" });
  });

  describe("watchAsset over server-sent events", () => {
    const sse = (res: ServerResponse) => res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
    const event = (asset: VideoAsset) => `event: asset\ndata: ${JSON.stringify(asset)}\n\n`;

    it("delivers each asset event, ignores heartbeats, and the stream ends at ready", async () => {
      routes.set("GET /assets/a1/events", (_req, res) => {
        sse(res);
        res.write(": ping\n\n");
        const preparing = event({ id: "a1", status: "preparing" });
        // An event split across two TCP writes must still arrive whole.
        res.write(preparing.slice(0, 20));
        setTimeout(() => {
          res.write(preparing.slice(20));
          res.write(event({ id: "a1", status: "ready", playbackId: "p1" }));
          res.end();
        }, 30);
      });
      const transport = createHttpTransport({ baseUrl, headers: { authorization: "Bearer t" } });
      const received: VideoAsset[] = [];
      const onError = vi.fn();
      transport.watchAsset?.("a1", (asset) => received.push(asset), onError);
      await vi.waitFor(() => expect(received.map((a) => a.status)).toEqual(["preparing", "ready"]));
      expect(onError).not.toHaveBeenCalled();
      expect(seen[0]?.authorization).toBe("Bearer t");
    });

    it("reports a stream that ends before a final status, so the watcher can poll", async () => {
      routes.set("GET /assets/a1/events", (_req, res) => {
        sse(res);
        res.end(event({ id: "a1", status: "preparing" }));
      });
      const onError = vi.fn();
      createHttpTransport({ baseUrl }).watchAsset?.("a1", () => undefined, onError);
      await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "network" })));
    });

    it("falls back to polling getAsset when the event route fails, and the watcher still sees ready", async () => {
      let polls = 0;
      routes.set("GET /assets/a1/events", (_req, res) => json(res, 500, { error: { code: "server", message: "no streams here" } }));
      routes.set("GET /assets/a1", (_req, res) => json(res, 200, { id: "a1", status: ++polls >= 3 ? "ready" : "preparing" }));
      const watcher = new AssetWatcher({ transport: createHttpTransport({ baseUrl }), initialIntervalMs: 20, maxIntervalMs: 20 });
      watcher.subscribeAsset("a1", () => undefined);
      await vi.waitFor(() => expect(watcher.getAssetSnapshot("a1").status).toBe("ready"));
      expect(seen.filter((r) => r.url === "/assets/a1/events")).toHaveLength(1);
    });

    it("closes the stream when the subscriber leaves", async () => {
      let closed = false;
      routes.set("GET /assets/a1/events", (req, res) => {
        sse(res);
        res.write(event({ id: "a1", status: "preparing" }));
        req.socket.on("close", () => (closed = true));
      });
      const onChange = vi.fn();
      const stop = createHttpTransport({ baseUrl }).watchAsset?.("a1", onChange);
      await vi.waitFor(() => expect(onChange).toHaveBeenCalled());
      stop?.();
      await vi.waitFor(() => expect(closed).toBe(true));
    });

    it("is absent with events: false, leaving the watcher to poll", () => {
      expect(createHttpTransport({ baseUrl, events: false }).watchAsset).toBeUndefined();
    });
  });
});
