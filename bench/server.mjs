// Measurement 5 and the issue-8 load figure: createVideoRoutes on node:http (toNodeHandler) with
// createMuxBackend and the emulator, in its own process; autocannon (keep-alive) in this one.
// - GET /assets/:id of a ready asset (served from the asset cache) vs the node:http floor on the same
//   server (a fixed JSON body, no routing/auth/cache);
// - POST /webhooks/mux: signature verification (HMAC-SHA256, Web Crypto), replay check, cache update;
//   each request a new signed event. Measured below the route's caps: the bench's routes set
//   `webhooks.maxConcurrent` above the connection count and `webhooks.perIp` far above what a run sends, so
//   every delivery is verified and applied; the rate counts 2xx answers only and refusals (non-2xx) are
//   reported apart. The same load against routes with the default caps (16 at once, 600 a minute per IP)
//   shows what those caps refuse;
// - load: 200 concurrent status pollers (1 request/s each) + 20 concurrent chunked uploads for `loadSeconds`.
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { sendChunks } from "../src/core/chunked-sender.ts";
import { createFetchRequester } from "../src/core/chunk-requester.ts";
import { signWebhookBody } from "../src/emulator/webhooks.ts";
import { tinyMp4, uploadAsset } from "./lib/fixtures.mjs";
import { startStack } from "./lib/stack-client.mjs";
import { median } from "./lib/stats.mjs";

