#!/usr/bin/env node
// `npm start`: builds the package, installs it into the example lesson studio (examples/lesson-studio) the
// way a user's app would get it, starts the local Mux emulator (files kept in examples/lesson-studio/.data)
// and the studio in production mode, and prints the URL. Ctrl-C stops both.
//
// Options: --port <n> (default 3000, 0 = any free port), --emulator-port <n> (default 4010),
// --data-dir <dir>, --no-build (use the package's dist as it is), --verbose (show the install and build
// tools' output; otherwise it goes to examples/lesson-studio/.pack/*.log), --instances <n> (default 1: several
// `next start` behind a round-robin proxy on --port, sharing Redis — REDIS_URL, or a redis-server started
// here — and the PostgreSQL of DATABASE_URL). With MUX_TOKEN_ID set, the studio uses real Mux and no
// emulator starts (see docs/example-studio.md). With REDIS_URL set, even one instance keeps its
// rate limits, webhook replay memory and asset cache in Redis.
import { parseArgs } from "node:util";
import { elapsed, prepareStudio, stepTitle } from "../examples/lesson-studio/scripts/prepare.mjs";
import { startStudioStack } from "../examples/lesson-studio/scripts/stack.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "emulator-port": { type: "string", default: process.env.EMULATOR_PORT ?? "4010" },
    "data-dir": { type: "string" },
    "no-build": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    instances: { type: "string", default: "1" },
  },
});

const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1 || instances > 8) {
  console.error(`[start] --instances takes a whole number from 1 to 8, not ${values.instances}.`);
  process.exit(1);
}

const log = (line) => console.log(`[start] ${line}`);

const started = Date.now();
try {
  await prepareStudio({ buildPackage: !values["no-build"], log, verbose: values.verbose });
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

let stack;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  log("Stopping…");
  await stack?.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

const startingAt = Date.now();
log(`${stepTitle(3)} (the emulator, the database and the studio)…`);
try {
  stack = await startStudioStack({
    log,
    port: Number(values.port),
    emulatorPort: Number(values["emulator-port"]),
    instances,
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    onAppExit: (code) => {
      if (!stopping) {
        console.error(`[start] The studio stopped unexpectedly (exit code ${code}).`);
        void stop(code || 1);
      }
    },
  });
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

log(`${stepTitle(3)}: done in ${elapsed(Date.now() - startingAt)} (${elapsed(Date.now() - started)} in all).`);
if (stack.emulatorUrl) log(`Mux emulator: ${stack.emulatorUrl}`);
else log("Video backend: Mux (MUX_TOKEN_ID is set)");
if (stack.instances > 1) log(`${stack.instances} studio instances behind ${stack.url} (x-studio-instance says which answered), sharing Redis at ${stack.redisUrl}`);
else if (stack.redisUrl) log(`Shared stores: Redis at ${stack.redisUrl}`);
console.log(`\n  Lesson studio ready: ${stack.url}\n  Sign in as the creator, create a lesson and upload a video. Ctrl-C stops.\n`);
