// Runs the studio the way `npm start` does: the local Mux emulator (unless real Mux tokens are set) and
// `next start`, wired together (MUX_BASE_URL for the app, the app's webhook URL for the emulator, one
// webhook secret of the data dir's for both).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { appDir } from "./prepare.mjs";

/** A port nobody listens on right now (the OS picks it). */
export function freePort(host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A random secret kept in `<dataDir>/<name>` (readable by its owner only), made on the first start so
 * sign-ins and webhook signatures survive restarts.
 */
export function dataDirSecret(dataDir, name) {
  const file = join(dataDir, name);
  try {
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if (error?.code !== "EEXIST") throw error;
  }
  return readFileSync(file, "utf8").trim();
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      if (response.ok) return;
      if (response.status >= 500) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(url)) throw error;
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts the emulator and the app. `port`/`emulatorPort` 0 pick free ports. Returns the URLs and `close()`,
 * which stops both.
 */
export async function startStudioStack({
  host = "127.0.0.1",
  port = 3000,
  emulatorPort = 4010,
  dataDir = join(appDir, ".data"),
  processingDelayMs,
  onAppExit,
} = {}) {
  mkdirSync(dataDir, { recursive: true });
  const appPort = port === 0 ? await freePort(host) : port;
  const url = `http://${host}:${appPort}`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    STUDIO_DATA_DIR: dataDir,
    SESSION_SECRET: process.env.SESSION_SECRET || dataDirSecret(dataDir, "session-secret"),
  };

  let emulator;
  if (!process.env.MUX_TOKEN_ID) {
    const entry = join(appDir, "node_modules", "lesson-video-kit", "dist", "emulator.js");
    const { startMuxEmulator } = await import(pathToFileURL(entry).href);
    emulator = await startMuxEmulator({
      host,
      port: emulatorPort,
      dataDir: join(dataDir, "emulator"),
      webhookUrls: [`${url}/api/video/webhooks/mux`],
      // Never the emulator's default: it is public, so anyone could sign webhooks the studio would accept.
      webhookSecret: process.env.MUX_WEBHOOK_SECRET || dataDirSecret(dataDir, "webhook-secret"),
      ...(processingDelayMs === undefined ? {} : { processingDelayMs }),
    });
    env.MUX_BASE_URL = emulator.url;
    env.MUX_WEBHOOK_SECRET = emulator.webhookSecret;
  }

  const next = spawn(
    process.execPath,
    [join(appDir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(appPort), "-H", host],
    { cwd: appDir, env, stdio: ["ignore", "inherit", "inherit"] },
  );
  next.once("exit", (code, signal) => onAppExit?.(code, signal));

  const close = async () => {
    await stopChild(next);
    await emulator?.close();
  };
  try {
    // The first start creates the database (PostgreSQL's initdb in WebAssembly): slow on a busy machine.
    await waitForHttp(`${url}/api/health`, next, 300_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, emulatorUrl: emulator?.url, close };
}
