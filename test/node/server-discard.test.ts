// Discarding an abandoned upload (`POST /uploads/:id/cancel` with `{ "discardAsset": true }`): the routes
// (createVideoRoutes + createMuxBackend on the real @mux/mux-node client, mounted with toNodeHandler) over
// real HTTP, against the local Mux emulator. The creator's discard deletes the asset the upload made; nobody
// else's does; an upload still sending is cancelled as before; the quota is given back once.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { OnlineSource } from "../../src/core/online-manager.js";
import type { UploadState } from "../../src/core/types.js";
import { UploadController } from "../../src/core/upload-controller.js";
import { createVideoRoutes, VideoError, type AssetDiscardRequest, type BackendUploadInfo, type VideoBackend } from "../../src/server/index.js";
import { ownerKeyOf } from "../../src/server/routes/access.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

let mp4: Fixture;
let mp4Bytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
});

const file = () => ({ name: mp4.name, size: mp4.size, type: mp4.type });
const discard: RequestInit = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ discardAsset: true }) };

async function createUpload(stack: Stack, user: string, lessonId?: string): Promise<{ uploadId: string; url: string }> {
  const response = await stack.call("/uploads", uploadRequest(file(), lessonId, user));
  expect(response.status).toBe(201);
  return (await response.json()) as { uploadId: string; url: string };
}

/** Uploads the MP4 fixture as `user` and waits until the emulator made an asset of it (it may still be preparing). */
async function uploadedAsset(stack: Stack, user: string, lessonId?: string): Promise<{ uploadId: string; assetId: string }> {
  const { uploadId, url } = await createUpload(stack, user, lessonId);
  await sendChunks(new Blob([mp4Bytes], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {}, chunkSize: 256 * 1024 });
  let assetId: string | undefined;
  await vi.waitFor(
    async () => {
      assetId = (await stack.mux.video.uploads.retrieve(uploadId)).asset_id;
      expect(assetId).toEqual(expect.any(String));
    },
    { timeout: 10_000, interval: 50 },
  );
  return { uploadId, assetId: assetId! };
}

async function assetIds(stack: Stack): Promise<string[]> {
  const ids: string[] = [];
  for await (const asset of stack.mux.video.assets.list()) ids.push(asset.id);
  return ids;
}

const statusOf = (error: unknown) => (error as { status?: number }).status;

describe("the creator discards an upload that already became an asset", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("deletes the asset: the emulator lists it no more, Mux and the routes answer 404 for it, the upload stays asset_created", async () => {
    const { uploadId, assetId } = await uploadedAsset(stack, "alice");
    // The routes have served it (and cached it) before the discard.
    expect((await stack.call(`/assets/${assetId}`, { user: "alice" })).status).toBe(200);
    expect(await assetIds(stack)).toContain(assetId);

    const response = await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "alice" });
    expect(response.status).toBe(204);

    expect(await assetIds(stack)).not.toContain(assetId);
    expect(statusOf(await stack.mux.video.assets.retrieve(assetId).catch((e: unknown) => e))).toBe(404);
    const viaRoutes = await stack.call(`/assets/${assetId}`, { user: "alice" });
    expect(viaRoutes.status).toBe(404);
    expect(await viaRoutes.json()).toEqual({ error: { code: "not_found", message: "There is no such video." } });
    // As Mux does: a cancel after the asset exists changes nothing on the upload.
    await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ status: "asset_created", asset_id: assetId });
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "asset_discarded", userId: "alice", uploadId, assetId }));
  });

  it("answers 204 to the same discard again, with nothing left to delete", async () => {
    const { uploadId, assetId } = await uploadedAsset(stack, "alice");
    expect((await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "alice" })).status).toBe(204);
    const deletes = stack.backendCalls.deleteAsset ?? 0;
    expect((await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "alice" })).status).toBe(204);
    expect(stack.backendCalls.deleteAsset ?? 0).toBe(deletes);
    expect(await assetIds(stack)).not.toContain(assetId);
  });

  it("a plain cancel (no body) of an upload that became an asset still answers 409 and deletes nothing", async () => {
    const { uploadId, assetId } = await uploadedAsset(stack, "alice");
    const response = await stack.call(`/uploads/${uploadId}/cancel`, { method: "POST", user: "alice" });
    expect(response.status).toBe(409);
    expect(await assetIds(stack)).toContain(assetId);
  });

  it("refuses a body that is not { discardAsset } with 400 and deletes nothing", async () => {
    const { uploadId, assetId } = await uploadedAsset(stack, "alice");
    for (const body of ['{"discardAsset":"yes"}', '{"discardAsset":true,"also":1}', "[true]", "not json"]) {
      const response = await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, body, user: "alice" });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
    }
    // A cross-site form's body (not JSON) can only ever be a plain cancel.
    const form = await stack.call(`/uploads/${uploadId}/cancel`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"discardAsset":true}', user: "alice" });
    expect(form.status).toBe(409);
    expect(await assetIds(stack)).toContain(assetId);
  });
});

