#!/usr/bin/env node
// `npm start`: builds the package and runs the local Mux emulator in the foreground.
// The example lesson studio joins this command when it lands (see README).
import { spawn, spawnSync } from "node:child_process";

const build = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(process.execPath, ["dist/emulator-cli.js", ...process.argv.slice(2)], { stdio: "inherit" });
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
