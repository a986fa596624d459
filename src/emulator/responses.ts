/**
 * Answers in Mux's wire format: success bodies in a `data` envelope, errors as
 * `{ "error": { "type", "messages": [...] } }` (what `@mux/mux-node` turns into typed errors).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type MuxErrorType =
  | "invalid_parameters"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "misdirected_request"
  | "invalid_range"
  | "entity_too_large"
  | "gone"
  | "injected_fault"
  | "internal_error";

/** An error a handler raises to answer with a Mux-shaped body. */
export class MuxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: MuxErrorType,
    readonly messages: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(messages.join(" "));
    this.name = "MuxHttpError";
  }
}

export const notFound = (what = "resource"): MuxHttpError =>
  new MuxHttpError(404, "not_found", [`The requested ${what} either doesn't exist or you don't have access to it.`]);

export const invalidParameters = (...messages: string[]): MuxHttpError =>
  new MuxHttpError(400, "invalid_parameters", messages);

export const methodNotAllowed = (method: string): MuxHttpError =>
  new MuxHttpError(405, "method_not_allowed", [`${method} is not supported on this path.`]);

/** Mux's page-numbered lists: `limit` (1–100, default 25) and `page` (from 1). */
export function readPageQuery(query: URLSearchParams): { limit: number; page: number } {
  const limit = query.has("limit") ? Number(query.get("limit")) : 25;
  const page = query.has("page") ? Number(query.get("page")) : 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidParameters("limit must be an integer between 1 and 100.");
  if (!Number.isInteger(page) || page < 1) throw invalidParameters("page must be an integer of 1 or more.");
  return { limit, page };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendData(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, { data }, headers);
}

export function sendMuxError(res: ServerResponse, error: MuxHttpError, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { error: { type: error.type, messages: error.messages } }, { ...extraHeaders, ...error.headers });
}

/** Reads a request body up to `limit` bytes; larger bodies are refused before they are buffered. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new MuxHttpError(413, "payload_too_large", [`Request body is larger than ${limit} bytes.`]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new MuxHttpError(413, "payload_too_large", [`Request body is larger than ${limit} bytes.`]);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; anything else is a 400 in Mux's shape. */
export async function readJsonObject(req: IncomingMessage, limit = 1024 * 1024): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw invalidParameters("Request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidParameters("Request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}
