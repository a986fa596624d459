/**
 * Starts the stack `npm start` runs — `node scripts/start.mjs`, on free ports, with a fresh data dir — for the
 * end-to-end tests (test/e2e/studio.test.ts starts it once for every suite). It uses the package's dist as built
 * by `npm test` (`--no-build`): packing it, installing it into the example and `next build` happen here when their
 * inputs changed. `stop()` stops it with SIGINT, as Ctrl-C would, and checks that both servers are gone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The running stack: its URLs and data dir, and how to stop it. */
export interface StudioStack {
  studioUrl: string;
  emulatorUrl: string;
  /** The database, the emulator's files and the secrets `npm start` made. */
  dataDir: string;
  stop(): Promise<void>;
}

/** How long the stack may take to be ready: packing, installing into the example and `next build` on a busy machine. */
export const readyTimeoutMs = 15 * 60_000;

function waitForUrls(child: ChildProcess): Promise<{ studioUrl: string; emulatorUrl: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    let emulatorUrl: string | undefined;
    const timer = setTimeout(() => reject(new Error(`npm start's stack was not ready in time:\n${output}`)), readyTimeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      process.stdout.write(text);
      emulatorUrl ??= /Mux emulator: (http\S+)/.exec(output)?.[1];
      const studioUrl = /Lesson studio ready: (http\S+)/.exec(output)?.[1];
      if (studioUrl && emulatorUrl) {
        clearTimeout(timer);
        resolve({ studioUrl, emulatorUrl });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start's stack exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

export async function startStudioStack(): Promise<StudioStack> {
  const dataDir = await mkdtemp(join(tmpdir(), "lesson-studio-e2e-"));
  const child = spawn(
    process.execPath,
    ["scripts/start.mjs", "--no-build", "--port", "0", "--emulator-port", "0", "--data-dir", dataDir],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MUX_TOKEN_ID: "" } },
  );
  let studio: string;
  let emulator: string;
  try {
    ({ studioUrl: studio, emulatorUrl: emulator } = await waitForUrls(child));
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    try {
      if (child.exitCode === null) {
        const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        const code = await exited;
        if (code !== 0) throw new Error(`npm start's stack exited with code ${code} on Ctrl-C`);
      }
      // Ctrl-C stops both servers: nothing answers on their ports any more.
      for (const url of [studio, emulator]) {
        const answered = await fetch(url).then(
          () => true,
          () => false,
        );
        if (answered) throw new Error(`${url} still answers after npm start's stack stopped`);
      }
    } finally {
      // A file the stack's last ffmpeg run was still closing may land while the folder goes: rm tries again.
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  };
  return { studioUrl: studio, emulatorUrl: emulator, dataDir, stop };
}
