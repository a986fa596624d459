// One face for the two engines the reference SQL is proven on: a real PostgreSQL server (pg over TCP,
// the app role logs in as itself) and PGlite (in process, the app role is taken with SET LOCAL ROLE).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { startPGlite } from "../helpers/pglite.js";
import { asRequestUser, startPostgres } from "../helpers/postgres.js";

export type Row = Record<string, unknown>;
export interface QueryResult {
  rows: Row[];
  rowCount: number;
}
export type Query = (sql: string, params?: unknown[]) => Promise<QueryResult>;

/** A database with empty `public` and no `auth` schema (a new database on PostgreSQL, emptied schemas on PGlite). */
export interface ScratchDatabase {
  /** As the owner (superuser), like a migration runs. */
  admin: Query;
  listen: SqlEngine["listen"];
  /** The engine's own schema dump where it has one (pg_dump); undefined on PGlite. */
  dumpSchema?: () => Promise<string>;
  close(): Promise<void>;
}

export interface SqlEngine {
  name: string;
  appRole: string;
  /** As the owner (superuser): migrations, grants, seeding, and the server side of webhooks. */
  admin: Query;
  /** One transaction as the app role with `request.jwt.claim.sub = userId`; `null` is anonymous. */
  asUser<T>(userId: string | null, work: (query: Query) => Promise<T>): Promise<T>;
  /** LISTEN on `channel`; resolves to UNLISTEN. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  dumpSchema?: () => Promise<string>;
  scratch(): Promise<ScratchDatabase>;
  close(): Promise<void>;
}

const sqlDir = resolve(import.meta.dirname, "../../sql");
export const upMigration = readFileSync(resolve(sqlDir, "001_lesson_video.up.sql"), "utf8");
export const downMigration = readFileSync(resolve(sqlDir, "001_lesson_video.down.sql"), "utf8");
/** 002: `lessons.mux_upload_id`, applied after 001 and removed before 001's down. */
export const uploadLinkUpMigration = readFileSync(resolve(sqlDir, "002_lesson_upload.up.sql"), "utf8");
export const uploadLinkDownMigration = readFileSync(resolve(sqlDir, "002_lesson_upload.down.sql"), "utf8");
/** 003: `thumbnail_time`, `chapters`, `captions_on_by_default`, applied after 002. */
export const lessonMediaUpMigration = readFileSync(resolve(sqlDir, "003_lesson_media.up.sql"), "utf8");
export const lessonMediaDownMigration = readFileSync(resolve(sqlDir, "003_lesson_media.down.sql"), "utf8");

/**
 * The schema as the catalog describes it (objects, definitions, OIDs, privileges, comments) in the
 * schemas the migration touches. Equal snapshots mean nothing was created, dropped, recreated or altered.
 */
export const schemaSnapshotQuery = `
  with touched as (
    select oid from pg_namespace where nspname in ('public', 'auth')
  )
  select kind, name, definition from (
    select 'schema' as kind, nspname::text as name,
           concat_ws(' | ', oid::text, nspacl::text, obj_description(oid, 'pg_namespace')) as definition
      from pg_namespace where oid in (select oid from touched)
    union all
    select 'relation', c.oid::regclass::text,
           concat_ws(' | ', c.oid::text, c.relkind::text, 'rls=' || c.relrowsecurity, c.relacl::text,
                     obj_description(c.oid, 'pg_class'))
      from pg_class c where c.relnamespace in (select oid from touched)
    union all
    select 'column', a.attrelid::regclass::text || '.' || a.attname,
           concat_ws(' | ', format_type(a.atttypid, a.atttypmod), 'not null=' || a.attnotnull,
                     pg_get_expr(d.adbin, d.adrelid), a.attacl::text)
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relnamespace in (select oid from touched) and a.attnum > 0 and not a.attisdropped
    union all
    select 'constraint', conrelid::regclass::text || '.' || conname,
           concat_ws(' | ', oid::text, pg_get_constraintdef(oid))
      from pg_constraint where connamespace in (select oid from touched)
    union all
    select 'index', indexrelid::regclass::text, pg_get_indexdef(indexrelid)
      from pg_index where indrelid in (select oid from pg_class where relnamespace in (select oid from touched))
    union all
    select 'policy', polrelid::regclass::text || '.' || polname,
           concat_ws(' | ', oid::text, polcmd::text, polroles::text, pg_get_expr(polqual, polrelid),
                     pg_get_expr(polwithcheck, polrelid), obj_description(oid, 'pg_policy'))
      from pg_policy
    union all
    select 'trigger', tgrelid::regclass::text || '.' || tgname,
           concat_ws(' | ', oid::text, pg_get_triggerdef(oid), obj_description(oid, 'pg_trigger'))
      from pg_trigger where not tgisinternal
    union all
    select 'function', p.oid::regprocedure::text,
           concat_ws(' | ', p.oid::text, pg_get_functiondef(p.oid), p.proacl::text, obj_description(p.oid, 'pg_proc'))
      from pg_proc p where p.pronamespace in (select oid from touched)
  ) as catalog
  order by kind, name`;

/** The rows of `schemaSnapshotQuery`. */
export const schemaSnapshot = async (admin: Query): Promise<Row[]> => (await admin(schemaSnapshotQuery)).rows;
/** The objects a snapshot lists, as `"<kind> <name>"`. */
export const snapshotNames = (rows: Row[]): string[] => rows.map((row) => `${String(row.kind)} ${String(row.name)}`);

/** What `pg_dump` prints that is not schema: a random `\restrict` key in recent releases. */
export const withoutSessionLines = (dump: string): string =>
  dump.split("\n").filter((line) => !/^\\(un)?restrict /.test(line)).join("\n");

/** The two engines every migration test runs on. */
export const migrationEngines = [
  { name: "a real PostgreSQL server", start: startPostgresEngine },
  { name: "PGlite", start: startPGliteEngine },
];

export async function startPostgresEngine(): Promise<SqlEngine> {
  const server = await startPostgres();
  const admin = await connect(server.adminConnectionString);
  const app = await connect(server.connectionString);
  const listener = await connect(server.connectionString);
  const scratchDatabases: string[] = [];

  const dumpSchema = (database: string) =>
    runTool(resolve(server.binDir, "pg_dump"), ["--schema-only", "--no-owner", `--dbname=${adminUrlFor(server.adminConnectionString, database)}`]);

  return {
    name: "PostgreSQL server",
    appRole: server.appRole,
    admin: queryWith(admin),
    asUser: (userId, work) => asRequestUser(app, userId, () => work(queryWith(app))),
    listen: listenWith(listener),
    dumpSchema: () => dumpSchema(server.database),
    async scratch() {
      const database = `scratch_${scratchDatabases.length + 1}`;
      scratchDatabases.push(database);
      await admin.query(`create database ${database}`);
      const client = await connect(adminUrlFor(server.adminConnectionString, database));
      return {
        admin: queryWith(client),
        listen: listenWith(client),
        dumpSchema: () => dumpSchema(database),
        close: () => client.end(),
      };
    },
    async close() {
      await Promise.all([admin.end(), app.end(), listener.end()]);
      await server.stop();
    },
  };
}

/** Empties the schemas the migration touches: starting another PGlite costs seconds of WebAssembly initdb. */
const emptySchemas = `
  drop schema if exists auth cascade;
  drop schema public cascade;
  create schema public;`;

export async function startPGliteEngine(): Promise<SqlEngine> {
  const database = await startPGlite();
  let scratchDb: PGlite | undefined;
  return {
    name: "PGlite",
    appRole: database.appRole,
    admin: queryWithPGlite(database.db),
    asUser: (userId, work) => database.asRequestUser(userId, (tx) => work(queryWithPGlite(tx))),
    async listen(channel, onPayload) {
      const unlisten = await database.db.listen(channel, onPayload);
      return () => unlisten();
    },
    async scratch() {
      scratchDb ??= (await startPGlite()).db;
      await scratchDb.exec(emptySchemas);
      const db = scratchDb;
      return {
        admin: queryWithPGlite(db),
        listen: async (channel, onPayload) => {
          const unlisten = await db.listen(channel, onPayload);
          return () => unlisten();
        },
        close: async () => undefined,
      };
    },
    async close() {
      await scratchDb?.close();
      await database.close();
    },
  };
}

/**
 * Resolves once every notification committed before this call has been delivered to the engine's
 * listeners: PostgreSQL delivers notifications in commit order, so a marker sent now arrives after them.
 * This is how a test asserts "no notification" without waiting for a while.
 */
export async function deliveredSoFar(engine: Pick<SqlEngine, "admin" | "listen">): Promise<void> {
  const marker = randomUUID();
  let arrived!: () => void;
  const markerArrived = new Promise<void>((resolve) => (arrived = resolve));
  const unlisten = await engine.listen("test_delivery_marker", (payload) => payload === marker && arrived());
  await engine.admin("select pg_notify('test_delivery_marker', $1)", [marker]);
  await markerArrived;
  await unlisten();
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  // The migration's "already exists, skipping" notices are expected; keep them out of the test output.
  client.on("notice", () => undefined);
  return client;
}

function listenWith(client: pg.Client): SqlEngine["listen"] {
  const handlers = new Map<string, (payload: string) => void>();
  client.on("notification", (message) => handlers.get(message.channel)?.(message.payload ?? ""));
  return async (channel, onPayload) => {
    handlers.set(channel, onPayload);
    await client.query(`listen ${client.escapeIdentifier(channel)}`);
    return async () => {
      await client.query(`unlisten ${client.escapeIdentifier(channel)}`);
      handlers.delete(channel);
    };
  };
}

function queryWith(client: pg.Client): Query {
  return async (sql, params) => {
    const result = await client.query(sql, params);
    // A multi-statement string returns one result per statement.
    const last = Array.isArray(result) ? (result.at(-1) as pg.QueryResult) : result;
    return { rows: last.rows as Row[], rowCount: last.rowCount ?? 0 };
  };
}

function queryWithPGlite(db: Pick<PGlite, "query" | "exec">): Query {
  return async (sql, params) => {
    if (params === undefined) {
      const results = await db.exec(sql);
      const last = results.at(-1);
      return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
    }
    const result = await db.query<Row>(sql, params);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  };
}

function adminUrlFor(adminConnectionString: string, database: string): string {
  const url = new URL(adminConnectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

function runTool(file: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${stderr.trim() || error.message}`));
      else resolvePromise(stdout);
    });
  });
}
