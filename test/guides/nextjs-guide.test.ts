/**
 * The Next.js guide, run as written: a new App Router app made of the files docs/nextjs-app-router.md and
 * docs/database.md show (nothing else but what create-next-app writes), with the packed package and the packages
 * the guide installs, the emulator started with the guide's command and its printed settings in `.env.local`.
 * It is built with `next build` (Turbopack), and in Chromium a creator signs in, uploads and saves two lessons:
 * one saved after its upload finished, one with "Save now, video continues" while its bytes are held back. Both
 * lessons play, their rows hold their upload and playback ids, and no request leaves the machine. Then the same
 * app is built with webpack and reads its lessons from PGlite again.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchChromium } from "../e2e/support/browser.js";
import { type Fixture, makeMp4 } from "../e2e/support/files.js";
import { createGuideApp, dotenv, freePort, guideEnv, run, runToEnd, startGuideEmulator, type Running } from "./guide-app.js";
import { saveAfterUpload, saveDuringUpload, expectLessonRows, type SavedLesson } from "./guide-browser.js";
import { appFiles, installedPackages, repoRoot } from "./guide-files.js";

const guide = "docs/nextjs-app-router.md";

/** What `create-next-app --ts --app --no-src-dir --no-tailwind --no-eslint` writes that the guide keeps, minus its
 * Google font (this machine has no internet; the font has nothing to do with the guide). */
const createNextApp: Record<string, string> = {
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        target: "ES2017",
        lib: ["dom", "dom.iterable", "esnext"],
        allowJs: true,
        skipLibCheck: true,
        strict: true,
        // Stricter than the template: the guide promises its code compiles with it.
        exactOptionalPropertyTypes: true,
        noEmit: true,
        esModuleInterop: true,
        module: "esnext",
        moduleResolution: "bundler",
        resolveJsonModule: true,
        isolatedModules: true,
        jsx: "react-jsx",
        incremental: true,
        plugins: [{ name: "next" }],
        paths: { "@/*": ["./*"] },
      },
      include: ["next-env.d.ts", "**/*.ts", "**/*.tsx", ".next/types/**/*.ts"],
      exclude: ["node_modules"],
    },
    null,
    2,
  ),
  "app/layout.tsx": `export const metadata = { title: "Lessons" };

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.tsx": `export default function Home() {
  return <main><a href="/sign-in">Sign in</a></main>;
}
`,
};

/** The version the repository is tested with, for a package a guide installs unversioned. */
function testedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  return version ? `${name}@${version}` : name;
}

let browser: Browser;
let app: { dir: string; remove(): void };
let emulator: Running;
let emulatorEnv: Record<string, string>;
let server: Running | undefined;
let baseUrl: string;
let port: number;
let fixtures: string;
let video: Fixture;

async function startNext(): Promise<void> {
  server = run(join(app.dir, "node_modules/.bin/next"), ["start", "-p", String(port)], { cwd: app.dir, env: { NEXT_TELEMETRY_DISABLED: "1" } });
  await server.waitFor(/Ready in/);
}

async function buildNext(bundler: "turbopack" | "webpack"): Promise<void> {
  rmSync(join(app.dir, ".next"), { recursive: true, force: true });
  await runToEnd(join(app.dir, "node_modules/.bin/next"), ["build", ...(bundler === "webpack" ? ["--webpack"] : [])], {
    cwd: app.dir,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  });
}

beforeAll(async () => {
  fixtures = await mkdtemp(join(tmpdir(), "lvk-nextjs-guide-files-"));
  [browser, video] = await Promise.all([launchChromium(), makeMp4(fixtures, "first lesson.mp4", { seconds: 3 })]);

  const files = appFiles({
    [guide]: "*",
    "docs/database.md": ["lib/db.ts", "lib/video.ts", "lib/lessons.ts"],
  });
  const packages = installedPackages(guide).map(testedVersion);
  expect(packages).toEqual(expect.arrayContaining(["lesson-video-kit", expect.stringMatching(/^@mux\/mux-node@/), expect.stringMatching(/^@electric-sql\/pglite@/)]));
  app = createGuideApp("nextjs-guide", {
    packages: [...packages, "next@16.4.6", "react@19", "react-dom@19", "typescript@6.0", "@types/node@20", "@types/react@19", "@types/react-dom@19"],
    scaffold: createNextApp,
    files,
  });

  port = await freePort();
  baseUrl = `http://localhost:${port}`;
  // The guide's command, pointed at this app's port.
  const guideCommand = /npx lesson-video-kit-emulator ([^\n]+)/.exec(readFileSync(join(repoRoot, guide), "utf8"))?.[1];
  if (!guideCommand) throw new Error(`${guide} shows no emulator command`);
  ({ emulator, env: emulatorEnv } = await startGuideEmulator(app.dir, guideCommand.replace("localhost:3000", `localhost:${port}`).split(/\s+/)));
  expect(Object.keys(emulatorEnv)).toEqual(
    expect.arrayContaining(["MUX_TOKEN_ID", "MUX_TOKEN_SECRET", "MUX_BASE_URL", "MUX_WEBHOOK_SECRET", "MUX_SIGNING_KEY_ID", "MUX_SIGNING_KEY_PRIVATE"]),
  );
  // The emulator's lines, and the guide's own (the public origin of caption files).
  const ownEnv = guideEnv(readFileSync(join(repoRoot, guide), "utf8"), port);
  expect(ownEnv).toEqual({ LESSON_VIDEO_PUBLIC_ORIGIN: baseUrl });
  writeFileSync(join(app.dir, ".env.local"), dotenv({ ...emulatorEnv, ...ownEnv }));

  await buildNext("turbopack");
  await startNext();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await emulator?.stop();
  app?.remove();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
});

