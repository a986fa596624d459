// Measurement 3: status traffic while 1 and 50 components watch one asset that takes `processingMs` to
// process. Ours: one AssetWatcher (what every useAsset/VideoUploader under one VideoProvider shares) over
// createHttpTransport, with server-sent events (default) and with polling only (`events: false`). Peer: a
// naive `setInterval(fetch, 1000)` per component. All six scenarios run at once, each on its own asset,
// against createVideoRoutes + the emulator; requests are counted by the server per asset id.
import { AssetWatcher } from "../src/core/asset-watcher.ts";
import { createHttpTransport } from "../src/transports/http.ts";
import { tinyMp4, uploadAsset } from "./lib/fixtures.mjs";
import { startStack } from "./lib/stack-client.mjs";

/** Ours: `components` subscribers of one watcher; resolves when every one of them saw `ready`. */
function watchWithOurs(api, assetId, components, events) {
  const watcher = new AssetWatcher({ transport: createHttpTransport({ baseUrl: api, events }) });
  return new Promise((resolve) => {
    let pending = components;
    const unsubscribes = [];
    for (let i = 0; i < components; i++) {
      let seen = false;
      const unsubscribe = watcher.subscribeAsset(assetId, () => {
        if (seen || watcher.getAssetSnapshot(assetId).status !== "ready") return;
        seen = true;
        if (--pending === 0) {
          for (const each of unsubscribes) each();
          watcher.dispose();
          resolve();
        }
      });
      unsubscribes.push(unsubscribe);
    }
  });
}

/** The naive peer: every component polls `GET /assets/:id` every second until it reads `ready`. */
function watchNaively(api, assetId, components) {
  return Promise.all(
    Array.from(
      { length: components },
      () =>
        new Promise((resolve) => {
          const timer = setInterval(async () => {
            try {
              const asset = await (await fetch(`${api}/assets/${assetId}`)).json();
              if (asset.status === "ready") {
                clearInterval(timer);
                resolve();
              }
            } catch {
              // keep polling, as such a component would
            }
          }, 1000);
        }),
    ),
  );
}

export async function run({ processingMs = 60_000, log = () => {} } = {}) {
  const stack = await startStack({ processingDelayMs: processingMs });
  try {
    const api = `${stack.origin}/api/video`;
    const bytes = tinyMp4();
    const scenarios = [
      { id: "ours-sse", label: "ours, server-sent events", components: 1, watch: (id) => watchWithOurs(api, id, 1, true) },
      { id: "ours-sse", label: "ours, server-sent events", components: 50, watch: (id) => watchWithOurs(api, id, 50, true) },
      { id: "ours-poll", label: "ours, polling (events: false)", components: 1, watch: (id) => watchWithOurs(api, id, 1, false) },
      { id: "ours-poll", label: "ours, polling (events: false)", components: 50, watch: (id) => watchWithOurs(api, id, 50, false) },
      { id: "naive", label: "naive 1 s setInterval per component", components: 1, watch: (id) => watchNaively(api, id, 1) },
      { id: "naive", label: "naive 1 s setInterval per component", components: 50, watch: (id) => watchNaively(api, id, 50) },
    ];
    const results = await Promise.all(
      scenarios.map(async (scenario) => {
        const { assetId } = await uploadAsset(stack, bytes);
        const start = Date.now();
        await scenario.watch(assetId);
        return { ...scenario, watch: undefined, assetId, allSawReadyAfterMs: Date.now() - start };
      }),
    );
    const counts = await stack.counts();
    for (const result of results) {
      result.clientRequests = {
        getAsset: counts[`GET /assets/:id ${result.assetId}`] ?? 0,
        events: counts[`GET /assets/:id/events ${result.assetId}`] ?? 0,
      };
      result.requests = result.clientRequests.getAsset + result.clientRequests.events;
      result.backendPolls = counts[`backend.getAsset ${result.assetId}`] ?? 0;
      log(`status ${result.id} x${result.components}: ${result.requests} requests (${result.clientRequests.getAsset} GET, ${result.clientRequests.events} streams), ${result.backendPolls} backend polls, ready seen after ${result.allSawReadyAfterMs} ms`);
    }
    return { processingMs, results };
  } finally {
    await stack.close();
  }
}

