// Browser-test globalSetup for the server routes: a local Mux emulator and a host server that mounts
// createVideoRoutes (createMuxBackend on the real @mux/mux-node client) with toNodeHandler, twice:
//   /api/video         – allows the test page's origin once the page registers it (its port is Vitest's choice)
//   /blocked/api/video – allows no other origin
//   /media/api/video   – like /api/video, and takes audio files (allowAudio) and makes every asset's MP4 and M4A
//                        downloads (assetDefaults.staticRenditions)
//   /gauged/api/video  – like /api/video, but its upload URLs go through /_gauge, a proxy in front of the
//                        emulator's upload URL that counts the uploads sending at once (at the server, the way
//                        a concurrency limit must hold), logs each PUT's range and answer, and can fail the
//                        PUTs of a file of a given size or slow every PUT down
// plus a test-only /_test API (not part of the kit): register the page origin, read an upload as the
// emulator holds it, count uploads, and fetch fixture bytes. Webhooks from the emulator go to /api/video.
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
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
    videoRoutesGaugedUrl: string;
    videoRoutesMediaUrl: string;
  }
}

/** What the upload proxy saw: one entry per PUT, in the order they were answered. */
export interface GaugedPut {
  upload: string;
  start: number;
  end: number;
  total: number | undefined;
  status: number;
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
  // Learner progress: lessons named lesson-* are Alice's, 3 s long (the mp4 fixture); any other lesson is not hers to watch.
  const progress = { lesson: (_user: { id: string }, lessonId: string) => (lessonId.startsWith("lesson-") ? { duration: 3, creatorId: "alice" } : null) };
  const routes = createVideoRoutes({ backend: backend(), authorize, cors: { origins: allowedOrigins }, progress });
  const blocked = createVideoRoutes({ backend: backend(), authorize, basePath: "/blocked/api/video" });
  const mountRoutes = toNodeHandler(routes);
  const mountBlocked = toNodeHandler(blocked);
  const media = createVideoRoutes({
    backend: backend(),
    authorize,
    basePath: "/media/api/video",
    cors: { origins: allowedOrigins },
    allowAudio: true,
    assetDefaults: { staticRenditions: ["highest", "audio-only"] },
  });
  const mountMedia = toNodeHandler(media);

  // The gauge: the emulator's upload URLs, proxied so the test can see what reaches the server.
  let gaugeOrigin = "";
  const gauge = { inFlight: new Map<string, number>(), most: 0, puts: [] as GaugedPut[], failTotal: undefined as number | undefined, delayMs: 0 };
  const plain = backend();
  const proxyUpload = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const upload = path.split("?")[0]!;
    const isPut = req.method === "PUT";
    const range = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(req.headers["content-range"] ?? "");
    const total = range && range[3] !== "*" ? Number(range[3]) : undefined;
    if (isPut) {
      gauge.inFlight.set(upload, (gauge.inFlight.get(upload) ?? 0) + 1);
      gauge.most = Math.max(gauge.most, [...gauge.inFlight.values()].filter((n) => n > 0).length);
    }
    let counted = isPut;
    const done = (status: number) => {
      if (!counted) return;
      counted = false;
      gauge.inFlight.set(upload, (gauge.inFlight.get(upload) ?? 1) - 1);
      gauge.puts.push({ upload, start: range ? Number(range[1]) : 0, end: range ? Number(range[2]) : -1, total, status });
    };
    // A PUT the browser aborted before the answer was written counts as status 0 (nothing committed by it).
    let outgoing: ReturnType<typeof httpRequest> | undefined;
    let closed = false;
    res.on("close", () => {
      closed = true;
      done(res.headersSent ? res.statusCode : 0);
      // The browser gave up on this PUT (a pause, an unmount): so does the proxy, as the connection would.
      if (!res.writableFinished) outgoing?.destroy();
    });
    const forward = () => {
      if (closed) return;
      if (isPut && total !== undefined && total === gauge.failTotal) {
        req.resume();
        res.writeHead(503, { "access-control-allow-origin": req.headers.origin ?? "*" }).end("failing on purpose");
        return;
      }
      const target = new URL(path, emulator.url);
      outgoing = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      outgoing.on("error", () => res.destroy());
      req.pipe(outgoing);
    };
    if (isPut && gauge.delayMs > 0) setTimeout(forward, gauge.delayMs);
    else forward();
  };

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
    if (path[0] === "fixtures" && path[1] === "audio") return send(200, readFileSync(fixtures.audio.path), fixtures.audio.type);
    if (path[0] === "gauge" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      const knobs = JSON.parse(body || "{}") as { failTotal?: number; delayMs?: number };
      gauge.inFlight.clear();
      gauge.most = 0;
      gauge.puts = [];
      gauge.failTotal = knobs.failTotal;
      gauge.delayMs = knobs.delayMs ?? 0;
      return send(200, { ok: true });
    }
    if (path[0] === "gauge") {
      const sending = [...gauge.inFlight.values()].reduce((sum, n) => sum + n, 0);
      return send(200, { most: gauge.most, sending, puts: gauge.puts });
    }
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
    } else if (path[0] === "_gauge") {
      proxyUpload(req, res, (req.url ?? "/").slice("/_gauge".length));
    } else if (path[0] === "gauged") {
      mountGauged(req, res);
    } else if (path[0] === "media") {
      mountMedia(req, res);
    } else {
      mountRoutes(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gaugeOrigin = origin;
  const gaugedRoutes = createVideoRoutes({
    backend: {
      ...plain,
      name: plain.name,
      createUpload: async (input) => {
        const created = await plain.createUpload(input);
        const url = new URL(created.url);
        return { ...created, url: `${gaugeOrigin}/_gauge${url.pathname}${url.search}` };
      },
    },
    authorize,
    basePath: "/gauged/api/video",
    cors: { origins: allowedOrigins },
    // Many uploads from one user in one file; the default 120 requests a minute is for people, not this test.
    rateLimit: { perUser: { limit: 100_000, windowMs: 60_000 } },
    // Link imports may come from this host server (its /_test/fixtures), a loopback address refused by default.
    imports: { allowedHosts: [gaugeOrigin] },
  });
  const mountGauged = toNodeHandler(gaugedRoutes);
  emulator.setWebhookUrls([`${origin}/api/video/webhooks/mux`]);

  project.provide("videoRoutesUrl", `${origin}/api/video`);
  project.provide("videoRoutesBlockedUrl", `${origin}/blocked/api/video`);
  project.provide("videoRoutesTestApi", `${origin}/_test`);
  project.provide("videoRoutesGaugedUrl", `${origin}/gauged/api/video`);
  project.provide("videoRoutesMediaUrl", `${origin}/media/api/video`);

  return async () => {
    routes.close();
    blocked.close();
    gaugedRoutes.close();
    media.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
  };
}
