// Counters, rate limits, quotas, server-side upload validation and CORS decisions, each on its own.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { VideoBackend } from "../../src/server/backend.js";
import { createMemoryCounterStore } from "../../src/server/counter-store.js";
import { createVideoRoutes } from "../../src/server/routes.js";
import { checkOrigin, preflightResponse } from "../../src/server/cors.js";
import { reserveQuota } from "../../src/server/quota.js";
import { consumeRateLimit } from "../../src/server/rate-limit.js";
import { defaultServerUploadLimits, validateUploadRequest } from "../../src/server/validation.js";

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe("createMemoryCounterStore", () => {
  it("counts within a window and starts again after it expires", async () => {
    const c = clock();
    const store = createMemoryCounterStore({ now: c.now });
    await store.increment("k", 1, 1000);
    await expect(store.increment("k", 2, 1000)).resolves.toEqual({ value: 3, resetAt: c.now() + 1000 });
    c.advance(1000);
    await expect(store.get("k")).resolves.toBeUndefined();
    await expect(store.increment("k", 1, 1000)).resolves.toEqual({ value: 1, resetAt: c.now() + 1000 });
  });

  it("keeps at most maxKeys counters, dropping the soonest to expire", async () => {
    const store = createMemoryCounterStore({ maxKeys: 2 });
    await store.increment("short", 1, 10_000);
    await store.increment("long", 1, 60_000);
    await store.increment("new", 1, 30_000);
    await expect(store.get("short")).resolves.toBeUndefined();
    await expect(store.get("long")).resolves.toMatchObject({ value: 1 });
    await expect(store.get("new")).resolves.toMatchObject({ value: 1 });
  });

  it("when full, drops expired counters and then the soonest to expire, down to 90% of maxKeys; live ones keep counting", async () => {
    const c = clock();
    const store = createMemoryCounterStore({ now: c.now, maxKeys: 100 });
    // 100 counters expiring 1 s, 2 s, … 100 s from now, written in shuffled order.
    const windows = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    for (const seconds of windows) await store.increment(`k${seconds}`, 1, seconds * 1000);
    c.advance(5_500); // k1…k5 have expired
    await store.increment("new", 1, 50_000);
    // The 5 expired went, then the 5 soonest of the live ones (k6…k10), leaving 90 + the new one.
    for (let seconds = 1; seconds <= 10; seconds++) await expect(store.get(`k${seconds}`)).resolves.toBeUndefined();
    for (let seconds = 11; seconds <= 100; seconds++) await expect(store.get(`k${seconds}`)).resolves.toMatchObject({ value: 1 });
    await expect(store.increment("k100", 2, 1000)).resolves.toEqual({ value: 3, resetAt: 1_000_000 + 100_000 });
    await expect(store.get("new")).resolves.toMatchObject({ value: 1 });
    // The next 9 new keys fit without dropping anything.
    for (let i = 0; i < 9; i++) await store.increment(`more${i}`, 1, 1000);
    await expect(store.get("k11")).resolves.toMatchObject({ value: 1 });
  });

  it("drops only as many as it must when counters tie at the eviction threshold", async () => {
    const store = createMemoryCounterStore({ maxKeys: 10, now: () => 0 });
    for (let i = 0; i < 10; i++) await store.increment(`same${i}`, 1, 60_000);
    await store.increment("late", 1, 120_000);
    const kept = await Promise.all(Array.from({ length: 10 }, (_, i) => store.get(`same${i}`)));
    // 90% of 10 is 9: one of the ten ties goes to make room for "late", the other nine stay.
    expect(kept.filter((counter) => counter !== undefined)).toHaveLength(9);
    await expect(store.get("late")).resolves.toMatchObject({ value: 1 });
  });

  it("gives two stores separate counts", async () => {
    const a = createMemoryCounterStore();
    const b = createMemoryCounterStore();
    await a.increment("k", 5, 1000);
    await expect(b.get("k")).resolves.toBeUndefined();
  });
});

