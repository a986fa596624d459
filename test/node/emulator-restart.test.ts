// With a data dir, a restarted emulator still knows its uploads, assets and signing keys (its own too), still
// serves the files, resumes a half-sent upload from its committed offset, and finishes processing it had not
// finished. Without one, it leaves nothing behind.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { putChunk, queryOffset, readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

let dataDir: string;
let mp4: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  mp4 = await readBytes((await ensureFixtures()).mp4.path);
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "lvk-emulator-restart-"));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("restarting the emulator on the same data dir", () => {
  it("keeps uploads, assets, playback ids, signing keys and the stored bytes", async () => {
    const first = await startTestEmulator({ dataDir });
    const { upload, asset } = await uploadAndSettle(first.mux, mp4, { playback_policies: ["public"], passthrough: "lesson-1" });
    const key = await first.mux.system.signingKeys.create();
    const waiting = await first.mux.video.uploads.create({ cors_origin: "https://studio.example" });
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const again = await second.mux.video.assets.retrieve(asset.id);
      expect(again).toMatchObject({ id: asset.id, status: "ready", passthrough: "lesson-1", upload_id: upload.id, aspect_ratio: "16:9" });
      expect(again.playback_ids).toEqual(asset.playback_ids);
      expect((await second.mux.video.uploads.retrieve(upload.id)).asset_id).toBe(asset.id);
      const stillWaiting = await second.mux.video.uploads.retrieve(waiting.id);
      expect(stillWaiting).toMatchObject({ status: "waiting", cors_origin: "https://studio.example" });
      expect((await second.mux.system.signingKeys.retrieve(key.id)).id).toBe(key.id);
      expect(second.emulator.signingKey).toEqual(first.emulator.signingKey);

      const stream = await fetch(`${second.emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`);
      expect(new Uint8Array(await stream.arrayBuffer())).toEqual(mp4);
    } finally {
      await second.emulator.close();
    }
  });

  it("resumes a half-sent upload from the committed offset after a restart", async () => {
    const first = await startTestEmulator({ dataDir });
    const upload = await first.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    const half = 256 * 1024;
    expect((await putChunk(upload.url ?? "", mp4.subarray(0, half), 0, mp4.length)).status).toBe(308);
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      // The port changed, so the client asks the API for the URL again, then for the offset.
      const url = (await second.mux.video.uploads.retrieve(upload.id)).url ?? "";
      expect(url.startsWith(second.emulator.url)).toBe(true);
      const offset = await queryOffset(url, mp4.length);
      expect(offset.headers.get("range")).toBe(`bytes=0-${half - 1}`);
      expect((await putChunk(url, mp4.subarray(half), half, mp4.length)).status).toBe(200);
      const done = await waitUntil(() => second.mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
      const asset = await waitUntil(() => second.mux.video.assets.retrieve(done.asset_id ?? ""), (a) => a.status === "ready");
      const stream = await fetch(`${second.emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`);
      expect(new Uint8Array(await stream.arrayBuffer())).toEqual(mp4);
    } finally {
      await second.emulator.close();
    }
  });

  it("commits chunks without rewriting state.json, and resumes from the upload's file after a restart", async () => {
    const first = await startTestEmulator({ dataDir });
    const upload = await first.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    const url = upload.url ?? "";
    const piece = 64 * 1024;
    const stateFile = join(dataDir, "state.json");
    const stateBefore = readFileSync(stateFile, "utf8");
    for (let chunk = 0; chunk < 3; chunk++) {
      expect((await putChunk(url, mp4.subarray(chunk * piece, (chunk + 1) * piece), chunk * piece, "*")).status).toBe(308);
    }
    expect(readFileSync(stateFile, "utf8")).toBe(stateBefore);
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const again = (await second.mux.video.uploads.retrieve(upload.id)).url ?? "";
      expect((await queryOffset(again, "*")).headers.get("range")).toBe(`bytes=0-${3 * piece - 1}`);
      expect((await putChunk(again, mp4.subarray(3 * piece), 3 * piece, mp4.length)).status).toBe(200);
      const done = await waitUntil(() => second.mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
      const asset = await waitUntil(() => second.mux.video.assets.retrieve(done.asset_id ?? ""), (a) => a.status !== "preparing");
      const stream = await fetch(`${second.emulator.url}/stream/${asset.playback_ids?.[0]?.id}.mp4`);
      expect(new Uint8Array(await stream.arrayBuffer())).toEqual(mp4);
    } finally {
      await second.emulator.close();
    }
  });

  it("still refuses a different total after a restart once a chunk fixed it", async () => {
    const first = await startTestEmulator({ dataDir });
    const upload = await first.mux.video.uploads.create({ cors_origin: "*" });
    expect((await putChunk(upload.url ?? "", mp4.subarray(0, 1000), 0, 5000)).status).toBe(308);
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const url = (await second.mux.video.uploads.retrieve(upload.id)).url ?? "";
      expect((await putChunk(url, mp4.subarray(1000, 2000), 1000, 6000)).status).toBe(400);
      expect((await queryOffset(url, 5000)).headers.get("range")).toBe("bytes=0-999");
    } finally {
      await second.emulator.close();
    }
  });

  it("finishes processing an asset the previous run left preparing", async () => {
    const first = await startTestEmulator({ dataDir, processingDelayMs: 60_000 });
    const upload = await first.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
    await fetch(upload.url ?? "", { method: "PUT", body: mp4 });
    const created = await waitUntil(() => first.mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
    expect((await first.mux.video.assets.retrieve(created.asset_id ?? "")).status).toBe("preparing");
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const asset = await waitUntil(() => second.mux.video.assets.retrieve(created.asset_id ?? ""), (a) => a.status !== "preparing");
      expect(asset.status).toBe("ready");
    } finally {
      await second.emulator.close();
    }
  });

  it("times out an upload whose timeout passed while the emulator was down", async () => {
    const first = await startTestEmulator({ dataDir });
    const upload = await first.mux.video.uploads.create({ cors_origin: "*", timeout: 60 });
    expect(upload.timeout).toBe(60);
    await first.emulator.close();
    // Pretend the upload was created two minutes ago.
    const statePath = join(dataDir, "state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8")) as { uploads: Array<{ id: string; createdAt: number }> };
    for (const u of state.uploads) if (u.id === upload.id) u.createdAt -= 120_000;
    writeFileSync(statePath, JSON.stringify(state));

    const second = await startTestEmulator({ dataDir });
    try {
      const again = await second.mux.video.uploads.retrieve(upload.id);
      expect(again.status).toBe("timed_out");
      expect((await fetch(`${second.emulator.url}/upload/${upload.id}`, { method: "PUT", body: mp4 })).status).toBe(410);
    } finally {
      await second.emulator.close();
    }
  });
});

