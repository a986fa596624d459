/**
 * The direct-upload URL (`/upload/:uploadId`), speaking GCS resumable-upload semantics as Mux's upload URLs do:
 * - one `PUT` with the whole body (no `Content-Range`) → `200`;
 * - chunked `PUT`s with `Content-Range: bytes first-last/total` → `308` + `Range: bytes=0-<last committed>`
 *   until the last byte, then `200`; `total` may be `*` until the last chunk;
 * - `Content-Range: bytes *\/total` with no body asks for the committed offset (`308`, or `200` when complete);
 * - bytes already committed are ignored when a chunk overlaps them; a chunk that starts past the committed
 *   offset stores nothing and gets `308` with the committed `Range`, so the client resends from there;
 * - a chunk's new bytes go straight onto the end of the upload's `.part` file (its offset is checked first), and
 *   the file is cut back to the committed offset if the body fails or turns out shorter than its range; the
 *   JSON store is not rewritten per chunk (the `.part` file's length is the committed offset, across restarts);
 * - once a chunk fixed the total, a different total, a total below the committed bytes, or bytes past the
 *   total are refused with `400` and nothing past the total is ever stored;
 * - an upload created with a size cap (`upload-size-cap.ts`) refuses a body, a total or a byte offset beyond
 *   it with `400 entity_too_large`, as a size-capped signed URL does, and stores nothing of that request;
 * - one request per upload at a time: a new one cuts off a request whose body is still arriving (its bytes
 *   are dropped) rather than waiting behind it (`UploadWrites`);
 * - CORS: preflight answered for the upload's `cors_origin`, `Range` exposed.
 * A request's bytes are committed only once all of them arrived and match its `Content-Range`.
 */
import { createWriteStream, renameSync, rmSync, statSync, truncateSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Transform, Writable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseContentRange } from "./content-range.js";
import { expireIfDue, type EmulatorContext } from "./context.js";
import { MuxHttpError, notFound, sendJson, sendMuxError } from "./responses.js";
import type { UploadRecord } from "./types.js";
import { beyondSizeCap } from "./upload-size-cap.js";

/** Thrown when a fault knob cut the connection: nothing more may be written to the response. */
class ConnectionDropped extends Error {}

function allowedOrigin(upload: UploadRecord, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const configured = upload.cors_origin.trim().replace(/\/+$/, "");
  if (configured === "*") return "*";
  return configured !== "" && configured === origin ? origin : undefined;
}

function corsHeaders(upload: UploadRecord | undefined, req: IncomingMessage): Record<string, string> {
  const origin = upload ? allowedOrigin(upload, req.headers.origin) : undefined;
  if (!origin) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "Range, Retry-After", vary: "Origin" };
}

const badRange = (message: string): MuxHttpError => new MuxHttpError(400, "invalid_range", [message]);

/** Bytes committed so far: the part file is the source of truth (it survives restarts and crashes). */
function committedBytes(ctx: EmulatorContext, upload: UploadRecord): number {
  try {
    return statSync(ctx.store.partPath(upload.id)).size;
  } catch {
    return 0;
  }
}

function sendResumeIncomplete(res: ServerResponse, committed: number, cors: Record<string, string>): void {
  res.writeHead(308, { ...cors, "content-length": "0", ...(committed > 0 ? { range: `bytes=0-${committed - 1}` } : {}) });
  res.end();
}

function sendComplete(res: ServerResponse, cors: Record<string, string>): void {
  res.writeHead(200, { ...cors, "content-length": "0" });
  res.end();
}

/**
 * Where a request body goes: a new file (a whole-body PUT, renamed into place once complete), the end of the
 * upload's bytes after its first `skip` bytes (which the upload already has; cut back to `keep` on failure), or
 * nowhere (a chunk with nothing new, counted only).
 */
type BodyTarget = { kind: "replace"; path: string } | { kind: "append"; path: string; keep: number; skip: number } | { kind: "discard" };

