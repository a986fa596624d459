// What reaches the server before a route does: the HTTP request itself, sent byte by byte over a raw
// node:net socket to toNodeHandler on 127.0.0.1 (createVideoRoutes + createMuxBackend over the emulator).
// A Host or request target that cannot make a URL answers 400 with the routes' JSON error and reaches
// onEvent; a body the server refused as too large is never read: 413, `Connection: close`, and the server
// closes the socket while the client is still sending.
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { signMuxWebhook } from "../../src/server/webhooks.js";
import { toNodeHandler } from "../../src/server/index.js";
import { startStack, type Stack } from "./server-harness.js";

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

function parseResponse(raw: string): RawResponse {
  const split = raw.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = raw.slice(0, split).split("\r\n");
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  return { statusLine, headers, body: raw.slice(split + 4) };
}

/** Sends `head` (and nothing else) and reads until the server closes: the request says `Connection: close`. */
function exchange(port: number, head: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.once("error", reject);
    socket.once("close", () => resolve(parseResponse(received)));
  });
}

const cap = 128 * 1024 * 1024;

/**
 * Sends `head`, then body bytes (`frame` wraps each 64 KiB chunk, e.g. as an HTTP chunk) for as long as the
 * socket takes them, never ending the request. Settles when the server closes the connection, or when `cap`
 * bytes went through without it closing: a server that keeps reading what it refused.
 */
function sendUntilClosed(port: number, head: string, frame: (chunk: Buffer) => Buffer = (chunk) => chunk) {
  return new Promise<{ outcome: "closed" | "still_reading"; response: RawResponse; sent: number; endedByClient: boolean }>((resolve) => {
    const chunk = frame(Buffer.alloc(64 * 1024, 0x20));
    let received = "";
    let sent = 0;
    let settled = false;
    const socket: Socket = connect(port, "127.0.0.1");
    const settle = (outcome: "closed" | "still_reading") => {
      if (settled) return;
      settled = true;
      const endedByClient = socket.writableEnded;
      socket.destroy();
      resolve({ outcome, response: parseResponse(received), sent, endedByClient });
    };
    const pump = () => {
      while (!socket.destroyed && !settled) {
        if (sent >= cap) return settle("still_reading");
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
    };
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => (received += data));
    // Writing into a socket the server closed fails (EPIPE, ECONNRESET): that is the point.
    socket.on("error", () => {});
    socket.once("end", () => settle("closed"));
    socket.once("close", () => settle("closed"));
    socket.once("connect", () => {
      socket.write(head);
      pump();
    });
  });
}

const portOf = (stack: Stack) => Number(new URL(stack.origin).port);