describe("nobody else's discard deletes anything", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("bob's discard of alice's upload answers the 404 of an id that never existed, and her asset stays", async () => {
    const { uploadId, assetId } = await uploadedAsset(stack, "alice");
    const theirs = await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "bob" });
    const none = await stack.call(`/uploads/NoSuchId0000000000000000000000000000000001/cancel`, { ...discard, user: "bob" });
    const forged = await stack.call(`/uploads/not.an.id/cancel`, { ...discard, user: "bob" });
    const answers = await Promise.all([theirs, none, forged].map(async (r) => ({ status: r.status, body: await r.text() })));
    expect(answers[0]).toEqual({ status: 404, body: JSON.stringify({ error: { code: "not_found", message: "There is no such upload." } }) });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await assetIds(stack)).toContain(assetId);
    expect((await stack.call(`/assets/${assetId}`, { user: "alice" })).status).toBe(200);
    expect(stack.backendCalls.deleteAsset ?? 0).toBe(0);
  });

  it("whom canAccessUpload lets cancel may not delete the asset: 403, and it stays", async () => {
    const coEditing = await startStack({ routes: { canAccessUpload: (user) => user.id === "bob" } });
    try {
      const { uploadId, assetId } = await uploadedAsset(coEditing, "alice");
      const response = await coEditing.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "bob" });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
      expect(await assetIds(coEditing)).toContain(assetId);
      // A waiting upload they may still cancel, as before.
      const waiting = await createUpload(coEditing, "alice");
      expect((await coEditing.call(`/uploads/${waiting.uploadId}/cancel`, { ...discard, user: "bob" })).status).toBe(204);
      await expect(coEditing.mux.video.uploads.retrieve(waiting.uploadId)).resolves.toMatchObject({ status: "cancelled" });
    } finally {
      await coEditing.close();
    }
  });

  it("keeps an asset a saved lesson refers to (isAssetReferenced): 409, and the hook saw the asset, the upload and the lesson", async () => {
    const asked: AssetDiscardRequest[] = [];
    const guarded = await startStack({
      routes: {
        // As a host would: the lesson row the webhook hooks keep says which asset is its video.
        isAssetReferenced: (_user, asset) => {
          asked.push(asset);
          return [...guarded.lessons.values()].some((row) => row.assetId === asset.assetId);
        },
      },
    });
    try {
      const saved = await uploadedAsset(guarded, "alice", "lesson-alice");
      await vi.waitFor(() => expect(guarded.lessons.get("lesson-alice")?.assetId).toBe(saved.assetId), { timeout: 10_000, interval: 50 });
      const response = await guarded.call(`/uploads/${saved.uploadId}/cancel`, { ...discard, user: "alice" });
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({ error: { code: "bad_request", message: "This video is saved in a lesson; it was kept." } });
      expect(asked).toEqual([{ assetId: saved.assetId, uploadId: saved.uploadId, lessonId: "lesson-alice" }]);
      expect(await assetIds(guarded)).toContain(saved.assetId);

      // A take no lesson refers to goes.
      const take = await uploadedAsset(guarded, "alice");
      expect((await guarded.call(`/uploads/${take.uploadId}/cancel`, { ...discard, user: "alice" })).status).toBe(204);
      expect(await assetIds(guarded)).not.toContain(take.assetId);
    } finally {
      await guarded.close();
    }
  });
});

