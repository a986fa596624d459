#!/usr/bin/env node
// `npm start`: builds the package and runs the local Mux emulator in the foreground, keeping its uploads and
// assets in `.emulator-data/` (git-ignored) so they survive restarts. Extra arguments go to the emulator,
// e.g. `npm start -- --port 4011 --webhook-url http://localhost:3000/api/video/webhooks/mux`.
// The example lesson studio joins this command when it lands (see README).
import { spawn, spawnSync } from "node:child_process";

const build = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = process.argv.slice(2);
if (!args.some((arg) => arg === "--data-dir" || arg.startsWith("--data-dir="))) args.push("--data-dir", ".emulator-data");

const child = spawn(process.execPath, ["dist/emulator-cli.js", ...args], { stdio: "inherit" });
// Ctrl+C reaches the emulator through the shared process group; forward only what it would not get.
let forwarded = false;
const stop = (signal) => {
  if (forwarded) return;
  forwarded = true;
  child.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