describe("consumeRateLimit", () => {
  it("allows the limit, refuses the next with the seconds until the window resets, then allows again", async () => {
    const c = clock();
    const store = createMemoryCounterStore({ now: c.now });
    const rule = { limit: 2, windowMs: 60_000 };
    await expect(consumeRateLimit(store, "user:u1", rule, c.now())).resolves.toEqual({ allowed: true });
    await expect(consumeRateLimit(store, "user:u1", rule, c.now())).resolves.toEqual({ allowed: true });
    c.advance(15_500);
    await expect(consumeRateLimit(store, "user:u1", rule, c.now())).resolves.toEqual({ allowed: false, retryAfterSeconds: 45 });
    await expect(consumeRateLimit(store, "user:u2", rule, c.now())).resolves.toEqual({ allowed: true });
    c.advance(44_500);
    await expect(consumeRateLimit(store, "user:u1", rule, c.now())).resolves.toEqual({ allowed: true });
  });
});

describe("reserveQuota", () => {
  it("refuses the upload that would pass the daily count, says when the quota resets, and keeps nothing of it", async () => {
    const c = clock();
    const store = createMemoryCounterStore({ now: c.now });
    const quota = { uploadsPerPeriod: 2 };
    await expect(reserveQuota(store, quota, "u1", 10)).resolves.toMatchObject({ allowed: true });
    await expect(reserveQuota(store, quota, "u1", 10)).resolves.toMatchObject({ allowed: true });
    await expect(reserveQuota(store, quota, "u1", 10)).resolves.toEqual({ allowed: false, limit: "uploads", resetAt: c.now() + 86_400_000 });
    await expect(store.get("quota:uploads:u1")).resolves.toMatchObject({ value: 2 });
    await expect(reserveQuota(store, quota, "u2", 10)).resolves.toMatchObject({ allowed: true });
  });

  it("refuses an upload whose declared bytes would pass the byte allowance, and a released reservation frees its bytes", async () => {
    const c = clock();
    const store = createMemoryCounterStore({ now: c.now });
    const quota = { bytesPerPeriod: 1000, periodMs: 3_600_000 };
    const first = await reserveQuota(store, quota, "u1", 600);
    await expect(reserveQuota(store, quota, "u1", 401)).resolves.toMatchObject({ allowed: false, limit: "bytes" });
    await expect(store.get("quota:bytes:u1")).resolves.toMatchObject({ value: 600 });
    if (!first.allowed) throw new Error("the first reservation fits");
    await first.release();
    await expect(reserveQuota(store, quota, "u1", 1000)).resolves.toMatchObject({ allowed: true });
  });

  it("lets exactly the quota through when 50 reservations race", async () => {
    const store = createMemoryCounterStore();
    const quota = { uploadsPerPeriod: 7, bytesPerPeriod: 7_000 };
    const results = await Promise.all(Array.from({ length: 50 }, () => reserveQuota(store, quota, "u1", 1000)));
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    await expect(store.get("quota:uploads:u1")).resolves.toMatchObject({ value: 7 });
    await expect(store.get("quota:bytes:u1")).resolves.toMatchObject({ value: 7000 });
  });
});

