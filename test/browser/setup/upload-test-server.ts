// Browser-test globalSetup: a small upload server with Google Cloud Storage resumable semantics (what Mux
// direct-upload URLs speak) on 127.0.0.1, port 0, with CORS, so Chromium tests can send real bytes to it.
// Provided to tests as `uploadTestServer` (its base URL):
//   POST /sessions  body { dropOnce?: { atByte: number }, chunkDelayMs?: number }
//        → { id, url }  (url: PUT target; the first chunk that carries byte `atByte` loses its connection
//          mid-body once, after the bytes before `atByte` arrived)
//   PUT  /upload/:id  Content-Range "bytes s-e/total" (chunk) or "bytes */total" (offset query)
//        → 308 + Range "bytes=0-N" while incomplete, 200 when every byte is there
//   GET  /sessions/:id → { total, committed, sha256, puts, drops, contentRanges }
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    uploadTestServer: string;
  }
}

interface Session {
  data: Buffer | null;
  total: number;
  committed: number;
  dropAtByte: number | null;
  dropPlanned: boolean;
  chunkDelayMs: number;
  puts: number;
  drops: number;
  contentRanges: string[];
}

const MAX_TOTAL = 64 * 1024 * 1024;

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Content-Range",
  "Access-Control-Expose-Headers": "Range",
};

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...CORS, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function progressReply(res: ServerResponse, session: Session): void {
  // With a drop planned, every request gets its own connection: Chromium silently resends an idempotent
  // PUT that failed on a reused keep-alive socket, and the test wants the sender to see the failure.
  const connection: Record<string, string> = session.dropPlanned ? { Connection: "close" } : {};
  if (session.committed === session.total) return reply(res, 200, { done: true }, connection);
  reply(res, 308, undefined, { ...connection, ...(session.committed > 0 ? { Range: `bytes=0-${session.committed - 1}` } : {}) });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function receiveChunk(req: IncomingMessage, res: ServerResponse, session: Session, start: number, end: number): void {
  let position = start;
  const drop = session.dropAtByte !== null && start <= session.dropAtByte && session.dropAtByte <= end;
  req.on("data", (piece: Buffer) => {
    if (res.destroyed || !session.data) return;
    let accepted = piece;
    if (drop && session.dropAtByte !== null && position + piece.length > session.dropAtByte) {
      accepted = piece.subarray(0, Math.max(0, session.dropAtByte - position));
    }
    accepted.copy(session.data, position);
    position += accepted.length;
    // Bytes count as stored only when they extend what is already there without a gap.
    if (start <= session.committed) session.committed = Math.max(session.committed, position);
    if (accepted.length < piece.length) {
      session.dropAtByte = null;
      session.drops++;
      req.socket.destroy();
    }
  });
  req.on("end", () => {
    if (res.destroyed) return;
    setTimeout(() => progressReply(res, session), session.chunkDelayMs);
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sessions = new Map<string, Session>();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://upload.test");
      const [kind, id] = url.pathname.split("/").filter(Boolean);
      if (req.method === "OPTIONS") return reply(res, 204);
      if (req.method === "POST" && kind === "sessions" && !id) {
        const body = await readJson(req);
        const dropOnce = body.dropOnce as { atByte?: number } | undefined;
        const newId = randomUUID();
        sessions.set(newId, {
          data: null,
          total: 0,
          committed: 0,
          dropAtByte: typeof dropOnce?.atByte === "number" ? dropOnce.atByte : null,
          dropPlanned: typeof dropOnce?.atByte === "number",
          chunkDelayMs: typeof body.chunkDelayMs === "number" ? body.chunkDelayMs : 0,
          puts: 0,
          drops: 0,
          contentRanges: [],
        });
        const { port } = server.address() as AddressInfo;
        return reply(res, 201, { id: newId, url: `http://127.0.0.1:${port}/upload/${newId}` });
      }
      const session = id ? sessions.get(id) : undefined;
      if (!session) return reply(res, 404, { error: "no such session" });
      if (req.method === "GET" && kind === "sessions") {
        const sha256 = session.data ? createHash("sha256").update(session.data.subarray(0, session.committed)).digest("hex") : null;
        const { total, committed, puts, drops, contentRanges } = session;
        return reply(res, 200, { total, committed, sha256, puts, drops, contentRanges });
      }
      if (req.method === "PUT" && kind === "upload") {
        session.puts++;
        const range = req.headers["content-range"] ?? "";
        session.contentRanges.push(range);
        const query = /^bytes \*\/(\d+)$/.exec(range);
        const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
        const total = Number((query ?? chunk)?.[query ? 1 : 3]);
        if (!Number.isSafeInteger(total) || total <= 0 || total > MAX_TOTAL) return reply(res, 400, { error: "bad Content-Range" });
        if (!session.data) {
          session.data = Buffer.alloc(total);
          session.total = total;
        }
        if (total !== session.total) return reply(res, 400, { error: "total changed" });
        if (query) {
          req.resume();
          return progressReply(res, session);
        }
        const start = Number(chunk![1]);
        const end = Number(chunk![2]);
        if (end < start || end >= total) return reply(res, 400, { error: "bad range" });
        if (start > session.committed) {
          req.resume();
          return progressReply(res, session);
        }
        return receiveChunk(req, res, session, start, end);
      }
      reply(res, 404, { error: "not found" });
    } catch (error) {
      reply(res, 500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("uploadTestServer", `http://127.0.0.1:${port}`);
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}
