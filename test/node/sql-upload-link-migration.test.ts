// Migration 002 (`lessons.mux_upload_id`) on a real PostgreSQL server and on PGlite: it applies after 001,
// reruns without changing anything, rolls back to exactly the schema 001 left, refuses to run before 001,
// and leaves a host's own column alone. The access policy and hooks with the column: sql-migration.test.ts.
import {
  downMigration,
  migrationEngines,
  schemaSnapshot,
  snapshotNames,
  uploadLinkDownMigration,
  uploadLinkUpMigration,
  upMigration,
  withoutSessionLines,
  type ScratchDatabase,
  type SqlEngine,
} from "./sql-engines.js";

const alice = "00000000-0000-4000-8000-00000000a11c";
const lessonId = "00000000-0000-4000-8000-0000000000e1";

describe.each(migrationEngines)("the upload-link migration (002) on $name", ({ start }) => {
  let engine: SqlEngine;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    engine = await start();
  });

  afterAll(async () => {
    await engine?.close();
  });

  beforeEach(async () => {
    scratch = await engine.scratch();
  });

  afterEach(async () => {
    await scratch.close();
  });

  it("adds an indexed mux_upload_id after 001, keeps existing rows, and a second run changes nothing", async () => {
    await scratch.admin(upMigration);
    await scratch.admin("insert into public.lessons (id, title, creator_id, mux_asset_id) values ($1, 'Old', $2, 'asset-1')", [lessonId, alice]);
    const before = await schemaSnapshot(scratch.admin);

    await scratch.admin(uploadLinkUpMigration);
    const after = await schemaSnapshot(scratch.admin);
    expect(snapshotNames(after)).toEqual(expect.arrayContaining(["column lessons.mux_upload_id", "index lessons_mux_upload_id_idx"]));
    expect(snapshotNames(after).filter((name) => !snapshotNames(before).includes(name)).sort()).toEqual([
      "column lessons.mux_upload_id",
      // The snapshot lists an index's key columns as its own columns.
      "column lessons_mux_upload_id_idx.mux_upload_id",
      "index lessons_mux_upload_id_idx",
      "relation lessons_mux_upload_id_idx",
    ]);
    const index = after.find((row) => row.name === "lessons_mux_upload_id_idx");
    expect(String(index?.definition)).toMatch(/ON public\.lessons USING btree \(mux_upload_id\)/);
    expect((await scratch.admin("select title, mux_asset_id, mux_upload_id from public.lessons")).rows).toEqual([
      { title: "Old", mux_asset_id: "asset-1", mux_upload_id: null },
    ]);

    const dump = await scratch.dumpSchema?.();
    await scratch.admin(uploadLinkUpMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after);
    if (dump !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump));
  });

  it("rolls back to exactly the schema 001 left, reruns its down, and then 001's down empties the database", async () => {
    const empty = await schemaSnapshot(scratch.admin);
    await scratch.admin(upMigration);
    const after001 = await schemaSnapshot(scratch.admin);
    const dump001 = await scratch.dumpSchema?.();

    await scratch.admin(uploadLinkUpMigration);
    await scratch.admin("insert into public.lessons (title, creator_id, mux_upload_id) values ('Linked', $1, 'upload-1')", [alice]);
    await scratch.admin(uploadLinkDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after001);
    if (dump001 !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump001));
    expect((await scratch.admin("select title from public.lessons")).rows).toEqual([{ title: "Linked" }]);

    await scratch.admin(uploadLinkDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after001);
    await scratch.admin("truncate public.lessons cascade");
    await scratch.admin(downMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(empty);
    // With nothing left, the down migration still runs.
    await scratch.admin(uploadLinkDownMigration);
  });

  it("stops with a message naming 001 when it runs first", async () => {
    await expect(scratch.admin(uploadLinkUpMigration)).rejects.toThrow(/002_lesson_upload needs the lesson video columns of 001/);
    await scratch.admin("create table public.lessons (id uuid primary key, title text, status text, creator_id uuid)");
    await expect(scratch.admin(uploadLinkUpMigration)).rejects.toThrow(/002_lesson_upload needs the lesson video columns of 001/);
  });

  it("uses a mux_upload_id the lessons table already had, and its down migration keeps it", async () => {
    await scratch.admin(`
      create table public.lessons (id uuid primary key, title text, status text, creator_id uuid, mux_upload_id text);
      insert into public.lessons values ('${lessonId}', 'Mine', 'draft', '${alice}', 'upload-of-mine');
    `);
    await scratch.admin(upMigration);
    await scratch.admin(uploadLinkUpMigration);
    expect(snapshotNames(await schemaSnapshot(scratch.admin))).toContain("index lessons_mux_upload_id_idx");

    await scratch.admin(uploadLinkDownMigration);
    const rows = (await scratch.admin("select mux_upload_id from public.lessons")).rows;
    expect(rows).toEqual([{ mux_upload_id: "upload-of-mine" }]);
    expect(snapshotNames(await schemaSnapshot(scratch.admin))).not.toContain("index lessons_mux_upload_id_idx");
  });
});
