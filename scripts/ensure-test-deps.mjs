#!/usr/bin/env node
// Finds what the tests need beyond npm (Chromium, ffmpeg, PostgreSQL, Redis) and installs Debian's packages
// when it can (root with apt-get). Otherwise it stops with one line naming the command to run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

const postgresBin = () => {
  if (process.env.PG_BIN && existsSync(`${process.env.PG_BIN}/postgres`)) return process.env.PG_BIN;
  if (!existsSync("/usr/lib/postgresql")) return undefined;
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  const found = versions.find((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`));
  return found ? `/usr/lib/postgresql/${found}/bin` : undefined;
};

const redisServer = () => {
  if (process.env.REDIS_SERVER) return existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : undefined;
  return has("redis-server") || existsSync("/usr/bin/redis-server") ? "redis-server" : undefined;
};

const requirements = [
  {
    what: "Chromium",
    apt: "chromium",
    found: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
  },
  { what: "ffmpeg", apt: "ffmpeg", found: () => has("ffmpeg") && has("ffprobe") },
  { what: "PostgreSQL server", apt: "postgresql", found: () => postgresBin() !== undefined },
  // The multi-instance tests (test/node/redis-*.test.ts) start their own throwaway redis-server.
  { what: "Redis server", apt: "redis-server", found: () => redisServer() !== undefined },
];

const missing = requirements.filter((r) => !r.found());
if (missing.length === 0) process.exit(0);

const packages = missing.map((r) => r.apt);
const command = `apt-get update && apt-get install -y ${packages.join(" ")}`;
const canInstall = process.getuid?.() === 0 && has("apt-get");
if (!canInstall) {
  console.error(`Tests need ${missing.map((r) => r.what).join(", ")}: run \`sudo ${command}\` (or set CHROMIUM_PATH / PG_BIN / REDIS_SERVER).`);
  process.exit(1);
}

console.log(`Installing ${packages.join(", ")} for the tests (Debian packages)…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });

const still = requirements.filter((r) => !r.found());
if (still.length > 0) {
  console.error(`Still missing after install: ${still.map((r) => r.what).join(", ")}: run \`${command}\`.`);
  process.exit(1);
}
