// Builds an app from a guide the way a reader would: a new project with the packed package installed, the guide's
// files written where it says, the emulator started with the guide's command, its printed settings in the app's
// environment. Shared by the guide tests (test/guides/*.test.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createPackedConsumer } from "../node/packed-consumer.js";
import type { GuideFile } from "./guide-files.js";

export { freePort } from "../helpers/free-port.js";


/**
 * A new project with the packed package and `packages` installed (the guide's `npm install` line, with
 * `lesson-video-kit` being the tarball), then the scaffold the guide starts from and the guide's files.
 */
export function createGuideApp(
  name: string,
  { packages, scaffold, files }: { packages: string[]; scaffold: Record<string, string>; files: Map<string, GuideFile> },
): { dir: string; remove(): void } {
  const app = createPackedConsumer(name, packages.filter((name) => name !== "lesson-video-kit"));
  for (const [path, content] of [...Object.entries(scaffold), ...[...files].map(([path, file]) => [path, file.content] as const)]) {
    mkdirSync(dirname(join(app.dir, path)), { recursive: true });
    writeFileSync(join(app.dir, path), content);
  }
  return app;
}

export interface Running {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output, as it arrives; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/**
 * This process's environment as a reader's shell has it: without what Vitest sets (`NODE_ENV=test` would make
 * Next.js skip `.env.local`, `VITEST*` would make the app think it is under test).
 */
function readerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (name !== "NODE_ENV" && !name.startsWith("VITEST")) env[name] = value;
  return { ...env, ...extra };
}

/** Starts a command and collects what it prints. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Running {
  const child = spawn(command, args, { cwd: options.cwd, env: readerEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.once("exit", () => {
    for (const waiter of waiters) waiter();
  });
  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            reject(new Error(`${command} ${args.join(" ")} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`));
          }
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs a command to its end; throws with its output when it fails. */
export async function runToEnd(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const running = run(command, args, options);
  const code = await new Promise<number | null>((resolve) => running.child.once("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${running.output()}`);
  return running.output();
}

/**
 * Starts the emulator with the guide's command (`args` as the guide writes them, plus a free port) from the app's
 * `node_modules/.bin`, and resolves with the settings it prints (`NAME=value` lines) once it is ready.
 */
export async function startGuideEmulator(appDir: string, args: string[]): Promise<{ emulator: Running; env: Record<string, string> }> {
  const emulator = run(join(appDir, "node_modules/.bin/lesson-video-kit-emulator"), [...args, "--port", "0"], { cwd: appDir });
  await emulator.waitFor(/Press Ctrl\+C to stop\./);
  const env = Object.fromEntries([...emulator.output().matchAll(/^\s*([A-Z][A-Z0-9_]*)=(\S+)\s*$/gm)].map((match) => [match[1]!, match[2]!]));
  return { emulator, env };
}

/**
 * The `NAME=value` lines a guide asks the reader to add to `.env` themselves (uncommented lines of its `sh`
 * blocks, such as `LESSON_VIDEO_PUBLIC_ORIGIN=http://localhost:3000`), with the guide's port 3000 made `port`.
 */
export function guideEnv(guideText: string, port: number): Record<string, string> {
  const lines = [...guideText.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((block) => block[1]!.split("\n"));
  return Object.fromEntries(
    lines.flatMap((line) => {
      const match = /^([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line);
      return match ? [[match[1]!, match[2]!.replace("localhost:3000", `localhost:${port}`)]] : [];
    }),
  );
}

/** `NAME=value` lines, as a reader pastes them into `.env` / `.env.local`. */
export const dotenv = (env: Record<string, string>): string =>
  Object.entries(env)
    .map(([name, value]) => `${name}=${value}\n`)
    .join("");
