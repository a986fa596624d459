// The orphan clean-up against the local emulator through the real @mux/mux-node client: createMuxBackend's
// listAssets walks Mux's cursor pages (more than one page of 100), findOrphanAssets keeps what the routes'
// uploads created, past the grace period, that no lesson refers to (the README's isReferenced query on
// PGlite), and deleteOrphanAssets is a dry run unless told otherwise, asks `decide`, re-checks before each
// deletion and reports what it did; the emulator sends video.asset.deleted, which the routes act on.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createMuxBackend,
  deleteOrphanAssets,
  findOrphanAssets,
  isRoutesUploadAsset,
  reconcileUpload,
  type OrphanAsset,
  type VideoBackend,
} from "../../src/server/index.js";
import { VideoError } from "../../src/core/errors.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { readmeIsReferencedSql } from "./readme-host-code.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";
import { startPGliteEngine, upMigration, uploadLinkUpMigration, type SqlEngine } from "./sql-engines.js";

const alice = "00000000-0000-4000-8000-00000000a11c";
const hour = 60 * 60 * 1000;

/** Receives the emulator's webhooks next to the routes, so a test can wait for one. */
class WebhookRecorder {
  readonly received: Array<{ type: string; id: string; data: Record<string, unknown> }> = [];
  private readonly waiters = new Set<() => void>();
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type: string; data: Record<string, unknown> };
      this.received.push({ type: body.type, id: String(body.data.id), data: body.data });
      res.writeHead(200).end();
      for (const wake of this.waiters) wake();
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves when a webhook of `type` about `id` has arrived. */
  async next(type: string, id: string): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.received.find((event) => event.type === type && event.id === id);
      if (found) return found.data;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let stack: Stack;
let backend: ReturnType<typeof createMuxBackend>;
let recorder: WebhookRecorder;
let engine: SqlEngine;
let mp4: Fixture;
let mp4Bytes: Uint8Array;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
  [stack, engine] = await Promise.all([startStack({ signingKey: false, routes: { canUpload: () => true } }), startPGliteEngine()]);
  await engine.admin(upMigration);
  await engine.admin(uploadLinkUpMigration);
  recorder = new WebhookRecorder();
  await recorder.start();
  stack.emulator.setWebhookUrls([`${stack.api}/webhooks/mux`, recorder.url]);
  backend = createMuxBackend({
    baseURL: stack.emulator.url,
    tokenId: stack.emulator.tokenId,
    tokenSecret: stack.emulator.tokenSecret,
    webhookSecret: stack.emulator.webhookSecret,
    maxRetries: 0,
    env: {},
  });
});

afterAll(async () => {
  await stack?.close();
  await recorder?.close();
  await engine?.close();
});

/** An upload through the routes (as alice), its bytes sent, settled: the asset the routes' upload made. */
async function uploadThroughRoutes(lessonId?: string): Promise<{ uploadId: string; assetId: string }> {
  const response = await stack.call("/uploads", uploadRequest({ name: mp4.name, size: mp4.size, type: mp4.type }, lessonId));
  expect(response.status).toBe(201);
  const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
  const put = await fetch(url, { method: "PUT", headers: { "content-type": mp4.type }, body: new Uint8Array(mp4Bytes) });
  await put.arrayBuffer();
  const upload = await stack.mux.video.uploads.retrieve(uploadId);
  const assetId = upload.asset_id ?? "";
  await recorder.next("video.asset.ready", assetId);
  return { uploadId, assetId };
}

/** An upload made with the Mux API directly (the dashboard, another app): no owner key of the routes. */
async function uploadElsewhere(body: Uint8Array = new TextEncoder().encode("not a video")): Promise<{ uploadId: string; assetId: string }> {
  const upload = await stack.mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"] } });
  await (await fetch(upload.url ?? "", { method: "PUT", body: new Uint8Array(body) })).arrayBuffer();
  const assetId = (await stack.mux.video.uploads.retrieve(upload.id)).asset_id ?? "";
  return { uploadId: upload.id, assetId };
}

/** The README's isReferenced, on the lessons table. */
const isReferenced = async ({ assetId, uploadId, lessonId }: OrphanAsset) =>
  (await engine.admin(readmeIsReferencedSql(), [assetId, uploadId ?? null, lessonId ?? null])).rows.length !== 0;

const insertLesson = async (fields: { id?: string; mux_upload_id?: string; mux_asset_id?: string }) => {
  const { rows } = await engine.admin(
    `insert into public.lessons (id, title, creator_id, mux_upload_id, mux_asset_id)
     values (coalesce($1::uuid, gen_random_uuid()), 'Lesson', $2, $3, $4) returning id`,
    [fields.id ?? null, alice, fields.mux_upload_id ?? null, fields.mux_asset_id ?? null],
  );
  return String(rows[0]?.id);
};

