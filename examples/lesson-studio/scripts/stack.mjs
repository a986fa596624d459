// Runs the studio the way `npm start` does: the local Mux emulator (unless real Mux tokens are set) and
// `next start`, wired together (MUX_BASE_URL for the app, the app's webhook URL for the emulator, one
// webhook secret of the data dir's for both). With `instances` > 1, several `next start` processes behind a
// round-robin proxy on the studio's port, sharing Redis (REDIS_URL, or a throwaway redis-server) and a
// PostgreSQL (DATABASE_URL; PGlite on disk belongs to one process).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
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

/** A redis-server of the studio's own for `--instances` without REDIS_URL: no persistence, files under `dir`. */
async function startRedisServer(host, dir) {
  if (spawnSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" }).status !== 0) {
    throw new Error("Several instances share Redis: set REDIS_URL, or install redis-server (apt-get install redis-server).");
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort(host);
  const child = spawn("redis-server", ["--port", String(port), "--bind", host, "--dir", dir, "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    let output = "";
    child.once("exit", (code) => reject(new Error(`redis-server exited with code ${code}: ${output.slice(-400)}`)));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
  });
  child.stdout.resume();
  return { url: `redis://${host}:${port}`, child };
}

/**
 * The load balancer of a several-instance studio: each request (page, API call, webhook) goes to the next
 * instance in turn; `x-studio-instance` on the answer says which one served it.
 */
function startBalancer(host, port, targets) {
  let next = 0;
  const server = createHttpServer((req, res) => {
    const index = next++ % targets.length;
    const upstream = httpRequest({ host, port: targets[index], method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-studio-instance": String(index + 1) });
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("The studio instance did not answer.");
    });
    // A closed page closes its event streams on the instance too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
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
  instances = 1,
  onAppExit,
} = {}) {
  if (instances > 1 && !process.env.DATABASE_URL) {
    throw new Error(
      `${instances} instances share one database: set DATABASE_URL to a PostgreSQL (PGlite keeps its files for one process).`,
    );
  }
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

  let redis;
  if (instances > 1 && !process.env.REDIS_URL) {
    redis = await startRedisServer(host, join(dataDir, "redis"));
    env.REDIS_URL = redis.url;
  }

  // One instance listens on the studio's port; several listen on ports of their own behind the balancer.
  const ports = instances > 1 ? await Promise.all(Array.from({ length: instances }, () => freePort(host))) : [appPort];
  const apps = [];
  let balancer;

  const close = async () => {
    if (balancer) {
      const closed = new Promise((resolve) => balancer.close(() => resolve()));
      balancer.closeAllConnections();
      await closed;
    }
    await Promise.all(apps.map((next) => stopChild(next)));
    if (redis) await stopChild(redis.child);
    await emulator?.close();
  };
  try {
    // One after another: the first start creates and migrates the database (with PGlite, PostgreSQL's
    // initdb in WebAssembly: slow on a busy machine), and two migrations must not race.
    for (const instancePort of ports) {
      const next = spawn(
        process.execPath,
        [join(appDir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(instancePort), "-H", host],
        { cwd: appDir, env, stdio: ["ignore", "inherit", "inherit"] },
      );
      next.once("exit", (code, signal) => onAppExit?.(code, signal));
      apps.push(next);
      await waitForHttp(`http://${host}:${instancePort}/api/health`, next, 300_000);
    }
    if (instances > 1) balancer = await startBalancer(host, appPort, ports);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, emulatorUrl: emulator?.url, redisUrl: env.REDIS_URL, instances, close };
}