/** Removes what a failed or refused body left at its target. */
function discardBody(target: BodyTarget): void {
  if (target.kind === "discard") return;
  if (target.kind === "replace") return rmSync(target.path, { force: true });
  try {
    truncateSync(target.path, target.keep);
  } catch (error) {
    // The request failed before the file was opened: nothing was written.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function sinkFor(target: BodyTarget): Writable {
  if (target.kind === "discard") return new Writable({ write: (_chunk, _encoding, callback) => callback() });
  return createWriteStream(target.path, { flags: target.kind === "append" ? "a" : "w" });
}

/**
 * Writes the request body to its target, refusing more than `limit.maxBytes`; a drop fault cuts the socket after
 * `dropAfter`; a newer request for the upload (`superseded`) cuts it wherever it is.
 */
async function receiveBody(
  req: IncomingMessage,
  target: BodyTarget,
  limit: { maxBytes: number; tooLong: () => MuxHttpError },
  dropAfter: number | undefined,
  superseded: AbortSignal,
): Promise<number> {
  let received = 0;
  const skip = target.kind === "append" ? target.skip : 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (dropAfter !== undefined && received + chunk.length >= dropAfter) {
        cutConnection(req);
        return callback(new ConnectionDropped("fault knob dropConnectionAfterBytes"));
      }
      const start = received;
      received += chunk.length;
      if (received > limit.maxBytes) return callback(limit.tooLong());
      // Bytes the upload already has (an overlapping resend) are counted, not written.
      if (received <= skip) return callback();
      callback(null, start >= skip ? chunk : chunk.subarray(skip - start));
    },
  });
  const sink = sinkFor(target);
  // Only the socket's end stops a body that is still arriving (destroying the request leaves the socket open);
  // the superseded client sees its connection reset.
  const cut = () => cutConnection(req);
  superseded.addEventListener("abort", cut, { once: true });
  try {
    if (superseded.aborted) cut();
    await pipeline(req, limiter, sink);
  } catch (error) {
    // A write still in flight when the pipeline broke would land after the cut: wait until the file is closed.
    if (!sink.closed && target.kind !== "discard") await new Promise<void>((resolve) => sink.once("close", () => resolve()));
    discardBody(target);
    if (error instanceof MuxHttpError || error instanceof ConnectionDropped) throw error;
    // The client went away mid-body: nothing from this request is kept.
    throw new ConnectionDropped("client disconnected");
  } finally {
    superseded.removeEventListener("abort", cut);
  }
  return received;
}

function cutConnection(req: IncomingMessage): void {
  // Node's docs: `message.socket` may have been "internally nulled"; its type leaves that out.
  (req.socket as Socket | null)?.destroy();
}

export async function handleUploadUrl(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, uploadId: string): Promise<void> {
  const upload = ctx.store.uploads.get(uploadId);
  const cors = corsHeaders(upload, req);
  const fail = (error: MuxHttpError, extra: Record<string, string> = {}) => {
    req.resume();
    sendMuxError(res, error, { ...cors, ...extra });
  };
  if (!upload) return fail(notFound("upload"));

  if (req.method === "OPTIONS") {
    if (!cors["access-control-allow-origin"]) {
      return fail(new MuxHttpError(403, "forbidden", [`Origin ${req.headers.origin ?? "(none)"} is not this upload's cors_origin.`]));
    }
    res.writeHead(204, {
      ...cors,
      "access-control-allow-methods": "PUT, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "Content-Type, Content-Range",
      "access-control-max-age": "3600",
      "content-length": "0",
    });
    res.end();
    return;
  }
  if (req.method !== "PUT") return fail(new MuxHttpError(405, "method_not_allowed", ["The upload URL accepts PUT only."]));

  try {
    await ctx.uploadWrites.run(upload.id, (superseded) => receive(ctx, req, res, upload, cors, superseded));
  } catch (error) {
    if (error instanceof ConnectionDropped) return;
    if (error instanceof MuxHttpError) return fail(error);
    throw error;
  }
}

