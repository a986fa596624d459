// End to end over real HTTP on 127.0.0.1: the kit's HTTP transport and chunked sender → the routes
// (createVideoRoutes + createMuxBackend on the real @mux/mux-node client, mounted with toNodeHandler)
// → the local Mux emulator → its signed webhooks back to the routes → the host's hooks → signed
// playback the emulator serves.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoAsset } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, type Stack } from "./server-harness.js";

let stack: Stack;
let mp4: Fixture;
let fakeMp4: Fixture;
let mp4Bytes: Buffer;

beforeAll(async () => {
  ({ mp4, fakeMp4 } = await ensureFixtures());
  mp4Bytes = readFileSync(mp4.path);
  stack = await startStack({ routes: { playbackPolicy: "signed", sseHeartbeatMs: 100 }, emulator: { processingDelayMs: 1500 } });
});
afterAll(() => stack?.close());

const transportFor = (user: string) => createHttpTransport({ baseUrl: stack.api, headers: { authorization: `Bearer ${user}-token` } });
const signal = () => new AbortController().signal;

async function uploadMp4(user: string, lessonId: string) {
  const transport = transportFor(user);
  const target = await transport.createUpload({ file: { name: mp4.name, size: mp4.size, type: mp4.type }, lessonId }, { signal: signal() });
  const progress: number[] = [];
  await sendChunks(new Blob([new Uint8Array(mp4Bytes)], { type: mp4.type }), target.url, { signal: signal(), onProgress: (n) => progress.push(n), chunkSize: 256 * 1024 });
  return { transport, target, progress };
}

