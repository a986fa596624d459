// Drives the emulator only through the real @mux/mux-node client (every API call the emulator supports) and
// asserts the fields a Mux user relies on. The bytes go to the upload URL with fetch, as a browser would.
import Mux, { AuthenticationError, BadRequestError, NotFoundError } from "@mux/mux-node";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { putWhole, readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

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

describe("the emulator through @mux/mux-node", () => {
  it("creates a direct upload with the settings the caller asked for", async () => {
    const upload = await mux.video.uploads.create({
      cors_origin: "https://lessons.example",
      new_asset_settings: { playback_policies: ["public"], passthrough: "lesson-42" },
    });
    expect(upload.id).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(upload.status).toBe("waiting");
    expect(upload.url).toBe(`${emulator.url}/upload/${upload.id}`);
    expect(upload.timeout).toBe(3600);
    expect(upload.cors_origin).toBe("https://lessons.example");
    expect(upload.new_asset_settings?.playback_policies).toEqual(["public"]);
    expect(upload.new_asset_settings?.passthrough).toBe("lesson-42");
    expect(upload.asset_id).toBeUndefined();
  });

  it("moves an upload to asset_created and its asset from preparing to ready with duration and aspect ratio", async () => {
    const upload = await mux.video.uploads.create({
      cors_origin: "*",
      new_asset_settings: { playback_policies: ["public"], passthrough: "lesson-7" },
    });
    const put = await putWhole(upload.url ?? "", mp4);
    expect(put.status).toBe(200);

    const created = await waitUntil(() => mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
    expect(created.asset_id).toMatch(/^[A-Za-z0-9]+$/);
    expect(created.url).toBe(upload.url);

    const first = await mux.video.assets.retrieve(created.asset_id ?? "");
    expect(["preparing", "ready"]).toContain(first.status);
    expect(first.playback_ids?.[0]?.policy).toBe("public");

    const asset = await waitUntil(() => mux.video.assets.retrieve(created.asset_id ?? ""), (a) => a.status === "ready");
    expect(asset.upload_id).toBe(upload.id);
    expect(asset.passthrough).toBe("lesson-7");
    expect(asset.aspect_ratio).toBe("16:9");
    expect(asset.duration).toBeGreaterThan(2.8);
    expect(asset.duration).toBeLessThan(3.2);
    expect(asset.progress).toEqual({ state: "completed", progress: 100 });
    expect(typeof asset.created_at).toBe("string");
    const video = asset.tracks?.find((t) => t.type === "video");
    expect(video).toMatchObject({ type: "video", max_width: 640, max_height: 360 });
    expect(asset.tracks?.some((t) => t.type === "audio")).toBe(true);

    // The playback URL serves exactly the bytes that were uploaded.
    const playbackId = asset.playback_ids?.[0]?.id ?? "";
    const stream = await fetch(`${emulator.url}/stream/${playbackId}.mp4`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("video/mp4");
    expect(new Uint8Array(await stream.arrayBuffer())).toEqual(mp4);
  });

  it("lists uploads across pages until every upload was seen", async () => {
    const created = await Promise.all(
      [1, 2, 3].map(() => mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } })),
    );
    const firstPage = await mux.video.uploads.list({ limit: 2 });
    expect(firstPage.data).toHaveLength(2);
    const seen: string[] = [];
    for await (const upload of mux.video.uploads.list({ limit: 2 })) seen.push(upload.id);
    for (const upload of created) expect(seen).toContain(upload.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("lists assets with cursor pages, newest first, and filters by upload id", async () => {
    const a = await uploadAndSettle(mux, mp4);
    const b = await uploadAndSettle(mux, mp4);
    const page = await mux.video.assets.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).toBeTruthy();
    const seen: string[] = [];
    for await (const asset of mux.video.assets.list({ limit: 1 })) seen.push(asset.id);
    expect(seen).toContain(a.asset.id);
    expect(seen).toContain(b.asset.id);
    expect(seen.indexOf(b.asset.id)).toBeLessThan(seen.indexOf(a.asset.id));
    const filtered = await mux.video.assets.list({ upload_id: a.upload.id });
    expect(filtered.data.map((x) => x.id)).toEqual([a.asset.id]);
  });

  it("creates, retrieves and deletes playback ids", async () => {
    const { asset } = await uploadAndSettle(mux, mp4);
    const signed = await mux.video.assets.createPlaybackId(asset.id, { policy: "signed" });
    expect(signed.policy).toBe("signed");
    expect(signed.id).toMatch(/^[A-Za-z0-9]+$/);
    expect((await mux.video.assets.retrievePlaybackId(asset.id, signed.id)).policy).toBe("signed");
    const withTwo = await mux.video.assets.retrieve(asset.id);
    expect(withTwo.playback_ids?.map((p) => p.policy)).toEqual(["public", "signed"]);

    await mux.video.assets.deletePlaybackId(asset.id, signed.id);
    const withOne = await mux.video.assets.retrieve(asset.id);
    expect(withOne.playback_ids?.map((p) => p.id)).not.toContain(signed.id);
    await expect(mux.video.assets.retrievePlaybackId(asset.id, signed.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes an asset: the API and its playback URL answer 404 afterwards", async () => {
    const { asset } = await uploadAndSettle(mux, mp4);
    const playbackId = asset.playback_ids?.[0]?.id ?? "";
    await mux.video.assets.delete(asset.id);
    await expect(mux.video.assets.retrieve(asset.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await fetch(`${emulator.url}/stream/${playbackId}.mp4`)).status).toBe(404);
  });

  it("cancels a waiting upload, refuses to cancel it twice, and closes its URL", async () => {
    const upload = await mux.video.uploads.create({ cors_origin: "*" });
    const cancelled = await mux.video.uploads.cancel(upload.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await mux.video.uploads.retrieve(upload.id)).status).toBe("cancelled");
    const again = await mux.video.uploads.cancel(upload.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(BadRequestError);
    expect((again as BadRequestError).error).toMatchObject({ error: { type: "invalid_parameters" } });
    const put = await putWhole(upload.url ?? "", mp4);
    expect(put.status).toBe(410);
    expect(await put.json()).toMatchObject({ error: { type: "gone" } });
  });

  it("refuses to cancel an upload that became an asset, as Mux does: it stays asset_created, also once its asset is deleted", async () => {
    const { upload, asset } = await uploadAndSettle(mux, mp4);
    const refused = await mux.video.uploads.cancel(upload.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).error).toMatchObject({ error: { type: "invalid_parameters" } });
    await expect(mux.video.uploads.retrieve(upload.id)).resolves.toMatchObject({ status: "asset_created", asset_id: asset.id });
    await mux.video.assets.delete(asset.id);
    await expect(mux.video.uploads.retrieve(upload.id)).resolves.toMatchObject({ status: "asset_created", asset_id: asset.id });
    await expect(mux.video.uploads.cancel(upload.id)).rejects.toBeInstanceOf(BadRequestError);
  });

  it("creates signing keys whose private key is a base64 RSA PEM shown only once", async () => {
    const key = await mux.system.signingKeys.create();
    expect(key.id).toMatch(/^[A-Za-z0-9]+$/);
    expect(Buffer.from(key.private_key ?? "", "base64").toString("utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const fetched = await mux.system.signingKeys.retrieve(key.id);
    expect(fetched.id).toBe(key.id);
    expect(fetched.private_key).toBeUndefined();
    const listed: string[] = [];
    for await (const k of mux.system.signingKeys.list()) listed.push(k.id);
    expect(listed).toContain(key.id);
    await mux.system.signingKeys.delete(key.id);
    await expect(mux.system.signingKeys.retrieve(key.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers wrong credentials with 401 in Mux's error shape", async () => {
    const intruder = new Mux({ tokenId: emulator.tokenId, tokenSecret: "wrong-secret", baseURL: emulator.url, maxRetries: 0 });
    const error = await intruder.video.uploads.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).error).toEqual({ error: { type: "unauthorized", messages: ["Unauthorized request"] } });
  });

  it("answers unknown ids with 404 in Mux's error shape", async () => {
    const upload = await mux.video.uploads.retrieve("doesNotExist123").catch((e: unknown) => e);
    expect(upload).toBeInstanceOf(NotFoundError);
    expect((upload as NotFoundError).error).toMatchObject({ error: { type: "not_found", messages: [expect.any(String)] } });
    await expect(mux.video.assets.retrieve("doesNotExist123")).rejects.toBeInstanceOf(NotFoundError);
    await expect(mux.video.assets.createPlaybackId("doesNotExist123", { policy: "public" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(mux.system.signingKeys.retrieve("doesNotExist123")).rejects.toBeInstanceOf(NotFoundError);
  });
});
