// The direct-upload URL speaks GCS resumable-upload semantics: chunks answered 308 + Range until the last,
// offset queries, overlapping and out-of-order chunks, CORS preflight for the upload's cors_origin.
import Mux from "@mux/mux-node";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { putChunk, putInChunks, queryOffset, readBytes, startTestEmulator, waitUntil } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let mp4: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  mp4 = await readBytes((await ensureFixtures()).mp4.path);
  ({ emulator, mux } = await startTestEmulator());
});

afterAll(async () => {
  await emulator?.close();
});

async function newUpload(corsOrigin = "*") {
  const upload = await mux.video.uploads.create({ cors_origin: corsOrigin, new_asset_settings: { playback_policies: ["public"] } });
  return { id: upload.id, url: upload.url ?? "" };
}

/** The bytes the emulator serves for the asset an upload became. */
async function storedBytes(uploadId: string): Promise<Uint8Array> {
  const upload = await waitUntil(() => mux.video.uploads.retrieve(uploadId), (u) => u.status === "asset_created");
  const asset = await waitUntil(() => mux.video.assets.retrieve(upload.asset_id ?? ""), (a) => a.status !== "preparing");
  const response = await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`);
  return new Uint8Array(await response.arrayBuffer());
}

const KiB256 = 256 * 1024;
/** A smaller unit so the ~500 KB fixture spans several pieces. */
const C = 64 * 1024;

describe("the direct-upload URL", () => {
  it("answers 308 with the committed Range after each chunk and 200 after the last, keeping every byte", async () => {
    const { id, url } = await newUpload();
    const answers = await putInChunks(url, mp4, KiB256);
    expect(answers.length).toBeGreaterThan(1);
    answers.slice(0, -1).forEach((answer, i) => {
      expect(answer.status).toBe(308);
      expect(answer.range).toBe(`bytes=0-${(i + 1) * KiB256 - 1}`);
    });
    expect(answers.at(-1)?.status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("reports the committed offset for bytes */total, with no Range before the first byte", async () => {
    const { url } = await newUpload();
    const before = await queryOffset(url, mp4.length);
    expect(before.status).toBe(308);
    expect(before.headers.get("range")).toBeNull();

    await putChunk(url, mp4.subarray(0, KiB256), 0, mp4.length);
    const after = await queryOffset(url, mp4.length);
    expect(after.status).toBe(308);
    expect(after.headers.get("range")).toBe(`bytes=0-${KiB256 - 1}`);
    const unknownTotal = await queryOffset(url, "*");
    expect(unknownTotal.headers.get("range")).toBe(`bytes=0-${KiB256 - 1}`);
  });

  it("accepts chunks with an unknown total until the last one declares it", async () => {
    const { id, url } = await newUpload();
    const first = await putChunk(url, mp4.subarray(0, KiB256), 0, "*");
    expect(first.status).toBe(308);
    const rest = await putChunk(url, mp4.subarray(KiB256), KiB256, mp4.length);
    expect(rest.status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("ignores bytes it already has when a resent chunk overlaps them", async () => {
    const { id, url } = await newUpload();
    await putChunk(url, mp4.subarray(0, C), 0, mp4.length);
    // A client that lost the answer resends from an earlier offset, overlapping committed bytes.
    const overlap = await putChunk(url, mp4.subarray(1000, 2 * C), 1000, mp4.length);
    expect(overlap.status).toBe(308);
    expect(overlap.headers.get("range")).toBe(`bytes=0-${2 * C - 1}`);
    const duplicate = await putChunk(url, mp4.subarray(0, C), 0, mp4.length);
    expect(duplicate.status).toBe(308);
    expect(duplicate.headers.get("range")).toBe(`bytes=0-${2 * C - 1}`);
    const last = await putChunk(url, mp4.subarray(2 * C), 2 * C, mp4.length);
    expect(last.status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("stores nothing from a chunk that starts past the committed offset and tells the client where to resume", async () => {
    const { id, url } = await newUpload();
    await putChunk(url, mp4.subarray(0, C), 0, mp4.length);
    const gap = await putChunk(url, mp4.subarray(2 * C), 2 * C, mp4.length);
    expect(gap.status).toBe(308);
    expect(gap.headers.get("range")).toBe(`bytes=0-${C - 1}`);
    expect((await mux.video.uploads.retrieve(id)).status).toBe("waiting");
    const resume = await putChunk(url, mp4.subarray(C), C, mp4.length);
    expect(resume.status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("answers 200 to an offset query once the upload is complete", async () => {
    const { id, url } = await newUpload();
    await putInChunks(url, mp4, mp4.length);
    await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    expect((await queryOffset(url, mp4.length)).status).toBe(200);
  });

  it("completes a zero-length upload finished by bytes */0 as an errored asset, not a crash", async () => {
    const { id, url } = await newUpload();
    expect((await queryOffset(url, 0)).status).toBe(200);
    const upload = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(upload.asset_id ?? ""), (a) => a.status !== "preparing");
    expect(asset.status).toBe("errored");
    expect(asset.errors?.messages?.[0]).toMatch(/empty/);
  });
});

describe("CORS on the upload URL", () => {
  it("answers the preflight for the upload's cors_origin and exposes Range to the page", async () => {
    const origin = "https://studio.example";
    const { url } = await newUpload(origin);
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "content-type,content-range" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type,content-range");

    const chunk = await fetch(url, {
      method: "PUT",
      headers: { origin, "content-range": `bytes 0-${KiB256 - 1}/${mp4.length}` },
      body: mp4.subarray(0, KiB256),
    });
    expect(chunk.status).toBe(308);
    expect(chunk.headers.get("access-control-allow-origin")).toBe(origin);
    expect(chunk.headers.get("access-control-expose-headers")).toContain("Range");
  });

  it("refuses the preflight from another origin without CORS headers", async () => {
    const { url } = await newUpload("https://studio.example");
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "PUT" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows any origin when cors_origin is *", async () => {
    const { url } = await newUpload("*");
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: "https://any.example", "access-control-request-method": "PUT" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });
});
