// Bad input gets a Mux-shaped error and stores nothing: malformed Content-Range, bytes beyond the declared size
// (or a total below the bytes already received), wrong credentials, unknown ids, non-video bodies, path-like names and ids.
import { readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import Mux, { BadRequestError } from "@mux/mux-node";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { putChunk, putWhole, queryOffset, readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let fx: Fixtures;
let mp4: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  fx = await ensureFixtures();
  mp4 = await readBytes(fx.mp4.path);
  ({ emulator, mux } = await startTestEmulator());
});

afterAll(async () => {
  await emulator?.close();
});

async function newUploadUrl() {
  const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
  return { id: upload.id, url: upload.url ?? "" };
}

/** Every file name in the data dir, recursively. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function expectMuxError(response: Response, status: number, type: string): Promise<string> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { type: string; messages: string[] } };
  expect(body.error.type).toBe(type);
  expect(body.error.messages[0]).toEqual(expect.any(String));
  return body.error.messages[0] ?? "";
}

describe("bad byte requests on the upload URL", () => {
  it.each([
    ["no unit", "0-99/1000"],
    ["an equals sign", "bytes=0-99/1000"],
    ["an end before its start", "bytes 99-0/1000"],
    ["letters", "bytes a-b/c"],
    ["a negative start", "bytes -5-99/1000"],
  ])("refuses a Content-Range with %s and stores nothing", async (_label, header) => {
    const { url } = await newUploadUrl();
    const response = await fetch(url, { method: "PUT", headers: { "content-range": header }, body: mp4.subarray(0, 100) });
    await expectMuxError(response, 400, "invalid_range");
    expect((await queryOffset(url, "*")).headers.get("range")).toBeNull();
  });

  it("refuses a chunk whose last byte is beyond the declared size", async () => {
    const { url } = await newUploadUrl();
    const response = await fetch(url, { method: "PUT", headers: { "content-range": "bytes 0-99/50" }, body: mp4.subarray(0, 100) });
    expect(await expectMuxError(response, 400, "invalid_range")).toMatch(/beyond the declared size 50/);
    expect((await queryOffset(url, "*")).headers.get("range")).toBeNull();
  });

  it("refuses a chunk that changes the total declared earlier, keeping the bytes already committed", async () => {
    const { url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, 1000), 0, mp4.length)).status).toBe(308);
    const changed = await putChunk(url, mp4.subarray(1000, 2000), 1000, mp4.length + 10);
    expect(await expectMuxError(changed, 400, "invalid_range")).toMatch(/differs from the size/);
    expect((await queryOffset(url, mp4.length)).headers.get("range")).toBe("bytes=0-999");
  });

  it("refuses a total smaller than the bytes already received, storing nothing past it", async () => {
    const { id, url } = await newUploadUrl();
    // Chunks of unknown total first, as a recorder streaming a file still growing sends them.
    expect((await putChunk(url, mp4.subarray(0, 2000), 0, "*")).status).toBe(308);
    const shrunk = await putChunk(url, mp4.subarray(0, 100), 0, 1000);
    expect(await expectMuxError(shrunk, 400, "invalid_range")).toMatch(/smaller than the 2000 bytes/);
    const overlapping = await putChunk(url, mp4.subarray(500, 1500), 500, 1600);
    expect(await expectMuxError(overlapping, 400, "invalid_range")).toMatch(/smaller than the 2000 bytes/);
    expect((await queryOffset(url, "*")).headers.get("range")).toBe("bytes=0-1999");
    // The total was not fixed by the refused chunks: the real one still finishes the upload, byte for byte.
    expect((await putChunk(url, mp4.subarray(2000), 2000, mp4.length)).status).toBe(200);
    const upload = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(upload.asset_id ?? ""), (a) => a.status !== "preparing");
    const stored = new Uint8Array(await (await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).arrayBuffer());
    expect(stored).toEqual(mp4);
  });

  it("refuses bytes past the total a chunk fixed, whatever the next request's framing", async () => {
    const { url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, 1000), 0, 3000)).status).toBe(308);
    await expectMuxError(await putChunk(url, mp4.subarray(1000, 4000), 1000, "*"), 400, "invalid_range");
    // A whole-body PUT streamed without Content-Length, longer than the fixed total.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(mp4.subarray(0, 4000));
        controller.close();
      },
    });
    const streamed = await fetch(url, { method: "PUT", body, duplex: "half" } as RequestInit);
    await expectMuxError(streamed, 400, "invalid_range");
    await expectMuxError(await queryOffset(url, 2000), 400, "invalid_range");
    expect((await queryOffset(url, "*")).headers.get("range")).toBe("bytes=0-999");
  });

  it("refuses a body longer or shorter than its Content-Range and commits none of it", async () => {
    const { url } = await newUploadUrl();
    const longer = await fetch(url, { method: "PUT", headers: { "content-range": `bytes 0-99/${mp4.length}` }, body: mp4.subarray(0, 150) });
    await expectMuxError(longer, 400, "invalid_range");
    const shorter = await fetch(url, { method: "PUT", headers: { "content-range": `bytes 0-199/${mp4.length}` }, body: mp4.subarray(0, 150) });
    await expectMuxError(shorter, 400, "invalid_range");
    expect((await queryOffset(url, mp4.length)).headers.get("range")).toBeNull();
  });

  it("refuses a single PUT larger than the size chunks declared", async () => {
    const { url } = await newUploadUrl();
    await putChunk(url, mp4.subarray(0, 1000), 0, 5000);
    const whole = await putWhole(url, mp4);
    await expectMuxError(whole, 400, "invalid_range");
    expect((await queryOffset(url, 5000)).headers.get("range")).toBe("bytes=0-999");
  });

  it("refuses an offset query that carries a body", async () => {
    const { url } = await newUploadUrl();
    const response = await fetch(url, { method: "PUT", headers: { "content-range": `bytes */${mp4.length}` }, body: mp4.subarray(0, 10) });
    await expectMuxError(response, 400, "invalid_range");
  });

  it("answers an unknown upload URL with 404 and other methods with 405", async () => {
    await expectMuxError(await putWhole(`${emulator.url}/upload/NoSuchUpload0001`, mp4.subarray(0, 10)), 404, "not_found");
    const { url } = await newUploadUrl();
    await expectMuxError(await fetch(url, { method: "POST", body: "x" }), 405, "method_not_allowed");
  });
});

describe("bad API requests", () => {
  it.each([
    ["no Authorization header", undefined],
    ["a wrong secret", `Basic ${Buffer.from("emulator-token-id:nope").toString("base64")}`],
    ["a wrong token id", `Basic ${Buffer.from("someone:emulator-token-secret").toString("base64")}`],
    ["a Bearer token", "Bearer emulator-token-secret"],
    ["garbage", "Basic !!!"],
  ])("answers %s with 401 unauthorized", async (_label, authorization) => {
    const response = await fetch(`${emulator.url}/video/v1/uploads`, { headers: authorization ? { authorization } : {} });
    expect(await expectMuxError(response, 401, "unauthorized")).toBe("Unauthorized request");
  });

  it("refuses invalid upload settings with 400 invalid_parameters", async () => {
    const bad = [
      { cors_origin: "*", timeout: 10 },
      { cors_origin: "*", new_asset_settings: { playback_policies: ["everyone"] } },
      { cors_origin: "*", new_asset_settings: { playback_policies: ["drm"] } },
      { cors_origin: "*", new_asset_settings: { passthrough: "x".repeat(256) } },
      { cors_origin: 42 },
    ];
    for (const body of bad) {
      const error = await mux.video.uploads.create(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).error).toMatchObject({ error: { type: "invalid_parameters" } });
    }
    const auth = `Basic ${Buffer.from(`${emulator.tokenId}:${emulator.tokenSecret}`).toString("base64")}`;
    const notJson = await fetch(`${emulator.url}/video/v1/uploads`, { method: "POST", headers: { authorization: auth }, body: "{oops" });
    await expectMuxError(notJson, 400, "invalid_parameters");
  });

  it("answers unknown ids and paths with 404 not_found", async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${emulator.tokenId}:${emulator.tokenSecret}`).toString("base64")}` };
    for (const path of ["/video/v1/assets/nope1234", "/video/v1/uploads/nope1234", "/video/v1/assets/nope1234/playback-ids", "/video/v1/live-streams"]) {
      await expectMuxError(await fetch(`${emulator.url}${path}`, { headers: auth }), 404, "not_found");
    }
    await expectMuxError(await fetch(`${emulator.url}/stream/nope1234.mp4`), 404, "not_found");
    await expectMuxError(await fetch(`${emulator.url}/image/nope1234/thumbnail.jpg`), 404, "not_found");
  });
});

describe("what gets stored", () => {
  it("ends a non-video body as an errored asset with a readable message", async () => {
    const { asset } = await uploadAndSettle(mux, await readBytes(fx.notVideo.path));
    expect(asset.status).toBe("errored");
    expect(asset.errors?.type).toBe("invalid_input");
    expect(asset.errors?.messages?.[0]).toMatch(/not a video/i);
    expect(asset.duration).toBeUndefined();
    // An errored asset has nothing to play.
    expect((await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).status).toBe(412);
  });

  it("keeps files under emulator-made names whatever names, ids or passthrough a client sends", async () => {
    const { url } = await newUploadUrl();
    const sent = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "video/mp4", "content-disposition": 'attachment; filename="../../../tmp/evil.mp4"' },
      body: mp4,
    });
    expect(sent.status).toBe(200);
    await uploadAndSettle(mux, mp4, { playback_policies: ["public"], passthrough: "../../etc/passwd" });

    // Path-like ids in URLs never reach the file system: raw requests with traversal and encoded slashes.
    for (const path of ["/upload/..%2F..%2Fstate.json", "/upload/../state.json", "/stream/..%2Fstate.json", "/image/..%2F..%2Fx/thumbnail.jpg"]) {
      const status = await rawPut(emulator.url, path);
      expect([404, 405]).toContain(status);
    }
    const names = filesIn(emulator.dataDir).map((file) => file.slice(emulator.dataDir.length + 1));
    for (const name of names) expect(name).toMatch(/^(state\.json|signing-key\.json|files\/[A-Za-z0-9]+\.(media|part)|files\/[A-Za-z0-9]+\.thumbs\/[0-9.]+-\d+x\d+\.(jpg|png|webp))$/);
    expect(names.some((n) => n.includes("evil") || n.includes("passwd"))).toBe(false);
  });

  it("keeps the original bytes of an upload whose Content-Type lies", async () => {
    const { id, url } = await newUploadUrl();
    expect((await putWhole(url, mp4, "text/plain")).status).toBe(200);
    const upload = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(upload.asset_id ?? ""), (a) => a.status !== "preparing");
    expect(asset.status).toBe("ready");
    const stream = await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`);
    expect(stream.headers.get("content-type")).toBe("video/mp4");
  });
});

/** A PUT with the path sent exactly as written (fetch would normalise `..`). */
function rawPut(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: "PUT", headers: { "content-length": "3" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end("abc");
  });
}
