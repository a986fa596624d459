// Property-based fuzzing (fast-check) of what clients can get wrong: malformed JSON, odd headers and ids at the
// server routes (createVideoRoutes on the real emulator), malformed JSON at the emulator's Mux API, and malformed
// Content-Range headers and bodies at the emulator's upload URL. Client mistakes never get a 5xx, refusals carry a
// typed error body, and a refused request changes no state (no upload created, no byte committed).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { startStack, type Stack } from "./server-harness.js";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ routes: { rateLimit: false }, signingKey: false });
});

afterAll(async () => {
  await stack.close();
});

async function uploadCount(): Promise<number> {
  return (await stack.uploadIds()).length;
}

const oddString = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("", " ", "null", "{", "[]", "\u0000", "../../etc/passwd", "%00", "a".repeat(2000)));
const oddValue = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

/** Bodies a careless or hostile client could send to `POST /uploads`. */
const uploadBody = fc.oneof(
  oddString,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        file: fc.oneof(oddValue, fc.record({ name: oddValue, size: oddValue, type: oddValue }, { requiredKeys: [] })),
        lessonId: oddValue,
        extra: oddValue,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

const contentType = fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=utf-16");

describe("fuzzing the server routes", () => {
  it("never answers a malformed upload request with a 5xx, and a refused one creates no upload", async () => {
    let uploads = await uploadCount();
    await fc.assert(
      fc.asyncProperty(uploadBody, contentType, fc.boolean(), async (body, type, signedIn) => {
        const response = await stack.call("/uploads", {
          method: "POST",
          body,
          headers: type ? { "content-type": type } : {},
          ...(signedIn ? { user: "alice" } : {}),
        });
        expect(response.status).toBeLessThan(500);
        const now = await uploadCount();
        if (response.status === 201) {
          expect(now).toBe(uploads + 1);
          uploads = now;
        } else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          const json = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof json.error?.code).toBe("string");
          expect(typeof json.error?.message).toBe("string");
          expect(now).toBe(uploads);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("answers odd ids, methods and headers on every route with a typed 4xx, never a 5xx", async () => {
    const uploadsBefore = await uploadCount();
    const route = fc.constantFrom(
      (id: string) => ["GET", `/uploads/${id}`] as const,
      (id: string) => ["POST", `/uploads/${id}/cancel`] as const,
      (id: string) => ["GET", `/assets/${id}`] as const,
      (id: string) => ["GET", `/playback/${id}/token`] as const,
      (id: string) => ["DELETE", `/uploads/${id}`] as const,
      (id: string) => ["PUT", `/assets/${id}`] as const,
    );
    const authorization = fc.oneof(fc.constant(undefined), fc.constant("Bearer alice-token"), fc.string().map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}`), fc.constantFrom("Basic Zm9vOmJhcg==", "Bearer", "bearer alice-token "));
    await fc.assert(
      fc.asyncProperty(route, oddString, authorization, async (make, rawId, auth) => {
        const [method, path] = make(encodeURIComponent(rawId));
        const response = await stack.call(path, { method, headers: auth === undefined ? {} : { authorization: auth } });
        expect(response.status).toBeLessThan(500);
        expect(response.status).toBeGreaterThanOrEqual(400);
        const json = (await response.json()) as { error?: { code?: unknown } };
        expect(typeof json.error?.code).toBe("string");
      }),
      { numRuns: 150 },
    );
    expect(await uploadCount()).toBe(uploadsBefore);
  });
});

describe("fuzzing the emulator", () => {
  const auth = () => `Basic ${Buffer.from(`${stack.emulator.tokenId}:${stack.emulator.tokenSecret}`).toString("base64")}`;

  it("refuses malformed JSON at the Mux uploads API with a 4xx and creates nothing", async () => {
    const before = await uploadCount();
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddString, fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))), async (body) => {
        const response = await fetch(`${stack.emulator.url}/video/v1/uploads`, {
          method: "POST",
          body,
          headers: { authorization: auth(), "content-type": "application/json" },
        });
        expect(response.status).toBeLessThan(500);
        if (response.status === 201) created++;
        else expect(response.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 120 },
    );
    expect(await uploadCount()).toBe(before + created);
  });

  it("never gives a 5xx for malformed Content-Range or bodies at the upload URL, and commits no byte of a refused PUT", async () => {
    const TOTAL = 1000;
    const upload = await stack.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    const uploadUrl = upload.url!;
    const put = (headers: Record<string, string>, body?: Uint8Array) =>
      fetch(uploadUrl, { method: "PUT", headers, ...(body ? { body: body as BodyInit } : {}) });
    const committed = async (): Promise<number> => {
      const response = await put({ "content-range": `bytes */${TOTAL}` });
      expect(response.status).toBe(308);
      const range = response.headers.get("range");
      return range ? Number(/bytes=0-(\d+)/.exec(range)![1]) + 1 : 0;
    };
    expect((await put({ "content-range": `bytes 0-99/${TOTAL}` }, new Uint8Array(100))).status).toBe(308);
    let offset = await committed();
    expect(offset).toBe(100);

    // Ranges never reach the last byte, so the upload stays open for the whole run.
    const structured = fc
      .tuple(fc.integer({ min: -5, max: 1100 }), fc.integer({ min: -5, max: 1100 }), fc.constantFrom(`${TOTAL}`, "*", "999", "abc", "", "-1"))
      .map(([a, b, total]) => `bytes ${a}-${b}/${total}`);
    const header = fc.oneof(structured, oddString.map((s) => s.replace(/[^\x20-\x7e]/g, "")), fc.constantFrom("bytes */*", "bytes 0-/1000", "items 0-9/1000", "bytes 9-0/1000"));
    await fc.assert(
      fc.asyncProperty(header, fc.integer({ min: 0, max: 300 }), async (range, length) => {
        const response = await put({ "content-range": range }, length > 0 ? new Uint8Array(length).fill(7) : undefined);
        expect(response.status).toBeLessThan(500);
        const now = await committed();
        if (response.status >= 400) expect(now).toBe(offset);
        else expect(now).toBeGreaterThanOrEqual(offset);
        expect(now).toBeLessThan(TOTAL);
        offset = now;
      }),
      { numRuns: 200, examples: [[`bytes 100-199/${TOTAL}`, 100], [`bytes 150-249/${TOTAL}`, 150], [`bytes 500-599/${TOTAL}`, 100], [`bytes 100-1200/${TOTAL}`, 300]] },
    );
    const status = (await stack.mux.video.uploads.retrieve(upload.id)).status;
    expect(status).toBe("waiting");
  });

  it("answers any Range header on playback with 200, 206 or 416, never a 5xx", async () => {
    const bytes = readFileSync((await ensureFixtures()).mp4.path);
    const upload = await stack.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    expect((await fetch(upload.url!, { method: "PUT", body: new Uint8Array(bytes) })).status).toBe(200);
    let playbackId: string | undefined;
    await vi.waitFor(
      async () => {
        const assetId = (await stack.mux.video.uploads.retrieve(upload.id)).asset_id;
        const asset = assetId ? await stack.mux.video.assets.retrieve(assetId) : undefined;
        expect(asset?.status).toBe("ready");
        playbackId = asset?.playback_ids?.[0]?.id;
      },
      { timeout: 20_000, interval: 100 },
    );
    const size = bytes.length;
    const range = fc.oneof(
      fc.tuple(fc.option(fc.integer({ min: -10, max: size + 10 })), fc.option(fc.integer({ min: -10, max: size + 10 }))).map(([a, b]) => `bytes=${a ?? ""}-${b ?? ""}`),
      oddString.map((s) => s.replace(/[^\x20-\x7e]/g, "")),
      fc.constantFrom("bytes=0-0,5-9", "bytes=-0", "bytes=--1", "items=0-9", `bytes=${size}-`),
    );
    await fc.assert(
      fc.asyncProperty(range, async (value) => {
        const response = await fetch(`${stack.emulator.url}/stream/${playbackId}.mp4`, { headers: { range: value } });
        await response.arrayBuffer();
        expect([200, 206, 416]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });
});
