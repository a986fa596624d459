// The reference migrations in sql/ on a real PostgreSQL server and on PGlite: who sees and changes which
// lesson, the "lesson ready" notification, the status check, the README's webhook UPDATEs, and that 001
// reruns and reverts cleanly. The lessons table has every column of 001 and 002 (002's own apply and
// rollback: sql-upload-link-migration.test.ts). User-facing queries run as the app role (no superuser, no
// BYPASSRLS), so row level security applies.
import { readmeHook } from "./readme-host-code.js";
import {
  deliveredSoFar,
  downMigration,
  schemaSnapshotQuery,
  startPGliteEngine,
  startPostgresEngine,
  upMigration,
  uploadLinkUpMigration,
  type Query,
  type Row,
  type SqlEngine,
} from "./sql-engines.js";

const alice = "00000000-0000-4000-8000-00000000a11c";
const bob = "00000000-0000-4000-8000-0000000000b0";
const carol = "00000000-0000-4000-8000-0000000000c0";
const dave = "00000000-0000-4000-8000-0000000000d0";

const engines = [
  { name: "a real PostgreSQL server", start: startPostgresEngine },
  { name: "PGlite", start: startPGliteEngine },
];

const titles = (rows: Row[]) => rows.map((row) => row.title).sort();

/** What `pg_dump` prints that is not schema: a random `\restrict` key in recent releases. */
const withoutSessionLines = (dump: string) =>
  dump.split("\n").filter((line) => !/^\\(un)?restrict /.test(line)).join("\n");

