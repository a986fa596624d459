// Browser-test globalSetup for the reliability suite (test/browser/reliability): two independent stacks, each a
// local Mux emulator on its own data dir plus a host server mounting createVideoRoutes (createMuxBackend, the real
// @mux/mux-node client). The fault matrix gets one stack to itself (fault knobs and restarts are global to an
// emulator); the bad-input corpus and the React reload test get one each (they count the assets they create). Each host server also answers a test-only API (not part of the
// kit) under /_rel:
//   POST /_rel/faults            body = fault knobs → sets them on the current emulator (same as /_emulator/faults)
//   GET  /_rel/faults            → { data: knobs in force }, read from Node (the emulator's admin routes refuse
//                                the test page's origin)
//   POST /_rel/restart-emulator  body { downMs } → 202 now; closes the emulator, waits downMs, starts it again on
//                                the same port and data dir (state and half-sent bytes survive, as on a redeploy)
//   GET  /_rel/assets            → [{ id, status, upload_id, errors, playback_ids }] every asset, via @mux/mux-node
//   GET  /_rel/uploads           → [{ id, status, asset_id }] every upload, via @mux/mux-node
//   GET  /_rel/fixtures/:key     → bytes of a generated fixture (mp4, audio, webm)
// Provided: reliabilityFaultsStack, reliabilityCorpusStack, reliabilityReactStack, reliabilityStockStack (Mux's stock
// uploader bridged into the kit, test/browser/components/mux-stock-bridge.test.tsx): JSON of { routes, api, emulator }.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Mux } from "@mux/mux-node";
import type { TestProject } from "vitest/node";
import { startMuxEmulator, type MuxEmulator } from "../../../src/emulator/index.js";
import type { EmulatorFaults } from "../../../src/emulator/types.js";
import { createMuxBackend, createVideoRoutes, toNodeHandler } from "../../../src/server/index.js";
import { ensureFixtures, type Fixtures } from "../../fixtures/make-fixtures.js";

declare module "vitest" {
  export interface ProvidedContext {
    reliabilityFaultsStack: string;
    reliabilityCorpusStack: string;
    reliabilityReactStack: string;
    reliabilityStockStack: string;
  }
}

/** What a reliability test gets: the routes' base URL, the test API, the emulator's base URL. */
export interface ReliabilityStack {
  routes: string;
  api: string;
  emulator: string;
}

const CORS = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
}

async function startStack(fixtures: Fixtures): Promise<{ stack: ReliabilityStack; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "lvk-reliability-"));
  const emulatorOptions = { dataDir, processingDelayMs: 100 };
  let emulator: MuxEmulator = await startMuxEmulator(emulatorOptions);
  const port = Number(new URL(emulator.url).port);
  let restarting: Promise<void> | undefined;
  const mux = new Mux({ tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, baseURL: emulator.url, maxRetries: 2 });
  const backend = createMuxBackend({ baseURL: emulator.url, tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, webhookSecret: emulator.webhookSecret, env: {} });
  const routes = createVideoRoutes({
    backend,
    authorize: () => ({ id: "reliability-tester" }),
    cors: { origins: ["*"] },
    uploadCorsOrigin: "*",
    // Every test of these files is one user on one IP polling every 100–300 ms, so the default 120 requests/min
    // per user (a fixed 60 s window) runs out mid-file. The watcher honours the 429's Retry-After (it waits out the
    // window rather than polling into it), but that wait is up to a minute, and a createUpload past the limit
    // fails its run: limits are tested in test/node/server-security.test.ts and test/unit/core/asset-watcher.test.ts.
    rateLimit: false,
  });
  const mountRoutes = toNodeHandler(routes);

  const testApi = async (req: IncomingMessage, res: ServerResponse, path: string[]) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { ...CORS, "content-type": type });
      res.end(body instanceof Buffer ? body : JSON.stringify(body));
    };
    if (req.method === "OPTIONS") return send(204, "");
    await restarting;
    if (req.method === "POST" && path[0] === "faults") {
      emulator.setFaults(JSON.parse((await readBody(req)) || "{}") as EmulatorFaults);
      return send(200, { ok: true });
    }
    if (req.method === "GET" && path[0] === "faults") {
      return send(200, await (await fetch(`${emulator.url}/_emulator/faults`)).json());
    }
    if (req.method === "POST" && path[0] === "restart-emulator") {
      const { downMs = 1000 } = JSON.parse((await readBody(req)) || "{}") as { downMs?: number };
      restarting = (async () => {
        await emulator.close();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        emulator = await startMuxEmulator({ ...emulatorOptions, port });
      })();
      return send(202, { restarting: true });
    }
    if (path[0] === "assets") {
      const assets = [];
      for await (const asset of mux.video.assets.list()) {
        assets.push({ id: asset.id, status: asset.status, upload_id: asset.upload_id, errors: asset.errors, playback_ids: asset.playback_ids });
      }
      return send(200, assets);
    }
    if (path[0] === "uploads") {
      const uploads = [];
      for await (const upload of mux.video.uploads.list()) uploads.push({ id: upload.id, status: upload.status, asset_id: upload.asset_id });
      return send(200, uploads);
    }
    if (path[0] === "fixtures" && (path[1] === "mp4" || path[1] === "audio" || path[1] === "webm")) {
      return send(200, readFileSync(fixtures[path[1]].path), fixtures[path[1]].type);
    }
    return send(404, { error: "no such test route" });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.split("/").filter(Boolean);
    if (path[0] === "_rel") {
      testApi(req, res, path.slice(1)).catch((error: unknown) => {
        res.writeHead(500, CORS).end(String(error));
      });
    } else {
      mountRoutes(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    stack: { routes: `${origin}/api/video`, api: `${origin}/_rel`, emulator: emulator.url },
    async close() {
      routes.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await restarting;
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  const fixtures = await ensureFixtures();
  const faults = await startStack(fixtures);
  const corpus = await startStack(fixtures);
  const react = await startStack(fixtures);
  const stock = await startStack(fixtures);
  project.provide("reliabilityFaultsStack", JSON.stringify(faults.stack));
  project.provide("reliabilityCorpusStack", JSON.stringify(corpus.stack));
  project.provide("reliabilityReactStack", JSON.stringify(react.stack));
  project.provide("reliabilityStockStack", JSON.stringify(stock.stack));
  return async () => {
    await faults.close();
    await corpus.close();
    await react.close();
    await stock.close();
  };
}