const saved: SavedLesson[] = [];

describe("the Next.js guide, built from its pages", () => {
  it("keeps the video of a lesson saved after its upload finished, and plays it, with no request off the machine", async () => {
    saved.push(await saveAfterUpload(browser, { baseUrl, emulatorEnv }, video.path, "Reading a histogram"));
  });

  it("keeps the video of a lesson saved with \"Save now\" while its bytes were still on their way", async () => {
    saved.push(await saveDuringUpload(browser, { baseUrl, emulatorEnv }, video.path, "Colour grading, part 2"));
  });

  it("adds a caption track to a saved lesson's video: the emulator downloads the file from LESSON_VIDEO_PUBLIC_ORIGIN", async () => {
    const auth = `Basic ${Buffer.from(`${emulatorEnv.MUX_TOKEN_ID}:${emulatorEnv.MUX_TOKEN_SECRET}`).toString("base64")}`;
    const upload = (await (await fetch(`${emulatorEnv.MUX_BASE_URL}/video/v1/uploads/${saved[0]!.uploadId}`, { headers: { authorization: auth } })).json()) as {
      data: { asset_id: string };
    };
    const cookie = `demo-user=${/userId: "([0-9a-f-]{36})", name: "Casey/.exec(readFileSync(join(repoRoot, guide), "utf8"))![1]}`;
    const response = await fetch(`${baseUrl}/api/video/assets/${upload.data.asset_id}/captions`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ fileName: "lesson.vtt", languageCode: "en", closedCaptions: true, text: "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello\n" }),
    });
    expect(response.status).toBe(201);
    const track = (await response.json()) as { id: string; status: string };
    await vi.waitFor(
      async () => {
        const list = (await (await fetch(`${baseUrl}/api/video/assets/${upload.data.asset_id}/captions`, { headers: { cookie } })).json()) as Array<{ id: string; status: string }>;
        expect(list.find((t) => t.id === track.id)?.status).toBe("ready");
      },
      { timeout: 30_000, interval: 200 },
    );
  });

  it("stored each lesson with its upload id and its playback id", async () => {
    expect(saved).toHaveLength(2);
    // PGlite keeps one process per data dir: read it once the app has stopped.
    await server?.stop();
    await expectLessonRows(app.dir, emulatorEnv, saved);
  });

  it("builds with webpack too, and its lesson page reads the lessons from PGlite", async () => {
    await buildNext("webpack");
    await startNext();
    const lesson = saved[0]!;
    const cookie = `demo-user=${/userId: "([0-9a-f-]{36})", name: "Casey/.exec(readFileSync(join(repoRoot, guide), "utf8"))![1]}`;
    const html = await (await fetch(`${baseUrl}/lessons/${lesson.id}`, { headers: { cookie } })).text();
    expect(html).toContain(`<h1>${lesson.title}</h1>`);
    // Signed out, the access policy hides the draft lesson.
    const signedOut = await (await fetch(`${baseUrl}/lessons/${lesson.id}`)).text();
    expect(signedOut).toContain("This lesson isn");
    expect(signedOut).not.toContain(lesson.title);
  });
});