describe("a request whose Host or target cannot make a URL answers 400, reported to onEvent", () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack();
    port = portOf(stack);
  });
  afterAll(() => stack?.close());

  const get = (target: string, host: string | undefined) =>
    [`GET ${target} HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`]), "Authorization: Bearer alice-token", "Connection: close", "", ""].join("\r\n");

  it.each([
    ["a Host with a space and a port over 65535", "exa mple:99999", "host_invalid", "The request's Host header is not a valid host."],
    ["an unclosed IPv6 Host", "[::1", "host_invalid", "The request's Host header is not a valid host."],
    ["an empty Host", "", "host_invalid", "The request's Host header is not a valid host."],
    ["a Host that carries a path", "lessons.example/api/video", "host_invalid", "The request's Host header is not a valid host."],
  ])("%s", async (_what, host, reason, message) => {
    const before = stack.events.length;
    const response = await exchange(port, get("/api/video/assets/asset1", host));
    expect(response.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body)).toEqual({ error: { code: "bad_request", message } });
    expect(stack.events.slice(before)).toEqual([{ type: "request_malformed", at: expect.any(Number), reason }]);
  });

  it("an absolute-form target naming another host: refused, the backend never asked", async () => {
    const before = { events: stack.events.length, getAsset: stack.backendCalls.getAsset ?? 0 };
    const response = await exchange(port, get("http://evil.example/api/video/assets/asset1", `127.0.0.1:${port}`));
    expect(response.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(JSON.parse(response.body)).toEqual({
      error: { code: "bad_request", message: "The request target names another host than the one the request was sent to." },
    });
    expect(stack.events.slice(before.events)).toEqual([{ type: "request_malformed", at: expect.any(Number), reason: "target_other_host" }]);
    expect(stack.backendCalls.getAsset ?? 0).toBe(before.getAsset);
  });

  it("a target that is not a path (OPTIONS *)", async () => {
    const before = stack.events.length;
    const response = await exchange(port, `OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(response.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(JSON.parse(response.body)).toEqual({ error: { code: "bad_request", message: "The request target is not a path." } });
    expect(stack.events.slice(before)).toEqual([{ type: "request_malformed", at: expect.any(Number), reason: "target_invalid" }]);
  });

  it("an absolute-form target naming the server's own host is answered by its path, as HTTP/1.1 requires", async () => {
    const response = await exchange(port, get(`http://127.0.0.1:${port}/api/video/assets/asset1`, `127.0.0.1:${port}`));
    // The route ran: alice asked for an asset that does not exist.
    expect(response.statusLine).toBe("HTTP/1.1 404 Not Found");
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "not_found" } });
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "request_rejected", route: "getAsset", status: 404 }));
  });

  it("a handler without rejectMalformed gets the same 400 body from toNodeHandler; with trustProxy, a forwarded host is checked too", async () => {
    let called = 0;
    const server: Server = createServer(
      toNodeHandler(
        () => {
          called++;
          return Promise.resolve(new Response("ok"));
        },
        { trustProxy: true },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const own = (server.address() as AddressInfo).port;
      const response = await exchange(own, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Host: a b\r\nConnection: close\r\n\r\n`);
      expect(response.statusLine).toBe("HTTP/1.1 400 Bad Request");
      expect(JSON.parse(response.body)).toEqual({ error: { code: "bad_request", message: "The proxy's X-Forwarded-Host or X-Forwarded-Proto header is not valid." } });
      expect(called).toBe(0);
      const fine = await exchange(own, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Host: lessons.example\r\nConnection: close\r\n\r\n`);
      expect(fine.statusLine).toBe("HTTP/1.1 200 OK");
      expect(called).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("a body over the limit answers 413 and the server closes the connection instead of reading on", () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack();
    port = portOf(stack);
  });
  afterAll(() => stack?.close());

  it("a webhook declaring a 1 GB body: 413 before reading, then the socket closes while the client is still sending", async () => {
    const before = stack.events.length;
    // Well-shaped and fresh, so the route gets as far as the body's size.
    const signature = await signMuxWebhook("{}", stack.emulator.webhookSecret);
    const head = [
      "POST /api/video/webhooks/mux HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Content-Type: application/json",
      `Mux-Signature: ${signature}`,
      `Content-Length: ${1024 ** 3}`,
      "",
      "",
    ].join("\r\n");
    const result = await sendUntilClosed(port, head);
    expect(result.outcome).toBe("closed");
    expect(result.endedByClient).toBe(false);
    expect(result.sent).toBeLessThan(1024 ** 3);
    expect(result.response.statusLine).toBe("HTTP/1.1 413 Payload Too Large");
    expect(result.response.headers.connection).toBe("close");
    expect(JSON.parse(result.response.body)).toEqual({ error: { code: "bad_request", message: "The webhook body is too large." } });
    expect(stack.events.slice(before)).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "body_too_large" }));
  });

  it("a chunked JSON body that grows past 16 KiB: 413 once it does, then the socket closes while the client is still sending", async () => {
    const before = stack.events.length;
    const head = [
      "POST /api/video/uploads HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Authorization: Bearer alice-token",
      "Content-Type: application/json",
      "Transfer-Encoding: chunked",
      "",
      "",
    ].join("\r\n");
    const result = await sendUntilClosed(port, head, (chunk) => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    expect(result.outcome).toBe("closed");
    expect(result.endedByClient).toBe(false);
    expect(result.response.statusLine).toBe("HTTP/1.1 413 Payload Too Large");
    expect(result.response.headers.connection).toBe("close");
    expect(JSON.parse(result.response.body)).toEqual({ error: { code: "bad_request", message: "The request body is larger than 16384 bytes." } });
    expect(stack.events.slice(before)).toContainEqual({ type: "request_rejected", at: expect.any(Number), route: "createUpload", status: 413, code: "bad_request" });
  });

  it("a small body a route did not read is drained instead: the same connection answers the next request", async () => {
    // 401 before the body is read; 1 KiB is within what the server drains to keep the connection.
    const body = JSON.stringify({ padding: "x".repeat(1024) });
    const request = (auth: string) =>
      [
        "POST /api/video/uploads HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${auth}`,
        "Content-Type: application/json",
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n");
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    const twoResponses = new Promise<void>((resolve, reject) => {
      socket.on("data", (chunk: string) => {
        received += chunk;
        if ((received.match(/HTTP\/1\.1 /g) ?? []).length === 2 && received.endsWith("}")) resolve();
      });
      socket.once("error", reject);
      socket.once("close", () => reject(new Error(`closed after: ${received}`)));
    });
    socket.write(request("nobody") + request("nobody"));
    try {
      await twoResponses;
      expect(received.match(/HTTP\/1\.1 \d+ [A-Za-z ]+/g)).toEqual(["HTTP/1.1 401 Unauthorized", "HTTP/1.1 401 Unauthorized"]);
      expect(received).not.toMatch(/connection: close/i);
    } finally {
      socket.destroy();
    }
  });
});
