// Frame-accurate clips: the emulator makes a new asset of a span of a ready one (`inputs: [{ url: "mux://assets/<id>",
// start_time, end_time }]`, the real @mux/mux-node client over HTTP), cut with ffmpeg, with `source_asset_id`; the
// routes' `POST /assets/:id/clips` makes one for the owner only, with times checked against the duration.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";
import { startStack, type Stack } from "./server-harness.js";

let mp4: Fixture;
let mp4Bytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
});

describe("clips in the emulator", () => {
  it("cuts a new asset of end − start seconds with source_asset_id, and refuses a source that is not an asset", async () => {
    const { emulator, mux } = await startTestEmulator();
    try {
      const { asset: source } = await uploadAndSettle(mux, mp4Bytes);
      const clip = await mux.video.assets.create({ inputs: [{ url: `mux://assets/${source.id}`, start_time: 0.5, end_time: 2 }], playback_policies: ["public"] });
      expect(clip).toMatchObject({ status: "preparing", source_asset_id: source.id, ingest_type: "on_demand_clip" });
      const ready = await waitUntil(() => mux.video.assets.retrieve(clip.id), (a) => a.status !== "preparing");
      expect(ready.status).toBe("ready");
      expect(ready.duration).toBeGreaterThan(1.4);
      expect(ready.duration).toBeLessThan(1.6);
      expect(ready.tracks?.map((t) => t.type).sort()).toEqual(["audio", "video"]);
      await expect(mux.video.assets.create({ inputs: [{ url: "mux://assets/nope" }], playback_policies: ["public"] })).rejects.toMatchObject({ status: 400 });
      await expect(
        mux.video.assets.create({ inputs: [{ url: `mux://assets/${source.id}`, start_time: 2, end_time: 1 }], playback_policies: ["public"] }),
      ).rejects.toMatchObject({ status: 400 });
    } finally {
      await emulator.close();
    }
  });
});

describe("POST /assets/:id/clips", () => {
  let stack: Stack;
  let assetId: string;
  beforeAll(async () => {
    stack = await startStack();
    const response = await stack.call("/uploads", {
      method: "POST",
      user: "alice",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file: { name: mp4.name, size: mp4.size, type: mp4.type }, lessonId: "lesson-alice" }),
    });
    const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
    await sendChunks(new Blob([mp4Bytes], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {}, chunkSize: 256 * 1024 });
    const upload = await waitUntil(() => stack.mux.video.uploads.retrieve(uploadId), (u) => u.asset_id !== undefined);
    assetId = upload.asset_id!;
    await waitUntil(() => stack.mux.video.assets.retrieve(assetId), (a) => a.status === "ready");
  });
  afterAll(() => stack.close());

  const clip = (user: string, body: unknown, id = assetId) =>
    stack.call(`/assets/${id}/clips`, { method: "POST", user, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("makes the owner a clip of the span, owned by them and carrying the lesson", async () => {
    const response = await clip("alice", { startTime: 1, endTime: 2.5 });
    expect(response.status).toBe(201);
    const made = (await response.json()) as { id: string; status: string; passthrough?: string };
    expect(made).toMatchObject({ status: "preparing", passthrough: "lesson-alice" });
    const ready = await waitUntil(() => stack.mux.video.assets.retrieve(made.id), (a) => a.status !== "preparing");
    expect(ready).toMatchObject({ status: "ready", source_asset_id: assetId, meta: { external_id: "lesson-alice" } });
    expect(ready.duration).toBeGreaterThan(1.4);
    expect(ready.duration).toBeLessThan(1.6);
    expect((await stack.call(`/assets/${made.id}`, { user: "alice" })).status).toBe(200);
  });

  it("answers anyone but the owner with the same 404 as an asset that does not exist", async () => {
    const refused = await clip("bob", { startTime: 0, endTime: 1 });
    const missing = await clip("bob", { startTime: 0, endTime: 1 }, "doesNotExist0000");
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual(await missing.json());
  });

  it("answers 400 to times outside the duration or in the wrong order", async () => {
    for (const body of [{ startTime: -1, endTime: 1 }, { startTime: 2, endTime: 1 }, { startTime: 0, endTime: 99 }, { startTime: "0", endTime: 1 }]) {
      const response = await clip("alice", body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
  });

  it("makes the clip through the HTTP transport's createClip, and refuses another user with not_found", async () => {
    const signal = new AbortController().signal;
    const alice = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer alice-token" } });
    const made = await alice.createClip!(assetId, { startTime: 0.5, endTime: 2 }, { signal });
    expect(made).toMatchObject({ status: "preparing", passthrough: "lesson-alice" });
    expect(made.id).not.toBe(assetId);
    const ready = await waitUntil(() => alice.getAsset(made.id, { signal }), (a) => a.status !== "preparing");
    expect(ready.status).toBe("ready");
    expect(ready.duration).toBeGreaterThan(1.4);
    expect(ready.duration).toBeLessThan(1.6);
    const bob = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer bob-token" } });
    await expect(bob.createClip!(assetId, { startTime: 0, endTime: 1 }, { signal })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
