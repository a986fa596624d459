// createPutSender against the local emulator's direct-upload URL over HTTP, as a presigned single-PUT
// backend would take it: the bytes the emulator serves back equal the file, and progress ends at its size.
import { createHash } from "node:crypto";
import { createPutSender } from "../../src/core/put-sender.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { readBytes, startTestEmulator, waitUntil } from "./emulator-helpers.js";
import type { Mux } from "@mux/mux-node";

let emulator: MuxEmulator;
let mux: Mux;
let mp4: Fixture;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  ({ emulator, mux } = await startTestEmulator({ processingDelayMs: 50 }));
});
afterAll(() => emulator?.close());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("createPutSender against the emulator", () => {
  it("sends the whole file in one request; the asset plays back the same bytes", async () => {
    const bytes = await readBytes(mp4.path);
    const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    const progress: number[] = [];
    await createPutSender()(new Blob([bytes], { type: "video/mp4" }), { uploadId: upload.id, url: upload.url ?? "" }, { signal: new AbortController().signal, onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(bytes.length);
    const created = await waitUntil(() => mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(created.asset_id ?? ""), (a) => a.status !== "preparing");
    expect(asset.status).toBe("ready");
    const played = new Uint8Array(await (await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).arrayBuffer());
    expect(sha256(played)).toBe(sha256(bytes));
  });

  it("answers a typed error when the upload URL no longer takes bytes", async () => {
    const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    await mux.video.uploads.cancel(upload.id);
    const sent = createPutSender()(new Blob([new Uint8Array(1000)], { type: "video/mp4" }), { uploadId: upload.id, url: upload.url ?? "" }, { signal: new AbortController().signal, onProgress() {} });
    await expect(sent).rejects.toMatchObject({ name: "VideoError", status: expect.any(Number) });
  });
});
