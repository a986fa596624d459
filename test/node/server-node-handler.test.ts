// toNodeHandler on a real node:http server: bodies in and out, streams, disconnects and kept-alive
// connections, as Express or plain Node would run the routes.
import { createHash, randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createVideoRoutes, toNodeHandler, type FetchHandler, type VideoBackend } from "../../src/server/index.js";
import type { BackendAsset } from "../../src/server/backend.js";
import { ownerKeyOf } from "../../src/server/routes/access.js";

async function serve(handler: FetchHandler, wrap?: (node: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) => void) {
  const node = toNodeHandler(handler);
  const server: Server = createServer(wrap ? wrap(node) : node);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("toNodeHandler", () => {
  it("hands the handler the method, URL, headers, client address and the exact body bytes", async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const seen: Array<Record<string, unknown>> = [];
    const server = await serve(async (request, context) => {
      const bytes = new Uint8Array(await request.arrayBuffer());
      seen.push({ method: request.method, url: request.url, custom: request.headers.get("x-custom"), ip: context?.clientIp });
      return new Response(createHash("sha256").update(bytes).digest("hex"), { status: 201, headers: { "x-length": String(bytes.length) } });
    });
    try {
      const response = await fetch(`${server.url}/api/video/uploads?x=1`, { method: "POST", body, headers: { "x-custom": "yes" } });
      expect(response.status).toBe(201);
      expect(response.headers.get("x-length")).toBe(String(body.length));
      expect(await response.text()).toBe(createHash("sha256").update(body).digest("hex"));
      expect(seen).toEqual([{ method: "POST", url: `${server.url}/api/video/uploads?x=1`, custom: "yes", ip: "127.0.0.1" }]);
    } finally {
      await server.close();
    }
  });

  it("closes the connection of a 413 that left the body unread, and the client's next request still works", async () => {
    const server = await serve(async (request) =>
      request.headers.get("content-length") === "5" ? new Response(await request.text()) : new Response("too large", { status: 413 }),
    );
    try {
      const big = await fetch(`${server.url}/`, { method: "POST", body: randomBytes(2 * 1024 * 1024) });
      expect(big.status).toBe(413);
      expect(big.headers.get("connection")).toBe("close");
      await big.text();
      const small = await fetch(`${server.url}/`, { method: "POST", body: "hello" });
      expect(await small.text()).toBe("hello");
    } finally {
      await server.close();
    }
  });

  it("uses a body an Express body parser already read as raw bytes", async () => {
    const server = await serve(
      async (request) => new Response(`got:${await request.text()}`),
      (node) => (req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c)).on("end", () => {
          Object.assign(req, { body: Buffer.concat(chunks) });
          node(req, res);
        });
      },
    );
    try {
      const response = await fetch(`${server.url}/`, { method: "POST", body: '{"raw":true}' });
      expect(await response.text()).toBe('got:{"raw":true}');
    } finally {
      await server.close();
    }
  });

  it("streams a response as it is produced and aborts the request signal when the client goes away", async () => {
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    const server = await serve(async (request) => {
      request.signal.addEventListener("abort", () => aborted());
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("event: first\n\n"));
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${server.url}/events`, (res) => {
          res.once("data", (chunk: Buffer) => {
            resolve(chunk.toString());
            req.destroy();
          });
        });
        req.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
        req.end();
      });
      expect(first).toBe("event: first\n\n");
      await abortSeen;
    } finally {
      await server.close();
    }
  });

  it("passes every Set-Cookie header through", async () => {
    const server = await serve(async () => {
      const headers = new Headers();
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(null, { status: 204, headers });
    });
    try {
      const response = await fetch(`${server.url}/`);
      expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    } finally {
      await server.close();
    }
  });

  it("answers 500 without details when the handler throws and no next() is given, or calls next(error)", async () => {
    const failing: FetchHandler = async () => {
      throw new Error("secret detail");
    };
    const plain = await serve(failing);
    const errors: unknown[] = [];
    const express = await serve(failing, (node) => (req, res) =>
      node(req, res, (error) => {
        errors.push(error);
        res.statusCode = 502;
        res.end();
      }),
    );
    try {
      const response = await fetch(`${plain.url}/`);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("secret detail");
      expect((await fetch(`${express.url}/`)).status).toBe(502);
      expect(errors).toEqual([expect.objectContaining({ message: "secret detail" })]);
    } finally {
      await plain.close();
      await express.close();
    }
  });
});

describe("toNodeHandler with createVideoRoutes' own Node entry", () => {
  it("gives authorize a Request with the method, URL and headers, whose signal aborts when the client goes away, and answers as the Fetch handler does", async () => {
    const asset = { id: "asset1", status: "ready", playbackId: "play1", duration: 1, ownerKey: await ownerKeyOf("alice"), passthrough: "lesson-1" } as BackendAsset;
    const backend = { name: "stub", getAsset: async (id: string) => ({ ...asset, id }) } as unknown as VideoBackend;
    const seen: Request[] = [];
    let entered!: () => void;
    const hangEntered = new Promise<void>((resolve) => (entered = resolve));
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    const routes = createVideoRoutes({
      backend,
      rateLimit: false,
      authorize: async (request) => {
        seen.push(request);
        if (request.headers.get("x-hang") === null) return { id: "alice" };
        request.signal.addEventListener("abort", () => aborted());
        entered();
        return new Promise<never>(() => {});
      },
    });
    const server = await serve(routes);
    try {
      const headers = { cookie: "session=1", "x-custom": "  spaced  ", origin: server.url };
      const node = await fetch(`${server.url}/api/video/assets/asset1?x=1`, { headers });
      const viaFetch = await routes(new Request(`${server.url}/api/video/assets/asset1?x=1`, { headers }));
      expect(node.status).toBe(200);
      expect(await node.text()).toBe(await viaFetch.text());
      for (const name of ["content-type", "cache-control", "vary"]) expect(node.headers.get(name), name).toBe(viaFetch.headers.get(name));
      const request = seen[0]!;
      expect(request).toBeInstanceOf(Request);
      expect([request.method, request.url, request.headers.get("cookie"), request.headers.get("x-custom")]).toEqual([
        "GET",
        `${server.url}/api/video/assets/asset1?x=1`,
        "session=1",
        "spaced",
      ]);

      const req = httpRequest(`${server.url}/api/video/assets/asset1`, { headers: { "x-hang": "1" } });
      req.on("error", () => {});
      req.end();
      await hangEntered;
      req.destroy();
      await abortSeen;
      routes.close();
    } finally {
      await server.close();
    }
  });
});

describe("toNodeHandler with createVideoRoutes' authorizeNode", () => {
  it("signs the user in from Node's request, builds no Fetch Request for an owner's status read, and one only when a hook or a body needs it", async () => {
    const asset = { id: "asset1", status: "ready", playbackId: "play1", duration: 1, ownerKey: await ownerKeyOf("alice"), passthrough: "lesson-1" } as BackendAsset;
    const backend = { name: "stub", getAsset: async (id: string) => ({ ...asset, id }) } as unknown as VideoBackend;
    const nodeSeen: Array<string | undefined> = [];
    const fetchSeen: string[] = [];
    const hookSeen: Array<string | null> = [];
    const users: Record<string, string> = { "session=alice": "alice", "session=bob": "bob" };
    const routes = createVideoRoutes({
      backend,
      rateLimit: false,
      authorize: (request) => {
        fetchSeen.push(request.url);
        const id = users[request.headers.get("cookie") ?? ""];
        return id ? { id } : null;
      },
      authorizeNode: (req) => {
        nodeSeen.push(req.headers.cookie);
        const id = users[req.headers.cookie ?? ""];
        return id ? { id } : null;
      },
      canViewAsset: (user, _asset, request) => {
        hookSeen.push(request.headers.get("cookie"));
        return user.id === "bob";
      },
    });
    // Every Fetch `Request` this test's server builds, counted where the adapter builds it.
    const RealRequest = globalThis.Request;
    let built = 0;
    globalThis.Request = new Proxy(RealRequest, {
      construct(target, args: ConstructorParameters<typeof Request>) {
        built++;
        return new target(...args);
      },
    });
    const server = await serve(routes);
    try {
      const owner = await fetch(`${server.url}/api/video/assets/asset1`, { headers: { cookie: "session=alice" } });
      expect(owner.status).toBe(200);
      expect(await owner.json()).toMatchObject({ id: "asset1", status: "ready", playbackId: "play1" });
      expect(built).toBe(0);
      expect(nodeSeen).toEqual(["session=alice"]);
      expect(hookSeen).toEqual([]);

      // Not the owner: `canViewAsset` takes the request, so the adapter builds it, with the client's headers.
      const viewer = await fetch(`${server.url}/api/video/assets/asset1`, { headers: { cookie: "session=bob" } });
      expect(viewer.status).toBe(200);
      expect(built).toBe(1);
      expect(hookSeen).toEqual(["session=bob"]);

      const signedOut = await fetch(`${server.url}/api/video/assets/asset1`);
      expect(signedOut.status).toBe(401);
      expect(await signedOut.json()).toMatchObject({ error: { code: "unauthorized" } });

      // A route that reads a body reads it through the `Request` built on first use.
      const badBody = await fetch(`${server.url}/api/video/uploads`, {
        method: "POST",
        headers: { cookie: "session=alice", "content-type": "application/json", origin: server.url },
        body: "{not json",
      });
      expect(badBody.status).toBe(400);
      expect(await badBody.json()).toMatchObject({ error: { code: "bad_request" } });
      // On Node, `authorize` was never asked.
      expect(fetchSeen).toEqual([]);
    } finally {
      globalThis.Request = RealRequest;
      await server.close();
    }
    // Mounted as a Fetch handler, the routes ask `authorize`.
    const viaFetch = await routes(new Request("http://localhost/api/video/assets/asset1", { headers: { cookie: "session=alice" } }));
    expect(viaFetch.status).toBe(200);
    expect(fetchSeen).toEqual(["http://localhost/api/video/assets/asset1"]);
    routes.close();
  });
});
