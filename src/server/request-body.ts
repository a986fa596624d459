/**
 * Reads a request body up to a size limit. The limit is enforced on the bytes read, not only on
 * `Content-Length`, which a client may leave out or get wrong.
 */
import { httpError } from "./errors.js";

export type BodyRead = { ok: true; text: string } | { ok: false };

export async function readBodyText(request: Request, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false };
  if (!request.body) return { ok: true, text: "" };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

/** The JSON body of a route request: `application/json`, within the limit, parseable. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  // Requiring JSON also means a cross-site HTML form cannot post here without a CORS preflight.
  if (type !== "application/json") throw httpError(415, "bad_request", "Send the request body as application/json.");
  const read = await readBodyText(request, maxBytes);
  if (!read.ok) throw httpError(413, "bad_request", `The request body is larger than ${maxBytes} bytes.`);
  try {
    return JSON.parse(read.text) as unknown;
  } catch {
    throw httpError(400, "bad_request", "The request body is not valid JSON.");
  }
}
