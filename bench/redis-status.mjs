// Measurement 6: the status-traffic scenario on several server instances. One asset per deployment takes
// `processingMs` to process in a shared emulator; `viewers` pages watch it (each its own AssetWatcher over
// createHttpTransport with server-sent events), spread round-robin over the deployment's instances as a
// load balancer would, and Mux's webhooks reach one instance. Deployments, run at once: one instance
// (in-process stores), three instances on one Redis (lesson-video-kit/server/redis), and three instances
// without Redis (what the Redis stores replace). Each instance runs in its own process and counts what
// reaches the backend per asset.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { AssetWatcher } from "../src/core/asset-watcher.ts";
import { startMuxEmulator } from "../src/emulator/index.ts";
import { createHttpTransport } from "../src/transports/http.ts";
import { startRedis } from "../test/helpers/redis.ts";
import { bundleForNode } from "./lib/bundle.mjs";
import { tinyMp4, uploadAsset } from "./lib/fixtures.mjs";
import { benchDir } from "./lib/paths.mjs";

async function startInstance(script, options) {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const { origin } = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
    lines.once("line", (line) => resolve(JSON.parse(line)));
  });
  return {
    origin,
    api: `${origin}/api/video`,
    counts: async () => (await fetch(`${origin}/__bench/counts`)).json(),
    close: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** `viewers` watchers, viewer i on instance i % n; resolves with the ms after `start` at which each saw `ready`. */
function watchFromViewers(instances, assetId, viewers, start) {
  return Promise.all(
    Array.from({ length: viewers }, (_, i) => {
      const watcher = new AssetWatcher({ transport: createHttpTransport({ baseUrl: instances[i % instances.length].api, events: true }) });
      return new Promise((resolve) => {
        const unsubscribe = watcher.subscribeAsset(assetId, () => {
          if (watcher.getAssetSnapshot(assetId).status !== "ready") return;
          unsubscribe();
          watcher.dispose();
          resolve(Date.now() - start);
        });
      });
    }),
  );
}

export async function run({ processingMs = 60_000, viewers = 30, log = () => {} } = {}) {
  const script = await bundleForNode(join(benchDir, "lib/instance-server.mjs"));
  const redis = await startRedis();
  const emulator = await startMuxEmulator({ processingDelayMs: processingMs, webhookRetryDelaysMs: [200, 1000] });
  const emulatorInfo = { url: emulator.url, tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, webhookSecret: emulator.webhookSecret };
  const deployments = [
    { id: "one", label: "1 instance, in-process stores", size: 1, redis: false },
    { id: "three-redis", label: "3 instances, Redis stores", size: 3, redis: true },
    { id: "three-local", label: "3 instances, in-process stores (no Redis)", size: 3, redis: false },
  ];
  const started = [];
  try {
    for (const deployment of deployments) {
      deployment.instances = await Promise.all(
        Array.from({ length: deployment.size }, () => startInstance(script, { emulator: emulatorInfo, ...(deployment.redis ? { redisUrl: redis.url } : {}) })),
      );
      started.push(...deployment.instances);
    }
    // Mux sends each webhook to one URL: the load balancer hands it to one instance of each deployment.
    emulator.setWebhookUrls(deployments.map((d) => `${d.instances[0].api}/webhooks/mux`));
    const bytes = tinyMp4();
    const results = await Promise.all(
      deployments.map(async (deployment) => {
        const { assetId } = await uploadAsset({ origin: deployment.instances[0].origin }, bytes);
        const start = Date.now();
        const seen = await watchFromViewers(deployment.instances, assetId, viewers, start);
        return { deployment, assetId, seen };
      }),
    );
    const rows = [];
    for (const { deployment, assetId, seen } of results) {
      const counts = await Promise.all(deployment.instances.map((instance) => instance.counts()));
      const sum = (key) => counts.reduce((total, c) => total + (c[key] ?? 0), 0);
      const row = {
        id: deployment.id,
        label: deployment.label,
        instances: deployment.size,
        redis: deployment.redis,
        viewers,
        assetId,
        backendPolls: sum(`backend.getAsset ${assetId}`),
        backendPollsPerInstance: counts.map((c) => c[`backend.getAsset ${assetId}`] ?? 0),
        requests: { getAsset: sum(`GET /assets/:id ${assetId}`), events: sum(`GET /assets/:id/events ${assetId}`) },
        firstSawReadyAfterMs: Math.min(...seen),
        allSawReadyAfterMs: Math.max(...seen),
      };
      rows.push(row);
      log(
        `redis ${row.id}: ${row.backendPolls} backend polls (${row.backendPollsPerInstance.join(" + ")}), ` +
          `${row.requests.getAsset} GET + ${row.requests.events} streams, ready seen after ${row.firstSawReadyAfterMs}–${row.allSawReadyAfterMs} ms`,
      );
    }
    return { processingMs, viewers, redisVersion: await redisVersion(redis.url), results: rows };
  } finally {
    await Promise.all(started.map((instance) => instance.close()));
    await emulator.close();
    await redis.close();
  }
}

async function redisVersion(url) {
  const { Redis } = await import("ioredis");
  const client = new Redis(url);
  try {
    const info = String(await client.call("INFO", "server"));
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  } finally {
    client.disconnect();
  }
}
