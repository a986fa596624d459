// The progress routes over real HTTP (createVideoRoutes on node:http through toNodeHandler, with the emulator
// behind it as in every route test), with the memory store and the SQL store on PGlite and PostgreSQL. The host's
// `progress.lesson` hook applies the plan's rule (creator, published, purchased), as the database's policy does.
import { VideoError } from "../../src/server/index.js";
import {
  createMemoryProgressStore,
  createSqlProgressStore,
  type LessonInsightsData,
  type LessonProgress,
  type ProgressLesson,
  type ProgressStore,
  type ServerVideoEvent,
  type WatchedRange,
} from "../../src/server/index.js";
import { progressDatabases, type ProgressDatabase } from "./progress-sql-engines.js";
import { startStack, type Stack, type TestUser } from "./server-harness.js";

const users = {
  creator: "00000000-0000-4000-8000-0000000c4ea7",
  alice: "00000000-0000-4000-8000-00000000a11c",
  bob: "00000000-0000-4000-8000-000000000b0b",
  carol: "00000000-0000-4000-8000-00000000ca01",
};
type UserName = keyof typeof users;
const lessons = {
  published: "00000000-0000-4000-8000-0000000000a1",
  paid: "00000000-0000-4000-8000-0000000000a2",
  /** The hook throws a 404 VideoError for it, as a host's lookup might. */
  throwing: "00000000-0000-4000-8000-0000000000a3",
  nowhere: "00000000-0000-4000-8000-0000000000ff",
};
const chapters = [
  { startTime: 0, title: "Intro" },
  { startTime: 60, title: "Main" },
];
/** Alice bought the paid lesson; nobody else did. */
const purchases = new Set([`${lessons.paid}:${users.alice}`]);

function lessonFor(user: TestUser, lessonId: string): ProgressLesson | null {
  if (lessonId === lessons.throwing) throw new VideoError("not_found", "no such row", { status: 404 });
  const published = lessonId === lessons.published;
  if (!published && lessonId !== lessons.paid) return null;
  const allowed = published || user.id === users.creator || purchases.has(`${lessonId}:${user.id}`);
  return allowed ? { duration: 120, creatorId: users.creator, chapters } : null;
}

/** A store for the routes, and how to empty it between tests. */
type Setup = { name: string; start: () => Promise<{ store: ProgressStore; reset(): Promise<void>; db?: ProgressDatabase }> };

/** The memory store, emptied by starting a new one behind the same object. */
function resettableMemoryStore(): { store: ProgressStore; reset(): Promise<void> } {
  let inner = createMemoryProgressStore();
  return {
    store: {
      get: (key, lesson) => inner.get(key, lesson),
      merge: (key, update, lesson) => inner.merge(key, update, lesson),
      insights: (key, lesson, buckets) => inner.insights(key, lesson, buckets),
    },
    reset: async () => {
      inner = createMemoryProgressStore();
    },
  };
}

