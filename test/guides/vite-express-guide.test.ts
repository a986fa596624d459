/**
 * The Vite + Express guide, run as written: a new `npm create vite -- --template react-ts` app made of the files
 * docs/vite-express.md shows, with lib/auth.ts from docs/nextjs-app-router.md and the lesson store from
 * docs/database.md (the guide says to copy them), the packed package and the packages the guide installs, the
 * emulator started with the guide's command and its printed settings in `.env`. Every TypeScript file of the app is
 * in one of its tsconfig projects; the guide's `build` script type-checks them and builds the client, and its
 * `start` script runs the Express server in production. In Chromium a creator signs in, uploads and saves two
 * lessons: one saved after its upload finished, one with "Save now, video continues" while its bytes are held back.
 * Both lessons play, their rows hold their upload and playback ids, and no request leaves the machine. Then the
 * development setup (`dev:server` and Vite's proxy) serves the same lesson.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../e2e/support/browser.js";
import { type Fixture, makeMp4 } from "../e2e/support/files.js";
import { createGuideApp, dotenv, freePort, guideEnv, run, runToEnd, startGuideEmulator, type Running } from "./guide-app.js";
import { creatorPage, offMachine, playLesson, recordRequests, saveAfterUpload, saveDuringUpload, expectLessonRows, type SavedLesson } from "./guide-browser.js";
import { appFiles, installedPackages, repoRoot } from "./guide-files.js";

const guide = "docs/vite-express.md";
const guideText = readFileSync(join(repoRoot, guide), "utf8");

/** Packages the guide installs that the repository does not use itself, at versions that install and run on Node 20. */
const pinned: Record<string, string> = { express: "express@5.3.0", tsx: "tsx@4.23.15", "@types/express": "@types/express@5.0.6" };

/** What `npm create vite@latest -- --template react-ts` installs (`@types/node` for this Node). */
const templatePackages = ["react", "react-dom", "typescript", "vite", "@vitejs/plugin-react", "@types/react", "@types/react-dom", "@types/node"];

/** The template's lint options; TypeScript 6 is strict by default. Plus exactOptionalPropertyTypes: the guide promises it. */
const templateChecks = {
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
  noFallthroughCasesInSwitch: true,
};

/** What the template writes that the guide keeps (its App.tsx, styles and assets the guide's main.tsx replaces). */
const createViteApp: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./tsconfig.app.json" }, { path: "./tsconfig.node.json" }] }, null, 2),
  "tsconfig.app.json": JSON.stringify(
    {
      compilerOptions: {
        tsBuildInfoFile: "./node_modules/.tmp/tsconfig.app.tsbuildinfo",
        target: "es2023",
        lib: ["ES2023", "DOM"],
        module: "esnext",
        types: ["vite/client"],
        allowArbitraryExtensions: true,
        skipLibCheck: true,
        moduleResolution: "bundler",
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        moduleDetection: "force",
        noEmit: true,
        jsx: "react-jsx",
        ...templateChecks,
      },
      include: ["src"],
    },
    null,
    2,
  ),
  "tsconfig.node.json": JSON.stringify(
    {
      compilerOptions: {
        tsBuildInfoFile: "./node_modules/.tmp/tsconfig.node.tsbuildinfo",
        target: "es2023",
        lib: ["ES2023"],
        types: ["node"],
        skipLibCheck: true,
        module: "nodenext",
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        moduleDetection: "force",
        noEmit: true,
        ...templateChecks,
      },
      include: ["vite.config.ts"],
    },
    null,
    2,
  ),
};
const templateScripts = { dev: "vite", build: "tsc -b && vite build", preview: "vite preview" };

/** The version a package is pinned to here, or the one the repository is tested with, for a package the guide installs unversioned. */
function testedVersion(name: string): string {
  if (pinned[name]) return pinned[name];
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  return version ? `${name}@${version}` : name;
}

/** The `scripts` the guide adds to package.json (its ```json block with "scripts"). */
function guideScripts(): Record<string, string> {
  const block = [...guideText.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1]!).find((text) => text.includes('"scripts"'));
  if (!block) throw new Error(`${guide} shows no package.json scripts`);
  return (JSON.parse(block) as { scripts: Record<string, string> }).scripts;
}

