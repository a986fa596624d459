// The ProgressStore implementations side by side: the memory store and the SQL store on a real PostgreSQL server
// (a pool: concurrent transactions) and on PGlite. Same writes, same answers; many writes at once lose no range
// and complete the lesson exactly once; a repeated write changes nothing; row level security refuses what the
// routes' hook would (another learner's lesson, a paid lesson without a purchase) with the routes' 404.
import { createMemoryProgressStore, createSqlProgressStore, isVideoError, type ProgressLesson, type ProgressStore, type WatchedRange } from "../../src/server/index.js";
import { progressDatabases, type ProgressDatabase } from "./progress-sql-engines.js";

const creator = "00000000-0000-4000-8000-0000000c4ea7";
const alice = "00000000-0000-4000-8000-00000000a11c";
const bob = "00000000-0000-4000-8000-000000000b0b";
const published = "00000000-0000-4000-8000-0000000000a1";
const paid = "00000000-0000-4000-8000-0000000000a2";
const lesson: ProgressLesson = { duration: 100, creatorId: creator, chapters: [{ startTime: 0, title: "Intro" }, { startTime: 50, title: "Main" }] };

type Setup = { name: string; sql: boolean; start: () => Promise<{ store: ProgressStore; db?: ProgressDatabase; close(): Promise<void> }> };

const setups: Setup[] = [
  { name: "the memory store", sql: false, start: async () => ({ store: createMemoryProgressStore(), close: async () => undefined }) },
  ...progressDatabases.map(
    (database): Setup => ({
      name: `the SQL store on ${database.name}`,
      sql: true,
      start: async () => {
        const db = await database.start();
        return { store: createSqlProgressStore({ asUser: db.asUser }), db, close: () => db.close() };
      },
    }),
  ),
];

/** Ten-second ranges covering [0, seconds), in shuffled order. */
function tenSecondRanges(seconds: number): WatchedRange[] {
  const ranges = Array.from({ length: seconds / 10 }, (_, i): WatchedRange => [i * 10, i * 10 + 10]);
  return ranges.sort((a, b) => ((a[0] * 7919) % 97) - ((b[0] * 7919) % 97));
}

