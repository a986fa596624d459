// A direct upload's declared size: Mux's API takes none, so the emulator takes it as an emulator-only header at
// creation and its upload URL refuses bytes beyond it, as a size-capped signed URL does (400, nothing stored, no
// asset); createMuxBackend sends it to the emulator and never to real Mux.
import Mux from "@mux/mux-node";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { UPLOAD_SIZE_CAP_HEADER, type MuxEmulator } from "../../src/emulator/index.js";
import { createMuxBackend } from "../../src/server/index.js";
import { putChunk, putWhole, queryOffset, readBytes, startTestEmulator, waitUntil } from "./emulator-helpers.js";

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

const MiB = 1024 * 1024;
const KiB256 = 256 * 1024;

/** An upload made by the real SDK with the emulator's size cap, as createMuxBackend makes it. */
async function cappedUpload(maxBytes: number) {
  const upload = await mux.video.uploads.create(
    { cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } },
    { headers: { [UPLOAD_SIZE_CAP_HEADER]: String(maxBytes) } },
  );
  return { id: upload.id, url: upload.url ?? "" };
}

async function expectBeyondCap(response: Response): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { type: string; messages: string[] } };
  expect(body.error.type).toBe("entity_too_large");
}

/** The upload is still waiting, with no byte committed and no asset made from it. */
async function expectNothingKept(id: string, url: string): Promise<void> {
  const upload = await mux.video.uploads.retrieve(id);
  expect(upload.status).toBe("waiting");
  expect(upload.asset_id).toBeUndefined();
  const assets = await mux.video.assets.list({ limit: 100 });
  expect(assets.data.filter((asset) => asset.upload_id === id)).toEqual([]);
  const offset = await queryOffset(url, "*");
  expect(offset.status).toBe(308);
  expect(offset.headers.get("range")).toBeNull();
}

describe("an upload created with a size cap", () => {
  it("refuses one PUT of 20 MiB when 10 bytes were declared, and makes no asset", async () => {
    const { id, url } = await cappedUpload(10);
    await expectBeyondCap(await putWhole(url, new Uint8Array(20 * MiB)));
    await expectNothingKept(id, url);
  });

  it("refuses a body streamed without Content-Length once it passes the cap", async () => {
    const { id, url } = await cappedUpload(1000);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(mp4.subarray(0, 600));
        controller.enqueue(mp4.subarray(600, 1600));
        controller.close();
      },
    });
    await expectBeyondCap(await fetch(url, { method: "PUT", body, duplex: "half" } as RequestInit));
    await expectNothingKept(id, url);
  });

  it("refuses a chunk declaring a 50 MiB total, and one of unknown total whose bytes pass the cap", async () => {
    const { id, url } = await cappedUpload(10);
    await expectBeyondCap(await putChunk(url, mp4.subarray(0, KiB256), 0, 50 * MiB));
    await expectBeyondCap(await putChunk(url, mp4.subarray(0, KiB256), 0, "*"));
    await expectBeyondCap(await queryOffset(url, 50 * MiB));
    await expectNothingKept(id, url);
  });

  it("refuses the chunk that would pass the cap after earlier ones were committed, keeping those", async () => {
    const { id, url } = await cappedUpload(KiB256 + 100);
    expect((await putChunk(url, mp4.subarray(0, KiB256), 0, "*")).status).toBe(308);
    await expectBeyondCap(await putChunk(url, mp4.subarray(KiB256, 2 * KiB256), KiB256, "*"));
    const offset = await queryOffset(url, "*");
    expect(offset.headers.get("range")).toBe(`bytes=0-${KiB256 - 1}`);
    expect((await mux.video.uploads.retrieve(id)).status).toBe("waiting");
  });

  it("takes a file of exactly the cap, in chunks, byte for byte", async () => {
    const { id, url } = await cappedUpload(mp4.length);
    for (let first = 0; first < mp4.length; first += KiB256) {
      const response = await putChunk(url, mp4.subarray(first, first + KiB256), first, mp4.length);
      expect(response.status).toBe(first + KiB256 >= mp4.length ? 200 : 308);
    }
    const upload = await waitUntil(() => mux.video.uploads.retrieve(id), (u) => u.status === "asset_created");
    const asset = await waitUntil(() => mux.video.assets.retrieve(upload.asset_id ?? ""), (a) => a.status !== "preparing");
    const stored = new Uint8Array(await (await fetch(`${emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`)).arrayBuffer());
    expect(stored).toEqual(mp4);
  });

  it("is refused at creation when the cap is not a whole number of bytes above 0", async () => {
    for (const value of ["0", "-5", "1.5", "ten", "99999999999999999"]) {
      const attempt = mux.video.uploads.create({ cors_origin: "*" }, { headers: { [UPLOAD_SIZE_CAP_HEADER]: value } });
      await expect(attempt).rejects.toMatchObject({ status: 400 });
    }
  });
});

describe("createMuxBackend's maxBytes", () => {
  it("caps the emulator's upload URL at the declared size", async () => {
    const backend = createMuxBackend({ baseURL: emulator.url, tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, maxRetries: 0 });
    const declared = await backend.createUpload({ corsOrigin: "*", timeoutSeconds: 3600, playbackPolicy: "public", maxBytes: 10 });
    await expectBeyondCap(await putWhole(declared.url, new Uint8Array(20 * MiB)));
    await expectNothingKept(declared.uploadId, declared.url);

    const exact = await backend.createUpload({ corsOrigin: "*", timeoutSeconds: 3600, playbackPolicy: "public", maxBytes: mp4.length });
    expect((await putWhole(exact.url, mp4)).status).toBe(200);
  });

  it("never sends the emulator's header to real Mux", async () => {
    const sent: Headers[] = [];
    const upload = { id: "u1", url: "https://storage.googleapis.com/upload", status: "waiting", timeout: 3600, cors_origin: "*", new_asset_settings: {} };
    vi.stubGlobal("fetch", async (_url: string | URL | Request, init?: RequestInit) => {
      sent.push(new Headers(init?.headers));
      return new Response(JSON.stringify({ data: upload }), { status: 201, headers: { "content-type": "application/json" } });
    });
    try {
      const backend = createMuxBackend({ baseURL: "https://api.mux.com", tokenId: "id", tokenSecret: "secret", maxRetries: 0 });
      await backend.createUpload({ corsOrigin: "*", timeoutSeconds: 3600, playbackPolicy: "public", maxBytes: 10 });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]?.has(UPLOAD_SIZE_CAP_HEADER)).toBe(false);
  });
});
