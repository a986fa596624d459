// Browser-test globalSetup: starts a local Mux emulator and a tiny "app backend" that does what a host app's
// server does with @mux/mux-node (create a direct upload, report the asset), plus the generated fixture files.
// Provided to tests (read with `inject(...)`):
//   emulatorUrl     – the emulator's base URL (playback at /stream/:id.mp4; its /_emulator admin routes refuse
//                     pages on other origins, so tests turn knobs through the backend)
//   emulatorBackend – base URL of the app backend:
//       POST /uploads  body { policy?: "public"|"signed", corsOrigin?: string }  → { uploadId, url }
//       GET  /uploads/:id/asset → { status, assetId?, playbackId?, src?, poster?, errors? } (polls Mux once)
//       GET  /fixtures/<name>   → fixture bytes (mp4, webm, recordedWebm, audio, notVideo, fakeMp4), with CORS
//       POST /faults   body = fault knobs → relayed from Node (no Origin) to the emulator's POST /_emulator/faults
//       GET  /faults   → the knobs in force, read the same way
//   emulatorFixtures – JSON of { [key]: { name, type, size, width?, height?, duration? } }
import { createReadStream } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Mux from "@mux/mux-node";
import type { TestProject } from "vitest/node";
import { startMuxEmulator } from "../../../src/emulator/index.js";
import { ensureFixtures, type Fixture, type Fixtures } from "../../fixtures/make-fixtures.js";

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
    emulatorBackend: string;
    emulatorFixtures: string;
  }
}

type FixtureKey = Exclude<keyof Fixtures, "dir">;
const FIXTURE_KEYS: FixtureKey[] = ["mp4", "webm", "recordedWebm", "audio", "notVideo", "fakeMp4"];

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type",
};

function startBackend(mux: Mux, emulatorUrl: string, fixtures: Fixtures): Promise<Server> {
  const send = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { ...CORS, "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://backend.local");
      const parts = url.pathname.split("/").filter(Boolean);
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS);
        return res.end();
      }
      if (req.method === "POST" && parts[0] === "uploads" && parts.length === 1) {
        let text = "";
        for await (const chunk of req) text += String(chunk);
        const body = (text ? JSON.parse(text) : {}) as { policy?: "public" | "signed"; corsOrigin?: string };
        const upload = await mux.video.uploads.create({
          cors_origin: body.corsOrigin ?? req.headers.origin ?? "*",
          new_asset_settings: { playback_policies: [body.policy ?? "public"] },
        });
        return send(res, 201, { uploadId: upload.id, url: upload.url });
      }
      if (req.method === "GET" && parts[0] === "uploads" && parts[2] === "asset" && parts[1]) {
        const upload = await mux.video.uploads.retrieve(parts[1]);
        if (!upload.asset_id) return send(res, 200, { status: upload.status });
        const asset = await mux.video.assets.retrieve(upload.asset_id);
        const playbackId = asset.playback_ids?.[0]?.id;
        return send(res, 200, {
          status: asset.status,
          assetId: asset.id,
          playbackId,
          errors: asset.errors,
          duration: asset.duration,
          aspectRatio: asset.aspect_ratio,
          ...(playbackId ? { src: `${emulatorUrl}/stream/${playbackId}.mp4`, poster: `${emulatorUrl}/image/${playbackId}/thumbnail.jpg` } : {}),
        });
      }
      if (parts[0] === "faults" && parts.length === 1 && (req.method === "POST" || req.method === "GET")) {
        let text = "";
        for await (const chunk of req) text += String(chunk);
        const answer = await fetch(
          `${emulatorUrl}/_emulator/faults`,
          req.method === "POST" ? { method: "POST", headers: { "content-type": "application/json" }, body: text || "{}" } : {},
        );
        return send(res, answer.status, await answer.json());
      }
      if (req.method === "GET" && parts[0] === "fixtures" && parts[1] && (FIXTURE_KEYS as string[]).includes(parts[1])) {
        const fixture = fixtures[parts[1] as FixtureKey];
        res.writeHead(200, { ...CORS, "content-type": fixture.type, "content-length": String(fixture.size) });
        return createReadStream(fixture.path).pipe(res);
      }
      send(res, 404, { error: "not found" });
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export default async function setup(project: TestProject) {
  const fixtures = await ensureFixtures();
  const emulator = await startMuxEmulator({ processingDelayMs: 100 });
  const mux = new Mux({ tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, baseURL: emulator.url, maxRetries: 0 });
  const backend = await startBackend(mux, emulator.url, fixtures);
  const facts = Object.fromEntries(
    FIXTURE_KEYS.map((key) => {
      const { path: _path, ...rest }: Fixture = fixtures[key];
      return [key, rest];
    }),
  );
  project.provide("emulatorUrl", emulator.url);
  project.provide("emulatorBackend", `http://127.0.0.1:${(backend.address() as AddressInfo).port}`);
  project.provide("emulatorFixtures", JSON.stringify(facts));
  return async () => {
    await new Promise<void>((resolve) => {
      backend.close(() => resolve());
      backend.closeAllConnections();
    });
    await emulator.close();
  };
}