describe("a lesson video from upload request to signed playback", () => {
  it("creates the direct upload for the lesson, takes the bytes in chunks, hears the webhooks and serves signed playback", async () => {
    const before = Date.now();
    const { transport, target, progress } = await uploadMp4("alice", "lesson-alice");

    // The emulator holds an upload made for this lesson, locked to the app's origin, with a timeout.
    const upload = await stack.mux.video.uploads.retrieve(target.uploadId);
    expect(upload).toMatchObject({ cors_origin: stack.origin, timeout: 3600 });
    expect(upload.new_asset_settings).toMatchObject({ passthrough: "lesson-alice", playback_policies: ["signed"] });
    expect(target.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(progress.at(-1)).toBe(mp4Bytes.length);
    expect(progress.length).toBeGreaterThan(1);

    // Webhooks reached the host's hooks with the lesson id, and the host's row is up to date.
    await vi.waitFor(() => expect(stack.hooks.assetReady).toHaveLength(1), { timeout: 30_000, interval: 100 });
    const created = stack.hooks.uploadAssetCreated.find((h) => h.uploadId === target.uploadId);
    const ready = stack.hooks.assetReady[0]!;
    expect(created).toMatchObject({ lessonId: "lesson-alice" });
    expect(ready).toMatchObject({ lessonId: "lesson-alice", assetId: created?.assetId, playbackPolicy: "signed" });
    expect(ready.playbackId).toEqual(expect.any(String));
    expect(stack.lessons.get("lesson-alice")).toMatchObject({ videoStatus: "ready", assetId: ready.assetId, playbackId: ready.playbackId });

    await expect(transport.getUpload(target.uploadId, { signal: signal() })).resolves.toEqual({
      uploadId: target.uploadId,
      status: "asset_created",
      assetId: ready.assetId,
    });

    // The asset route says ready, with tokens for this viewer and media URLs that carry them.
    const asset = await transport.getAsset(ready.assetId, { signal: signal() });
    expect(asset).toMatchObject({ id: ready.assetId, status: "ready", playbackId: ready.playbackId, passthrough: "lesson-alice", playback: { policy: "signed" } });
    expect(asset.duration).toBeCloseTo(mp4.duration ?? 3, 0);
    const src = new URL(asset.playback?.src ?? "");
    expect(`${src.origin}${src.pathname}`).toBe(`${stack.emulator.url}/stream/${ready.playbackId}.mp4`);
    expect(src.searchParams.get("token")).toBe(asset.playback?.tokens?.playback);

    // The player's src plays the very bytes that were uploaded.
    const played = await fetch(src);
    expect(played.status).toBe(200);
    expect(Buffer.from(await played.arrayBuffer()).equals(mp4Bytes)).toBe(true);

    // Tokens from the token route open video and thumbnail; nothing opens without a token.
    const { tokens, expiresAt } = await transport.getPlaybackTokens(ready.playbackId!);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const ranged = await fetch(`${stack.emulator.url}/stream/${ready.playbackId}.mp4?token=${tokens.playback}`, { headers: { range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(mp4Bytes.subarray(0, 100))).toBe(true);
    const thumbnail = await fetch(`${stack.emulator.url}/image/${ready.playbackId}/thumbnail.jpg?token=${tokens.thumbnail}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toMatch(/^image\//);
    const unsigned = await fetch(`${stack.emulator.url}/stream/${ready.playbackId}.mp4`);
    expect(unsigned.status).toBe(403);
    const wrongAudience = await fetch(`${stack.emulator.url}/stream/${ready.playbackId}.mp4?token=${tokens.thumbnail}`);
    expect(wrongAudience.status).toBe(403);

    // Monitoring saw the upload and the processing time.
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "upload_created", userId: "alice", lessonId: "lesson-alice", uploadId: target.uploadId, fileSize: mp4.size }));
    const readyEvent = stack.events.find((e) => e.type === "asset_ready" && e.assetId === ready.assetId);
    expect(readyEvent).toMatchObject({ lessonId: "lesson-alice", playbackId: ready.playbackId });
    expect(readyEvent?.type === "asset_ready" ? readyEvent.processingMs : undefined).toEqual(expect.any(Number));
  });

  it("answers a hundred viewers polling a ready asset from the cache the webhook filled, without asking Mux", async () => {
    const { assetId } = stack.hooks.assetReady[0]!;
    const before = { getAsset: stack.backendCalls.getAsset ?? 0, signPlayback: stack.backendCalls.signPlayback ?? 0 };
    const answers = await Promise.all(Array.from({ length: 100 }, () => stack.call(`/assets/${assetId}`, { user: "alice" }).then((r) => r.json() as Promise<VideoAsset>)));
    expect(answers.every((asset) => asset.status === "ready" && asset.playback?.tokens?.playback)).toBe(true);
    expect(stack.backendCalls.getAsset ?? 0).toBe(before.getAsset);
    // The creator's tokens are signed at most once for all hundred answers, not three RSA signatures each.
    expect((stack.backendCalls.signPlayback ?? 0) - before.signPlayback).toBeLessThanOrEqual(1);
  });

  it("refuses to cancel an upload that already became an asset, and leaves it as it was", async () => {
    const { uploadId } = stack.hooks.uploadAssetCreated[0]!;
    const response = await stack.call(`/uploads/${uploadId}/cancel`, { method: "POST", user: "alice" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: "bad_request", message: expect.any(String) } });
    await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ status: "asset_created" });
  });

  it("gives no tokens to a signed-in viewer that canView refuses", async () => {
    const ready = stack.hooks.assetReady[0]!;
    const bob = transportFor("bob");
    const asset = await bob.getAsset(ready.assetId, { signal: signal() });
    expect(asset.status).toBe("ready");
    expect(asset.playback?.tokens).toBeUndefined();
    expect(new URL(asset.playback?.src ?? "").searchParams.has("token")).toBe(false);
    await expect(bob.getPlaybackTokens(ready.playbackId!)).rejects.toMatchObject({ code: "forbidden", status: 403 });
  });

  it("streams preparing and then ready over server-sent events, with heartbeats, and ends the stream", async () => {
    const { transport, target } = await uploadMp4("bob", "lesson-bob");
    let assetId: string | undefined;
    await vi.waitFor(
      async () => {
        assetId = (await transport.getUpload(target.uploadId, { signal: signal() })).assetId;
        expect(assetId).toBeDefined();
      },
      { timeout: 10_000, interval: 50 },
    );
    const response = await stack.call(`/assets/${assetId}/events`, { user: "bob" });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text(); // resolves only when the server ends the stream
    const assets = [...text.matchAll(/^event: asset\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as VideoAsset);
    expect(assets[0]?.status).toBe("preparing");
    expect(assets.at(-1)?.status).toBe("ready");
    expect(text).toContain(": ping\n\n");
    // The creator's "ready" event already carries tokens: the hook recorded the playback id before viewers heard.
    const last = assets.at(-1)!;
    expect(last.playback?.tokens?.playback).toEqual(expect.any(String));
    expect(new URL(last.playback?.src ?? "").searchParams.get("token")).toBe(last.playback?.tokens?.playback);
  });

  it("lets the kit's transport watch an asset over the event stream", async () => {
    const { transport, target } = await uploadMp4("bob", "lesson-bob");
    await vi.waitFor(async () => expect((await transport.getUpload(target.uploadId, { signal: signal() })).assetId).toBeDefined(), { timeout: 10_000, interval: 50 });
    const { assetId } = await transport.getUpload(target.uploadId, { signal: signal() });
    const seen = await new Promise<VideoAsset[]>((resolve, reject) => {
      const assets: VideoAsset[] = [];
      transport.watchAsset?.(
        assetId!,
        (asset) => {
          assets.push(asset);
          if (asset.status === "ready") resolve(assets);
        },
        reject,
      );
    });
    expect(seen.at(-1)).toMatchObject({ id: assetId, status: "ready", passthrough: "lesson-bob" });
  });

  it("tells the host's hook, with the lesson id, when a renamed text file fails processing", async () => {
    stack.lessons.set("lesson-fake", { creatorId: "alice", videoStatus: "pending" });
    const transport = transportFor("alice");
    const target = await transport.createUpload({ file: { name: fakeMp4.name, size: fakeMp4.size, type: fakeMp4.type }, lessonId: "lesson-fake" }, { signal: signal() });
    await sendChunks(new Blob([new Uint8Array(readFileSync(fakeMp4.path))], { type: fakeMp4.type }), target.url, { signal: signal(), onProgress: () => {} });
    await vi.waitFor(() => expect(stack.lessons.get("lesson-fake")?.videoStatus).toBe("error"), { timeout: 30_000, interval: 100 });
    const errored = stack.hooks.assetErrored.find((h) => h.lessonId === "lesson-fake");
    expect(errored?.errors.length).toBeGreaterThan(0);
    await expect(transport.getAsset(errored!.assetId, { signal: signal() })).resolves.toMatchObject({ status: "errored", errors: errored!.errors });
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "asset_errored", assetId: errored!.assetId, lessonId: "lesson-fake" }));
  });

  it("answers 5xx when the host's hook fails, so the webhook is retried and then processed", async () => {
    stack.lessons.set("lesson-retry", { creatorId: "alice", videoStatus: "pending" });
    stack.failAssetReadyHook(1);
    const { target } = await uploadMp4("alice", "lesson-retry");
    await vi.waitFor(() => expect(stack.lessons.get("lesson-retry")?.videoStatus).toBe("ready"), { timeout: 30_000, interval: 100 });
    const assetId = stack.hooks.uploadAssetCreated.find((h) => h.uploadId === target.uploadId)?.assetId;
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_hook_failed", eventType: "asset.ready", message: "database unavailable" }));
    expect(stack.hooks.assetReady.filter((h) => h.assetId === assetId)).toHaveLength(1);
  });
});
