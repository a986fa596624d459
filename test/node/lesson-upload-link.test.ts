// A lesson never loses its video, whatever the order of the save, the upload and the webhooks. A host app
// built from the README: createVideoRoutes + createMuxBackend (the real @mux/mux-node client) against the
// local emulator, the README's webhook hooks and lesson save as its code, migrations 001 + 002 on a real
// PostgreSQL server and on PGlite. The test holds each webhook at the host's hooks until the order it drives
// says so (events, not sleeps) and saves the lesson at every point of the upload's life: before the upload
// exists, mid-upload, once the bytes are sent, while processing, after ready, with the form saving again or
// the tab closed, and with the save's transaction still open while the webhooks run.
import { readFileSync } from "node:fs";
import {
  createMuxBackend,
  reconcileUpload,
  type AssetErroredInfo,
  type AssetReadyInfo,
  type UploadAssetCreatedInfo,
  type WebhookHooks,
} from "../../src/server/index.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { readmeHook, readmeSave, type HookArgs, type HookName } from "./readme-host-code.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";
import {
  deliveredSoFar,
  startPGliteEngine,
  startPostgresEngine,
  upMigration,
  uploadLinkUpMigration,
  type Query,
  type SqlEngine,
} from "./sql-engines.js";

/** The creator: `alice-token` signs the routes' requests in as `alice`; this is her id in the database. */
const alice = "00000000-0000-4000-8000-00000000a11c";
const chunk = 256 * 1024;

type HookKind = "created" | "ready" | "errored";
const hookNames: Record<HookKind, HookName> = { created: "onUploadAssetCreated", ready: "onAssetReady", errored: "onAssetErrored" };

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A hook's failure is also the route's: the test awaiting it sees the error, nobody else must.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * The host's hooks as the routes call them on a webhook, with a latch per upload: a held upload's hooks
 * wait at the door until released, and the test hears when each hook was entered and when its UPDATE ended
 * (with how many rows it changed). `reconcileUpload` gets the README's hooks directly, never this latch.
 */
class WebhookLatch {
  private readonly held = new Set<string>();
  private readonly doors = new Map<string, Deferred<void>>();
  private readonly entries = new Map<string, Deferred<void>>();
  private readonly results = new Map<string, Deferred<number>>();
  /** Every hook call the webhooks made, to deliver again late. */
  readonly delivered: Array<{ kind: HookKind; args: HookArgs }> = [];

  constructor(private readonly run: (kind: HookKind, args: HookArgs) => Promise<number>) {}

  hold(uploadId: string): void {
    this.held.add(uploadId);
  }

  release(kind: HookKind, uploadId: string): void {
    this.door(kind, uploadId).resolve();
  }

  releaseAll(): void {
    this.held.clear();
    for (const door of this.doors.values()) door.resolve();
  }

  /** Resolves when the webhook's hook was called (before it waits at the door or runs its UPDATE). */
  entered(kind: HookKind, uploadId: string): Promise<void> {
    return this.slot(this.entries, kind, uploadId).promise;
  }

  /** Resolves with the rows the hook's UPDATE changed, once it ran. */
  done(kind: HookKind, uploadId: string): Promise<number> {
    return this.slot(this.results, kind, uploadId).promise;
  }

  readonly hooks: WebhookHooks = {
    onUploadAssetCreated: (info: UploadAssetCreatedInfo) => this.pass("created", info.uploadId, info),
    onAssetReady: (info: AssetReadyInfo) => this.pass("ready", info.uploadId, info),
    onAssetErrored: (info: AssetErroredInfo) => this.pass("errored", info.uploadId, info),
  };

  private async pass(kind: HookKind, uploadId: string | undefined, info: HookArgs): Promise<void> {
    if (!uploadId) throw new Error(`a ${kind} webhook without an upload id`);
    const args: HookArgs = { lessonId: info.lessonId, uploadId, assetId: info.assetId, playbackId: info.playbackId };
    this.slot(this.entries, kind, uploadId).resolve();
    if (this.held.has(uploadId)) await this.door(kind, uploadId).promise;
    const result = this.slot(this.results, kind, uploadId);
    try {
      const changed = await this.run(kind, args);
      this.delivered.push({ kind, args });
      result.resolve(changed);
    } catch (error) {
      result.reject(error);
      throw error;
    }
  }

  private door(kind: HookKind, uploadId: string): Deferred<void> {
    return this.slot(this.doors, kind, uploadId);
  }

  private slot<T>(map: Map<string, Deferred<T>>, kind: HookKind, uploadId: string): Deferred<T> {
    const key = `${kind}:${uploadId}`;
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = deferred<T>()));
    return entry;
  }
}

