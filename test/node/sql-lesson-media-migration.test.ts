// Migration 003 (`thumbnail_time`, `chapters`, `captions_on_by_default`) on a real PostgreSQL server and on PGlite:
// it applies after 001 and 002, keeps existing rows (with the defaults), reruns without changing anything, checks
// what it stores (a poster time ≥ 0, chapters always a JSON array), rolls back to exactly the schema 002 left,
// refuses to run before 001, and leaves a host's own columns alone.
import {
  downMigration,
  lessonMediaDownMigration,
  lessonMediaUpMigration,
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

describe.each(migrationEngines)("the lesson media migration (003) on $name", ({ start }) => {
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

  it("adds the three columns after 002, gives existing rows the defaults, and a second run changes nothing", async () => {
    await scratch.admin(upMigration);
    await scratch.admin(uploadLinkUpMigration);
    await scratch.admin("insert into public.lessons (id, title, creator_id) values ($1, 'Old', $2)", [lessonId, alice]);

    await scratch.admin(lessonMediaUpMigration);
    const after = await schemaSnapshot(scratch.admin);
    expect(snapshotNames(after)).toEqual(
      expect.arrayContaining(["column lessons.thumbnail_time", "column lessons.chapters", "column lessons.captions_on_by_default"]),
    );
    expect((await scratch.admin("select thumbnail_time, chapters, captions_on_by_default from public.lessons")).rows).toEqual([
      { thumbnail_time: null, chapters: [], captions_on_by_default: false },
    ]);

    const dump = await scratch.dumpSchema?.();
    await scratch.admin(lessonMediaUpMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after);
    if (dump !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump));
  });

  it("stores a poster time and chapters, and refuses a negative time and chapters that are not an array", async () => {
    await scratch.admin(upMigration);
    await scratch.admin(uploadLinkUpMigration);
    await scratch.admin(lessonMediaUpMigration);
    const chapters = [
      { startTime: 0, title: "Intro" },
      { startTime: 42.5, title: "The main idea" },
    ];
    await scratch.admin(
      "insert into public.lessons (id, title, creator_id, thumbnail_time, chapters, captions_on_by_default) values ($1, 'New', $2, 12.25, $3::jsonb, true)",
      [lessonId, alice, JSON.stringify(chapters)],
    );
    expect((await scratch.admin("select thumbnail_time, chapters, captions_on_by_default from public.lessons")).rows).toEqual([
      { thumbnail_time: 12.25, chapters, captions_on_by_default: true },
    ]);
    await expect(scratch.admin("update public.lessons set thumbnail_time = -1")).rejects.toThrow(/lessons_thumbnail_time_check/);
    await expect(scratch.admin("update public.lessons set thumbnail_time = 'Infinity'")).rejects.toThrow(/lessons_thumbnail_time_check/);
    await expect(scratch.admin(`update public.lessons set chapters = '{"startTime":0}'::jsonb`)).rejects.toThrow(/lessons_chapters_check/);
    await expect(scratch.admin("update public.lessons set chapters = null")).rejects.toThrow(/null/);
    const many = JSON.stringify(Array.from({ length: 501 }, (_, i) => ({ startTime: i, title: `C${i}` })));
    await expect(scratch.admin("update public.lessons set chapters = $1::jsonb", [many])).rejects.toThrow(/lessons_chapters_check/);
  });

  it("rolls back to exactly the schema 002 left, reruns its down, and then 002's and 001's downs empty the database", async () => {
    const empty = await schemaSnapshot(scratch.admin);
    await scratch.admin(upMigration);
    await scratch.admin(uploadLinkUpMigration);
    const after002 = await schemaSnapshot(scratch.admin);
    const dump002 = await scratch.dumpSchema?.();

    await scratch.admin(lessonMediaUpMigration);
    await scratch.admin("insert into public.lessons (title, creator_id, thumbnail_time) values ('Kept', $1, 3)", [alice]);
    await scratch.admin(lessonMediaDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after002);
    if (dump002 !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump002));
    expect((await scratch.admin("select title from public.lessons")).rows).toEqual([{ title: "Kept" }]);

    await scratch.admin(lessonMediaDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after002);
    await scratch.admin("truncate public.lessons cascade");
    await scratch.admin(uploadLinkDownMigration);
    await scratch.admin(downMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(empty);
    await scratch.admin(lessonMediaDownMigration);
  });

  it("stops with a message naming 001 when it runs first", async () => {
    await expect(scratch.admin(lessonMediaUpMigration)).rejects.toThrow(/003_lesson_media needs the lesson video columns of 001/);
  });

  it("uses a chapters column the lessons table already had, and its down migration keeps it", async () => {
    await scratch.admin(`
      create table public.lessons (id uuid primary key, title text, status text, creator_id uuid, chapters text);
      insert into public.lessons values ('${lessonId}', 'Mine', 'draft', '${alice}', 'my own chapters');
    `);
    await scratch.admin(upMigration);
    await scratch.admin(lessonMediaUpMigration);
    await scratch.admin(lessonMediaDownMigration);
    expect((await scratch.admin("select chapters from public.lessons")).rows).toEqual([{ chapters: "my own chapters" }]);
    expect(snapshotNames(await schemaSnapshot(scratch.admin))).not.toContain("column lessons.thumbnail_time");
  });
});
