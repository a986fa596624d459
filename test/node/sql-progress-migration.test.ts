// Migration 004 (learner progress) on a real PostgreSQL server and on PGlite, as the app role row level security
// applies to: a learner reads and writes only their own rows of lessons the plan's rule lets them see (creator,
// published, purchased); completion is never undone; a creator sees aggregates of their own lessons only; the
// migration reruns without changing anything and reverses to exactly the schema 003 left (up, down, up).
import {
  lessonMediaDownMigration,
  lessonMediaUpMigration,
  migrationEngines,
  schemaSnapshot,
  snapshotNames,
  uploadLinkDownMigration,
  uploadLinkUpMigration,
  upMigration,
  downMigration,
  withoutSessionLines,
  type Query,
  type ScratchDatabase,
  type SqlEngine,
} from "./sql-engines.js";
import { appGrants, progressDownMigration, progressUpMigration } from "./progress-sql-engines.js";

const creator = "00000000-0000-4000-8000-0000000c4ea7";
const otherCreator = "00000000-0000-4000-8000-0000000c4ea8";
const alice = "00000000-0000-4000-8000-00000000a11c";
const bob = "00000000-0000-4000-8000-000000000b0b";
const lessons = {
  published: "00000000-0000-4000-8000-0000000000a1",
  paid: "00000000-0000-4000-8000-0000000000a2",
  othersPublished: "00000000-0000-4000-8000-0000000000a3",
};

const upTo003 = async (admin: Query) => {
  await admin(upMigration);
  await admin(uploadLinkUpMigration);
  await admin(lessonMediaUpMigration);
};

