// The direct-upload URL speaks GCS resumable-upload semantics: chunks answered 308 + Range until the last,
// offset queries, overlapping and out-of-order chunks, CORS preflight for the upload's cors_origin; a request
// whose body stalls is cut off by the next request for the upload instead of holding it.
import { statSync } from "node:fs";
import { request, type ClientRequest } from "node:http";
import { join } from "node:path";
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

describe("a byte request whose body stalls", () => {
  /** Longer than any answer needs on a loaded machine, far shorter than a socket timeout. */
  const PROMPT_MS = 10_000;

  /** Bytes the emulator holds for an upload right now, read from its part file. */
  function heldBytes(uploadId: string): number {
    try {
      return statSync(join(emulator.dataDir, "files", `${uploadId}.part`)).size;
    } catch {
      return 0;
    }
  }

  /**
   * Starts a PUT of the chunk at `first` that sends 1000 bytes (0xEE, never part of the file) of the `C` it
   * declares and then stalls; resolves once the emulator has them. `ended` resolves when the connection ends.
   */
  async function stallChunk(url: string, uploadId: string, first: number): Promise<{ req: ClientRequest; ended: Promise<string> }> {
    const req = request(url, {
      method: "PUT",
      headers: { "content-type": "video/mp4", "content-range": `bytes ${first}-${first + C - 1}/${mp4.length}`, "content-length": String(C) },
    });
    const ended = new Promise<string>((resolve) => {
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.on("response", (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      });
    });
    req.write(Buffer.alloc(1000, 0xee));
    await waitUntil(async () => heldBytes(uploadId), (held) => held >= first + 1000);
    return { req, ended };
  }

  it("answers a chunk sent while another stalls at once, and keeps none of the stalled bytes", async () => {
    const { id, url } = await newUpload();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    const stalled = await stallChunk(url, id, C);
    try {
      const answer = await fetch(url, {
        method: "PUT",
        headers: { "content-type": "video/mp4", "content-range": `bytes ${C}-${2 * C - 1}/${mp4.length}` },
        body: mp4.subarray(C, 2 * C),
        signal: AbortSignal.timeout(PROMPT_MS),
      });
      expect(answer.status).toBe(308);
      expect(answer.headers.get("range")).toBe(`bytes=0-${2 * C - 1}`);
      // The stalled request was cut off, not answered as if its bytes counted.
      expect(await stalled.ended).not.toMatch(/^answered/);
    } finally {
      stalled.req.destroy();
    }
    expect((await putChunk(url, mp4.subarray(2 * C), 2 * C, mp4.length)).status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("answers an offset query sent while a chunk stalls at once, with only the committed bytes", async () => {
    const { id, url } = await newUpload();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    const stalled = await stallChunk(url, id, C);
    try {
      const answer = await fetch(url, { method: "PUT", headers: { "content-range": `bytes */${mp4.length}` }, signal: AbortSignal.timeout(PROMPT_MS) });
      expect(answer.status).toBe(308);
      expect(answer.headers.get("range")).toBe(`bytes=0-${C - 1}`);
      await stalled.ended;
    } finally {
      stalled.req.destroy();
    }
    expect(heldBytes(id)).toBe(C);
    expect((await putChunk(url, mp4.subarray(C), C, mp4.length)).status).toBe(200);
    expect(await storedBytes(id)).toEqual(mp4);
  });

  it("cancels an upload whose chunk stalls at once", async () => {
    const { id, url } = await newUpload();
    const stalled = await stallChunk(url, id, 0);
    try {
      const cancelled = await mux.video.uploads.cancel(id, { timeout: PROMPT_MS });
      expect(cancelled.status).toBe("cancelled");
      await stalled.ended;
    } finally {
      stalled.req.destroy();
    }
    expect(heldBytes(id)).toBe(0);
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(410);
  });
});