describe("the emulator's own signing key", () => {
  it("is kept owner-only in the data dir, and replaced at the next start once deleted through the API", async () => {
    const first = await startTestEmulator({ dataDir });
    const own = first.emulator.signingKey;
    expect(statSync(join(dataDir, "signing-key.json")).mode & 0o777).toBe(0o600);
    await first.mux.system.signingKeys.delete(own.id);
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      expect(second.emulator.signingKey.id).not.toBe(own.id);
      expect((await second.mux.system.signingKeys.retrieve(second.emulator.signingKey.id)).id).toBe(second.emulator.signingKey.id);
    } finally {
      await second.emulator.close();
    }
  });
});

describe("a damaged data dir", () => {
  it("refuses to start with a message naming the broken state file", async () => {
    writeFileSync(join(dataDir, "state.json"), "{ not json");
    await expect(startTestEmulator({ dataDir })).rejects.toThrow(/state\.json is not valid JSON/);
  });

  it("refuses to start with a message naming a broken signing key file, rather than replace the key", async () => {
    writeFileSync(join(dataDir, "signing-key.json"), "{ not json");
    await expect(startTestEmulator({ dataDir })).rejects.toThrow(/signing-key\.json is not a signing key the emulator wrote/);
  });
});

describe("memory mode", () => {
  it("removes its temp dir on close", async () => {
    const { emulator, mux } = await startTestEmulator();
    await uploadAndSettle(mux, mp4);
    expect(existsSync(emulator.dataDir)).toBe(true);
    await emulator.close();
    expect(existsSync(emulator.dataDir)).toBe(false);
  });
});