describe("an upload still sending", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("is cancelled by a discard as by a plain cancel: its URL takes no more bytes and no asset is made", async () => {
    for (const init of [discard, { method: "POST" }]) {
      const { uploadId, url } = await createUpload(stack, "alice");
      const first = await fetch(url, { method: "PUT", headers: { "content-range": `bytes 0-262143/${mp4.size}`, "content-type": mp4.type }, body: mp4Bytes.subarray(0, 262_144) });
      expect(first.status).toBe(308);
      expect((await stack.call(`/uploads/${uploadId}/cancel`, { ...init, user: "alice" })).status).toBe(204);
      await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ status: "cancelled" });
      const rest = await fetch(url, { method: "PUT", headers: { "content-range": `bytes 262144-${mp4.size - 1}/${mp4.size}`, "content-type": mp4.type }, body: mp4Bytes.subarray(262_144) });
      expect(rest.ok).toBe(false);
      expect((await stack.mux.video.uploads.retrieve(uploadId)).asset_id).toBeUndefined();
    }
  });
});

describe("the quota", () => {
  it("gives a cancelled or discarded upload back once, and never more", async () => {
    const stack = await startStack({ routes: { quota: { uploadsPerPeriod: 1, bytesPerPeriod: 2 * mp4.size } } });
    try {
      const { uploadId } = await uploadedAsset(stack, "alice");
      expect((await stack.call("/uploads", uploadRequest(file(), undefined, "alice"))).status).toBe(429);
      // Discarding it again, even many times at once, gives nothing more back.
      const again = await Promise.all(Array.from({ length: 8 }, () => stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "alice" })));
      expect(again.map((r) => r.status)).toEqual(Array(8).fill(204));

      const next = await createUpload(stack, "alice");
      expect((await stack.call("/uploads", uploadRequest(file(), undefined, "alice"))).status).toBe(429);
      // A plain cancel of one still waiting gives it back too.
      expect((await stack.call(`/uploads/${next.uploadId}/cancel`, { method: "POST", user: "alice" })).status).toBe(204);
      expect((await stack.call(`/uploads/${next.uploadId}/cancel`, { ...discard, user: "alice" })).status).toBe(204);
      await createUpload(stack, "alice");
      expect((await stack.call("/uploads", uploadRequest(file(), undefined, "alice"))).status).toBe(429);
    } finally {
      await stack.close();
    }
  });

  it("gives nothing back for an asset that was kept, nor for a cancel by someone else", async () => {
    const stack = await startStack({
      routes: { quota: { uploadsPerPeriod: 2 }, isAssetReferenced: () => true, canAccessUpload: (user) => user.id === "bob" },
    });
    try {
      const { uploadId } = await uploadedAsset(stack, "alice");
      expect((await stack.call(`/uploads/${uploadId}/cancel`, { ...discard, user: "alice" })).status).toBe(409);
      const waiting = await createUpload(stack, "alice");
      expect((await stack.call("/uploads", uploadRequest(file(), undefined, "alice"))).status).toBe(429);
      // Bob, a co-editor, may cancel her waiting upload; her quota is hers to get back, not his to give.
      expect((await stack.call(`/uploads/${waiting.uploadId}/cancel`, { method: "POST", user: "bob" })).status).toBe(204);
      expect((await stack.call("/uploads", uploadRequest(file(), undefined, "alice"))).status).toBe(429);
    } finally {
      await stack.close();
    }
  });
});

/** Alice's controllers over the routes of `stack`, and a take of the MP4 fixture started on one, resolved once `reached` says so. */
async function takeUntil(stack: Stack, reached: (state: UploadState) => boolean) {
  const alwaysOnline: OnlineSource = { isOnline: () => true, subscribe: () => () => undefined };
  const transport = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer alice-token" } });
  const controller = new UploadController({ transport, online: alwaysOnline });
  void controller.start(new File([mp4Bytes], mp4.name, { type: mp4.type }));
  await vi.waitFor(() => expect(reached(controller.getSnapshot())).toBe(true), { timeout: 30_000, interval: 20 });
  const { uploadId, assetId } = controller.getSnapshot();
  return { controller, uploadId: uploadId!, assetId: assetId! };
}

/** Discards the take and checks the asset is gone at the emulator, for Mux too, while the upload stays asset_created. */
async function discardAndCheck(stack: Stack, { controller, uploadId, assetId }: Awaited<ReturnType<typeof takeUntil>>) {
  expect(await assetIds(stack)).toContain(assetId);
  controller.cancel({ discardAsset: true });
  expect(controller.getSnapshot().status).toBe("idle");
  await vi.waitFor(async () => expect(await assetIds(stack)).not.toContain(assetId), { timeout: 10_000, interval: 50 });
  expect(statusOf(await stack.mux.video.assets.retrieve(assetId).catch((e: unknown) => e))).toBe(404);
  await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ status: "asset_created" });
  controller.dispose();
}

