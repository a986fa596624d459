/**
 * `/_emulator/...`: test and tooling endpoints that are not part of Mux. Loopback clients only; CORS open so
 * browser tests can turn fault knobs.
 *   GET  /_emulator/health                       → { data: { ok, uploads, assets, tools } }
 *   GET  /_emulator/faults, POST /_emulator/faults  { ...EmulatorFaults }   (replaces all knobs)
 *   GET  /_emulator/webhooks, POST /_emulator/webhooks { urls: string[] }
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { timeOutUpload, type EmulatorContext } from "./context.js";
import { parseFaults } from "./faults.js";
import type { EmulatorFaults } from "./types.js";
import { MuxHttpError, invalidParameters, notFound, readJsonObject, sendData, sendMuxError } from "./responses.js";

const ADMIN_CORS = { "access-control-allow-origin": "*" };
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export interface AdminActions {
  setFaults(faults: EmulatorFaults): void;
  setWebhookUrls(urls: string[]): void;
}

/** Applies the `expireUploads` knob at once: those uploads become `timed_out`. */
export function expireUploadsNow(ctx: EmulatorContext): void {
  for (const id of ctx.faults.takeExpiredUploads()) {
    const upload = ctx.store.uploads.get(id);
    if (upload) timeOutUpload(ctx, upload);
  }
}

export async function handleAdmin(ctx: EmulatorContext, actions: AdminActions, req: IncomingMessage, res: ServerResponse, rest: string[]): Promise<void> {
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...ADMIN_CORS, "access-control-allow-methods": "GET, POST, OPTIONS", "access-control-allow-headers": "Content-Type", "content-length": "0" });
    res.end();
    return;
  }
  try {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) throw new MuxHttpError(403, "forbidden", ["Admin endpoints answer loopback clients only."]);
    const [name, ...extra] = rest;
    if (extra.length > 0) throw notFound();
    const method = req.method ?? "GET";
    if (name === "health" && method === "GET") {
      return sendData(res, 200, {
        ok: true,
        uploads: ctx.store.uploads.size,
        assets: ctx.store.assets.size,
        tools: { ffprobe: ctx.tools.ffprobe !== false, ffmpeg: ctx.tools.ffmpeg !== false },
      }, ADMIN_CORS);
    }
    if (name === "faults") {
      if (method === "POST") {
        const parsed = parseFaults(await readJsonObject(req));
        if (!parsed.ok) throw invalidParameters(parsed.message);
        actions.setFaults(parsed.faults);
      } else if (method !== "GET") throw notFound();
      return sendData(res, 200, ctx.faults.current, ADMIN_CORS);
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
      return sendData(res, 200, { urls: ctx.webhooks.getUrls() }, ADMIN_CORS);
    }
    throw notFound();
  } catch (error) {
    if (error instanceof MuxHttpError) return sendMuxError(res, error, ADMIN_CORS);
    throw error;
  }
}
