/**
 * `Content-Range` of a GCS resumable upload request:
 * `bytes <first>-<last>/<total>` (a chunk), `bytes <first>-<last>/*` (a chunk, total not yet known),
 * `bytes *\/<total>` or `bytes *\/*` (an offset query, or "finish" when the total equals what was received).
 */
export type ContentRange =
  | { kind: "chunk"; first: number; last: number; total?: number | undefined }
  | { kind: "query"; total?: number | undefined };

export type ContentRangeResult = { ok: true; range: ContentRange } | { ok: false; message: string };

const CHUNK = /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/;
const QUERY = /^bytes \*\/(\d{1,16}|\*)$/;

export function parseContentRange(header: string): ContentRangeResult {
  const value = header.trim();
  const query = QUERY.exec(value);
  if (query) {
    const total = query[1] === "*" ? undefined : Number(query[1]);
    return { ok: true, range: { kind: "query", total } };
  }
  const chunk = CHUNK.exec(value);
  if (!chunk) {
    return { ok: false, message: `Content-Range "${value.slice(0, 80)}" is not "bytes first-last/total" or "bytes */total".` };
  }
  const first = Number(chunk[1]);
  const last = Number(chunk[2]);
  const total = chunk[3] === "*" ? undefined : Number(chunk[3]);
  if (last < first) return { ok: false, message: `Content-Range ends (${last}) before it starts (${first}).` };
  if (total !== undefined && last >= total) {
    return { ok: false, message: `Content-Range last byte ${last} is beyond the declared size ${total}.` };
  }
  return { ok: true, range: { kind: "chunk", first, last, total } };
}
