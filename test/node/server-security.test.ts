// Every defence of the routes, over real HTTP against the emulator: each refusal has the right status
// and code, and none of them changes state (no upload at the emulator, no hook called, no cache entry).
import { createMemoryCounterStore, createMuxBackend, createVideoRoutes, MissingMuxCredentialsError, signMuxWebhook, VideoError } from "../../src/server/index.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

const file = { name: "lesson.mp4", size: 1_000_000, type: "video/mp4" };

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error).toEqual(expect.objectContaining({ code, message: expect.any(String) }));
  return body;
}

describe("POST /uploads refuses bad requests and creates nothing at the backend", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ routes: { cors: { origins: ["https://studio.example.com"] } } });
  });
  afterAll(() => stack?.close());

  const json = (body: unknown, user = "alice", headers: Record<string, string> = {}) => ({
    method: "POST",
    user,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

  it.each([
    ["no credentials", { ...json({ file }), user: undefined }, 401, "unauthorized"],
    ["a forged bearer token", json({ file }, "mallory"), 401, "unauthorized"],
    ["another creator's lesson", json({ file, lessonId: "lesson-alice" }, "bob"), 403, "forbidden"],
    ["a lesson that does not exist", json({ file, lessonId: "lesson-nobody" }), 403, "forbidden"],
    ["a file over 5 GiB", json({ file: { ...file, size: 6 * 1024 ** 3 } }), 413, "file_too_large"],
    ["an empty file", json({ file: { ...file, size: 0 } }), 400, "file_empty"],
    ["a PDF type", json({ file: { ...file, name: "notes.pdf", type: "application/pdf" } }), 415, "file_type_not_allowed"],
    ["a video type on an .exe", json({ file: { ...file, name: "lesson.exe" } }), 415, "file_type_not_allowed"],
    ["a 300-character file name", json({ file: { ...file, name: `${"a".repeat(296)}.mp4` } }), 400, "bad_request"],
    ["a lesson id shaped like a path", json({ file, lessonId: "../../etc/passwd" }), 400, "bad_request"],
    ["malformed JSON", json('{"file": {"name": "a.mp4",'), 400, "bad_request"],
    ["a body over 16 KiB", json({ file, padding: "x".repeat(20_000) }), 413, "bad_request"],
    ["a form post instead of JSON", { method: "POST", user: "alice", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "file=a.mp4" }, 415, "bad_request"],
    ["a disallowed origin", json({ file }, "alice", { origin: "https://evil.example" }), 403, "forbidden"],
    ["the opaque origin null", json({ file }, "alice", { origin: "null" }), 403, "forbidden"],
  ])("refuses %s", async (_what, init, status, code) => {
    const before = await stack.uploadIds();
    const response = await stack.call("/uploads", init);
    await expectError(response, status, code);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(await stack.uploadIds()).toEqual(before);
  });

  it("creates an upload locked to an allowed cross-origin caller and lets it read the answer", async () => {
    const response = await stack.call("/uploads", json({ file, lessonId: "lesson-alice" }, "alice", { origin: "https://studio.example.com" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://studio.example.com");
    const { uploadId } = (await response.json()) as { uploadId: string };
    await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ cors_origin: "https://studio.example.com" });
  });

  it("answers an allowed preflight and refuses one from another origin", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.api}/uploads`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
      });
    const allowed = await preflight("https://studio.example.com");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://studio.example.com");
    expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const refused = await preflight("https://evil.example");
    await expectError(refused, 403, "forbidden");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never creates an upload open to every origin by default", async () => {
    const response = await stack.call("/uploads", json({ file }));
    const { uploadId } = (await response.json()) as { uploadId: string };
    const upload = await stack.mux.video.uploads.retrieve(uploadId);
    expect(upload.cors_origin).toBe(stack.origin);
  });
});

describe("upload status and cancel check who asks", () => {
  let stack: Stack;
  let aliceUpload: string;
  beforeAll(async () => {
    stack = await startStack();
    const response = await stack.call("/uploads", uploadRequest(file, "lesson-alice"));
    aliceUpload = ((await response.json()) as { uploadId: string }).uploadId;
  });
  afterAll(() => stack?.close());

  it("refuses to show or cancel an upload without credentials", async () => {
    await expectError(await stack.call(`/uploads/${aliceUpload}`), 401, "unauthorized");
    await expectError(await stack.call(`/uploads/${aliceUpload}/cancel`, { method: "POST" }), 401, "unauthorized");
    await expect(stack.mux.video.uploads.retrieve(aliceUpload)).resolves.toMatchObject({ status: "waiting" });
  });

  it("refuses another creator's upload and leaves it waiting", async () => {
    await expectError(await stack.call(`/uploads/${aliceUpload}`, { user: "bob" }), 404, "not_found");
    await expectError(await stack.call(`/uploads/${aliceUpload}/cancel`, { method: "POST", user: "bob" }), 404, "not_found");
    await expect(stack.mux.video.uploads.retrieve(aliceUpload)).resolves.toMatchObject({ status: "waiting" });
  });

  it("lets the creator see and cancel her upload", async () => {
    const info = await stack.call(`/uploads/${aliceUpload}`, { user: "alice" });
    expect(await info.json()).toEqual({ uploadId: aliceUpload, status: "waiting" });
    const cancelled = await stack.call(`/uploads/${aliceUpload}/cancel`, { method: "POST", user: "alice" });
    expect(cancelled.status).toBe(204);
    await expect(stack.mux.video.uploads.retrieve(aliceUpload)).resolves.toMatchObject({ status: "cancelled" });
  });

  it.each([
    ["an upload id the backend does not know", "/uploads/doesnotexist123", "GET", 404, "not_found"],
    ["an id with characters no id has", "/uploads/a%2F..%2Fb", "GET", 404, "not_found"],
    ["an asset id the backend does not know", "/assets/doesnotexist123", "GET", 404, "not_found"],
    ["a route that does not exist", "/admin", "GET", 404, "not_found"],
    ["the wrong method", "/uploads", "GET", 405, "bad_request"],
  ])("answers %s with a JSON error", async (_what, path, method, status, code) => {
    await expectError(await stack.call(path, { method, user: "alice" }), status, code);
  });
});

describe("rate limits", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ routes: { rateLimit: { perUser: { limit: 3, windowMs: 60_000 }, perIp: { limit: 6, windowMs: 60_000 } } } });
  });
  afterAll(() => stack?.close());

  it("answers a user over the limit with 429, Retry-After and no upload", async () => {
    for (let i = 0; i < 3; i++) expect((await stack.call("/uploads/none123", { user: "alice" })).status).toBe(404);
    const before = await stack.uploadIds();
    const limited = await stack.call("/uploads", uploadRequest(file));
    await expectError(limited, 429, "rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await stack.uploadIds()).toEqual(before);
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "rate_limited", scope: "user", key: "alice" }));
    // Another user is not slowed down by alice.
    expect((await stack.call("/uploads/none123", { user: "bob" })).status).toBe(404);
  });

  it("limits an address before it even authorizes", async () => {
    let response = await stack.call("/uploads/none123");
    while (response.status === 401) response = await stack.call("/uploads/none123");
    await expectError(response, 429, "rate_limited");
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "rate_limited", scope: "ip", key: "127.0.0.1" }));
  });
});

describe("client addresses behind a proxy", () => {
  const backend = createMuxBackend({ env: { MUX_TOKEN_ID: "id", MUX_TOKEN_SECRET: "secret" } });
  const request = (forwardedFor: string) => new Request("http://app.test/api/video/uploads/none123", { headers: { "x-forwarded-for": forwardedFor } });

  it("keys the per-IP limit on the address the proxy added, so a spoofed first entry does not escape it", async () => {
    const handler = createVideoRoutes({ backend, captions: { publicOrigin: "http://app.test" }, authorize: () => null, trustProxy: true, rateLimit: { perIp: { limit: 2, windowMs: 60_000 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await handler(request(`10.0.0.${i}, 203.0.113.7`))).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await handler(request("203.0.113.8"))).status).toBe(401);
    handler.close();
  });

  it("ignores X-Forwarded-For unless told to trust a proxy", async () => {
    const handler = createVideoRoutes({ backend, captions: { publicOrigin: "http://app.test" }, authorize: () => null, rateLimit: { perIp: { limit: 1, windowMs: 60_000 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await handler(request("203.0.113.7"))).status);
    // Without a trusted address there is no per-IP key; the per-user limit still applies after authorize.
    expect(statuses).toEqual([401, 401, 401]);
    const withSocket = await handler(request("203.0.113.7"), { clientIp: "198.51.100.1" });
    const again = await handler(request("203.0.113.9"), { clientIp: "198.51.100.1" });
    expect([withSocket.status, again.status]).toEqual([401, 429]);
    handler.close();
  });
});

describe("quota", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ routes: { quota: { uploadsPerPeriod: 2, bytesPerPeriod: 5_000_000 } } });
  });
  afterAll(() => stack?.close());

  it("refuses the upload past the daily count with quota_exceeded and when it resets, creating nothing", async () => {
    expect((await stack.call("/uploads", uploadRequest(file))).status).toBe(201);
    expect((await stack.call("/uploads", uploadRequest(file))).status).toBe(201);
    const before = await stack.uploadIds();
    const refused = await stack.call("/uploads", uploadRequest(file));
    const body = await expectError(refused, 429, "quota_exceeded");
    const resetAt = (body.error as { resetAt?: number }).resetAt ?? 0;
    expect(resetAt).toBeGreaterThan(Date.now() + 86_000_000);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(86_000);
    expect(await stack.uploadIds()).toEqual(before);
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "quota_exceeded", userId: "alice", limit: "uploads" }));
  });

  it("refuses a file larger than the bytes left for the day", async () => {
    const before = await stack.uploadIds();
    expect((await stack.call("/uploads", uploadRequest({ ...file, size: 4_500_000 }, undefined, "bob"))).status).toBe(201);
    expect(await stack.uploadIds()).toHaveLength(before.length + 1);
    const refused = await stack.call("/uploads", uploadRequest({ ...file, size: 600_000 }, undefined, "bob"));
    await expectError(refused, 429, "quota_exceeded");
    expect(await stack.uploadIds()).toHaveLength(before.length + 1);
  });
});

describe("POST /webhooks/mux", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  const readyEvent = (id: string, assetId: string) =>
    JSON.stringify({
      id,
      type: "video.asset.ready",
      created_at: new Date().toISOString(),
      object: { type: "asset", id: assetId },
      data: { id: assetId, status: "ready", playback_ids: [{ id: `play_${assetId}`, policy: "public" }], passthrough: "lesson-alice", created_at: Math.floor(Date.now() / 1000) },
      attempts: [],
    });
  const deliver = (body: string, signature?: string) =>
    fetch(`${stack.api}/webhooks/mux`, { method: "POST", headers: signature ? { "content-type": "application/json", "mux-signature": signature } : { "content-type": "application/json" }, body });

  async function expectIgnored(assetId: string) {
    expect(stack.hooks.assetReady.filter((h) => h.assetId === assetId)).toEqual([]);
    // The forged "ready" never reached the asset cache: the backend's answer (no such asset) stands.
    await expectError(await stack.call(`/assets/${assetId}`, { user: "alice" }), 404, "not_found");
  }

  it("refuses a delivery signed with another secret", async () => {
    const body = readyEvent("evt_forged", "assetforged1");
    await expectError(await deliver(body, await signMuxWebhook(body, "attacker-secret")), 401, "unauthorized");
    await expectIgnored("assetforged1");
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "signature_invalid" }));
  });

  it("refuses a delivery without a signature", async () => {
    await expectError(await deliver(readyEvent("evt_unsigned", "assetunsigned1")), 401, "unauthorized");
    await expectIgnored("assetunsigned1");
  });

  it("refuses a correctly signed delivery that is ten minutes old", async () => {
    const body = readyEvent("evt_stale", "assetstale1");
    const signature = await signMuxWebhook(body, stack.emulator.webhookSecret, Math.floor(Date.now() / 1000) - 600);
    await expectError(await deliver(body, signature), 400, "bad_request");
    await expectIgnored("assetstale1");
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "timestamp_out_of_tolerance" }));
  });

  it("processes an event once and refuses its replay", async () => {
    const body = readyEvent("evt_once", "assetonce1");
    const first = await deliver(body, await signMuxWebhook(body, stack.emulator.webhookSecret));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true });
    await expectError(await deliver(body, await signMuxWebhook(body, stack.emulator.webhookSecret)), 409, "bad_request");
    expect(stack.hooks.assetReady.filter((h) => h.assetId === "assetonce1")).toHaveLength(1);
    // What the verified event said is served from the cache; a public playback id needs no tokens.
    const asset = (await (await stack.call("/assets/assetonce1", { user: "alice" })).json()) as { status: string; playback?: { policy?: string; tokens?: unknown } };
    expect(asset).toMatchObject({ status: "ready", playback: { policy: "public" } });
    expect(asset.playback?.tokens).toBeUndefined();
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "replayed", eventId: "evt_once" }));
  });

  it("forgets a deleted asset, so viewers hear the backend's not_found instead of a cached ready", async () => {
    const ready = readyEvent("evt_before_delete", "assetdeleted1");
    expect((await deliver(ready, await signMuxWebhook(ready, stack.emulator.webhookSecret))).status).toBe(200);
    expect((await stack.call("/assets/assetdeleted1", { user: "alice" })).status).toBe(200);
    const deleted = ready.replace('"evt_before_delete"', '"evt_delete"').replace('"video.asset.ready"', '"video.asset.deleted"');
    expect((await deliver(deleted, await signMuxWebhook(deleted, stack.emulator.webhookSecret))).status).toBe(200);
    await expectError(await stack.call("/assets/assetdeleted1", { user: "alice" }), 404, "not_found");
  });

  it("refuses a body over the size limit without reading it all", async () => {
    const body = readyEvent("evt_big", "assetbig1").replace('"attempts":[]', `"attempts":[],"padding":"${"x".repeat(2 * 1024 * 1024)}"`);
    await expectError(await deliver(body, await signMuxWebhook(body, stack.emulator.webhookSecret)), 413, "bad_request");
    await expectIgnored("assetbig1");
  });

  it("refuses a signed body that is not a Mux event", async () => {
    for (const body of ["not json", JSON.stringify({ type: "video.asset.ready", data: {} })]) {
      await expectError(await deliver(body, await signMuxWebhook(body, stack.emulator.webhookSecret)), 400, "bad_request");
    }
  });

  it("refuses a replay sent to another server instance that shares the stores", async () => {
    const shared = createMemoryCounterStore();
    const instance = () =>
      createVideoRoutes({
        backend: createMuxBackend({ baseURL: stack.emulator.url, tokenId: stack.emulator.tokenId, tokenSecret: stack.emulator.tokenSecret, webhookSecret: stack.emulator.webhookSecret, env: {} }),
        authorize: () => null,
        webhooks: { replayStore: shared },
      });
    const [a, b] = [instance(), instance()];
    const body = readyEvent("evt_shared", "assetshared1");
    const post = async (handler: typeof a) =>
      handler(new Request("http://app.test/api/video/webhooks/mux", { method: "POST", headers: { "mux-signature": await signMuxWebhook(body, stack.emulator.webhookSecret) }, body }));
    expect((await post(a)).status).toBe(200);
    await expectError(await post(b), 409, "bad_request");
    a.close();
    b.close();
  });

  it("has no webhook route for another provider and only accepts POST", async () => {
    await expectError(await fetch(`${stack.api}/webhooks/stripe`, { method: "POST", body: "{}" }), 404, "not_found");
    await expectError(await fetch(`${stack.api}/webhooks/mux`), 405, "bad_request");
  });
});

describe("what never leaks and what never starts", () => {
  it("answers a backend failure with a generic 500 that names no credential", async () => {
    const stack = await startStack();
    try {
      const backend = createMuxBackend({ baseURL: stack.emulator.url, tokenId: "emulator-token-id", tokenSecret: "wrong-secret-value", env: {}, maxRetries: 0 });
      const events: unknown[] = [];
      const handler = createVideoRoutes({ backend, authorize: () => ({ id: "alice" }), onEvent: (e) => events.push(e) });
      const response = await handler(
        new Request("http://app.test/api/video/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file }) }),
      );
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: "server", message: expect.any(String) } });
      expect(text).not.toMatch(/wrong-secret-value|emulator-token-id|401|at .*\.ts/);
      expect(events).toContainEqual(expect.objectContaining({ type: "server_error", route: "createUpload" }));
      handler.close();
    } finally {
      await stack.close();
    }
  });

  it("answers with the status and code of a VideoError the host's authorize throws; a look-alike error is a bare 500", async () => {
    const backend = createMuxBackend({ env: { MUX_TOKEN_ID: "id", MUX_TOKEN_SECRET: "secret" } });
    const handler = createVideoRoutes({
      backend,
      captions: { publicOrigin: "http://app.test" },
      authorize: () => {
        throw new VideoError("forbidden", "Your account is suspended.", { status: 403 });
      },
    });
    const response = await handler(new Request("http://app.test/api/video/uploads/abc123"));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "forbidden", message: "Your account is suspended." } });
    // One build graph: every entry shares the one VideoError class, so shape-matching is gone and an
    // object that only looks like one says nothing about itself.
    const lookalike = createVideoRoutes({
      backend,
      captions: { publicOrigin: "http://app.test" },
      authorize: () => {
        throw Object.assign(new Error("internal detail"), { name: "VideoError", code: "forbidden", status: 403 });
      },
    });
    const unknown = await lookalike(new Request("http://app.test/api/video/uploads/abc123"));
    expect(unknown.status).toBe(500);
    expect(await unknown.text()).not.toContain("internal detail");
    handler.close();
    lookalike.close();
  });

  it("stops at startup without Mux credentials and says how to start the emulator", () => {
    expect(() => createMuxBackend({ env: {} })).toThrow(MissingMuxCredentialsError);
    expect(() => createMuxBackend({ env: {} })).toThrow(/npx lesson-video-kit-emulator[\s\S]*MUX_BASE_URL/);
  });

  it("stops at startup without an authorize function", () => {
    const backend = createMuxBackend({ env: { MUX_TOKEN_ID: "id", MUX_TOKEN_SECRET: "secret" } });
    expect(() => createVideoRoutes({ backend } as unknown as Parameters<typeof createVideoRoutes>[0])).toThrow(/authorize/);
  });

  it("refuses a wildcard origin combined with credentials", () => {
    const backend = createMuxBackend({ env: { MUX_TOKEN_ID: "id", MUX_TOKEN_SECRET: "secret" } });
    expect(() => createVideoRoutes({ backend, authorize: () => null, cors: { origins: ["*"], credentials: true } })).toThrow(/credentials/);
  });
});
