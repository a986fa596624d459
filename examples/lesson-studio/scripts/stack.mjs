// Runs the studio the way `npm start` does: the local Mux emulator (unless real Mux tokens are set) and
// `next start`, wired together (MUX_BASE_URL for the app, the app's webhook URL for the emulator, one
// webhook secret of the data dir's for both, the emulator's signing key for signed playback, the studio's URL
// as LESSON_VIDEO_PUBLIC_ORIGIN for caption files). With
// `instances` > 1, several `next start` processes behind a round-robin proxy on the studio's port, sharing
// Redis (REDIS_URL, or a throwaway redis-server) and a PostgreSQL (DATABASE_URL; PGlite on disk belongs to
// one process).
import { execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { appDir } from "./prepare.mjs";

/** The seeded published lesson ("Welcome to Lesson Studio", lib/db/database.ts) that gets a video at the first start. */
export const welcomeLessonId = "5eed0000-0000-4000-8000-000000000001";

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

/** Whether `ffmpeg` runs here. */
function hasFfmpeg() {
  return spawnSync("ffmpeg", ["-hide_banner", "-version"], { stdio: "ignore" }).status === 0;
}

/**
 * Gives the welcome lesson a video at the first start on a data dir, so a newcomer has something to watch
 * before uploading: a 6-second test pattern with a tone, made by ffmpeg (nothing binary is committed),
 * uploaded to the emulator the way the studio's browser uploads do (a direct upload whose passthrough is
 * the lesson's id, then the bytes to its URL). The emulator's webhooks then attach it to the lesson, as
 * they would a creator's upload. Without ffmpeg it logs why and skips. A marker in the data dir keeps
 * later starts from seeding again.
 */
export async function seedWelcomeVideo({ emulatorUrl, tokenId, tokenSecret, dataDir, origin, log = console.log }) {
  const marker = join(dataDir, "welcome-video-seeded");
  if (existsSync(marker)) return { seeded: false, reason: "already seeded" };
  if (!hasFfmpeg()) {
    log("ffmpeg is not installed, so the welcome lesson gets no video (install ffmpeg and start on a fresh data dir for one).");
    return { seeded: false, reason: "no ffmpeg" };
  }
  const file = join(dataDir, "welcome-video.mp4");
  // prettier-ignore
  await promisify(execFile)("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=duration=6:size=960x540:rate=24",
    "-f", "lavfi", "-i", "sine=frequency=330:duration=6",
    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart",
    file,
  ]);
  const bytes = await readFile(file);
  const created = await fetch(`${emulatorUrl}/video/v1/uploads`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      cors_origin: origin,
      new_asset_settings: { playback_policies: ["public"], passthrough: welcomeLessonId },
    }),
  });
  if (!created.ok) throw new Error(`The emulator refused the welcome video's upload (${created.status}): ${await created.text()}`);
  const { data: upload } = await created.json();
  // One PUT with the whole file, as a browser's single-request upload sends it.
  const sent = await fetch(upload.url, { method: "PUT", headers: { "content-type": "video/mp4", origin }, body: bytes });
  if (!sent.ok) throw new Error(`The emulator did not take the welcome video's bytes (${sent.status}): ${await sent.text()}`);
  await rm(file, { force: true });
  writeFileSync(marker, `${upload.id}\n`);
  log(`The welcome lesson has a video: 6 s made by ffmpeg, uploaded through the emulator as upload ${upload.id} (processing for a few seconds).`);
  return { seeded: true, uploadId: upload.id };
}

/**
 * Makes the sample video the bulk page's "Add from link" can import on the emulator: a 4-second test pattern
 * with a tone, made by ffmpeg into the data dir (nothing binary is committed) and served by the studio at
 * `/samples/test-pattern.mp4` (app/samples/[name]/route.ts). Kept across starts; without ffmpeg it logs why
 * and skips.
 */
export async function makeSampleVideo({ dataDir, log = console.log }) {
  const file = join(dataDir, "samples", "test-pattern.mp4");
  if (existsSync(file)) return { made: false, reason: "already made" };
  if (!hasFfmpeg()) {
    log("ffmpeg is not installed, so the studio serves no sample video for \"Add from link\".");
    return { made: false, reason: "no ffmpeg" };
  }
  mkdirSync(join(dataDir, "samples"), { recursive: true });
  // prettier-ignore
  await promisify(execFile)("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=duration=4:size=640x360:rate=24",
    "-f", "lavfi", "-i", "sine=frequency=523:duration=4",
    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart",
    "-f", "mp4", `${file}.partial`,
  ]);
  await rename(`${file}.partial`, file);
  return { made: true };
}

/**
 * Starts the emulator and the app. `port`/`emulatorPort` 0 pick free ports. On the emulator, the first
 * start on a data dir gives the welcome lesson a video (`seedWelcomeVideo`; `seedVideo: false` skips it), and
 * the studio gets its sample video for link imports (`makeSampleVideo`). Returns the URLs and `close()`, which stops both.
 */
export async function startStudioStack({
  host = "127.0.0.1",
  port = 3000,
  emulatorPort = 4010,
  dataDir = join(appDir, ".data"),
  processingDelayMs,
  instances = 1,
  onAppExit,
  seedVideo = true,
  log = console.log,
} = {}) {
  if (instances > 1 && !process.env.DATABASE_URL) {
    throw new Error(
      `${instances} instances share one database: set DATABASE_URL to a PostgreSQL (PGlite keeps its files for one process).`,
    );
  }
  if (process.env.MUX_TOKEN_ID && !process.env.STUDIO_PUBLIC_URL && !process.env.LESSON_VIDEO_PUBLIC_ORIGIN) {
    throw new Error(
      "With real Mux, set STUDIO_PUBLIC_URL to the studio's public address (e.g. https://lessons.example): Mux downloads caption files from it, as it sends webhooks to it.",
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
  let emulatorTokens;
  if (!process.env.MUX_TOKEN_ID) {
    const entry = join(appDir, "node_modules", "lesson-video-kit", "dist", "esm", "emulator", "index.js");
    const { startMuxEmulator, DEFAULT_TOKEN_ID, DEFAULT_TOKEN_SECRET } = await import(pathToFileURL(entry).href);
    emulatorTokens = { tokenId: DEFAULT_TOKEN_ID, tokenSecret: DEFAULT_TOKEN_SECRET };
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
    // Where the emulator downloads caption files from: the studio's own URL (Next.js route handlers do not
    // know the address they serve on, and the routes never take it from the request's Host).
    if (!env.STUDIO_PUBLIC_URL && !env.LESSON_VIDEO_PUBLIC_ORIGIN) env.LESSON_VIDEO_PUBLIC_ORIGIN = url;
    // The emulator's own signing key (kept in its data dir), so STUDIO_PLAYBACK_POLICY=signed plays.
    if (!process.env.MUX_SIGNING_KEY_ID) {
      env.MUX_SIGNING_KEY_ID = emulator.signingKey.id;
      env.MUX_SIGNING_KEY_PRIVATE = emulator.signingKey.privateKey;
    }
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
    if (emulator) {
      await makeSampleVideo({ dataDir, log }).catch((error) => {
        log(`The sample video for "Add from link" was not made: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    if (emulator && seedVideo) {
      await seedWelcomeVideo({ emulatorUrl: emulator.url, ...emulatorTokens, dataDir, origin: url, log }).catch((error) => {
        log(`The welcome lesson's video was not seeded: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, emulatorUrl: emulator?.url, redisUrl: env.REDIS_URL, instances, close };
}
