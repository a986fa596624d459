// Fault knobs, set through the `faults` option or POST /_emulator/faults: fail chunk N (optionally with
// Retry-After), drop the connection after X bytes, add latency, force the next asset to error, expire uploads.
import Mux from "@mux/mux-node";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import type { EmulatorFaults, MuxEmulator } from "../../src/emulator/index.js";
import { putChunk, putWhole, queryOffset, readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let mp4: Uint8Array<ArrayBuffer>;
const C = 64 * 1024;

beforeAll(async () => {
  mp4 = await readBytes((await ensureFixtures()).mp4.path);
  ({ emulator, mux } = await startTestEmulator());
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(async () => {
  await setFaults({});
});

async function setFaults(faults: EmulatorFaults | Record<string, unknown>): Promise<Response> {
  return fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
}

async function newUploadUrl() {
  const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
  return { id: upload.id, url: upload.url ?? "" };
}

describe("fault knobs", () => {
  it("fails the Nth byte request with the status and Retry-After asked for, storing none of it", async () => {
    expect((await setFaults({ failChunk: { n: 2, status: 503, retryAfter: 3 } })).status).toBe(200);
    const { url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    const failed = await putChunk(url, mp4.subarray(C, 2 * C), C, mp4.length);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("3");
    expect(await failed.json()).toMatchObject({ error: { type: "injected_fault" } });
    expect((await queryOffset(url, mp4.length)).headers.get("range")).toBe(`bytes=0-${C - 1}`);
    // The knob fires once: the retry goes through.
    expect((await putChunk(url, mp4.subarray(C, 2 * C), C, mp4.length)).status).toBe(308);
  });

  it("counts only the named upload's requests when failChunk has an uploadId", async () => {
    const a = await newUploadUrl();
    const b = await newUploadUrl();
    await setFaults({ failChunk: { n: 1, status: 500, uploadId: b.id } });
    expect((await putChunk(a.url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    expect((await putChunk(b.url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(500);
    expect((await putChunk(b.url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
  });

  it("drops the connection after X bytes and keeps only what was committed before", async () => {
    const { id, url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    await setFaults({ dropConnectionAfterBytes: 1000 });
    await expect(putChunk(url, mp4.subarray(C), C, mp4.length)).rejects.toThrow();
    expect((await queryOffset(url, mp4.length)).headers.get("range")).toBe(`bytes=0-${C - 1}`);
    expect((await putChunk(url, mp4.subarray(C), C, mp4.length)).status).toBe(200);
    const done = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(done.asset_id ?? ""), (a) => a.status !== "preparing");
    const stored = new Uint8Array(await (await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).arrayBuffer());
    expect(stored).toEqual(mp4);
  });

  it("cuts the upload's file back to the committed bytes when an overlapping resend is dropped after some new ones", async () => {
    const { id, url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    // A resend from half-way through the first chunk: its new bytes go straight onto the file until the cut.
    const from = C / 2;
    await setFaults({ dropConnectionAfterBytes: mp4.length - from - 1000 });
    await expect(putChunk(url, mp4.subarray(from), from, mp4.length)).rejects.toThrow();
    expect((await queryOffset(url, mp4.length)).headers.get("range")).toBe(`bytes=0-${C - 1}`);
    expect((await putChunk(url, mp4.subarray(from), from, mp4.length)).status).toBe(200);
    const done = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(done.asset_id ?? ""), (a) => a.status !== "preparing");
    const stored = new Uint8Array(await (await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).arrayBuffer());
    expect(stored).toEqual(mp4);
  });

  it("delays answers by at least the latency asked for", async () => {
    await setFaults({ latencyMs: 300 });
    const started = performance.now();
    await mux.video.uploads.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it("forces the next asset to error with the message given, then behaves again", async () => {
    await setFaults({ failNextAsset: { message: "Simulated transcoder crash" } });
    const broken = await uploadAndSettle(mux, mp4);
    expect(broken.asset.status).toBe("errored");
    expect(broken.asset.errors).toEqual({ type: "invalid_input", messages: ["Simulated transcoder crash"] });
    const fine = await uploadAndSettle(mux, mp4);
    expect(fine.asset.status).toBe("ready");
  });

  it("expires an upload URL: the upload turns timed_out and its URL answers 410", async () => {
    const { id, url } = await newUploadUrl();
    expect((await putChunk(url, mp4.subarray(0, C), 0, mp4.length)).status).toBe(308);
    await setFaults({ expireUploads: [id] });
    const upload = await mux.video.uploads.retrieve(id);
    expect(upload.status).toBe("timed_out");
    const put = await putWhole(url, mp4);
    expect(put.status).toBe(410);
  });

  it("reads knobs from the faults option at start", async () => {
    const other = await startTestEmulator({ faults: { failNextAsset: true } });
    try {
      const { asset } = await uploadAndSettle(other.mux, mp4);
      expect(asset.status).toBe("errored");
      expect(asset.errors?.messages?.[0]).toMatch(/fault knob/);
    } finally {
      await other.emulator.close();
    }
  });

  it("refuses unknown or malformed knobs with 400 and reports the knobs in force", async () => {
    expect((await setFaults({ explode: true })).status).toBe(400);
    expect((await setFaults({ failChunk: { n: 0, status: 503 } })).status).toBe(400);
    expect((await setFaults({ failChunk: { n: 1, status: 200 } })).status).toBe(400);
    expect((await setFaults({ latencyMs: -1 })).status).toBe(400);
    await setFaults({ latencyMs: 5, failChunk: { n: 3, status: 500 } });
    const current = await (await fetch(`${emulator.url}/_emulator/faults`)).json();
    expect(current).toEqual({ data: { latencyMs: 5, failChunk: { n: 3, status: 500 } } });
  });
});
