// Starts a real, throwaway PostgreSQL server for tests: initdb in a temp dir, a free port on 127.0.0.1,
// password auth, a superuser for migrations and an app role that is neither superuser nor BYPASSRLS (row
// level security does not apply to those, so tests of policies must run as the app role).
//
// PostgreSQL refuses to run as root. When the tests run as root (CI containers), the server runs as
// Debian's `postgres` user (created by the `postgresql` package), or `nobody` when that user is absent.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { freePort } from "./free-port.js";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export interface StartPostgresOptions {
  /** Directory with `initdb`, `pg_ctl` and `postgres`. Default: `PG_BIN`, then the newest `/usr/lib/postgresql/<v>/bin`. */
  binDir?: string;
  /** Name of the non-superuser login role the app connects as. Default `app_user`. */
  appRole?: string;
  /** Database created for the test, owned by the superuser. Default `app`. */
  database?: string;
}

export interface PostgresServer {
  /** Connects as the app role (no superuser, no BYPASSRLS): row level security applies. */
  connectionString: string;
  /** Connects as the superuser `postgres`: for migrations, grants and inspection. */
  adminConnectionString: string;
  appRole: string;
  database: string;
  host: string;
  port: number;
  /** Where `pg_dump`, `psql` and friends of the same version live. */
  binDir: string;
  /** Stops the server and deletes its data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The OS account the server runs as: the current one, or a non-root one when we are root. */
interface ServerAccount {
  uid: number;
  gid: number;
}

const SUPERUSER = "postgres";
const HOST = "127.0.0.1";

/** `PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin` that has a server; undefined when none. */
export function findPostgresBin(): string | undefined {
  const hasServer = (dir: string) => ["postgres", "initdb", "pg_ctl"].every((tool) => existsSync(join(dir, tool)));
  if (process.env.PG_BIN) return hasServer(process.env.PG_BIN) ? process.env.PG_BIN : undefined;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, "bin"))
    .find(hasServer);
}

/** Starts a fresh server with a superuser, an app role and an empty database. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = options.binDir ?? findPostgresBin();
  if (!binDir) {
    throw new Error(
      "No PostgreSQL server binaries found: `npm test` installs them (scripts/ensure-test-deps.mjs), or run " +
        "`apt-get install postgresql`, or set PG_BIN to a directory with initdb, pg_ctl and postgres.",
    );
  }
  const appRole = options.appRole ?? "app_user";
  const database = options.database ?? "app";
  const account = serverAccount();
  const baseDir = mkdtempSync(join(reachableTempRoot(account), "lvk-pg-"));
  if (account.uid !== process.getuid?.()) chownSync(baseDir, account.uid, account.gid);

  const dataDir = join(baseDir, "data");
  const logFile = join(baseDir, "server.log");
  const adminPassword = randomBytes(18).toString("base64url");
  const appPassword = randomBytes(18).toString("base64url");
  const run = (tool: string, args: string[]) => runAs(account, join(binDir, tool), args);

  const cleanUp = () => rmSync(baseDir, { recursive: true, force: true });
  try {
    const passwordFile = join(baseDir, "superuser-password");
    writeFileSync(passwordFile, adminPassword, { mode: 0o600 });
    if (account.uid !== process.getuid?.()) chownSync(passwordFile, account.uid, account.gid);
    await run("initdb", [
      "-D", dataDir, "-U", SUPERUSER, "--auth=scram-sha-256", `--pwfile=${passwordFile}`,
      "-E", "UTF8", "--locale=C", "--no-sync",
    ]);
    rmSync(passwordFile);

    const port = await startOnFreePort(run, dataDir, logFile, baseDir);
    const url = (user: string, password: string) =>
      `postgresql://${user}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;
    const server: PostgresServer = {
      connectionString: url(appRole, appPassword),
      adminConnectionString: url(SUPERUSER, adminPassword),
      appRole,
      database,
      host: HOST,
      port,
      binDir,
      stop: once(async () => {
        await run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => undefined);
        cleanUp();
      }),
    };
    try {
      await createAppRoleAndDatabase(
        `postgresql://${SUPERUSER}:${encodeURIComponent(adminPassword)}@${HOST}:${port}/postgres`,
        { appRole, appPassword, database },
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  } catch (error) {
    if (existsSync(join(dataDir, "postmaster.pid"))) {
      await run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    }
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : "";
    cleanUp();
    throw new Error(`Could not start PostgreSQL from ${binDir}: ${(error as Error).message}${log ? `\n${log}` : ""}`, { cause: error });
  }
}

/**
 * Runs `work` in one transaction as the user `userId` sees the database: `request.jwt.claim.sub` is set for
 * that transaction only, as Supabase's API does per request; `null` is an anonymous visitor.
 */
export async function asRequestUser<T>(client: pg.ClientBase, userId: string | null, work: () => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    await client.query("select set_config('request.jwt.claim.sub', $1, true)", [userId ?? ""]);
    const result = await work();
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

async function createAppRoleAndDatabase(
  adminUrl: string,
  { appRole, appPassword, database }: { appRole: string; appPassword: string; database: string },
): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = admin.escapeIdentifier(appRole);
    await admin.query(
      `create role ${role} login nosuperuser nobypassrls nocreatedb nocreaterole password ${admin.escapeLiteral(appPassword)}`,
    );
    await admin.query(`create database ${admin.escapeIdentifier(database)} owner ${SUPERUSER}`);
    await admin.query(`grant connect, temporary on database ${admin.escapeIdentifier(database)} to ${role}`);
  } finally {
    await admin.end();
  }
}

/** Another process may take the port between our probe and the server's bind, so a clash is retried. */
async function startOnFreePort(
  run: (tool: string, args: string[]) => Promise<string>,
  dataDir: string,
  logFile: string,
  socketDir: string,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-c listen_addresses=${HOST}`,
      `-c unix_socket_directories='${socketDir}'`,
      // A throwaway server: durability costs time and buys nothing here.
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ].join(" ");
    try {
      await run("pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", serverOptions, "start"]);
      return port;
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      if (attempt >= 3 || !/could not (bind|create listen socket)|address already in use/i.test(log)) throw error;
    }
  }
}


function serverAccount(): ServerAccount {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (uid !== 0) return { uid, gid };
  for (const name of ["postgres", "nobody"]) {
    const entry = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .find((fields) => fields[0] === name);
    if (entry?.[2] && entry[3]) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error("PostgreSQL cannot run as root and neither a `postgres` nor a `nobody` user exists.");
}

/** A temp root the server's account can walk into: TMPDIR may sit under /root, which `postgres` cannot. */
function reachableTempRoot(account: ServerAccount): string {
  const reachable = (dir: string): boolean => {
    for (let current = dir; ; current = dirname(current)) {
      const { mode, uid } = statSync(current);
      const searchable = uid === account.uid ? mode & 0o100 : mode & 0o001;
      if (!searchable) return false;
      if (dirname(current) === current) return true;
    }
  };
  const candidates = [tmpdir(), "/tmp"];
  const found = candidates.find((dir) => existsSync(dir) && isWritable(dir) && reachable(dir));
  if (!found) throw new Error(`No temp directory the PostgreSQL server's account (uid ${account.uid}) can reach.`);
  return found;
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function runAs(account: ServerAccount, file: string, args: string[]): Promise<string> {
  const asOther = account.uid !== process.getuid?.();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        encoding: "utf8",
        // Run from a directory the account can read; the test's cwd may sit under /root.
        cwd: "/",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", ...(asOther ? { HOME: "/" } : {}) },
        ...(asOther ? { uid: account.uid, gid: account.gid } : {}),
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