/** JSON with `//` comment lines, as tsconfig files may have them. */
const readJsonc = (path: string): unknown => JSON.parse(readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, ""));

// Vitest runs with NODE_ENV=test; a reader's shell has none.
const childEnv = { NODE_ENV: undefined, NO_COLOR: "1", FORCE_COLOR: "0" };

let browser: Browser;
let app: { dir: string; remove(): void };
let scripts: Record<string, string>;
let emulator: Running;
let emulatorEnv: Record<string, string>;
const running: Running[] = [];
let server: Running | undefined;
let baseUrl: string;
let port: number;
let fixtures: string;
let video: Fixture;

/**
 * Runs a package.json script as the guide writes it (`NAME=value … command args`), the command from the app's
 * node_modules/.bin without npm and a shell in between, so stopping it stops the server.
 */
function runScript(name: string, extraArgs: string[], env: NodeJS.ProcessEnv = {}): Running {
  const words = scripts[name]?.split(/\s+/);
  if (!words) throw new Error(`${guide} has no "${name}" script`);
  const vars: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) {
    const word = words.shift()!;
    vars[word.slice(0, word.indexOf("="))] = word.slice(word.indexOf("=") + 1);
  }
  const [command, ...args] = words;
  const started = run(join(app.dir, "node_modules/.bin", command!), [...args, ...extraArgs], { cwd: app.dir, env: { ...childEnv, ...vars, ...env } });
  running.push(started);
  return started;
}

beforeAll(async () => {
  fixtures = await mkdtemp(join(tmpdir(), "lvk-vite-express-guide-files-"));
  [browser, video] = await Promise.all([launchChromium(), makeMp4(fixtures, "first lesson.mp4", { seconds: 3 })]);

  const files = appFiles({
    [guide]: "*",
    "docs/nextjs-app-router.md": ["lib/auth.ts"],
    "docs/database.md": ["lib/db.ts", "lib/video.ts", "lib/lessons.ts"],
  });
  expect([...files.keys()]).toEqual(expect.arrayContaining(["server.ts", "index.html", "src/main.tsx", "vite.config.ts", "tsconfig.json"]));
  const packages = installedPackages(guide)
    .filter((word) => !word.startsWith("-"))
    .map(testedVersion);
  expect(packages).toEqual(
    expect.arrayContaining(["lesson-video-kit", expect.stringMatching(/^@mux\/mux-node@/), expect.stringMatching(/^@electric-sql\/pglite@/), expect.stringMatching(/^express@5/)]),
  );
  app = createGuideApp("vite-express-guide", { packages: [...packages, ...templatePackages.map(testedVersion)], scaffold: createViteApp, files });
  scripts = guideScripts();
  const packageJson = JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(app.dir, "package.json"), JSON.stringify({ ...packageJson, scripts: { ...templateScripts, ...scripts } }, null, 2));

  port = await freePort();
  baseUrl = `http://localhost:${port}`;
  // The guide's command, pointed at this app's port.
  const guideCommand = /npx lesson-video-kit-emulator ([^\n]+)/.exec(guideText)?.[1];
  if (!guideCommand) throw new Error(`${guide} shows no emulator command`);
  ({ emulator, env: emulatorEnv } = await startGuideEmulator(app.dir, guideCommand.replace("localhost:3000", `localhost:${port}`).split(/\s+/)));
  expect(Object.keys(emulatorEnv)).toEqual(
    expect.arrayContaining(["MUX_TOKEN_ID", "MUX_TOKEN_SECRET", "MUX_BASE_URL", "MUX_WEBHOOK_SECRET", "MUX_SIGNING_KEY_ID", "MUX_SIGNING_KEY_PRIVATE"]),
  );
  // The emulator's lines, and the guide's own (the public origin of caption files).
  const ownEnv = guideEnv(guideText, port);
  expect(ownEnv).toEqual({ LESSON_VIDEO_PUBLIC_ORIGIN: baseUrl });
  writeFileSync(join(app.dir, ".env"), dotenv({ ...emulatorEnv, ...ownEnv }));

  // Every TypeScript file the guide writes is in a project the build type-checks.
  const tsc = join(app.dir, "node_modules/.bin/tsc");
  const projects = (readJsonc(join(app.dir, "tsconfig.json")) as { references: { path: string }[] }).references.map((reference) => reference.path);
  const checked = (await Promise.all(projects.map((project) => runToEnd(tsc, ["-p", project, "--listFilesOnly"], { cwd: app.dir })))).join("\n");
  const unchecked = [...files.keys()].filter((path) => /\.tsx?$/.test(path) && !checked.includes(join(app.dir, path)));
  expect(unchecked, "files no tsconfig project of the guide includes").toEqual([]);

  await runToEnd("npm", ["run", "build"], { cwd: app.dir, env: childEnv });
  server = runScript("start", [], { PORT: String(port) });
  await server.waitFor(new RegExp(`on http://localhost:${port}`));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  for (const child of running) await child.stop();
  await emulator?.stop();
  app?.remove();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
});

