// The databases the learner-progress tests run on: a real PostgreSQL server (a pool of app-role connections, so
// concurrent transactions really are concurrent) and PGlite, each with migrations 001–004 applied, the app role
// granted what sql/README.md says, and an `asUser` shaped like docs/database.md's `lib/db.ts`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import pg from "pg";
import type { ProgressSqlQuery } from "../../src/server/index.js";
import { startPGlite } from "../helpers/pglite.js";
import { startPostgres } from "../helpers/postgres.js";

const sqlDir = resolve(import.meta.dirname, "../../sql");
const sql = (file: string) => readFileSync(resolve(sqlDir, file), "utf8");
export const progressUpMigration = sql("004_lesson_progress.up.sql");
export const progressDownMigration = sql("004_lesson_progress.down.sql");
/** 001, 002 and 003, in order: what 004 is applied after. */
export const migrationsBeforeProgress = ["001_lesson_video.up.sql", "002_lesson_upload.up.sql", "003_lesson_media.up.sql"].map(sql);

export type Row = Record<string, unknown>;

export interface ProgressDatabase {
  name: string;
  /** As the owner (superuser): seeding lessons and purchases, inspecting rows. */
  admin(text: string, params?: unknown[]): Promise<Row[]>;
  /** One transaction as the app role with `request.jwt.claim.sub = userId`, as the store's `asUser`. */
  asUser<T>(userId: string, work: (query: ProgressSqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What sql/README.md tells a host to grant its app role. */
export const appGrants = (role: string) => `
  grant usage on schema public to ${role};
  grant select, insert, update, delete on public.lessons to ${role};
  grant select on public.purchases to ${role};
  grant select, insert, update on public.lesson_progress to ${role};
  grant select on public.lesson_progress_summary to ${role};`;

async function migrate(run: (text: string) => Promise<unknown>, appRole: string): Promise<void> {
  for (const migration of [...migrationsBeforeProgress, progressUpMigration]) await run(migration);
  await run(appGrants(appRole));
}

export async function startPostgresProgressDatabase(): Promise<ProgressDatabase> {
  const server = await startPostgres();
  const admin = new pg.Pool({ connectionString: server.adminConnectionString, max: 2 });
  const users = new pg.Pool({ connectionString: server.connectionString, max: 8 });
  // An idle client whose server goes away (the server stopping at the end) reports it on its pool: node-postgres
  // needs a listener there, or the error is uncaught.
  for (const pool of [admin, users]) pool.on("error", () => undefined);
  // The migrations' "already exists, skipping" notices are expected.
  admin.on("connect", (client) => client.on("notice", () => undefined));
  await migrate((text) => admin.query(text), server.appRole);
  return {
    name: "a real PostgreSQL server",
    admin: async (text, params) => (await admin.query(text, params)).rows as Row[],
    async asUser(userId, work) {
      const client = await users.connect();
      try {
        await client.query("begin");
        await client.query("select set_config('request.jwt.claim.sub', $1, true)", [userId]);
        const result = await work(async (text, params) => ({ rows: (await client.query(text, params)).rows as Row[] }));
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all([admin.end(), users.end()]);
      await server.stop();
    },
  };
}

export async function startPGliteProgressDatabase(): Promise<ProgressDatabase> {
  const database = await startPGlite();
  await migrate((text) => database.db.exec(text), database.appRole);
  return {
    name: "PGlite",
    admin: async (text, params) => (await database.db.query<Row>(text, params)).rows,
    asUser: (userId, work) => database.asRequestUser(userId, (tx) => work(async (text, params) => ({ rows: (await tx.query<Row>(text, params)).rows }))),
    close: () => database.close(),
  };
}

export const progressDatabases = [
  { name: "a real PostgreSQL server", start: startPostgresProgressDatabase },
  { name: "PGlite", start: startPGliteProgressDatabase },
];