describe("link imports and uploads share the quota", () => {
  it("lets exactly the quota through when 30 imports and uploads of one user race, and refused links take none of it", async () => {
    const source = createServer((_req, res) => res.writeHead(200, { "content-type": "video/mp4", "content-length": "1000" }).end());
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const port = (source.address() as AddressInfo).port;
    let created = 0;
    const backend = {
      name: "test",
      async createUpload() {
        created++;
        return { uploadId: `up${created}`, url: `https://upload.test/${created}` };
      },
      async createAssetFromUrl() {
        created++;
        return { id: `asset${created}`, status: "preparing" };
      },
    } as unknown as VideoBackend;
    const handler = createVideoRoutes({
      backend,
      authorize: () => ({ id: "alice" }),
      rateLimit: false,
      quota: { uploadsPerPeriod: 5, bytesPerPeriod: 1_000_000 },
      imports: { allowedHosts: [`127.0.0.1:${port}`] },
    });
    const post = (path: string, body: unknown) =>
      handler(new Request(`http://app.test/api/video${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    try {
      for (const url of ["file:///etc/passwd", "http://10.0.0.1/v.mp4", `http://localhost:${port}/v.mp4`]) expect((await post("/assets", { url })).status).toBe(422);
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2 === 0 ? post("/assets", { url: `http://127.0.0.1:${port}/v${i}.mp4` }) : post("/uploads", { file: { name: "v.mp4", size: 1000, type: "video/mp4" } }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(25);
      expect(created).toBe(5);
    } finally {
      handler.close();
      source.closeAllConnections();
      await new Promise((resolve) => source.close(resolve));
    }
  });
});

describe("validateUploadRequest", () => {
  const limits = { ...defaultServerUploadLimits, maxFileSize: 1000, maxFilenameLength: 20 };
  const file = { name: "lesson.mp4", size: 500, type: "video/mp4" };

  it("accepts a stream of unknown length by the most it may reach (size 0, maxSize within the limit)", () => {
    expect(validateUploadRequest({ file: { ...file, size: 0, maxSize: 1000 } }, limits)).toEqual({
      ok: true,
      request: { file: { ...file, size: 0, maxSize: 1000 } },
    });
  });

  it("accepts a video within the limits and normalises the type", () => {
    expect(validateUploadRequest({ file: { ...file, type: "Video/MP4; codecs=avc1" }, lessonId: "lesson_1" }, limits)).toEqual({
      ok: true,
      request: { file: { ...file, type: "video/mp4" }, lessonId: "lesson_1" },
    });
  });

  it.each([
    ["a body that is not an object", [1, 2], 400, "bad_request"],
    ["a missing file", { lessonId: "l1" }, 400, "bad_request"],
    ["a size that is a string", { file: { ...file, size: "500" } }, 400, "bad_request"],
    ["a fractional size", { file: { ...file, size: 1.5 } }, 400, "bad_request"],
    ["a negative size", { file: { ...file, size: -1 } }, 400, "bad_request"],
    ["an empty file", { file: { ...file, size: 0 } }, 400, "file_empty"],
    ["a file over the maximum size", { file: { ...file, size: 1001 } }, 413, "file_too_large"],
    ["a stream that may grow over the maximum size", { file: { ...file, size: 0, maxSize: 1001 } }, 413, "file_too_large"],
    ["a stream's maximum with a known size too", { file: { ...file, size: 500, maxSize: 900 } }, 400, "bad_request"],
    ["a stream's maximum that is not a whole number", { file: { ...file, size: 0, maxSize: "900" } }, 400, "bad_request"],
    ["a type outside the allowlist", { file: { ...file, type: "application/x-msdownload" } }, 415, "file_type_not_allowed"],
    ["a video type on an .exe name", { file: { ...file, name: "setup.exe" } }, 415, "file_type_not_allowed"],
    ["a double extension ending in .exe", { file: { ...file, name: "movie.mp4.exe" } }, 415, "file_type_not_allowed"],
    ["a name with neither extension nor type", { file: { ...file, name: "movie", type: "" } }, 415, "file_type_not_allowed"],
    ["an empty type on a disallowed extension", { file: { ...file, name: "movie.html", type: "" } }, 415, "file_type_not_allowed"],
    ["an empty name", { file: { ...file, name: "" } }, 400, "bad_request"],
    ["a name longer than the limit", { file: { ...file, name: `${"a".repeat(17)}.mp4` } }, 400, "bad_request"],
    ["a name with a path", { file: { ...file, name: "../x.mp4" } }, 400, "bad_request"],
    ["a name with a control character", { file: { ...file, name: "a\u0000.mp4" } }, 400, "bad_request"],
    ["a lesson id with a quote", { file, lessonId: "1' OR '1'='1" }, 400, "bad_request"],
    ["a lesson id that is too long", { file, lessonId: "a".repeat(65) }, 400, "bad_request"],
    ["a lesson id that is a number", { file, lessonId: 42 }, 400, "bad_request"],
  ])("refuses %s", (_what, body, status, code) => {
    const check = validateUploadRequest(body, limits);
    expect(check.ok).toBe(false);
    if (!check.ok) expect({ status: check.error.status, code: check.error.code }).toEqual({ status, code });
  });

  it("accepts what the client's defaults accept: an empty type on .mkv, a video type with no extension, an .avi", () => {
    expect(validateUploadRequest({ file: { name: "talk.mkv", size: 500, type: "" } }, limits)).toMatchObject({ ok: true });
    expect(validateUploadRequest({ file: { name: "talk", size: 500, type: "video/mp4" } }, limits)).toMatchObject({ ok: true });
    expect(validateUploadRequest({ file: { name: "old.avi", size: 500, type: "video/x-msvideo" } }, limits)).toMatchObject({ ok: true });
  });

  it("accepts type patterns such as video/*", () => {
    const wide = { ...limits, allowedTypes: ["video/*"] };
    expect(validateUploadRequest({ file: { ...file, type: "video/x-new" } }, wide)).toMatchObject({ ok: true });
    expect(validateUploadRequest({ file: { ...file, type: "audio/mpeg" } }, wide)).toMatchObject({ ok: false });
  });

  it("requires a lesson id only when configured to", () => {
    expect(validateUploadRequest({ file }, limits).ok).toBe(true);
    expect(validateUploadRequest({ file }, { ...limits, requireLessonId: true })).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });
});

describe("createVideoRoutes' limits", () => {
  it("keep the default of a limit given as undefined: a 6 GiB .mp4 and an .exe are refused before the backend is asked", async () => {
    const createUpload = vi.fn();
    const unused = vi.fn();
    const routes = createVideoRoutes({
      backend: { name: "stub", createUpload, getUpload: unused, cancelUpload: unused, getAsset: unused, signPlayback: unused, verifyWebhook: unused },
      authorize: () => ({ id: "alice" }),
      limits: { maxFileSize: undefined, allowedExtensions: undefined },
    });
    const upload = (file: { name: string; size: number; type: string }) =>
      routes(new Request("http://localhost/api/video/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file }) }));
    expect((await upload({ name: "lesson.mp4", size: 6 * 1024 ** 3, type: "video/mp4" })).status).toBe(413);
    expect((await upload({ name: "lesson.exe", size: 1000, type: "" })).status).toBe(415);
    expect(createUpload).not.toHaveBeenCalled();
  });
});

describe("CORS decisions", () => {
  const request = (origin: string | null, method = "GET", headers: Record<string, string> = {}) =>
    new Request("https://app.example.com/api/video/uploads", { method, headers: origin === null ? headers : { origin, ...headers } });

  it("allows requests without an Origin and same-origin requests, without CORS headers", () => {
    expect(checkOrigin(request(null), {})).toEqual({ allowed: true, crossOrigin: false });
    expect(checkOrigin(request("https://app.example.com"), {})).toMatchObject({ allowed: true, crossOrigin: false });
  });

  it("counts the origin the browser addressed through Host as the routes' own", () => {
    const behind = (origin: string) =>
      new Request("http://localhost:3000/api/video/uploads", { method: "POST", headers: { origin, host: "127.0.0.1:3000" } });
    expect(checkOrigin(behind("http://127.0.0.1:3000"), {})).toMatchObject({ allowed: true, crossOrigin: false });
    expect(checkOrigin(behind("https://127.0.0.1:3000"), {})).toMatchObject({ allowed: false });
    expect(checkOrigin(behind("http://evil.example"), {})).toMatchObject({ allowed: false });
  });

  it("refuses other origins unless listed, and never the opaque origin null", () => {
    expect(checkOrigin(request("https://evil.example"), {})).toEqual({ allowed: false, origin: "https://evil.example" });
    expect(checkOrigin(request("https://studio.example.com"), { origins: ["https://studio.example.com"] })).toMatchObject({ allowed: true, crossOrigin: true });
    expect(checkOrigin(request("null"), { origins: ["*"] })).toMatchObject({ allowed: false });
  });

  it("answers an allowed preflight with the origin, methods, headers and credentials it may use", () => {
    const response = preflightResponse(
      request("https://studio.example.com", "OPTIONS", { "access-control-request-method": "POST", "access-control-request-headers": "content-type" }),
      { origins: ["https://studio.example.com"], credentials: true },
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": "https://studio.example.com",
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, authorization",
      "access-control-allow-credentials": "true",
    });
  });

  it("refuses the preflight of an origin that is not listed", () => {
    expect(() => preflightResponse(request("https://evil.example", "OPTIONS"), { origins: ["https://studio.example.com"] })).toThrow(
      expect.objectContaining({ status: 403, code: "forbidden" }),
    );
  });
});
