/**
 * The studio's database: PGlite on disk by default, a real PostgreSQL / Supabase with DATABASE_URL.
 * On first use it runs the package's reference migrations in order (`lesson-video-kit/sql`: 001 the lesson
 * video columns and access policy, 002 the lesson's upload id, 003 the poster frame, chapters and captions
 * default, 004 learners' progress with its creator aggregates; each idempotent, so a data dir made by an older
 * version gains what is new), gives the app role its privileges, creates the tables of signed-out sessions and of caption files waiting for the video
 * backend, and seeds the demo lessons.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoUsers } from "../demo-users";
import { databaseRole, databaseUrl, dataDir } from "../settings";
import { openPgliteEngine } from "./pglite-engine";
import { openPostgresEngine } from "./postgres-engine";
import type { SqlClient, SqlEngine } from "./sql-client";

export interface StudioDatabase {
  /**
   * Runs `fn` in a transaction as the app's non-superuser role with `auth.uid()` = `userId` (null when
   * signed out), so the lesson access policy decides every row it reads or writes.
   */
  asUser<T>(userId: string | null, fn: (sql: SqlClient) => Promise<T>): Promise<T>;
  /** Runs `fn` as the owner, past the policy: for webhooks, which act for no user. */
  asService<T>(fn: (sql: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const roleName = /^[a-z_][a-z0-9_]*$/;

/** The package's migrations, as installed in node_modules (the way a user would run them); `NNN_*.up.sql` sort in order. */
function migrationsDir(): string {
  return process.env.STUDIO_SQL_DIR ?? join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "lesson-video-kit", "sql");
}

/** The migrations whose tables lib/lessons.ts and the progress routes (lib/video-routes.ts) read and write. */
const requiredMigrations = ["001_lesson_video", "002_lesson_upload", "003_lesson_media", "004_lesson_progress", "005_lesson_trim"];

async function migrate(engine: SqlEngine, role: string): Promise<void> {
  const dir = migrationsDir();
  const files = (await readdir(dir)).filter((name) => name.endsWith(".up.sql")).sort();
  const missing = requiredMigrations.filter((name) => !files.includes(`${name}.up.sql`));
  if (missing.length > 0) {
    // An installed package older than this app: say so, rather than fail later on a missing column.
    throw new Error(`lesson-studio: ${dir} lacks ${missing.map((name) => `${name}.up.sql`).join(", ")}; reinstall lesson-video-kit (npm start packs the current one)`);
  }
  for (const file of files) await engine.exec(await readFile(join(/*turbopackIgnore: true*/ dir, file), "utf8"));
  await engine.exec(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${role}') then
        create role ${role} nologin;
      end if;
      if not pg_has_role(current_user, '${role}', 'member') then
        execute format('grant %I to %I', '${role}', current_user);
      end if;
    end $$;
    grant usage on schema public to ${role};
    grant usage on schema auth to ${role};
    grant select, insert, update, delete on public.lessons to ${role};
    grant select on public.purchases to ${role};
    grant select, insert, update on public.lesson_progress to ${role};
    grant select on public.lesson_progress_summary to ${role};
  `);
  // Signed-out sessions (lib/session.ts), read and written as the owner only: row-level security with no
  // policy keeps every other role out, including the ones Supabase grants public tables to.
  await engine.exec(`
    create table if not exists public.studio_revoked_sessions (
      session_id text primary key,
      expires_at timestamptz not null
    );
    alter table public.studio_revoked_sessions enable row level security;
    revoke all on public.studio_revoked_sessions from ${role};
  `);
  // Caption files waiting for the video backend to download them (lib/caption-files.ts), owner only too.
  await engine.exec(`
    create table if not exists public.studio_caption_files (
      id text primary key,
      asset_id text not null,
      vtt text not null,
      expires_at timestamptz not null
    );
    alter table public.studio_caption_files enable row level security;
    revoke all on public.studio_caption_files from ${role};
  `);
}

const seedLessons = [
  {
    id: "5eed0000-0000-4000-8000-000000000001",
    title: "Welcome to Lesson Studio",
    description:
      "A tour of the studio: how lessons are written, how a video goes from your disk to a player, and who can see what before you publish.",
    status: "published",
  },
  {
    id: "5eed0000-0000-4000-8000-000000000002",
    title: "Lighting a small room",
    description:
      "Three lamps, one window and a reflector: a pre-release lesson that early buyers can already watch while it is still a draft.",
    status: "draft",
  },
] as const;

async function seed(engine: SqlEngine): Promise<void> {
  const creator = demoUsers.find((user) => user.key === "creator");
  const buyer = demoUsers.find((user) => user.key === "buyer");
  if (!creator || !buyer) throw new Error("demo users are missing");
  await engine.transaction(async (sql) => {
    const { rows } = await sql.query<{ count: number }>("select count(*)::int as count from public.lessons");
    if ((rows[0]?.count ?? 0) > 0) return;
    for (const lesson of seedLessons) {
      await sql.query(
        "insert into public.lessons (id, title, description, status, creator_id) values ($1, $2, $3, $4, $5)",
        [lesson.id, lesson.title, lesson.description, lesson.status, creator.id],
      );
    }
    await sql.query("insert into public.purchases (lesson_id, user_id) values ($1, $2)", [seedLessons[1].id, buyer.id]);
  });
}

async function openStudioDatabase(): Promise<StudioDatabase> {
  const role = databaseRole();
  if (!roleName.test(role)) throw new Error(`DATABASE_ROLE must be a plain lower-case role name, got "${role}"`);
  const url = databaseUrl();
  const engine = url ? openPostgresEngine(url) : await openPgliteEngine(join(/*turbopackIgnore: true*/ dataDir(), "db"));
  await migrate(engine, role);
  await seed(engine);
  return {
    asUser: (userId, fn) =>
      engine.transaction(async (sql) => {
        await sql.query(`set local role ${role}`);
        await sql.query("select set_config('request.jwt.claim.sub', $1, true)", [userId ?? ""]);
        return fn(sql);
      }),
    asService: (fn) => engine.transaction(fn),
    close: () => engine.close(),
  };
}

// Next.js loads route handlers and pages as separate bundles in one process; each would open its own
// PGlite on the same directory (and corrupt it). One instance per process, kept on globalThis.
const databaseKey = Symbol.for("lesson-studio.database");
type GlobalWithDatabase = typeof globalThis & { [databaseKey]?: Promise<StudioDatabase> | undefined };

export function getDatabase(): Promise<StudioDatabase> {
  const holder = globalThis as GlobalWithDatabase;
  holder[databaseKey] ??= openStudioDatabase().catch((error: unknown) => {
    holder[databaseKey] = undefined;
    throw error;
  });
  return holder[databaseKey];
}

/** Closes this process's database (tests, shutdown); the next `getDatabase()` opens it again. */
export async function closeDatabase(): Promise<void> {
  const holder = globalThis as GlobalWithDatabase;
  const open = holder[databaseKey];
  holder[databaseKey] = undefined;
  await (await open)?.close();
}
