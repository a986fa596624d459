/**
 * The example studio end to end: one `npm start` stack (test/e2e/support/stack.ts) for every suite, which run here
 * one after another in one test file. The stack is one emulator whose fault knobs are global, so the suites cannot
 * overlap; as one file they take one of Vitest's workers while the other projects' files use the rest, and the
 * studio's build (`next build` when its inputs changed) overlaps them too instead of holding up the whole run as
 * a global setup would.
 *
 * One suite: `npx vitest run --project e2e -t studio-media` (the describe names are the suite files' names).
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe } from "vitest";
import { removeSharedUploadFiles } from "./support/files.js";
import { readyTimeoutMs, startStudioStack, type StudioStack } from "./support/stack.js";
import { useStudioStack } from "./support/studio.js";

let stack: StudioStack | undefined;

// A moment past the stack's own limit, so its error (with npm start's output) is the one reported.
beforeAll(async () => {
  stack = await startStudioStack();
  useStudioStack(stack);
}, readyTimeoutMs + 30_000);

afterAll(async () => {
  useStudioStack(undefined);
  await removeSharedUploadFiles();
  await stack?.stop();
}, 60_000);

// Every test/e2e/*.e2e.ts, each in a describe named after its file.
const suites = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith(".e2e.ts"))
  .sort();

for (const file of suites) {
  describe(file.replace(/\.e2e\.ts$/, ""), async () => {
    await import(`./${file}`);
  });
}
