// Migration 005 (`trim_start_time`, `trim_end_time`) on a real PostgreSQL server and on PGlite: it applies after
// 001–003, keeps existing rows (no trim), reruns without changing anything, checks what it stores (both or neither,
// 0 ≤ start < end), rolls back to exactly the schema it found, refuses to run before 001, and leaves a host's own
// columns alone.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
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

const sqlDir = resolve(import.meta.dirname, "../../sql");
const trimUpMigration = readFileSync(resolve(sqlDir, "005_lesson_trim.up.sql"), "utf8");
const trimDownMigration = readFileSync(resolve(sqlDir, "005_lesson_trim.down.sql"), "utf8");

const alice = "00000000-0000-4000-8000-00000000a11c";
const lessonId = "00000000-0000-4000-8000-0000000000e1";

describe.each(migrationEngines)("the lesson trim migration (005) on $name", ({ start }) => {
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

  async function upTo003() {
    await scratch.admin(upMigration);
    await scratch.admin(uploadLinkUpMigration);
    await scratch.admin(lessonMediaUpMigration);
  }

  it("adds the two columns after 003, leaves existing rows untrimmed, and a second run changes nothing", async () => {
    await upTo003();
    await scratch.admin("insert into public.lessons (id, title, creator_id) values ($1, 'Old', $2)", [lessonId, alice]);

    await scratch.admin(trimUpMigration);
    const after = await schemaSnapshot(scratch.admin);
    expect(snapshotNames(after)).toEqual(expect.arrayContaining(["column lessons.trim_start_time", "column lessons.trim_end_time"]));
    expect((await scratch.admin("select trim_start_time, trim_end_time from public.lessons")).rows).toEqual([{ trim_start_time: null, trim_end_time: null }]);

    const dump = await scratch.dumpSchema?.();
    await scratch.admin(trimUpMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after);
    if (dump !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump));
  });

  it("stores a trim, and refuses a negative start, an end at or before the start, half a trim and an endless end", async () => {
    await upTo003();
    await scratch.admin(trimUpMigration);
    await scratch.admin("insert into public.lessons (id, title, creator_id, trim_start_time, trim_end_time) values ($1, 'New', $2, 20, 95.5)", [lessonId, alice]);
    expect((await scratch.admin("select trim_start_time, trim_end_time from public.lessons")).rows).toEqual([{ trim_start_time: 20, trim_end_time: 95.5 }]);
    await scratch.admin("update public.lessons set trim_start_time = 0");
    for (const update of [
      "trim_start_time = -1",
      "trim_end_time = 0",
      "trim_end_time = -5",
      "trim_start_time = null",
      "trim_end_time = null",
      "trim_end_time = 'Infinity'",
      "trim_start_time = 'NaN'",
    ]) {
      await expect(scratch.admin(`update public.lessons set ${update}`), update).rejects.toThrow(/lessons_trim_check/);
    }
    await scratch.admin("update public.lessons set trim_start_time = null, trim_end_time = null");
    expect((await scratch.admin("select trim_start_time, trim_end_time from public.lessons")).rows).toEqual([{ trim_start_time: null, trim_end_time: null }]);
  });

  it("rolls back to exactly the schema 003 left, reruns its down, and then the earlier downs empty the database", async () => {
    const empty = await schemaSnapshot(scratch.admin);
    await upTo003();
    const after003 = await schemaSnapshot(scratch.admin);
    const dump003 = await scratch.dumpSchema?.();

    await scratch.admin(trimUpMigration);
    await scratch.admin("insert into public.lessons (title, creator_id, trim_start_time, trim_end_time) values ('Kept', $1, 1, 2)", [alice]);
    await scratch.admin(trimDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after003);
    if (dump003 !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump003));
    expect((await scratch.admin("select title from public.lessons")).rows).toEqual([{ title: "Kept" }]);

    await scratch.admin(trimDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after003);
    await scratch.admin("truncate public.lessons cascade");
    await scratch.admin(lessonMediaDownMigration);
    await scratch.admin(uploadLinkDownMigration);
    await scratch.admin(downMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(empty);
    await scratch.admin(trimDownMigration);
  });

  it("stops with a message naming 001 when it runs first", async () => {
    await expect(scratch.admin(trimUpMigration)).rejects.toThrow(/005_lesson_trim needs the lesson video columns of 001/);
  });

  it("uses trim columns the lessons table already had, and its down migration keeps them", async () => {
    await scratch.admin(`
      create table public.lessons (id uuid primary key, title text, status text, creator_id uuid, trim_start_time text, trim_end_time text);
      insert into public.lessons values ('${lessonId}', 'Mine', 'draft', '${alice}', 'my start', 'my end');
    `);
    await scratch.admin(upMigration);
    await scratch.admin(trimUpMigration);
    await scratch.admin(trimDownMigration);
    expect((await scratch.admin("select trim_start_time, trim_end_time from public.lessons")).rows).toEqual([{ trim_start_time: "my start", trim_end_time: "my end" }]);
  });
});