/** A clock a day and more ahead, past the default grace period of the assets made now. */
const later = () => Date.now() + 25 * hour;

describe("createMuxBackend's listAssets and deleteAsset", () => {
  it("walks every asset across Mux's cursor pages of 100, each once, even while assets are deleted during the walk", async () => {
    const made = new Set<string>();
    // Nobody needs these assets' webhooks; without them the other tests' webhooks do not queue behind them.
    stack.emulator.setWebhookUrls([]);
    try {
      for (let i = 0; i < 105; i++) made.add((await uploadElsewhere()).assetId);
    } finally {
      stack.emulator.setWebhookUrls([`${stack.api}/webhooks/mux`, recorder.url]);
    }

    const seen: string[] = [];
    for await (const asset of backend.listAssets()) {
      seen.push(asset.id);
      expect(asset.createdAt).toBeGreaterThan(Date.now() - hour);
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of made) expect(seen).toContain(id);

    // Deleting each asset as the walk reaches it (what a clean-up does) skips none of the others.
    const walked: string[] = [];
    for await (const asset of backend.listAssets()) {
      walked.push(asset.id);
      if (made.has(asset.id)) await backend.deleteAsset(asset.id);
    }
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual([...seen].sort());
    await expect(stack.mux.video.assets.retrieve([...made][0]!)).rejects.toMatchObject({ status: 404 });
  });

  it("answers not_found for an asset that does not exist", async () => {
    await expect(backend.deleteAsset("no-such-asset")).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});

describe("findOrphanAssets", () => {
  it("finds the routes' assets no lesson refers to once the grace period is over, oldest first", async () => {
    const saved = await uploadThroughRoutes();
    await insertLesson({ mux_upload_id: saved.uploadId, mux_asset_id: saved.assetId });
    const savedByAssetOnly = await uploadThroughRoutes();
    await insertLesson({ mux_asset_id: savedByAssetOnly.assetId });
    // A lesson whose hooks have not recorded its video yet: the upload was made for it (lesson id passthrough).
    const waitingLesson = await insertLesson({});
    const madeForWaiting = await uploadThroughRoutes(waitingLesson);
    const neverSaved = await uploadThroughRoutes();
    // A lesson's video replaced by a newer upload.
    const replaced = await uploadThroughRoutes();
    const replacedLesson = await insertLesson({ mux_upload_id: replaced.uploadId, mux_asset_id: replaced.assetId });
    const newer = await uploadThroughRoutes(replacedLesson);
    await engine.admin("update public.lessons set mux_upload_id = $2, mux_asset_id = $3 where id = $1", [replacedLesson, newer.uploadId, newer.assetId]);
    const elsewhere = await uploadElsewhere(mp4Bytes);

    const young = await findOrphanAssets({ backend, isReferenced });
    expect(young.map((o) => o.assetId)).not.toContain(neverSaved.assetId);

    const orphans = await findOrphanAssets({ backend, isReferenced, now: later });
    const ids = orphans.map((o) => o.assetId);
    expect(ids).toContain(neverSaved.assetId);
    expect(ids).toContain(replaced.assetId);
    for (const kept of [saved, savedByAssetOnly, madeForWaiting, newer, elsewhere]) expect(ids).not.toContain(kept.assetId);
    const times = orphans.map((o) => o.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(orphans.find((o) => o.assetId === neverSaved.assetId)).toMatchObject({
      uploadId: neverSaved.uploadId,
      status: "ready",
      createdAt: expect.any(Number),
    });
    expect(orphans.every((o) => isRoutesUploadAsset(o.asset))).toBe(true);

    // The Mux API's own uploads are left alone unless `eligible` says otherwise.
    const wider = await findOrphanAssets({ backend, isReferenced, now: later, eligible: (asset) => asset.uploadId !== undefined });
    expect(wider.map((o) => o.assetId)).toContain(elsewhere.assetId);
  });

  it("refuses a backend that cannot list assets, and a grace period that is not a duration", async () => {
    await expect(findOrphanAssets({ backend: {}, isReferenced })).rejects.toThrow(/cannot list assets/);
    await expect(findOrphanAssets({ backend, isReferenced, graceMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe("deleteOrphanAssets", () => {
  it("deletes nothing by default and reports what it would delete, after asking decide", async () => {
    const orphan = await uploadThroughRoutes();
    const asked: string[] = [];
    const report = await deleteOrphanAssets({
      backend,
      isReferenced,
      now: later,
      decide: (o) => {
        asked.push(o.assetId);
        return true;
      },
    });
    expect(report.dryRun).toBe(true);
    expect(report.deleted).toEqual([]);
    expect(asked).toContain(orphan.assetId);
    expect(report.kept).toContainEqual({ orphan: expect.objectContaining({ assetId: orphan.assetId }), reason: "dry_run" });
    expect((await stack.mux.video.assets.retrieve(orphan.assetId)).status).toBe("ready");
  });

  it("deletes the orphans decide agrees to; the emulator sends video.asset.deleted and the routes forget the asset", async () => {
    const doomed = await uploadThroughRoutes();
    const spared = await uploadThroughRoutes();
    expect((await stack.call(`/assets/${doomed.assetId}`, { user: "alice" })).status).toBe(200);

    const report = await deleteOrphanAssets({
      backend,
      isReferenced,
      now: later,
      dryRun: false,
      decide: (o) => o.assetId !== spared.assetId,
    });
    expect(report.dryRun).toBe(false);
    expect(report.deleted.map((o) => o.assetId)).toContain(doomed.assetId);
    expect(report.kept).toContainEqual({ orphan: expect.objectContaining({ assetId: spared.assetId }), reason: "declined" });
    expect(report.failed).toEqual([]);

    const deleted = await recorder.next("video.asset.deleted", doomed.assetId);
    expect(deleted).toMatchObject({ id: doomed.assetId, upload_id: doomed.uploadId });
    await expect(stack.mux.video.assets.retrieve(doomed.assetId)).rejects.toMatchObject({ status: 404 });
    expect((await stack.mux.video.assets.retrieve(spared.assetId)).status).toBe("ready");
    // The routes heard the webhook too: the asset is gone from their cache, so its route answers 404.
    await vi.waitFor(async () => expect((await stack.call(`/assets/${doomed.assetId}`, { user: "alice" })).status).toBe(404), {
      timeout: 10_000,
      interval: 20,
    });
    // A lesson saved later with the deleted asset's upload finds no asset and changes nothing.
    const hooksCalled: string[] = [];
    const late = await reconcileUpload({
      backend,
      uploadId: doomed.uploadId,
      hooks: { onUploadAssetCreated: () => void hooksCalled.push("created"), onAssetReady: () => void hooksCalled.push("ready") },
    });
    expect(late.asset).toBeUndefined();
    expect(hooksCalled).toEqual([]);
  });

  it("keeps an orphan a lesson started to refer to during the clean-up, counts one already gone as deleted, and goes on after a failure", async () => {
    const savedMeanwhile = await uploadThroughRoutes();
    const goneAlready = await uploadThroughRoutes();
    const refused = await uploadThroughRoutes();
    const failing: NonNullable<VideoBackend["deleteAsset"]> = async (assetId) => {
      if (assetId === refused.assetId) throw new VideoError("server", "The backend is down.", { status: 503 });
      return backend.deleteAsset(assetId);
    };

    const report = await deleteOrphanAssets({
      backend: { listAssets: backend.listAssets, deleteAsset: failing },
      isReferenced,
      now: later,
      dryRun: false,
      decide: async (o) => {
        // Between finding and deleting: the creator saves a lesson with one, someone deletes another.
        if (o.assetId === savedMeanwhile.assetId) await insertLesson({ mux_upload_id: savedMeanwhile.uploadId });
        if (o.assetId === goneAlready.assetId) await stack.mux.video.assets.delete(goneAlready.assetId);
        return true;
      },
    });
    expect(report.kept).toContainEqual({ orphan: expect.objectContaining({ assetId: savedMeanwhile.assetId }), reason: "referenced" });
    expect(report.deleted.map((o) => o.assetId)).toContain(goneAlready.assetId);
    expect(report.failed).toEqual([{ orphan: expect.objectContaining({ assetId: refused.assetId }), error: expect.any(VideoError) }]);
    expect((await stack.mux.video.assets.retrieve(savedMeanwhile.assetId)).status).toBe("ready");
    expect((await stack.mux.video.assets.retrieve(refused.assetId)).status).toBe("ready");
  });

  it("refuses to delete with a backend that cannot delete assets, but dry-runs with it", async () => {
    const listingOnly = { listAssets: backend.listAssets };
    await expect(deleteOrphanAssets({ backend: listingOnly, isReferenced, dryRun: false })).rejects.toThrow(/cannot delete assets/);
    await expect(deleteOrphanAssets({ backend: listingOnly, isReferenced })).resolves.toMatchObject({ dryRun: true, deleted: [] });
  });
});

describe("the webhook hooks", () => {
  it("receive the asset's upload id with onAssetReady", async () => {
    const { uploadId, assetId } = await uploadThroughRoutes();
    await vi.waitFor(() => expect(stack.hooks.assetReady.find((h) => h.assetId === assetId)).toBeDefined(), { timeout: 10_000, interval: 20 });
    expect(stack.hooks.assetReady.find((h) => h.assetId === assetId)).toMatchObject({ uploadId });
    expect(stack.hooks.uploadAssetCreated.find((h) => h.assetId === assetId)).toMatchObject({ uploadId });
  });
});
