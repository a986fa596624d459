/**
 * The studio's pluggable database (DATABASE_URL) on a real PostgreSQL server: at first use it runs the
 * package's migration and grants its role, and every query made "as a user" runs under that non-superuser
 * role with the user's id as `request.jwt.claim.sub`, so the access policy decides what each demo user sees.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDatabase, getDatabase, type StudioDatabase } from "../../examples/lesson-studio/lib/db/database.js";
import { demoUsers } from "../../examples/lesson-studio/lib/demo-users.js";
import { type PostgresServer, startPostgres } from "../helpers/postgres.js";

let server: PostgresServer;
let db: StudioDatabase;
const savedEnv = { ...process.env };
const idOf = (key: string) => demoUsers.find((user) => user.key === key)?.id ?? "";

const titlesAs = (userId: string | null) =>
  db.asUser(userId, async (sql) => {
    const { rows } = await sql.query<{ title: string }>("select title from public.lessons order by title");
    return rows.map((row) => row.title);
  });

beforeAll(async () => {
  server = await startPostgres();
  process.env.DATABASE_URL = server.adminConnectionString;
  process.env.STUDIO_SQL_DIR = "sql";
  process.env.DATABASE_ROLE = "studio_app";
  db = await getDatabase();
});

afterAll(async () => {
  await closeDatabase();
  process.env = savedEnv;
  await server?.stop();
});

describe("studio database on PostgreSQL", () => {
  test("a visitor sees published lessons only, the buyer also the draft they bought, the creator everything", async () => {
    expect(await titlesAs(idOf("visitor"))).toEqual(["Welcome to Lesson Studio"]);
    expect(await titlesAs(null)).toEqual(["Welcome to Lesson Studio"]);
    expect(await titlesAs(idOf("buyer"))).toEqual(["Lighting a small room", "Welcome to Lesson Studio"]);
    expect(await titlesAs(idOf("creator"))).toEqual(["Lighting a small room", "Welcome to Lesson Studio"]);
  });

  test("queries as a user run as the non-superuser app role, and a visitor cannot write a lesson", async () => {
    const who = await db.asUser(idOf("visitor"), async (sql) => {
      const { rows } = await sql.query<{ role: string; superuser: string }>(
        "select current_user as role, current_setting('is_superuser') as superuser",
      );
      return rows[0];
    });
    expect(who).toEqual({ role: "studio_app", superuser: "off" });

    await expect(
      db.asUser(idOf("visitor"), (sql) =>
        sql.query("update public.lessons set title = 'Hijacked' where title = 'Welcome to Lesson Studio' returning id"),
      ),
    ).resolves.toEqual({ rows: [] });
    await expect(
      db.asUser(idOf("visitor"), (sql) =>
        sql.query("insert into public.lessons (title, creator_id) values ('Mine now', $1)", [idOf("creator")]),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await titlesAs(idOf("creator"))).toEqual(["Lighting a small room", "Welcome to Lesson Studio"]);
  });
});