describe("UploadController over createHttpTransport: the abandon of a take still processing", () => {
  let stack: Stack;
  beforeAll(async () => {
    // Processing outlasts the test, so the take is caught while it processes however busy the machine is.
    stack = await startStack({ emulator: { processingDelayMs: 10 * 60_000 } });
  });
  afterAll(() => stack?.close());

  it("cancel({ discardAsset: true }) of a processing take deletes its asset at the emulator", async () => {
    await discardAndCheck(stack, await takeUntil(stack, (state) => state.status === "processing" && state.assetId !== undefined));
  });
});

describe("UploadController over createHttpTransport: the abandon of a complete take", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { processingDelayMs: 200 } });
  });
  afterAll(() => stack?.close());

  it("cancel({ discardAsset: true }) of a complete take deletes its asset at the emulator", async () => {
    await discardAndCheck(stack, await takeUntil(stack, (state) => state.status === "complete"));
  });

  it("a plain cancel() of a complete take forgets it here and leaves its asset at the emulator", async () => {
    const { controller, assetId } = await takeUntil(stack, (state) => state.status === "complete");
    const deletes = stack.backendCalls.deleteAsset ?? 0;
    controller.cancel();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.backendCalls.deleteAsset ?? 0).toBe(deletes);
    expect(await assetIds(stack)).toContain(assetId);
    controller.dispose();
  });
});

describe("with a backend of one's own", () => {
  /** A backend holding one upload of alice's that is `waiting` until something lands its last bytes. */
  async function oneUpload({ canDelete = true } = {}) {
    const ownerKey = await ownerKeyOf("alice");
    const state = { upload: { uploadId: "upload1", status: "waiting", ownerKey } as BackendUploadInfo, deleted: [] as string[], landOnCancel: true };
    const backend = {
      name: "own",
      getUpload: async () => ({ ...state.upload }),
      async cancelUpload() {
        if (state.landOnCancel) {
          // The last chunk committed a moment before the cancel arrived: the upload is an asset now.
          state.upload = { ...state.upload, status: "asset_created", assetId: "asset1" };
          throw new VideoError("bad_request", "This upload can no longer be cancelled.", { status: 409 });
        }
        state.upload = { ...state.upload, status: "cancelled" };
      },
      getAsset: async (id: string) => ({ id, status: "preparing", uploadId: "upload1", ownerKey }),
      ...(canDelete ? { deleteAsset: async (id: string) => void state.deleted.push(id) } : {}),
    } as unknown as VideoBackend;
    const handler = createVideoRoutes({ backend, authorize: () => ({ id: "alice" }) });
    const cancel = (body?: string) =>
      handler(
        new Request("http://app.test/api/video/uploads/upload1/cancel", {
          method: "POST",
          ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body }),
        }),
      );
    return { state, cancel, handler };
  }

  it("a discard that finds the last bytes landed (the cancel refused with 409) reads the upload again and deletes the asset it became", async () => {
    const { state, cancel, handler } = await oneUpload();
    try {
      expect((await cancel('{"discardAsset":true}')).status).toBe(204);
      expect(state.deleted).toEqual(["asset1"]);
    } finally {
      handler.close();
    }
  });

  it("the same race with a plain cancel answers 409 and deletes nothing", async () => {
    const { state, cancel, handler } = await oneUpload();
    try {
      expect((await cancel()).status).toBe(409);
      expect(state.deleted).toEqual([]);
    } finally {
      handler.close();
    }
  });

  it("a backend without deleteAsset keeps the asset and answers 409; a waiting upload is still cancelled", async () => {
    const { state, cancel, handler } = await oneUpload({ canDelete: false });
    try {
      const response = await cancel('{"discardAsset":true}');
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({ error: { code: "bad_request", message: "This video service cannot delete videos; the video was kept." } });
      state.upload = { uploadId: "upload1", status: "waiting", ownerKey: state.upload.ownerKey };
      state.landOnCancel = false;
      expect((await cancel('{"discardAsset":true}')).status).toBe(204);
      expect(state.upload.status).toBe("cancelled");
    } finally {
      handler.close();
    }
  });
});