describe.each(setups)("$name", ({ start, sql }) => {
  let store: ProgressStore;
  let db: ProgressDatabase | undefined;
  let close: () => Promise<void>;
  let lessonId: string;

  beforeAll(async () => {
    ({ store, db, close } = await start());
  });
  afterAll(() => close?.());

  beforeEach(async () => {
    lessonId = published;
    if (!db) {
      store = createMemoryProgressStore();
      return;
    }
    await db.admin("truncate public.lesson_progress, public.purchases, public.lessons cascade");
    await db.admin(
      `insert into public.lessons (id, title, status, creator_id) values ($1, 'Free', 'published', $3), ($2, 'Paid', 'draft', $3)`,
      [published, paid, creator],
    );
  });

  it("answers the empty progress before the first write, then merges ranges into their union", async () => {
    expect(await store.get({ lessonId, userId: alice }, lesson)).toEqual({
      lessonId,
      position: 0,
      duration: 100,
      watched: [],
      watchedSeconds: 0,
      completedAt: null,
      updatedAt: null,
    });
    await store.merge({ lessonId, userId: alice }, { position: 12, watched: [[0, 12]] }, lesson);
    const { progress, completedNow } = await store.merge({ lessonId, userId: alice }, { position: 40, watched: [[10, 20], [30, 40]] }, lesson);
    expect(completedNow).toBe(false);
    expect(progress).toMatchObject({ position: 40, watched: [[0, 20], [30, 40]], watchedSeconds: 30, completedAt: null });
    expect(progress.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await store.get({ lessonId, userId: alice }, lesson)).toEqual(progress);
    expect(await store.get({ lessonId, userId: bob }, lesson)).toMatchObject({ watched: [], updatedAt: null });
  });

  it("a repeated write changes nothing, updatedAt included", async () => {
    const update = { position: 30, watched: [[0, 30]] as WatchedRange[] };
    const first = await store.merge({ lessonId, userId: alice }, update, lesson);
    const again = await store.merge({ lessonId, userId: alice }, update, lesson);
    expect(again).toEqual({ progress: first.progress, completedNow: false });
  });

  it("a jump to the end without watching does not complete; 90 % of distinct seconds completes, once", async () => {
    const seek = await store.merge({ lessonId, userId: alice }, { position: 100, watched: [[0, 5]] }, lesson);
    expect(seek.progress.completedAt).toBeNull();
    // Rewatching the same part does not count twice.
    for (let i = 0; i < 3; i++) await store.merge({ lessonId, userId: alice }, { position: 80, watched: [[0, 80]] }, lesson);
    expect((await store.get({ lessonId, userId: alice }, lesson)).completedAt).toBeNull();
    const done = await store.merge({ lessonId, userId: alice }, { position: 90, watched: [[80, 90]] }, lesson);
    expect(done).toMatchObject({ completedNow: true, progress: { watchedSeconds: 90 } });
    expect(done.progress.completedAt).not.toBeNull();
    const later = await store.merge({ lessonId, userId: alice }, { position: 0, watched: [[95, 100]] }, lesson);
    expect(later).toMatchObject({ completedNow: false, progress: { completedAt: done.progress.completedAt, watchedSeconds: 95, position: 0 } });
  });

  it("many writes at once lose no range and complete the lesson exactly once", async () => {
    const ranges = tenSecondRanges(100);
    const results = await Promise.all(
      ranges.map((range, i) => store.merge({ lessonId, userId: alice }, { position: range[1], watched: i % 2 ? [range] : [range, range] }, lesson)),
    );
    expect(results.filter((result) => result.completedNow)).toHaveLength(1);
    const final = await store.get({ lessonId, userId: alice }, lesson);
    expect(final).toMatchObject({ watched: [[0, 100]], watchedSeconds: 100 });
    expect(final.completedAt).not.toBeNull();
    for (const result of results.filter((r) => r.progress.completedAt !== null)) expect(result.progress.completedAt).toBe(final.completedAt);
  });

  it("insights count started and completed learners and who watched at least half of each bucket", async () => {
    await store.merge({ lessonId, userId: alice }, { position: 100, watched: [[0, 100]] }, lesson);
    await store.merge({ lessonId, userId: bob }, { position: 25, watched: [[0, 25]] }, lesson);
    await store.merge({ lessonId, userId: creator }, { position: 0, watched: [] }, lesson);
    const insights = await store.insights({ lessonId, userId: creator }, lesson, 4);
    expect(insights).toEqual({
      lessonId,
      duration: 100,
      started: 2,
      completed: 1,
      completionRate: 0.5,
      buckets: [
        { start: 0, end: 25, viewers: 2 },
        { start: 25, end: 50, viewers: 1 },
        { start: 50, end: 75, viewers: 1 },
        { start: 75, end: 100, viewers: 1 },
      ],
      chapters: lesson.chapters,
    });
    expect((await store.insights({ lessonId, userId: creator }, lesson, 100)).buckets).toHaveLength(100);
  });

  it.runIf(sql)("the database refuses what the hook should have let through: a paid lesson without a purchase, another creator's insights", async () => {
    if (!db) throw new Error("no database");
    const refused = await store.merge({ lessonId: paid, userId: bob }, { position: 1, watched: [[0, 1]] }, lesson).catch((error: unknown) => error);
    expect(isVideoError(refused) && refused.status === 404 && refused.code === "not_found").toBe(true);
    const notCreator = await store.insights({ lessonId, userId: bob }, lesson, 10).catch((error: unknown) => error);
    expect(isVideoError(notCreator) && notCreator.status === 404).toBe(true);
    const notAnId = await store.get({ lessonId: "lesson-1", userId: alice }, lesson).catch((error: unknown) => error);
    expect(isVideoError(notAnId) && notAnId.status === 404).toBe(true);
    await db.admin("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [paid, bob]);
    await expect(store.merge({ lessonId: paid, userId: bob }, { position: 1, watched: [[0, 1]] }, lesson)).resolves.toMatchObject({ progress: { watchedSeconds: 1 } });
  });
});