/** The demo sign-in's cookie for one of lib/auth.ts's users. */
const cookieOf = (name: "Casey" | "Lee") =>
  `demo-user=${new RegExp(`userId: "([0-9a-f-]{36})", name: "${name}`).exec(readFileSync(join(repoRoot, "docs/nextjs-app-router.md"), "utf8"))![1]}`;

const saved: SavedLesson[] = [];

describe("the Vite + Express guide, built from its pages", () => {
  it("keeps the video of a lesson saved after its upload finished, and plays it, with no request off the machine", async () => {
    saved.push(await saveAfterUpload(browser, { baseUrl, emulatorEnv }, video.path, "Reading a histogram"));
  });

  it("keeps the video of a lesson saved with \"Save now\" while its bytes were still on their way", async () => {
    saved.push(await saveDuringUpload(browser, { baseUrl, emulatorEnv }, video.path, "Colour grading, part 2"));
  });

  it("shows a lesson only to the viewers the access policy lets see it", async () => {
    const lesson = saved[0]!;
    const read = (cookie?: string) => fetch(`${baseUrl}/api/lessons/${lesson.id}`, cookie ? { headers: { cookie } } : {});
    const mine = await read(cookieOf("Casey"));
    expect(mine.status).toBe(200);
    const view = (await mine.json()) as { title: string; videoStatus: string; asset: { playback?: { tokens?: unknown } } | null };
    expect(view).toMatchObject({ title: lesson.title, videoStatus: "ready" });
    expect(view.asset?.playback?.tokens).toBeTruthy();
    // A draft: not found for another user, nor signed out, and nothing of it shows.
    for (const answer of [await read(cookieOf("Lee")), await read()]) {
      expect(answer.status).toBe(404);
      expect(await answer.text()).not.toContain(lesson.title);
    }
  });

  it("stored each lesson with its upload id and its playback id", async () => {
    expect(saved).toHaveLength(2);
    // PGlite keeps one process per data dir: read it once the app has stopped.
    await server?.stop();
    await expectLessonRows(app.dir, emulatorEnv, saved);
  });

  it("in development, Vite serves the client and forwards /api to the server (dev:server)", async () => {
    const vitePort = await freePort();
    const origin = `http://localhost:${vitePort}`;
    // The guide's proxy, pointed at this app's server port.
    const config = join(app.dir, "vite.config.ts");
    writeFileSync(config, readFileSync(config, "utf8").replace("localhost:3000", `localhost:${port}`));
    const devServer = runScript("dev:server", [], { PORT: String(port) });
    const vite = runScript("dev", ["--port", String(vitePort), "--strictPort"]);
    await Promise.all([devServer.waitFor(new RegExp(`on http://localhost:${port}`)), vite.waitFor(/ready in/)]);

    const context = await browser.newContext();
    const urls = recordRequests(context);
    const page = await creatorPage(context, origin);
    const lesson = saved[1]!;
    await playLesson(page, origin, lesson.id, lesson.title);
    expect(offMachine(urls)).toEqual([]);
    await context.close();
  });
});