const cannon = (options) =>
  new Promise((resolve, reject) => {
    autocannon({ connections, pipelining: 1, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** Status code → count of one autocannon run (2xx and the rest). */
const statusCounts = (result) => Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));

const summary = (result) => ({
  requestsPerSecond: result.requests.average,
  okPerSecond: result["2xx"] / result.duration,
  ok: result["2xx"],
  statuses: statusCounts(result),
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  errors: result.errors + result.timeouts,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
});

async function waitForReady(api, assetId) {
  for (;;) {
    const asset = await (await fetch(`${api}/assets/${assetId}`)).json();
    if (asset.status === "ready") return asset;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Medians over `runs` runs of `seconds` each, after a warm-up run (the JIT, the cache, keep-alive sockets). With
 * `stack`, also the server process's CPU time per answered request (user + system, µs): what one request costs the
 * server, whether or not the autocannon client (on the same cores) is what bounds the rate.
 */
async function measure(runs, seconds, options, stack) {
  await cannon({ duration: Math.min(3, seconds), ...options });
  const each = [];
  for (let i = 0; i < runs; i++) {
    const before = await stack?.cpu();
    const result = summary(await cannon({ duration: seconds, ...options }));
    if (stack) {
      const after = await stack.cpu();
      result.serverCpuUsPerRequest = (after.user - before.user + after.system - before.system) / result.requests;
    }
    each.push(result);
  }
  return {
    ...(stack ? { serverCpuUsPerRequest: median(each.map((r) => r.serverCpuUsPerRequest)) } : {}),
    requestsPerSecond: median(each.map((r) => r.requestsPerSecond)),
    okPerSecond: median(each.map((r) => r.okPerSecond)),
    ok: each.reduce((n, r) => n + r.ok, 0),
    requests: each.reduce((n, r) => n + r.requests, 0),
    statuses: each.reduce((all, r) => {
      for (const [code, n] of Object.entries(r.statuses)) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {}),
    p50Ms: median(each.map((r) => r.p50Ms)),
    p99Ms: median(each.map((r) => r.p99Ms)),
    errors: each.reduce((n, r) => n + r.errors, 0),
    non2xx: each.reduce((n, r) => n + r.non2xx, 0),
    runs: each,
  };
}

/** autocannon connections of the steady-state rows. */
const connections = 50;
/**
 * The webhook route's caps in the bench's routes: more deliveries at once than connections, and a per-IP
 * allowance no run reaches (explicit, so the figure does not move with the routes' defaults or with how the
 * per-IP limit counts).
 */
const webhookCaps = { maxConcurrent: connections * 2, perIp: { limit: 1_000_000_000, windowMs: 60_000 } };

export async function run({ runs = 3, seconds = 5, loadSeconds = 30, log = () => {} } = {}) {
  const stack = await startStack({
    processingDelayMs: 100,
    tools: { ffprobe: false, ffmpeg: false },
    webhooks: webhookCaps,
    defaultCapsRoutes: true,
    sessionRoutes: true,
  });
  try {
    const api = `${stack.origin}/api/video`;
    const { assetId } = await uploadAsset(stack, tinyMp4());
    const asset = await waitForReady(api, assetId);
    // The status route as a signed-in user reaches it (a session cookie), through `authorizeNode(req)` and through
    // `authorize(request)`; each instance's cache is filled before counting starts. The floor answers the very
    // bytes the route answered, with its headers.
    const session = { headers: { cookie: stack.sessionCookie } };
    const statusUrl = (base) => `${stack.origin}${base}/assets/${assetId}`;
    const answer = await fetch(statusUrl(stack.sessionBases.node), session);
    if (answer.status !== 200) throw new Error(`GET /assets/:id through authorizeNode answered ${answer.status}`);
    const answerBody = await answer.text();
    if ((await (await fetch(statusUrl(stack.sessionBases.fetch), session)).text()) !== answerBody) throw new Error("the two session routes answered differently");
    await fetch(`${stack.origin}/__bench/floor-body`, { method: "POST", body: answerBody });
    await stack.reset();

    const getAsset = await measure(runs, seconds, { url: statusUrl(stack.sessionBases.node), ...session }, stack);
    log(`server GET /assets/:id (authorizeNode) ${getAsset.requestsPerSecond.toFixed(0)} req/s p99 ${getAsset.p99Ms} ms, ${getAsset.serverCpuUsPerRequest.toFixed(1)} µs CPU/request`);
    const getAssetFetchAuth = await measure(runs, seconds, { url: statusUrl(stack.sessionBases.fetch), ...session }, stack);
    log(`server GET /assets/:id (authorize(request)) ${getAssetFetchAuth.requestsPerSecond.toFixed(0)} req/s p99 ${getAssetFetchAuth.p99Ms} ms, ${getAssetFetchAuth.serverCpuUsPerRequest.toFixed(1)} µs CPU/request`);
    const floor = await measure(runs, seconds, { url: `${stack.origin}/__bench/floor` }, stack);
    log(`server floor ${floor.requestsPerSecond.toFixed(0)} req/s p99 ${floor.p99Ms} ms, ${floor.serverCpuUsPerRequest.toFixed(1)} µs CPU/request`);
    const backendCallsDuringGet = (await stack.counts())["backend.getAsset"] ?? 0;

    // Mux's asset JSON for the webhook body, as Mux (here the emulator) would send it.
    const muxAsset = await (
      await fetch(`${stack.emulatorUrl}/video/v1/assets/${assetId}`, {
        headers: { authorization: `Basic ${Buffer.from("emulator-token-id:emulator-token-secret").toString("base64")}` },
      })
    ).json();
    const signedEvents = (url) => ({
      url,
      method: "POST",
      requests: [
        {
          setupRequest(request) {
            const body = JSON.stringify({
              id: randomUUID(),
              type: "video.asset.updated",
              created_at: new Date().toISOString(),
              object: { type: "asset", id: assetId },
              environment: { id: "bench", name: "bench" },
              data: muxAsset.data,
              attempts: [],
              accessor: null,
              accessor_source: null,
              request_id: null,
            });
            return { ...request, body, headers: { "content-type": "application/json", "mux-signature": signWebhookBody(body, stack.webhookSecret) } };
          },
        },
      ],
    });
    const webhook = { ...(await measure(runs, seconds, signedEvents(`${api}/webhooks/mux`))), caps: webhookCaps };
    log(`server webhook (caps above the load) ${webhook.okPerSecond.toFixed(0)} verified/s (${webhook.requestsPerSecond.toFixed(0)} answers/s) p99 ${webhook.p99Ms} ms, refused ${webhook.non2xx}, errors ${webhook.errors}`);
    const webhookDefaultCaps = await measure(runs, seconds, signedEvents(`${stack.origin}/api/video-default-caps/webhooks/mux`));
    log(`server webhook (default caps) ${webhookDefaultCaps.okPerSecond.toFixed(0)} verified/s, ${webhookDefaultCaps.requestsPerSecond.toFixed(0)} answers/s, statuses ${JSON.stringify(webhookDefaultCaps.statuses)}`);

    // Issue 8: 200 concurrent pollers + 20 concurrent chunked uploads.
    const memoryBefore = await stack.memory();
    const uploadBytes = Buffer.alloc(16 * 1024 * 1024, 7);
    uploadBytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
    const uploadBlob = new Blob([uploadBytes], { type: "video/mp4" });
    const deadline = Date.now() + loadSeconds * 1000;
    const uploadStats = { completed: 0, failed: 0, bytes: 0, createLatencies: [] };
    const request = createFetchRequester();
    const uploader = async () => {
      while (Date.now() < deadline) {
        try {
          const started = performance.now();
          const created = await fetch(`${api}/uploads`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: stack.origin },
            body: JSON.stringify({ file: { name: "load.mp4", size: uploadBlob.size, type: "video/mp4" } }),
          });
          uploadStats.createLatencies.push(performance.now() - started);
          if (created.status !== 201) throw new Error(`POST /uploads ${created.status}`);
          const { url } = await created.json();
          await sendChunks(uploadBlob, url, { signal: AbortSignal.timeout(60_000), onProgress() {}, chunkSize: 4 * 1024 * 1024, request, retry: { retries: 0 } });
          uploadStats.completed++;
          uploadStats.bytes += uploadBlob.size;
        } catch (error) {
          uploadStats.failed++;
          log(`load upload failed: ${error?.code ?? ""} ${error?.message ?? error}`);
        }
      }
    };
    const started = Date.now();
    const [pollers] = await Promise.all([
      // 200 pollers at 1 request/s each (the naive poller's rate; ours polls less), not back to back.
      cannon({ url: `${api}/assets/${assetId}`, connections: 200, connectionRate: 1, duration: loadSeconds }),
      ...Array.from({ length: 20 }, uploader),
    ]);
    const elapsed = (Date.now() - started) / 1000;
    const memoryAfter = await stack.memory();
    const load = {
      seconds: loadSeconds,
      pollers: summary(pollers),
      uploads: {
        completed: uploadStats.completed,
        failed: uploadStats.failed,
        mbPerSecond: uploadStats.bytes / 1e6 / elapsed,
        createP50Ms: median(uploadStats.createLatencies),
        createP99Ms: [...uploadStats.createLatencies].sort((a, b) => a - b)[Math.max(0, Math.ceil(uploadStats.createLatencies.length * 0.99) - 1)],
      },
      memoryBefore,
      memoryAfter,
    };
    log(`load: ${load.pollers.requestsPerSecond.toFixed(0)} req/s p99 ${load.pollers.p99Ms} ms errors ${load.pollers.errors} non2xx ${load.pollers.non2xx}; uploads ${load.uploads.completed} ok ${load.uploads.failed} failed; rss ${(memoryBefore.rss / 1e6).toFixed(0)} → ${(memoryAfter.rss / 1e6).toFixed(0)} MB`);
    return { runs, seconds, connections, getAsset, getAssetFetchAuth, responseBytes: Buffer.byteLength(answerBody), floor, backendCallsDuringGet, webhook, webhookDefaultCaps, load, assetStatus: asset.status };
  } finally {
    await stack.close();
  }
}

