// PGlite (PostgreSQL compiled to WebAssembly, in process) with an app role row level security applies to.
// PGlite's session user `postgres` is a superuser, and superusers bypass RLS, so work done "as a user"
// switches to the app role with SET LOCAL ROLE inside its transaction.
import { PGlite, type Transaction } from "@electric-sql/pglite";

export interface StartPGliteOptions {
  /** Directory to keep the database in; in memory when absent. */
  dataDir?: string;
  /** Role the app's queries run as: not superuser, no BYPASSRLS, no login. Default `app_user`. */
  appRole?: string;
}

export interface PGliteDatabase {
  /** The engine, connected as the superuser `postgres`: for migrations, grants and LISTEN. */
  db: PGlite;
  appRole: string;
  /**
   * Runs `work` in one transaction as the app role, with `request.jwt.claim.sub` set to `userId` for that
   * transaction only (`null` is an anonymous visitor), as Supabase's API does per request.
   */
  asRequestUser<T>(userId: string | null, work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A new in-memory cluster's data directory, made once per test process: every later in-memory `startPGlite` loads it
 * (`loadDataDir`) instead of running initdb again, the same fresh cluster for about a third of the CPU.
 */
let freshDataDir: Promise<Blob> | undefined;

async function newInMemoryDatabase(): Promise<PGlite> {
  const fresh = freshDataDir && (await freshDataDir.catch(() => undefined));
  if (fresh) return PGlite.create({ loadDataDir: fresh });
  const made = PGlite.create();
  // Dumped before anyone queries it: the cluster as initdb left it.
  const dumped = made.then((db) => db.dumpDataDir("none"));
  freshDataDir = dumped;
  // A failed dump is not this database's failure: a later call makes its own cluster (and tries again).
  await dumped.catch(() => {
    if (freshDataDir === dumped) freshDataDir = undefined;
  });
  return made;
}

export async function startPGlite(options: StartPGliteOptions = {}): Promise<PGliteDatabase> {
  const appRole = options.appRole ?? "app_user";
  const db = options.dataDir === undefined ? await newInMemoryDatabase() : await PGlite.create({ dataDir: options.dataDir });
  const role = quoteIdentifier(appRole);
  await db.query(
    `do $$ begin
       if not exists (select 1 from pg_roles where rolname = ${quoteLiteral(appRole)}) then
         create role ${role} nologin nosuperuser nobypassrls;
       end if;
     end $$`,
  );
  return {
    db,
    appRole,
    asRequestUser: (userId, work) =>
      db.transaction(async (tx) => {
        await tx.query(`set local role ${role}`);
        await tx.query("select set_config('request.jwt.claim.sub', $1, true)", [userId ?? ""]);
        return work(tx);
      }),
    close: () => db.close(),
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