async function receive(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  upload: UploadRecord,
  cors: Record<string, string>,
  superseded: AbortSignal,
): Promise<void> {
  if (superseded.aborted) {
    // A newer request for this upload arrived while this one waited its turn: that one speaks for the client.
    cutConnection(req);
    throw new ConnectionDropped("superseded by a newer request for this upload");
  }
  expireIfDue(ctx, upload);
  if (upload.status === "cancelled" || upload.status === "timed_out") {
    throw new MuxHttpError(410, "gone", [`This upload is ${upload.status}; create a new upload.`]);
  }
  if (upload.status !== "waiting") {
    // Already complete: GCS answers a finished session with 200 and keeps the object it has.
    req.resume();
    return sendComplete(res, cors);
  }

  const header = req.headers["content-range"];
  const range = header === undefined ? undefined : parseContentRange(header);
  if (range && !range.ok) throw badRange(range.message);
  const lengthHeader = req.headers["content-length"];
  const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const hasBody = (contentLength ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (req.headers["content-type"] && !upload.contentType) upload.contentType = req.headers["content-type"];

  const committed = committedBytes(ctx, upload);

  const cap = upload.maxBytes;
  if (range?.ok && range.range.kind === "query") {
    if (hasBody) throw badRange("A Content-Range of bytes */total must come with an empty body.");
    const total = range.range.total;
    if (total !== undefined) {
      if (cap !== undefined && total > cap) throw beyondSizeCap(cap, `A total of ${total} bytes`);
      if (upload.declaredSize !== undefined && total !== upload.declaredSize) {
        throw badRange(`Content-Range total ${total} differs from the size ${upload.declaredSize} declared earlier.`);
      }
      if (total < committed) throw badRange(`Content-Range total ${total} is smaller than the ${committed} bytes already received.`);
      if (total === committed) return finish(ctx, res, upload, cors, total);
    }
    return sendResumeIncomplete(res, committed, cors);
  }

  const fault = hasBody ? ctx.faults.nextByteRequest(upload.id) : { kind: "none" as const };
  if (fault.kind === "fail") {
    const extra: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
    throw new MuxHttpError(fault.status, "injected_fault", [`Injected failure of this byte request (status ${fault.status}).`], extra);
  }
  const dropAfter = fault.kind === "drop" ? fault.afterBytes : undefined;
  if (!range) {
    // Single PUT: the body is the whole file and replaces whatever a previous attempt left.
    if (cap !== undefined && contentLength !== undefined && contentLength > cap) throw beyondSizeCap(cap, `A body of ${contentLength} bytes`);
    const max = upload.declaredSize ?? Number.MAX_SAFE_INTEGER;
    if (contentLength !== undefined && contentLength > max) {
      throw badRange(`The body has ${contentLength} bytes but the upload declared ${max}.`);
    }
    const limit =
      cap !== undefined && cap < max
        ? { maxBytes: cap, tooLong: () => beyondSizeCap(cap, "The body") }
        : { maxBytes: max, tooLong: () => badRange(`The body is longer than the ${max} bytes declared for it.`) };
    const incoming = ctx.store.incomingPath(upload.id);
    const size = await receiveBody(req, { kind: "replace", path: incoming }, limit, dropAfter, superseded);
    if (upload.declaredSize !== undefined && size !== upload.declaredSize) {
      rmSync(incoming, { force: true });
      throw badRange(`The body has ${size} bytes but the upload declared ${upload.declaredSize}.`);
    }
    renameSync(incoming, ctx.store.partPath(upload.id));
    return finish(ctx, res, upload, cors, size);
  }

  const { first, last, total } = range.range as { first: number; last: number; total?: number };
  if (cap !== undefined && total !== undefined && total > cap) throw beyondSizeCap(cap, `A total of ${total} bytes`);
  if (cap !== undefined && last >= cap) throw beyondSizeCap(cap, `Byte ${last}`);
  if (total !== undefined && upload.declaredSize !== undefined && total !== upload.declaredSize) {
    throw badRange(`Content-Range total ${total} differs from the size ${upload.declaredSize} declared earlier.`);
  }
  if (total !== undefined && total < committed) {
    throw badRange(`Content-Range total ${total} is smaller than the ${committed} bytes already received.`);
  }
  const declared = total ?? upload.declaredSize;
  if (declared !== undefined && last >= declared) throw badRange(`Content-Range last byte ${last} is beyond the declared size ${declared}.`);
  const expected = last - first + 1;
  if (contentLength !== undefined && contentLength !== expected) {
    throw badRange(`Content-Length ${contentLength} does not match Content-Range ${first}-${last} (${expected} bytes).`);
  }
  // The usual chunk starts at the committed byte and is appended in place; one that overlaps appends only its
  // new bytes; one that leaves a gap (or has nothing new) is read and counted but stored nowhere.
  const target: BodyTarget =
    first <= committed && last >= committed
      ? { kind: "append", path: ctx.store.partPath(upload.id), keep: committed, skip: committed - first }
      : { kind: "discard" };
  const tooLong = () => badRange(`The body is longer than the ${expected} bytes Content-Range ${first}-${last} declares.`);
  const size = await receiveBody(req, target, { maxBytes: expected, tooLong }, dropAfter, superseded);
  if (size !== expected) {
    discardBody(target);
    throw badRange(`The body has ${size} bytes but Content-Range ${first}-${last} declares ${expected}.`);
  }
  const now = target.kind === "append" ? last + 1 : committed;
  upload.receivedBytes = now;
  if (total !== undefined && upload.declaredSize === undefined) {
    // A total, once fixed, is checked against every later request, restarts included: worth one save per upload.
    upload.declaredSize = total;
    if (now !== total) ctx.store.save();
  }
  if (upload.declaredSize !== undefined && now === upload.declaredSize) return finish(ctx, res, upload, cors, now);
  return sendResumeIncomplete(res, now, cors);
}

function finish(ctx: EmulatorContext, res: ServerResponse, upload: UploadRecord, cors: Record<string, string>, size: number): void {
  upload.receivedBytes = size;
  upload.declaredSize = size;
  const asset = ctx.processor.completeUpload(upload);
  sendJson(res, 200, { data: { upload_id: upload.id, asset_id: asset.id, size } }, cors);
}
