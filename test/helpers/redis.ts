// Starts a real, throwaway `redis-server` for tests: a free port on 127.0.0.1, a temp dir, no persistence
// (no RDB snapshots, no AOF), so a restart starts empty, as a Redis without persistence does in production.
// `stop()` and `start()` again on the same port is a Redis restart.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { freePort } from "./free-port.js";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, nothing saved); the port stays this server's to start again. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. Safe to call twice. */
  close(): Promise<void>;
}

const HOST = "127.0.0.1";

/** `REDIS_SERVER`, else `redis-server` on PATH, else Debian's `/usr/bin/redis-server`; undefined when none. */
export function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER) return existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : undefined;
  const onPath = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  return existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : undefined;
}

export async function startRedis(): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) {
    throw new Error(
      "No redis-server found: `npm test` installs it (scripts/ensure-test-deps.mjs), or run `apt-get install redis-server`, " +
        "or set REDIS_SERVER to its path.",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "lvk-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = [
      "--port", String(port), "--bind", HOST, "--dir", dir,
      "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice",
      "--protected-mode", "yes", "--databases", "1",
    ];
    const started = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          started.stdout?.off("data", onData);
          started.stdout?.resume();
          resolve();
        }
      };
      started.stdout?.on("data", onData);
      started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      started.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-600)}`)));
    });
  };

  // Another process may take the probed port before redis-server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };
  let closed: Promise<void> | undefined;
  return {
    url: `redis://${HOST}:${port}`,
    port,
    stop,
    start: launch,
    close: () =>
      (closed ??= stop().then(() => rmSync(dir, { recursive: true, force: true }))),
  };
}

