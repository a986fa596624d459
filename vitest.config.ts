import { readdirSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { storybookTest } from "@storybook/addon-vitest/vitest-plugin";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { makeCourseFolder } from "./test/browser/commands/course-folder.js";
import { setNetwork } from "./test/browser/commands/network.js";
import { requestLog, startRequestLog, stopRequestLog } from "./test/browser/commands/request-log.js";
import { chromiumArgs, chromiumPath, fakeMediaArgs } from "./test/support/chromium.js";

/** Debian's Chromium (test/support/chromium.ts), headless. */
const chromium = playwright({ launchOptions: { executablePath: chromiumPath, args: ["--headless", ...chromiumArgs] } });

/** The browser tests' Chromium with fake media devices and screen, for the recorder's tests. */
const chromiumWithMedia = playwright({ launchOptions: { executablePath: chromiumPath, args: ["--headless", ...chromiumArgs, ...fakeMediaArgs] } });

/** Each file in test/browser/setup starts a server for browser tests and `provide`s its URL. */
const browserSetups = readdirSync("test/browser/setup")
  .filter((name) => name.endsWith(".ts"))
  .map((name) => `test/browser/setup/${name}`);

/**
 * Group 0's projects (unit, node, node-fetch-path, e2e: the Node pool) mostly wait on I/O (the emulator, PostgreSQL,
 * Chromium, child processes), so four files at once keep two cores busy; group 1 (the browser pool: browser and
 * storybook, beside the guide apps) stays at three, its files are busy in Chromium.
 */
const groupZeroWorkers = 4;

export default defineConfig({
  plugins: [react()],
  test: {
    // Most files wait on I/O (the emulator, Chromium, PostgreSQL, builds), not the CPU: three at once finish the
    // suite far sooner on a 2-core machine than Vitest's default of one worker per spare core (one, there).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          maxWorkers: groupZeroWorkers,
          environment: "jsdom",
          // Each file still gets its own modules, mocks and jsdom window, in a VM context of a long-lived worker
          // rather than a new process with jsdom loaded again: less than half the machine CPU of `forks` here.
          // test/unit/setup/web-platform.ts adds what jsdom's window lacks there.
          pool: "vmThreads",
          include: ["src/**/*.test.{ts,tsx}", "test/unit/**/*.test.{ts,tsx}"],
          setupFiles: ["test/unit/setup/web-platform.ts", "test/unit/setup/testing-library.ts"],
          // A ceiling above Testing Library's 10 s wait (test/unit/setup/testing-library.ts), for busy machines.
          testTimeout: 20_000,
          globals: true,
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          maxWorkers: groupZeroWorkers,
          // A worker keeps its imported modules from one file to the next (the server, the emulator, pg, PGlite):
          // 17% less CPU for this project. Each file starts its own servers and stores and no file here mocks a
          // module or leaves fake timers on; `unit` stays isolated (its files mock modules).
          isolate: false,
          environment: "node",
          include: ["test/node/**/*.test.{ts,tsx}"],
          globals: true,
          // GitHub's workflow parser imports its JSON schema without an import attribute, which Node refuses;
          // inlined, Vite loads it (test/node/docs-workflows.test.ts).
          server: { deps: { inline: ["@actions/workflow-parser"] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The route tests again with toNodeHandler going through the Fetch handler (a Request per request, a
        // Response per answer) instead of the routes' own Node entry, so the two paths cannot drift apart.
        extends: true,
        test: {
          name: "node-fetch-path",
          maxWorkers: groupZeroWorkers,
          // As in `node`.
          isolate: false,
          environment: "node",
          include: [
            "test/node/security-{http,routes,streams,webhooks}.test.ts",
            "test/node/server-{e2e,security,captions,discard,downloads}.test.ts",
            "test/node/asset-settings.test.ts",
            "test/node/fuzz-routes.test.ts",
            "test/node/link-import.test.ts",
            "test/node/server-progress.test.ts",
          ],
          env: { LVK_NODE_PATH: "fetch" },
          globals: true,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          sequence: { groupOrder: 1 },
          include: ["test/browser/**/*.test.{ts,tsx}"],
          globals: true,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: browserSetups,
          browser: {
            enabled: true,
            headless: true,
            provider: chromiumWithMedia,
            instances: [{ browser: "chromium" }],
            // A test's request log, from Playwright (test/browser/commands/request-log.ts).
            commands: { startRequestLog, requestLog, stopRequestLog, makeCourseFolder, setNetwork },
          },
        },
      },
      {
        // Every story in stories/ runs as a test in Chromium; axe violations fail it, in the story's theme and then in
        // the other one (.storybook/preview.tsx): one render and one play function check light and dark.
        extends: true,
        plugins: [storybookTest({ configDir: ".storybook" })],
        test: {
          name: "storybook",
          sequence: { groupOrder: 1 },
          // A page runs the story files one after another without a new iframe each: the kit, React, axe and the
          // preview load once per page, not once per file (30% less machine CPU for this project). Each story renders
          // into its own root and is unmounted after its checks; the files pass in shuffled orders
          // (`--sequence.shuffle.files`). `browser` stays isolated: its files assert what a fresh page loads (the
          // player asks for no Cast SDK unless the host opts in; another file's opt-in leaves the SDK loaded).
          isolate: false,
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: "chromium" }],
          },
        },
      },
      {
        // The app guides run as written: each file builds a new app from a guide's pages with the packed package,
        // starts it on the emulator and drives it in Chromium (test/guides/guide-files.ts says what a guide file is).
        extends: true,
        test: {
          name: "guides",
          environment: "node",
          include: ["test/guides/**/*.test.ts"],
          // Files with `fileParallelism: false` would wait for every other file and then run one by one at the end.
          // The Node projects run first (group 0, where the studio's e2e file holds one worker throughout), then the
          // browser pool (group 1): both pools at once on two cores slowed both. The two guide apps build and run
          // beside the browser pool, two workers of the Node pool that group 1 leaves idle.
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
      {
        // The example lesson studio end to end: test/e2e/studio.test.ts starts `npm start`'s stack (packs the
        // built package into examples/lesson-studio, `next build` when needed) and runs every test/e2e/*.e2e.ts
        // suite against it, one after another (one emulator, global fault knobs); Playwright drives Chromium.
        // It takes one worker of the pool from the start (group 0, and "e2e" sorts first), so the studio's build
        // overlaps the Node tests.
        extends: true,
        test: {
          name: "e2e",
          maxWorkers: groupZeroWorkers,
          environment: "node",
          include: ["test/e2e/studio.test.ts"],
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
