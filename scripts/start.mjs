#!/usr/bin/env node
// `npm start`: builds the package, installs it into the example lesson studio (examples/lesson-studio) the
// way a user's app would get it, starts the local Mux emulator (files kept in examples/lesson-studio/.data)
// and the studio in production mode, and prints the URL. Ctrl-C stops both.
//
// Options: --port <n> (default 3000, 0 = any free port), --emulator-port <n> (default 4010),
// --data-dir <dir>, --no-build (use the package's dist as it is). With MUX_TOKEN_ID set, the studio uses
// real Mux and no emulator starts (see README, "Example lesson studio").
import { parseArgs } from "node:util";
import { prepareStudio } from "../examples/lesson-studio/scripts/prepare.mjs";
import { startStudioStack } from "../examples/lesson-studio/scripts/stack.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "emulator-port": { type: "string", default: process.env.EMULATOR_PORT ?? "4010" },
    "data-dir": { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});

const log = (line) => console.log(`[start] ${line}`);

try {
  prepareStudio({ buildPackage: !values["no-build"], log });
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

try {
  stack = await startStudioStack({
    port: Number(values.port),
    emulatorPort: Number(values["emulator-port"]),
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

if (stack.emulatorUrl) log(`Mux emulator: ${stack.emulatorUrl}`);
else log("Video backend: Mux (MUX_TOKEN_ID is set)");
console.log(`\n  Lesson studio ready: ${stack.url}\n  Sign in as the creator, create a lesson and upload a video. Ctrl-C stops.\n`);