describe.each(engines)("the lesson video migration on $name", ({ start }) => {
  let engine: SqlEngine;
  let lessonIds: { aliceDraft: string; alicePublished: string; bobDraft: string };

  beforeAll(async () => {
    engine = await start();
    await engine.admin(upMigration);
    await engine.admin(uploadLinkUpMigration);
    // What Supabase grants `authenticated` by default; row level security is what must keep users apart.
    await engine.admin(`grant select, insert, update, delete on public.lessons, public.purchases to ${engine.appRole}`);
  });

  afterAll(async () => {
    await engine?.close();
  });

  beforeEach(async () => {
    await engine.admin("truncate public.purchases, public.lessons");
    const { rows } = await engine.admin(
      `insert into public.lessons (title, status, creator_id) values
         ('Alice draft', 'draft', $1), ('Alice published', 'published', $1), ('Bob draft', 'draft', $2)
       returning id, title`,
      [alice, bob],
    );
    const idOf = (title: string) => String(rows.find((row) => row.title === title)?.id);
    lessonIds = { aliceDraft: idOf("Alice draft"), alicePublished: idOf("Alice published"), bobDraft: idOf("Bob draft") };
    await engine.admin("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [lessonIds.bobDraft, carol]);
  });

  const visibleTo = (userId: string | null) =>
    engine.asUser(userId, async (query) => titles((await query("select title from public.lessons")).rows));

  const lessonAsAdmin = async (id: string) =>
    (await engine.admin("select * from public.lessons where id = $1", [id])).rows[0];

  describe("who sees a lesson", () => {
    it("shows a creator their own drafts and published lessons", async () => {
      expect(await visibleTo(alice)).toEqual(["Alice draft", "Alice published"]);
    });

    it("hides a draft from another signed-in user", async () => {
      expect(await visibleTo(dave)).toEqual(["Alice published"]);
    });

    it("shows published lessons to an anonymous visitor and nothing else", async () => {
      expect(await visibleTo(null)).toEqual(["Alice published"]);
    });

    it("shows a purchaser the draft they bought", async () => {
      expect(await visibleTo(carol)).toEqual(["Alice published", "Bob draft"]);
    });

    it("lets a buyer read their own purchases and nobody else's", async () => {
      const purchasesOf = (userId: string) =>
        engine.asUser(userId, async (query) => (await query("select user_id from public.purchases")).rows);
      expect(await purchasesOf(carol)).toEqual([{ user_id: carol }]);
      expect(await purchasesOf(dave)).toEqual([]);
    });
  });

  describe("who changes a lesson", () => {
    it("lets the creator update and delete their lesson", async () => {
      const updated = await engine.asUser(alice, (query) =>
        query("update public.lessons set title = 'Renamed' where id = $1", [lessonIds.aliceDraft]),
      );
      expect(updated.rowCount).toBe(1);
      expect((await lessonAsAdmin(lessonIds.aliceDraft))?.title).toBe("Renamed");

      const deleted = await engine.asUser(alice, (query) =>
        query("delete from public.lessons where id = $1", [lessonIds.aliceDraft]),
      );
      expect(deleted.rowCount).toBe(1);
      expect(await lessonAsAdmin(lessonIds.aliceDraft)).toBeUndefined();
    });

    it("changes no rows when someone else updates or deletes a lesson they can see", async () => {
      for (const [userId, id] of [
        [dave, lessonIds.alicePublished],
        [carol, lessonIds.bobDraft],
      ] as const) {
        const updated = await engine.asUser(userId, (query) =>
          query("update public.lessons set title = 'Hijacked', video_status = 'ready' where id = $1", [id]),
        );
        const deleted = await engine.asUser(userId, (query) => query("delete from public.lessons where id = $1", [id]));
        expect(updated.rowCount).toBe(0);
        expect(deleted.rowCount).toBe(0);
      }
      expect(await lessonAsAdmin(lessonIds.alicePublished)).toMatchObject({ title: "Alice published", video_status: "pending" });
      expect(await lessonAsAdmin(lessonIds.bobDraft)).toMatchObject({ title: "Bob draft", video_status: "pending" });
    });

    it("refuses an insert of a lesson for another creator", async () => {
      await expect(
        engine.asUser(alice, (query) =>
          query("insert into public.lessons (title, creator_id) values ('Forged', $1)", [bob]),
        ),
      ).rejects.toMatchObject({ code: "42501", message: expect.stringMatching(/row-level security/) });
      expect((await engine.admin("select count(*)::int as n from public.lessons where title = 'Forged'")).rows[0]?.n).toBe(0);
    });

    it("files a new lesson under the signed-in user when creator_id is left out", async () => {
      const { rows } = await engine.asUser(alice, (query) =>
        query("insert into public.lessons (title) values ('Mine') returning creator_id, status, video_status"),
      );
      expect(rows).toEqual([{ creator_id: alice, status: "draft", video_status: "pending" }]);
    });

    it("refuses to hand a lesson over to another creator", async () => {
      await expect(
        engine.asUser(alice, (query) =>
          query("update public.lessons set creator_id = $1 where id = $2", [bob, lessonIds.aliceDraft]),
        ),
      ).rejects.toMatchObject({ code: "42501" });
      expect((await lessonAsAdmin(lessonIds.aliceDraft))?.creator_id).toBe(alice);
    });

    it("refuses a purchase written by a user, so access cannot be bought for free", async () => {
      await expect(
        engine.asUser(dave, (query) =>
          query("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [lessonIds.bobDraft, dave]),
        ),
      ).rejects.toMatchObject({ code: "42501" });
      expect(await visibleTo(dave)).toEqual(["Alice published"]);
    });

    it("keeps updated_at current on every update", async () => {
      await engine.admin("update public.lessons set updated_at = '2000-01-01' where id = $1", [lessonIds.aliceDraft]);
      const before = (await lessonAsAdmin(lessonIds.aliceDraft))?.updated_at as Date;
      await engine.asUser(alice, (query) =>
        query("update public.lessons set title = 'Edited' where id = $1", [lessonIds.aliceDraft]),
      );
      const after = (await lessonAsAdmin(lessonIds.aliceDraft))?.updated_at as Date;
      expect(before.getUTCFullYear()).toBeGreaterThan(2000);
      expect(after.getTime()).toBeGreaterThanOrEqual(before.getTime());
    });
  });

  describe("video_status", () => {
    it("refuses a value outside pending, processing, ready and error", async () => {
      await expect(
        engine.admin("update public.lessons set video_status = 'done' where id = $1", [lessonIds.aliceDraft]),
      ).rejects.toMatchObject({ code: "23514", message: expect.stringMatching(/lessons_video_status_check/) });
      await expect(
        engine.asUser(alice, (query) =>
          query("insert into public.lessons (title, creator_id, video_status) values ('Bad', $1, 'Ready')", [alice]),
        ),
      ).rejects.toMatchObject({ code: "23514" });
      expect((await lessonAsAdmin(lessonIds.aliceDraft))?.video_status).toBe("pending");
    });

    it("accepts every documented status", async () => {
      for (const status of ["processing", "error", "ready", "pending"]) {
        await engine.admin("update public.lessons set video_status = $1 where id = $2", [status, lessonIds.aliceDraft]);
        expect((await lessonAsAdmin(lessonIds.aliceDraft))?.video_status).toBe(status);
      }
    });
  });

  describe("LISTEN lesson_ready", () => {
    /** The lesson_ready payloads delivered for what `act` did, and nothing else. */
    const notificationsFrom = async (act: () => Promise<unknown>) => {
      const received: unknown[] = [];
      const unlisten = await engine.listen("lesson_ready", (payload) => received.push(JSON.parse(payload)));
      await act();
      await deliveredSoFar(engine);
      await unlisten();
      return received;
    };
    const setStatus = (id: string, status: string) =>
      engine.admin("update public.lessons set video_status = $1 where id = $2", [status, id]);

    it("gets exactly one notification with the lesson id when a video becomes ready", async () => {
      await setStatus(lessonIds.aliceDraft, "processing");
      const received = await notificationsFrom(() =>
        engine.admin(
          "update public.lessons set video_status = 'ready', mux_asset_id = 'asset-1', mux_playback_id = 'play-1' where id = $1",
          [lessonIds.aliceDraft],
        ),
      );
      expect(received).toEqual([{ lesson_id: lessonIds.aliceDraft }]);
    });

    it("notifies when the creator marks their own lesson ready through the policy", async () => {
      const received = await notificationsFrom(() =>
        engine.asUser(alice, (query) =>
          query("update public.lessons set video_status = 'ready' where id = $1", [lessonIds.aliceDraft]),
        ),
      );
      expect(received).toEqual([{ lesson_id: lessonIds.aliceDraft }]);
    });

    it("gets no notification for other status changes or edits", async () => {
      const received = await notificationsFrom(async () => {
        await setStatus(lessonIds.aliceDraft, "processing");
        await setStatus(lessonIds.aliceDraft, "error");
        await setStatus(lessonIds.aliceDraft, "pending");
        await engine.admin("update public.lessons set title = 'Edited', mux_asset_id = 'asset-2' where id = $1", [lessonIds.aliceDraft]);
        await engine.asUser(alice, (query) =>
          query("insert into public.lessons (title, creator_id) values ('Fresh', $1)", [alice]),
        );
      });
      expect(received).toEqual([]);
    });

    it("gets no notification when the video was already ready", async () => {
      await setStatus(lessonIds.aliceDraft, "ready");
      const received = await notificationsFrom(async () => {
        await setStatus(lessonIds.aliceDraft, "ready");
        await engine.admin("update public.lessons set title = 'Retitled' where id = $1", [lessonIds.aliceDraft]);
      });
      expect(received).toEqual([]);
    });

    it("notifies once per lesson when one statement readies several, and again after an error and retry", async () => {
      await setStatus(lessonIds.alicePublished, "error");
      const received = await notificationsFrom(() =>
        engine.admin("update public.lessons set video_status = 'ready' where id in ($1, $2)", [
          lessonIds.aliceDraft,
          lessonIds.alicePublished,
        ]),
      );
      expect(received).toHaveLength(2);
      expect(received).toEqual(
        expect.arrayContaining([{ lesson_id: lessonIds.aliceDraft }, { lesson_id: lessonIds.alicePublished }]),
      );
    });

    it("notifies for a lesson saved with a video that is already ready", async () => {
      const received = await notificationsFrom(() =>
        engine.asUser(alice, (query) =>
          query("insert into public.lessons (title, creator_id, video_status) values ('Ready at once', $1, 'ready')", [alice]),
        ),
      );
      const id = (await engine.admin("select id from public.lessons where title = 'Ready at once'")).rows[0]?.id;
      expect(received).toEqual([{ lesson_id: id }]);
    });

    it("sends nothing when the change is rolled back", async () => {
      const received = await notificationsFrom(() =>
        engine
          .asUser(alice, async (query) => {
            await query("update public.lessons set video_status = 'ready' where id = $1", [lessonIds.aliceDraft]);
            throw new Error("save failed after the update");
          })
          .catch(() => undefined),
      );
      expect(received).toEqual([]);
      expect((await lessonAsAdmin(lessonIds.aliceDraft))?.video_status).toBe("pending");
    });
  });

  describe("the webhook hooks' updates shown in the README", () => {
    // Each asset comes from an upload named after it: asset-1 from upload-1.
    const uploadOf = (assetId: string) => assetId.replace("asset", "upload");
    const hook = (name: Parameters<typeof readmeHook>[0], args: Parameters<ReturnType<typeof readmeHook>["params"]>[0]) => {
      const { sql, params } = readmeHook(name);
      return engine.admin(sql, params(args));
    };
    const assetCreated = (lessonId: string | null, assetId: string) =>
      hook("onUploadAssetCreated", { lessonId, uploadId: uploadOf(assetId), assetId });
    const assetReady = (lessonId: string | null, assetId: string, playbackId: string) =>
      hook("onAssetReady", { lessonId, uploadId: uploadOf(assetId), assetId, playbackId });
    const assetErrored = (lessonId: string | null, assetId: string) =>
      hook("onAssetErrored", { lessonId, uploadId: uploadOf(assetId), assetId });
    const video = async (id: string) => {
      const row = await lessonAsAdmin(id);
      return { asset: row?.mux_asset_id, playback: row?.mux_playback_id, status: row?.video_status };
    };
    const readyNotifications = async (act: () => Promise<unknown>) => {
      let count = 0;
      const unlisten = await engine.listen("lesson_ready", () => count++);
      await act();
      await deliveredSoFar(engine);
      await unlisten();
      return count;
    };

    it("takes a lesson through processing to ready with one notification, and a repeated delivery changes nothing", async () => {
      const id = lessonIds.aliceDraft;
      expect(await readyNotifications(() => assetCreated(id, "asset-1"))).toBe(0);
      expect(await video(id)).toEqual({ asset: "asset-1", playback: null, status: "processing" });

      expect(await readyNotifications(() => assetReady(id, "asset-1", "play-1"))).toBe(1);
      expect(await video(id)).toEqual({ asset: "asset-1", playback: "play-1", status: "ready" });

      expect(
        await readyNotifications(async () => {
          await assetReady(id, "asset-1", "play-1");
          await assetCreated(id, "asset-1");
        }),
      ).toBe(0);
      expect(await video(id)).toEqual({ asset: "asset-1", playback: "play-1", status: "ready" });
      expect(await visibleTo(alice)).toContain("Alice draft");
    });

    it("keeps a lesson ready when its asset_created arrives after the ready event", async () => {
      await assetReady(lessonIds.aliceDraft, "asset-1", "play-1");
      await assetCreated(lessonIds.aliceDraft, "asset-1");
      expect(await video(lessonIds.aliceDraft)).toEqual({ asset: "asset-1", playback: "play-1", status: "ready" });
    });

    it("finds the lesson by asset id when the ready event carries no lesson id", async () => {
      await assetCreated(lessonIds.bobDraft, "asset-7");
      await assetReady(null, "asset-7", "play-7");
      expect(await video(lessonIds.bobDraft)).toEqual({ asset: "asset-7", playback: "play-7", status: "ready" });
      expect((await video(lessonIds.aliceDraft)).status).toBe("pending");
    });

    it("finds the lesson by the upload id it was saved with when no event carries its lesson id", async () => {
      await engine.admin("update public.lessons set mux_upload_id = 'upload-8' where id = $1", [lessonIds.bobDraft]);
      await assetCreated(null, "asset-8");
      expect(await video(lessonIds.bobDraft)).toEqual({ asset: "asset-8", playback: null, status: "processing" });
      await assetReady(null, "asset-8", "play-8");
      expect(await video(lessonIds.bobDraft)).toEqual({ asset: "asset-8", playback: "play-8", status: "ready" });
      expect((await video(lessonIds.aliceDraft)).status).toBe("pending");
    });

    it("marks a failed video as error, but an old upload's events do not hide the newer video saved with the lesson", async () => {
      const id = lessonIds.alicePublished;
      await assetCreated(id, "asset-old");
      // The creator saves the lesson with a newer upload: its video fields start again.
      await engine.admin(
        "update public.lessons set mux_upload_id = 'upload-new', mux_asset_id = null, mux_playback_id = null, video_status = 'pending' where id = $1",
        [id],
      );
      await assetCreated(id, "asset-new");
      await assetReady(id, "asset-new", "play-new");
      await assetCreated(id, "asset-old");
      await assetReady(id, "asset-old", "play-old");
      await assetErrored(id, "asset-old");
      expect(await video(id)).toEqual({ asset: "asset-new", playback: "play-new", status: "ready" });

      await assetCreated(lessonIds.aliceDraft, "asset-broken");
      await assetErrored(lessonIds.aliceDraft, "asset-broken");
      expect(await video(lessonIds.aliceDraft)).toEqual({ asset: "asset-broken", playback: null, status: "error" });
    });
  });

  describe("running the migration", () => {
    const snapshot = async (admin: Query) => (await admin(schemaSnapshotQuery)).rows;

    it("succeeds a second time and changes nothing", async () => {
      const catalogBefore = await snapshot(engine.admin);
      const dumpBefore = await engine.dumpSchema?.();
      const rowsBefore = (await engine.admin("select * from public.lessons order by title")).rows;

      await engine.admin(upMigration);
      await engine.admin(uploadLinkUpMigration);

      expect(await snapshot(engine.admin)).toEqual(catalogBefore);
      if (dumpBefore !== undefined) {
        expect(withoutSessionLines((await engine.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dumpBefore));
      }
      expect((await engine.admin("select * from public.lessons order by title")).rows).toEqual(rowsBefore);
      expect(await visibleTo(carol)).toEqual(["Alice published", "Bob draft"]);
    });

    it("reverts with the down migration to the schema it started from, and the down migration reruns", async () => {
      const scratch = await engine.scratch();
      try {
        const catalogBefore = await snapshot(scratch.admin);
        const dumpBefore = await scratch.dumpSchema?.();

        await scratch.admin(upMigration);
        const catalogUp = await snapshot(scratch.admin);
        expect(catalogUp.map((row) => `${row.kind} ${row.name}`)).toEqual(
          expect.arrayContaining([
            "relation lessons",
            "relation purchases",
            "column lessons.video_status",
            "policy lessons.lesson_access_policy",
            "trigger lessons.lessons_video_status_change",
            "function auth.uid()",
          ]),
        );

        await scratch.admin(downMigration);
        expect(await snapshot(scratch.admin)).toEqual(catalogBefore);
        if (dumpBefore !== undefined) {
          expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dumpBefore));
        }
        await scratch.admin(downMigration);
        expect(await snapshot(scratch.admin)).toEqual(catalogBefore);
      } finally {
        await scratch.close();
      }
    });

    it("adds the video columns to an existing lessons table, keeps its rows, and the down migration gives it back", async () => {
      const scratch = await engine.scratch();
      try {
        await scratch.admin(`
          create table public.lessons (
            id uuid primary key,
            title text not null,
            status text not null,
            creator_id uuid not null
          );
          alter table public.lessons enable row level security;
          insert into public.lessons values ('${bob}', 'Existing', 'published', '${alice}');
        `);
        const catalogBefore = await snapshot(scratch.admin);

        await scratch.admin(upMigration);
        await scratch.admin(upMigration);
        const { rows } = await scratch.admin("select title, video_status, mux_asset_id, mux_playback_id from public.lessons");
        expect(rows).toEqual([{ title: "Existing", video_status: "pending", mux_asset_id: null, mux_playback_id: null }]);

        await scratch.admin(downMigration);
        expect(await snapshot(scratch.admin)).toEqual(catalogBefore);
        expect((await scratch.admin("select * from public.lessons")).rows).toEqual([
          { id: bob, title: "Existing", status: "published", creator_id: alice },
        ]);
      } finally {
        await scratch.close();
      }
    });

    it("notifies when a NULL video_status on an existing table becomes ready", async () => {
      const scratch = await engine.scratch();
      try {
        await scratch.admin(`
          create table public.lessons (id uuid primary key, title text, status text, creator_id uuid, video_status text);
          insert into public.lessons values ('${bob}', 'Old lesson', 'draft', '${alice}', null);
        `);
        await scratch.admin(upMigration);
        const received: unknown[] = [];
        const unlisten = await scratch.listen("lesson_ready", (payload) => received.push(JSON.parse(payload)));
        await scratch.admin("update public.lessons set video_status = 'ready' where id = $1", [bob]);
        await deliveredSoFar(scratch);
        await unlisten();
        expect(received).toEqual([{ lesson_id: bob }]);
      } finally {
        await scratch.close();
      }
    });

    it("stops with a message naming what an existing lessons table lacks", async () => {
      const scratch = await engine.scratch();
      try {
        await scratch.admin("create table public.lessons (id uuid primary key, title text)");
        await expect(scratch.admin(upMigration)).rejects.toThrow(/public\.lessons needs the column\(s\) creator_id uuid, status text/);
      } finally {
        await scratch.close();
      }
    });

    it("keeps an auth.uid() that is already there, as on Supabase, and the down migration leaves it", async () => {
      const scratch = await engine.scratch();
      try {
        await scratch.admin(`
          create schema auth;
          create function auth.uid() returns uuid language sql stable
            as $$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
        `);
        const definition = async () =>
          (await scratch.admin("select pg_get_functiondef('auth.uid()'::regprocedure) as def")).rows[0]?.def;
        const supabaseUid = await definition();

        await scratch.admin(upMigration);
        expect(await definition()).toBe(supabaseUid);
        await scratch.admin(downMigration);
        expect(await definition()).toBe(supabaseUid);
        expect((await scratch.admin("select to_regclass('public.lessons') as lessons")).rows[0]?.lessons).toBeNull();
      } finally {
        await scratch.close();
      }
    });

    it("reads the user id from request.jwt.claims as well as request.jwt.claim.sub", async () => {
      const scratch = await engine.scratch();
      try {
        await scratch.admin(upMigration);
        const uid = async () => (await scratch.admin("select auth.uid() as uid")).rows[0]?.uid;
        expect(await uid()).toBeNull();
        await scratch.admin("select set_config('request.jwt.claims', $1, false)", [JSON.stringify({ sub: carol, role: "authenticated" })]);
        expect(await uid()).toBe(carol);
        await scratch.admin("select set_config('request.jwt.claim.sub', $1, false)", [dave]);
        expect(await uid()).toBe(dave);
      } finally {
        await scratch.close();
      }
    });
  });
});