describe.each(migrationEngines)("the learner progress migration (004) on $name", ({ start }) => {
  let engine: SqlEngine;

  beforeAll(async () => {
    engine = await start();
    await upTo003(engine.admin);
    await engine.admin(progressUpMigration);
    await engine.admin(appGrants(engine.appRole));
  });

  afterAll(async () => {
    await engine?.close();
  });

  beforeEach(async () => {
    await engine.admin("truncate public.lesson_progress, public.purchases, public.lessons cascade");
    await engine.admin(
      `insert into public.lessons (id, title, status, creator_id) values
         ($1, 'Free and published', 'published', $4),
         ($2, 'Paid: not published, bought by alice', 'draft', $4),
         ($3, 'Another creator''s', 'published', $5)`,
      [lessons.published, lessons.paid, lessons.othersPublished, creator, otherCreator],
    );
    await engine.admin("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [lessons.paid, alice]);
  });

  const write = (userId: string, lessonId: string, watched: unknown = [[0, 10]], owner = userId) =>
    engine.asUser(userId, (query) =>
      query(
        `insert into public.lesson_progress (lesson_id, user_id, position, watched) values ($1, $2, 10, $3::jsonb)
         on conflict (lesson_id, user_id) do update set watched = excluded.watched, position = excluded.position`,
        [lessonId, owner, JSON.stringify(watched)],
      ),
    );
  const rowsSeenBy = (userId: string) =>
    engine.asUser(userId, async (query) => (await query("select lesson_id, user_id from public.lesson_progress order by lesson_id")).rows);

  it("a learner writes and reads their own progress; learner A can neither read nor write B's", async () => {
    await write(alice, lessons.published);
    await write(bob, lessons.published, [[20, 30]]);
    expect(await rowsSeenBy(alice)).toEqual([{ lesson_id: lessons.published, user_id: alice }]);
    expect(await rowsSeenBy(bob)).toEqual([{ lesson_id: lessons.published, user_id: bob }]);

    // A row in bob's name, an update of bob's row, and a row moved to bob are all refused or reach nothing.
    await expect(write(alice, lessons.othersPublished, [[0, 1]], bob)).rejects.toThrow(/row-level security/);
    const updated = await engine.asUser(alice, (query) => query("update public.lesson_progress set watched = '[[0, 99]]' where user_id = $1", [bob]));
    expect(updated.rowCount).toBe(0);
    await expect(engine.asUser(alice, (query) => query("update public.lesson_progress set user_id = $1", [bob]))).rejects.toThrow(/row-level security|keeps its lesson and learner/);
    // Deleting is not granted; and were it granted, no policy lets a learner delete (not even their own rows).
    await expect(engine.asUser(alice, (query) => query("delete from public.lesson_progress"))).rejects.toThrow(/permission denied/);
    await engine.admin(`grant delete on public.lesson_progress to ${engine.appRole}`);
    const deleted = await engine.asUser(alice, (query) => query("delete from public.lesson_progress"));
    await engine.admin(`revoke delete on public.lesson_progress from ${engine.appRole}`);
    expect(deleted.rowCount).toBe(0);
    expect(await engine.admin("select user_id, watched from public.lesson_progress where user_id = $1", [bob])).toMatchObject({
      rows: [{ user_id: bob, watched: [[20, 30]] }],
    });
  });

  it("a learner without a purchase cannot write progress for a paid lesson; the buyer and the creator can", async () => {
    await expect(write(bob, lessons.paid)).rejects.toThrow(/row-level security/);
    await write(alice, lessons.paid);
    await write(creator, lessons.paid);
    expect(await rowsSeenBy(bob)).toEqual([]);
    // A refunded purchase hides the buyer's progress of that lesson and refuses further writes.
    await engine.admin("delete from public.purchases where user_id = $1", [alice]);
    expect(await rowsSeenBy(alice)).toEqual([]);
    await expect(write(alice, lessons.paid, [[0, 50]])).rejects.toThrow(/row-level security/);
  });

  it("normalises watched ranges into their union, refuses ranges that are not [start, end], and keeps completed_at", async () => {
    await write(alice, lessons.published, [[5, 6], [0, 2], [1, 3], [3, 4]]);
    const [row] = (await engine.admin("select watched, watched_seconds from public.lesson_progress")).rows;
    expect(row).toEqual({ watched: [[0, 4], [5, 6]], watched_seconds: 5 });
    await expect(write(alice, lessons.published, [[3, 2]])).rejects.toThrow(/pairs with 0 <= start < end/);
    await expect(write(alice, lessons.published, [["0", 2]])).rejects.toThrow(/pairs with 0 <= start < end/);
    await expect(write(alice, lessons.published, { start: 0 })).rejects.toThrow(/pairs with 0 <= start < end|lesson_progress_watched_check/);

    await engine.asUser(alice, (query) => query("update public.lesson_progress set completed_at = '2026-01-01T00:00:00Z'"));
    await engine.asUser(alice, (query) => query("update public.lesson_progress set completed_at = null, watched = '[]'"));
    await engine.asUser(alice, (query) => query("update public.lesson_progress set completed_at = now()"));
    const [after] = (await engine.admin("select completed_at, watched_seconds from public.lesson_progress")).rows;
    expect(new Date(after?.completed_at as string).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(after?.watched_seconds).toBe(0);
  });

  it("a creator sees aggregates only for their own lessons, never a learner's row", async () => {
    await write(alice, lessons.published, [[0, 60]]);
    await write(bob, lessons.published, [[0, 20]]);
    await write(alice, lessons.othersPublished, [[0, 5]]);
    await engine.admin("update public.lesson_progress set completed_at = now() where user_id = $1 and lesson_id = $2", [alice, lessons.published]);

    const summary = (userId: string) =>
      engine.asUser(userId, async (query) => (await query("select lesson_id, started, completed, completion_rate from public.lesson_progress_summary order by lesson_id")).rows);
    expect(await summary(creator)).toEqual([
      { lesson_id: lessons.published, started: 2, completed: 1, completion_rate: 0.5 },
      { lesson_id: lessons.paid, started: 0, completed: 0, completion_rate: 0 },
    ]);
    expect(await summary(otherCreator)).toEqual([{ lesson_id: lessons.othersPublished, started: 1, completed: 0, completion_rate: 0 }]);
    expect(await summary(alice)).toEqual([]);
    expect(await rowsSeenBy(creator)).toEqual([]);

    const dropoff = (userId: string, lessonId: string) =>
      engine.asUser(userId, async (query) => (await query("select span_start, span_end, viewers from public.lesson_progress_dropoff($1, $2::double precision[])", [lessonId, [0, 10, 30, 60]])).rows);
    expect(await dropoff(creator, lessons.published)).toEqual([
      { span_start: 0, span_end: 10, viewers: 2 },
      { span_start: 10, span_end: 30, viewers: 2 },
      { span_start: 30, span_end: 60, viewers: 1 },
    ]);
    expect(await dropoff(otherCreator, lessons.published)).toEqual([]);
    expect(await dropoff(alice, lessons.published)).toEqual([]);
  });
});

describe.each(migrationEngines)("migration 004's up and down on $name", ({ start }) => {
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

  it("reverses to exactly the schema 003 left, applies again (up, down, up), and a second up or down changes nothing", async () => {
    const empty = await schemaSnapshot(scratch.admin);
    await upTo003(scratch.admin);
    const after003 = await schemaSnapshot(scratch.admin);
    const dump003 = await scratch.dumpSchema?.();

    await scratch.admin(progressUpMigration);
    const after004 = await schemaSnapshot(scratch.admin);
    expect(snapshotNames(after004)).toEqual(
      expect.arrayContaining([
        "relation lesson_progress",
        "relation lesson_progress_summary",
        "policy lesson_progress.lesson_progress_select_own",
        "policy lesson_progress.lesson_progress_insert_own",
        "policy lesson_progress.lesson_progress_update_own",
        "trigger lesson_progress.lesson_progress_normalise",
        "function lesson_progress_dropoff(uuid,double precision[])",
      ]),
    );
    const dump004 = await scratch.dumpSchema?.();
    await scratch.admin(progressUpMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after004);
    if (dump004 !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump004));

    await scratch.admin("insert into public.lessons (id, title, creator_id) values ($1, 'Kept', $2)", [lessons.published, creator]);
    await scratch.admin("insert into public.lesson_progress (lesson_id, user_id, watched) values ($1, $2, '[[0, 1]]')", [lessons.published, alice]);
    await scratch.admin(progressDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after003);
    if (dump003 !== undefined) expect(withoutSessionLines((await scratch.dumpSchema?.()) ?? "")).toBe(withoutSessionLines(dump003));
    await scratch.admin(progressDownMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(after003);
    expect((await scratch.admin("select title from public.lessons")).rows).toEqual([{ title: "Kept" }]);

    await scratch.admin(progressUpMigration);
    expect(snapshotNames(await schemaSnapshot(scratch.admin))).toEqual(snapshotNames(after004));
    await scratch.admin(progressDownMigration);
    await scratch.admin("truncate public.lessons cascade");
    await scratch.admin(lessonMediaDownMigration);
    await scratch.admin(uploadLinkDownMigration);
    await scratch.admin(downMigration);
    expect(await schemaSnapshot(scratch.admin)).toEqual(empty);
    await scratch.admin(progressDownMigration);
  });

  it("stops with a message naming 001 when it runs first", async () => {
    await expect(scratch.admin(progressUpMigration)).rejects.toThrow(/004_lesson_progress needs the lessons table and access policy of 001/);
  });

  it("keeps a lesson_progress table of the host's own on the way down", async () => {
    await upTo003(scratch.admin);
    await scratch.admin("create table public.lesson_progress (lesson_id uuid, user_id uuid, note text)");
    await scratch.admin(progressDownMigration);
    expect(snapshotNames(await schemaSnapshot(scratch.admin))).toContain("relation lesson_progress");
  });
});