/** Where in the upload's life the creator saves the lesson with it. */
type SavePoint = "before the upload exists" | "mid-upload" | "once the bytes are sent" | "while processing" | "after ready";

interface Order {
  saveAt: SavePoint;
  /** The form stays open and saves again once the video is ready (else the tab is closed after the save). */
  savesAgain: boolean;
}

const savePoints: SavePoint[] = ["before the upload exists", "mid-upload", "once the bytes are sent", "while processing", "after ready"];
const orders: Array<Order & { name: string }> = savePoints.flatMap((saveAt) =>
  [false, true].map((savesAgain) => ({
    saveAt,
    savesAgain,
    name: `saved ${saveAt}, then ${savesAgain ? "saved again once ready" : "the tab is closed"}`,
  })),
);

const engines = [
  { name: "a real PostgreSQL server", start: startPostgresEngine, serializesTransactions: false },
  { name: "PGlite", start: startPGliteEngine, serializesTransactions: true },
];

let mp4: Fixture;
let fakeMp4: Fixture;
let mp4Bytes: Uint8Array;

beforeAll(async () => {
  ({ mp4, fakeMp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
  expect(mp4Bytes.length).toBeGreaterThan(chunk);
});

describe.each(engines)("a lesson and its upload on $name", ({ start, serializesTransactions }) => {
  let engine: SqlEngine;
  let stack: Stack;
  let latch: WebhookLatch;
  let backend: ReturnType<typeof createMuxBackend>;
  const readyNotifications: string[] = [];

  /** The README's hooks, run as the service (the tables' owner): rows changed. */
  const runReadmeHook = async (kind: HookKind, args: HookArgs): Promise<number> => {
    const { sql, params } = readmeHook(hookNames[kind]);
    return (await engine.admin(sql, params(args))).rowCount;
  };
  const readmeHooks: WebhookHooks = {
    onUploadAssetCreated: async (info) => void (await runReadmeHook("created", info)),
    onAssetReady: async (info) => void (await runReadmeHook("ready", info)),
    onAssetErrored: async (info) => void (await runReadmeHook("errored", info)),
  };

  beforeAll(async () => {
    engine = await start();
    await engine.admin(upMigration);
    await engine.admin(uploadLinkUpMigration);
    await engine.admin(`grant select, insert, update, delete on public.lessons, public.purchases to ${engine.appRole}`);
    await engine.listen("lesson_ready", (payload) => readyNotifications.push(String(JSON.parse(payload).lesson_id)));

    latch = new WebhookLatch(runReadmeHook);
    stack = await startStack({
      signingKey: false,
      routes: {
        hooks: latch.hooks,
        // The README's rule: a new lesson's upload, or one for a lesson of the caller's.
        canUpload: async (user, lessonId) => {
          if (lessonId === undefined) return true;
          const { rows } = await engine.admin("select creator_id from public.lessons where id::text = $1", [lessonId]);
          return user.id === "alice" && rows[0]?.creator_id === alice;
        },
      },
    });
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
    latch?.releaseAll();
    await stack?.close();
    await engine?.close();
  });

  afterEach(() => {
    // A failed case must not leave a webhook waiting: the emulator delivers the next one after it.
    latch.releaseAll();
  });

  /**
   * The README's `saveLesson` as alice: its SQL in one transaction through the access policy, then
   * `reconcileUpload` once committed. `whileOpen` runs inside the transaction, before the commit.
   */
  async function saveLesson(
    lesson: { id?: string | undefined; uploadId: string | null; muxAssetId?: string | undefined },
    whileOpen?: (query: Query) => Promise<void>,
  ): Promise<string> {
    const sql = readmeSave();
    const { uploadId } = lesson;
    const title = "Colour grading";
    const description = "Balance, contrast, a look.";
    const id = await engine.asUser(alice, async (query: Query) => {
      let saved: string;
      if (lesson.id === undefined) {
        const { rows } = await query(sql.insert, [title, description, uploadId]);
        saved = String(rows[0]?.id);
      } else {
        saved = lesson.id;
        const { rowCount } = await query(sql.updateText, [saved, title, description]);
        if (rowCount !== 1) throw new Error("No lesson of yours has this id.");
        await query(sql.switchUpload, [saved, uploadId]);
        if (uploadId === null && lesson.muxAssetId === undefined) await query(sql.removeVideo, [saved]);
      }
      await whileOpen?.(query);
      return saved;
    });
    if (uploadId) await reconcileUpload({ backend, uploadId, hooks: readmeHooks });
    return id;
  }

  async function createUpload(file: Fixture, lessonId?: string): Promise<{ uploadId: string; url: string }> {
    const response = await stack.call("/uploads", uploadRequest({ name: file.name, size: file.size, type: file.type }, lessonId));
    expect(response.status).toBe(201);
    const target = (await response.json()) as { uploadId: string; url: string };
    latch.hold(target.uploadId);
    return target;
  }

  /** One chunked PUT of `bytes[start, end)`, as the kit's sender makes it. */
  async function put(url: string, bytes: Uint8Array, start: number, end: number): Promise<void> {
    const response = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "video/mp4", "content-range": `bytes ${start}-${end - 1}/${bytes.length}` },
      body: bytes.slice(start, end),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(end === bytes.length ? 200 : 308);
  }

  const lessonRow = async (id: string) =>
    (await engine.admin("select mux_upload_id, mux_asset_id, mux_playback_id, video_status from public.lessons where id = $1", [id])).rows[0];

  /** What the backend says the upload became. */
  async function videoOf(uploadId: string) {
    const upload = await stack.mux.video.uploads.retrieve(uploadId);
    const asset = await stack.mux.video.assets.retrieve(upload.asset_id ?? "");
    return { mux_upload_id: uploadId, mux_asset_id: asset.id, mux_playback_id: asset.playback_ids?.[0]?.id ?? null, status: asset.status };
  }

  const notificationsFor = async (lessonId: string) => {
    await deliveredSoFar(engine);
    return readyNotifications.filter((id) => id === lessonId).length;
  };

  /**
   * The end every order must reach: the lesson has its upload, its asset and playback id, is ready, its
   * creator sees that through the access policy, `lesson_ready` fired once, and repeated and late
   * deliveries (each webhook again, in reverse, and another reconcile) change nothing.
   */
  async function expectReadyWithItsVideo(lessonId: string, uploadId: string): Promise<void> {
    const video = await videoOf(uploadId);
    expect(video.status).toBe("ready");
    const expected = { mux_upload_id: uploadId, mux_asset_id: video.mux_asset_id, mux_playback_id: video.mux_playback_id, video_status: "ready" };
    expect(await lessonRow(lessonId)).toEqual(expected);
    const seen = await engine.asUser(alice, async (query) => (await query("select video_status from public.lessons where id = $1", [lessonId])).rows);
    expect(seen).toEqual([{ video_status: "ready" }]);
    expect(await notificationsFor(lessonId)).toBe(1);

    for (const { kind, args } of [...latch.delivered].reverse()) if (args.uploadId === uploadId) await runReadmeHook(kind, args);
    await reconcileUpload({ backend, uploadId, hooks: readmeHooks });
    expect(await lessonRow(lessonId)).toEqual(expected);
    expect(await notificationsFor(lessonId)).toBe(1);
  }

  it.each(orders)("ends ready with its video when $name", async ({ saveAt, savesAgain }) => {
    let lessonId: string | undefined;
    // Before the upload exists the form has no upload to send; the upload is then made for the saved lesson.
    if (saveAt === "before the upload exists") lessonId = await saveLesson({ uploadId: null });
    const { uploadId, url } = await createUpload(mp4, lessonId);
    // What LessonForm submits: the upload's id in every order, with the asset it became once the form knows it.
    const save = async (submits: "upload" | "asset") => {
      const muxAssetId = submits === "asset" ? (await stack.mux.video.uploads.retrieve(uploadId)).asset_id : undefined;
      lessonId = await saveLesson({ id: lessonId, uploadId, ...(muxAssetId ? { muxAssetId } : {}) });
    };

    await put(url, mp4Bytes, 0, chunk);
    if (saveAt === "mid-upload") await save("upload");
    await put(url, mp4Bytes, chunk, mp4Bytes.length);
    if (saveAt === "once the bytes are sent") await save("upload");

    latch.release("created", uploadId);
    await latch.done("created", uploadId);
    if (saveAt === "while processing") await save("asset");

    latch.release("ready", uploadId);
    const readyChanged = await latch.done("ready", uploadId);
    if (saveAt === "after ready") {
      // The webhooks came and went before the lesson had the upload: nothing to update yet.
      expect(readyChanged).toBe(0);
      await save("asset");
    }
    if (savesAgain) await save("asset");

    if (!lessonId) throw new Error("the order never saved the lesson");
    await expectReadyWithItsVideo(lessonId, uploadId);
  });

  it("ends ready with its video when the webhooks run while the new lesson's insert is not committed yet", async () => {
    const { uploadId, url } = await createUpload(mp4);
    await put(url, mp4Bytes, 0, mp4Bytes.length);
    let changedWhileOpen: number[] = [];

    const lessonId = await saveLesson({ uploadId }, async () => {
      latch.release("created", uploadId);
      latch.release("ready", uploadId);
      if (serializesTransactions) {
        // PGlite runs one transaction at a time: the hook's UPDATE waits for this commit.
        await latch.entered("created", uploadId);
        return;
      }
      changedWhileOpen = [await latch.done("created", uploadId), await latch.done("ready", uploadId)];
    });

    // On PostgreSQL both UPDATEs ran before the commit and found no row: reconcileUpload made up for them.
    if (!serializesTransactions) expect(changedWhileOpen).toEqual([0, 0]);
    await latch.done("ready", uploadId);
    await expectReadyWithItsVideo(lessonId, uploadId);
  });

  it("ends ready with its video when a webhook waits on the row an edit's save is writing", async () => {
    const lessonId = await saveLesson({ uploadId: null });
    const { uploadId, url } = await createUpload(mp4, lessonId);
    await put(url, mp4Bytes, 0, mp4Bytes.length);

    await saveLesson({ id: lessonId, uploadId }, async (query) => {
      latch.release("created", uploadId);
      latch.release("ready", uploadId);
      await latch.entered("created", uploadId);
      if (serializesTransactions) return;
      // The hook's UPDATE matches the committed row (no upload yet, made for this lesson) and waits for
      // this transaction's row lock. pg_locks shows the wait to the app role too (the hook's own
      // connection is the one waiting, so the check goes through this transaction's).
      await vi.waitFor(
        async () => expect((await query("select 1 from pg_locks where not granted limit 1")).rowCount).toBe(1),
        { timeout: 20_000, interval: 20 },
      );
    });

    // Once the save committed, the waiting UPDATE saw the saved upload id and went on.
    if (!serializesTransactions) expect(await latch.done("created", uploadId)).toBe(1);
    await latch.done("ready", uploadId);
    await expectReadyWithItsVideo(lessonId, uploadId);
  });

  it("marks a failed video as error, and a newer upload saved with the lesson replaces it for good", async () => {
    const { uploadId: failedUpload, url: failedUrl } = await createUpload(fakeMp4);
    const fake = new Uint8Array(readFileSync(fakeMp4.path));
    await put(failedUrl, fake, 0, fake.length);
    const lessonId = await saveLesson({ uploadId: failedUpload });
    latch.release("created", failedUpload);
    latch.release("errored", failedUpload);
    await latch.done("errored", failedUpload);
    const failedAsset = (await stack.mux.video.uploads.retrieve(failedUpload)).asset_id;
    expect(await lessonRow(lessonId)).toEqual({ mux_upload_id: failedUpload, mux_asset_id: failedAsset, mux_playback_id: null, video_status: "error" });

    // The creator uploads another file on the edit page and saves mid-upload.
    const { uploadId, url } = await createUpload(mp4, lessonId);
    await put(url, mp4Bytes, 0, chunk);
    await saveLesson({ id: lessonId, uploadId });
    expect(await lessonRow(lessonId)).toEqual({ mux_upload_id: uploadId, mux_asset_id: null, mux_playback_id: null, video_status: "pending" });
    await put(url, mp4Bytes, chunk, mp4Bytes.length);
    latch.release("created", uploadId);
    latch.release("ready", uploadId);
    await latch.done("ready", uploadId);

    // The failed upload's events, delivered again late, find no lesson: its video is the newer one.
    for (const { kind, args } of latch.delivered.filter((d) => d.args.uploadId === failedUpload)) {
      expect(await runReadmeHook(kind, args)).toBe(0);
    }
    await reconcileUpload({ backend, uploadId: failedUpload, hooks: readmeHooks });
    await expectReadyWithItsVideo(lessonId, uploadId);
  });

  it("keeps a lesson that was never saved out of the database: its asset is left for the orphan clean-up", async () => {
    const { uploadId, url } = await createUpload(mp4);
    await put(url, mp4Bytes, 0, mp4Bytes.length);
    latch.release("created", uploadId);
    latch.release("ready", uploadId);
    expect(await latch.done("created", uploadId)).toBe(0);
    expect(await latch.done("ready", uploadId)).toBe(0);
    const { rows } = await engine.admin("select count(*)::int as n from public.lessons where mux_upload_id = $1", [uploadId]);
    expect(rows[0]?.n).toBe(0);
  });
});
