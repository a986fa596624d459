// Browser-test globalSetup for the server routes: a local Mux emulator and a host server that mounts
// createVideoRoutes (createMuxBackend on the real @mux/mux-node client) with toNodeHandler, twice:
//   /api/video         – allows the test page's origin once the page registers it (its port is Vitest's choice)
//   /blocked/api/video – allows no other origin
// plus a test-only /_test API (not part of the kit): register the page origin, read an upload as the
// emulator holds it, count uploads, and fetch fixture bytes. Webhooks from the emulator go to /api/video.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Mux } from "@mux/mux-node";
import type { TestProject } from "vitest/node";
import { startMuxEmulator } from "../../../src/emulator/index.js";
import { createMuxBackend, createVideoRoutes, toNodeHandler } from "../../../src/server/index.js";
import { ensureFixtures } from "../../fixtures/make-fixtures.js";

declare module "vitest" {
  export interface ProvidedContext {
    videoRoutesUrl: string;
    videoRoutesBlockedUrl: string;
    videoRoutesTestApi: string;
  }
}

const users: Record<string, { id: string }> = { "alice-token": { id: "alice" } };

export default async function setup(project: TestProject) {
  const fixtures = await ensureFixtures();
  const emulator = await startMuxEmulator({ processingDelayMs: 200, webhookRetryDelaysMs: [200, 400] });
  const mux = new Mux({ tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, baseURL: emulator.url, maxRetries: 0 });
  const backend = () =>
    createMuxBackend({ baseURL: emulator.url, tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, webhookSecret: emulator.webhookSecret, env: {} });
  const authorize = (request: Request) => users[request.headers.get("authorization")?.replace(/^Bearer /, "") ?? ""];

  const allowedOrigins: string[] = [];
  const routes = createVideoRoutes({ backend: backend(), authorize, cors: { origins: allowedOrigins } });
  const blocked = createVideoRoutes({ backend: backend(), authorize, basePath: "/blocked/api/video" });
  const mountRoutes = toNodeHandler(routes);
  const mountBlocked = toNodeHandler(blocked);

  const testApi = async (req: IncomingMessage, res: ServerResponse, path: string[]) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "access-control-allow-origin": "*", "content-type": type });
      res.end(typeof body === "string" || body instanceof Buffer ? body : JSON.stringify(body));
    };
    if (req.method === "POST" && path[0] === "allow-origin") {
      let origin = "";
      for await (const chunk of req) origin += String(chunk);
      if (!allowedOrigins.includes(origin)) allowedOrigins.push(origin);
      return send(200, { allowed: allowedOrigins });
    }
    if (path[0] === "uploads" && path[1]) return send(200, await mux.video.uploads.retrieve(path[1]));
    if (path[0] === "uploads-count") {
      let count = 0;
      for await (const _upload of mux.video.uploads.list()) count++;
      return send(200, { count });
    }
    if (path[0] === "fixtures" && path[1] === "mp4") return send(200, readFileSync(fixtures.mp4.path), fixtures.mp4.type);
    return send(404, { error: "no such test route" });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.split("/").filter(Boolean);
    if (path[0] === "_test") {
      testApi(req, res, path.slice(1)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    } else if (path[0] === "blocked") {
      mountBlocked(req, res);
    } else {
      mountRoutes(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator.setWebhookUrls([`${origin}/api/video/webhooks/mux`]);

  project.provide("videoRoutesUrl", `${origin}/api/video`);
  project.provide("videoRoutesBlockedUrl", `${origin}/blocked/api/video`);
  project.provide("videoRoutesTestApi", `${origin}/_test`);

  return async () => {
    routes.close();
    blocked.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
  };
}