const setups: Setup[] = [
  { name: "the memory store", start: async () => resettableMemoryStore() },
  ...progressDatabases.map(
    (database): Setup => ({
      name: `the SQL store on ${database.name}`,
      start: async () => {
        const db = await database.start();
        await db.admin(
          `insert into public.lessons (id, title, status, creator_id) values ($1, 'Free', 'published', $3), ($2, 'Paid', 'draft', $3)`,
          [lessons.published, lessons.paid, users.creator],
        );
        await db.admin("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [lessons.paid, users.alice]);
        return { store: createSqlProgressStore({ asUser: db.asUser }), db, reset: async () => void (await db.admin("truncate public.lesson_progress")) };
      },
    }),
  ),
];

/** Headers that say the same thing whatever the answer is about (not the date of the answer). */
const comparableHeaders = (response: Response) => [...response.headers].filter(([name]) => name !== "date");

async function answer(response: Response) {
  return { status: response.status, body: await response.text(), headers: comparableHeaders(response) };
}

describe.each(setups)("the progress routes with $name", ({ start }) => {
  let stack: Stack;
  let db: ProgressDatabase | undefined;
  let reset: () => Promise<void>;
  let events: ServerVideoEvent[];

  beforeAll(async () => {
    const started = await start();
    db = started.db;
    reset = started.reset;
    stack = await startStack({
      routes: {
        authorize: (request) => {
          const name = request.headers.get("authorization")?.replace(/^Bearer (.*)-token$/, "$1") as UserName | undefined;
          return name && name in users ? { id: users[name] } : null;
        },
        progress: { lesson: lessonFor, store: started.store, perUser: { limit: 1000, windowMs: 60_000 } },
        rateLimit: { perUser: { limit: 10_000, windowMs: 60_000 } },
      },
    });
    events = stack.events;
  });
  afterAll(async () => {
    await stack?.close();
    await db?.close();
  });

  beforeEach(async () => {
    events.length = 0;
    await reset();
  });

  const get = (user: UserName | undefined, lessonId: string, suffix = "") => stack.call(`/progress/${lessonId}${suffix}`, { user });
  const post = (user: UserName | undefined, lessonId: string, body: unknown, init: RequestInit = {}) =>
    stack.call(`/progress/${lessonId}`, {
      method: "POST",
      user,
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
  const progressOf = async (response: Response) => {
    expect(response.status).toBe(200);
    return (await response.json()) as LessonProgress;
  };
  const completions = (userId: string) => events.filter((event) => event.type === "lesson_completed" && event.userId === userId);

  it("answers a learner with no progress yet with the empty progress, and 401 to nobody", async () => {
    expect(await progressOf(await get("carol", lessons.published))).toEqual({
      lessonId: lessons.published,
      position: 0,
      duration: 120,
      watched: [],
      watchedSeconds: 0,
      completedAt: null,
      updatedAt: null,
    });
    const anonymous = await get(undefined, lessons.published);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await post(undefined, lessons.published, { position: 1, watched: [] })).status).toBe(401);
  });

  it("another user's progress is unreachable: the same answer as a lesson that does not exist", async () => {
    await progressOf(await post("alice", lessons.paid, { position: 30, watched: [[0, 30]] }));
    const missing = await answer(await get("carol", lessons.nowhere));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: { code: "not_found", message: "There is no such lesson." } });

    // Carol has not bought the paid lesson; bob may watch the published one but did not create it.
    for (const refused of [
      await get("carol", lessons.paid),
      await post("carol", lessons.paid, { position: 30, watched: [[0, 30]] }),
      await post("carol", lessons.paid, "{not json"),
      await get("carol", lessons.paid, "/insights"),
      await get("bob", lessons.published, "/insights"),
      await get("alice", lessons.paid, "/insights"),
      await get("carol", lessons.throwing),
      await get("carol", "not.an.id"),
      await get("carol", lessons.nowhere, "/insights"),
    ]) {
      expect(await answer(refused)).toEqual(missing);
    }
    // Every learner reads only their own: bob's progress of the lesson alice watched is his, empty.
    await progressOf(await post("alice", lessons.published, { position: 50, watched: [[0, 50]] }));
    expect(await progressOf(await get("bob", lessons.published))).toMatchObject({ watched: [], updatedAt: null });
    expect(await progressOf(await get("alice", lessons.paid))).toMatchObject({ watched: [[0, 30]] });
  });

  it("refuses malformed and out-of-range writes with typed errors, and stores none of them", async () => {
    const refusals: Array<[unknown, number]> = [
      ["{not json", 400],
      [[], 400],
      [{ watched: [] }, 400],
      [{ position: "10", watched: [] }, 400],
      [{ position: -1, watched: [] }, 400],
      [{ position: 500, watched: [] }, 400],
      [{ position: 10 }, 400],
      [{ position: 10, watched: [[5]] }, 400],
      [{ position: 10, watched: [[5, "9"]] }, 400],
      [{ position: 10, watched: [[9, 5]] }, 400],
      [{ position: 10, watched: [[5, 5]] }, 400],
      [{ position: 10, watched: [[-1, 5]] }, 400],
      [{ position: 10, watched: [[100, 200]] }, 400],
      [{ position: 10, watched: [[0, 1]], duration: "long" }, 400],
      [{ position: 10, watched: Array.from({ length: 501 }, (_, i): WatchedRange => [i * 0.2, i * 0.2 + 0.1]) }, 400],
      [JSON.stringify({ position: 1, watched: [], pad: "x".repeat(17 * 1024) }), 413],
    ];
    for (const [body, status] of refusals) {
      const response = await post("bob", lessons.published, body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(await response.json()).toMatchObject({ error: { code: "bad_request", message: expect.any(String) } });
    }
    const wrongType = await post("bob", lessons.published, { position: 1, watched: [] }, { headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(await progressOf(await get("bob", lessons.published))).toMatchObject({ updatedAt: null });
    // A player's duration a frame longer than the server's is taken, clamped to the server's.
    expect(await progressOf(await post("bob", lessons.published, { position: 120.4, watched: [[110, 120.4]], duration: 120.4 }))).toMatchObject({
      position: 120,
      watched: [[110, 120]],
      duration: 120,
    });
  });

  it("seeking to the end does not complete; watching 90 % of distinct seconds completes exactly once", async () => {
    const seek = await progressOf(await post("carol", lessons.published, { position: 120, watched: [] }));
    expect(seek).toMatchObject({ position: 120, completedAt: null });
    // Rewatching the first minute three times is still one minute.
    for (let i = 0; i < 3; i++) await progressOf(await post("carol", lessons.published, { position: 60, watched: [[0, 60]] }));
    expect(await progressOf(await get("carol", lessons.published))).toMatchObject({ watchedSeconds: 60, completedAt: null });
    const almost = await progressOf(await post("carol", lessons.published, { position: 107.9, watched: [[60, 107.9]] }));
    expect(almost.completedAt).toBeNull();
    const done = await progressOf(await post("carol", lessons.published, { position: 108, watched: [[107.9, 108]] }));
    expect(done).toMatchObject({ watchedSeconds: 108, watched: [[0, 108]] });
    expect(done.completedAt).not.toBeNull();
    const after = await progressOf(await post("carol", lessons.published, { position: 5, watched: [[0, 5]] }));
    expect(after).toMatchObject({ completedAt: done.completedAt, position: 5 });
    expect(completions(users.carol)).toEqual([
      { type: "lesson_completed", at: expect.any(Number), userId: users.carol, lessonId: lessons.published, watchedSeconds: 108, duration: 120 },
    ]);
  });

  it("completion is monotonic under many concurrent writes, and recorded once", async () => {
    const ranges = Array.from({ length: 24 }, (_, i): WatchedRange => [i * 5, i * 5 + 5]);
    const responses = await Promise.all(ranges.map((range) => post("alice", lessons.published, { position: range[1], watched: [range] })));
    const answers = await Promise.all(responses.map(progressOf));
    expect(completions(users.alice)).toHaveLength(1);
    const final = await progressOf(await get("alice", lessons.published));
    expect(final).toMatchObject({ watched: [[0, 120]], watchedSeconds: 120 });
    // Once any answer shows the completion, every later one shows the same time.
    for (const each of answers) expect([null, final.completedAt]).toContain(each.completedAt);
    await Promise.all(ranges.map((range) => post("alice", lessons.published, { position: 0, watched: [range] })));
    expect((await progressOf(await get("alice", lessons.published))).completedAt).toBe(final.completedAt);
    expect(completions(users.alice)).toHaveLength(1);
  });

  it("the same write twice gives the same progress", async () => {
    const body = { position: 42, watched: [[0, 20], [30, 42]], duration: 120 };
    const first = await progressOf(await post("bob", lessons.published, body));
    const second = await progressOf(await post("bob", lessons.published, body));
    expect(second).toEqual(first);
    expect(await progressOf(await get("bob", lessons.published))).toEqual(first);
  });

  it("gives the lesson's creator its insights: completion rate and drop-off over 100 buckets, with chapters", async () => {
    await post("alice", lessons.published, { position: 120, watched: [[0, 120]] });
    await post("bob", lessons.published, { position: 30, watched: [[0, 30]] });
    const response = await get("creator", lessons.published, "/insights");
    expect(response.status).toBe(200);
    const insights = (await response.json()) as LessonInsightsData;
    expect(insights).toMatchObject({ lessonId: lessons.published, duration: 120, chapters });
    expect(insights.buckets).toHaveLength(100);
    expect(insights.buckets.at(-1)).toMatchObject({ end: 120, viewers: 1 });
    expect(insights).toMatchObject({ started: 2, completed: 1, completionRate: 0.5 });
    expect(insights.buckets[0]).toEqual({ start: 0, end: 1.2, viewers: 2 });
    expect(insights.buckets[25]).toEqual({ start: 30, end: 31.2, viewers: 1 });
  });
});

describe("progress writes per user", () => {
  it("are limited by progress.perUser, reads are not", async () => {
    const limited = await startStack({
      routes: {
        authorize: () => ({ id: users.bob }),
        progress: { lesson: lessonFor, perUser: { limit: 2, windowMs: 60_000 } },
      },
    });
    try {
      const write = () =>
        limited.call(`/progress/${lessons.published}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ position: 1, watched: [] }) });
      expect((await write()).status).toBe(200);
      expect((await write()).status).toBe(200);
      const over = await write();
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await over.json()).toMatchObject({ error: { code: "rate_limited" } });
      // Reads are not progress writes.
      expect((await limited.call(`/progress/${lessons.published}`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("the progress routes without the progress option", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("answer 404 saying progress is not turned on", async () => {
    const response = await stack.call(`/progress/${lessons.published}`, { user: "alice" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Learner progress is not turned on for these routes." } });
  });
});
