/**
 * `/_emulator/...`: test and tooling endpoints that are not part of Mux. They re-point webhooks and inject
 * faults, so no web page may drive them: loopback clients only; a request with an `Origin` header must come
 * from the emulator's own origin or one listed in `adminOrigins` (403 otherwise, with no CORS headers); CORS
 * headers echo an allowed origin, never `*`; a POST must be `Content-Type: application/json` (415 otherwise),
 * which a page cannot send cross-origin without a preflight this refuses. Node clients send no `Origin`.
 *   GET  /_emulator/health                       → { data: { ok, uploads, assets, tools } }
 *   GET  /_emulator/faults, POST /_emulator/faults  { ...EmulatorFaults }   (replaces all knobs)
 *   GET  /_emulator/webhooks, POST /_emulator/webhooks { urls: string[] }
 *   POST /_emulator/generated-captions { vtt: string | null, assetId?: string }  (what generated captions get; null removes)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { timeOutUpload, type EmulatorContext } from "./context.js";
import { parseFaults } from "./faults.js";
import type { EmulatorFaults } from "./types.js";
import { MuxHttpError, invalidParameters, notFound, readJsonObject, sendData, sendMuxError } from "./responses.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export interface AdminActions {
  setFaults(faults: EmulatorFaults): void;
  setWebhookUrls(urls: string[]): void;
  /** WebVTT generated captions get, for an asset or as the default (`undefined` removes it). Throws for bad text. */
  setGeneratedCaptions(vtt: string | undefined, assetId?: string): void;
  /** Browser origins besides the emulator's own that may call these routes (`adminOrigins`). */
  allowedOrigins: ReadonlySet<string>;
}

/** Checks the `adminOrigins` option: exact `scheme://host[:port]` origins; no wildcard, no `null`. */
export function readAdminOrigins(origins: string[] = []): Set<string> {
  const allowed = new Set<string>();
  for (const value of origins) {
    const url = URL.canParse(value.trim()) ? new URL(value.trim()) : undefined;
    if (!url || url.origin === "null" || url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
      throw new Error(`adminOrigins: "${value}" is not an origin like "http://localhost:5173" (no wildcard, path or "null").`);
    }
    allowed.add(url.origin);
  }
  return allowed;
}

/** Applies the `expireUploads` knob at once: those uploads become `timed_out`. */
export function expireUploadsNow(ctx: EmulatorContext): void {
  for (const id of ctx.faults.takeExpiredUploads()) {
    const upload = ctx.store.uploads.get(id);
    if (upload) timeOutUpload(ctx, upload);
  }
}

/** True for the emulator's own origin (as the request reached it, or its public URL) and listed ones. */
function originAllowed(ctx: EmulatorContext, actions: AdminActions, req: IncomingMessage, origin: string): boolean {
  if (actions.allowedOrigins.has(origin)) return true;
  if (origin === new URL(ctx.baseUrl()).origin) return true;
  // The server accepted this Host already; a page on it is same-origin with these routes.
  const reached = `http://${req.headers.host ?? ""}`;
  return URL.canParse(reached) && origin === new URL(reached).origin;
}

function isJson(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

export async function handleAdmin(ctx: EmulatorContext, actions: AdminActions, req: IncomingMessage, res: ServerResponse, rest: string[]): Promise<void> {
  const origin = req.headers.origin;
  // Answers vary by Origin, so no cache may hand one origin's answer to another.
  let cors: Record<string, string> = { vary: "Origin" };
  try {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) throw new MuxHttpError(403, "forbidden", ["Admin endpoints answer loopback clients only."]);
    if (origin !== undefined) {
      if (!originAllowed(ctx, actions, req, origin)) {
        throw new MuxHttpError(403, "forbidden", [
          `Origin ${origin} may not use the emulator's admin endpoints. Allow it with startMuxEmulator({ adminOrigins: ["${origin}"] }) or --admin-origin ${origin}.`,
        ]);
      }
      cors = { ...cors, "access-control-allow-origin": origin };
    }
    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      res.writeHead(204, { ...cors, "access-control-allow-methods": "GET, POST, OPTIONS", "access-control-allow-headers": "Content-Type", "content-length": "0" });
      res.end();
      return;
    }
    if (method === "POST" && !isJson(req)) {
      throw new MuxHttpError(415, "unsupported_media_type", ["Admin POSTs must be Content-Type: application/json."]);
    }
    const [name, ...extra] = rest;
    if (extra.length > 0) throw notFound();
    if (name === "health" && method === "GET") {
      return sendData(res, 200, {
        ok: true,
        uploads: ctx.store.uploads.size,
        assets: ctx.store.assets.size,
        tools: { ffprobe: ctx.tools.ffprobe !== false, ffmpeg: ctx.tools.ffmpeg !== false },
      }, cors);
    }
    if (name === "faults") {
      if (method === "POST") {
        const parsed = parseFaults(await readJsonObject(req));
        if (!parsed.ok) throw invalidParameters(parsed.message);
        actions.setFaults(parsed.faults);
      } else if (method !== "GET") throw notFound();
      return sendData(res, 200, ctx.faults.current, cors);
    }
    if (name === "generated-captions") {
      if (method !== "POST") throw notFound();
      const body = await readJsonObject(req, 2 * 1024 * 1024);
      if (body.vtt !== null && typeof body.vtt !== "string") throw invalidParameters("vtt must be WebVTT or SRT text, or null to remove it.");
      if (body.assetId !== undefined && typeof body.assetId !== "string") throw invalidParameters("assetId must be a string.");
      try {
        actions.setGeneratedCaptions(body.vtt ?? undefined, body.assetId);
      } catch (error) {
        throw invalidParameters(error instanceof Error ? error.message : String(error));
      }
      return sendData(res, 200, { assetId: body.assetId ?? null, set: body.vtt !== null }, cors);
    }
    if (name === "webhooks") {
      if (method === "POST") {
        const body = await readJsonObject(req);
        const urls = body.urls;
        if (!Array.isArray(urls) || !urls.every((u) => typeof u === "string" && URL.canParse(u))) {
          throw invalidParameters("urls must be an array of absolute URLs.");
        }
        actions.setWebhookUrls(urls as string[]);
      } else if (method !== "GET") throw notFound();
      return sendData(res, 200, { urls: ctx.webhooks.getUrls() }, cors);
    }
    throw notFound();
  } catch (error) {
    if (error instanceof MuxHttpError) {
      req.resume();
      return sendMuxError(res, error, cors);
    }
    throw error;
  }
}
