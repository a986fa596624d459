/**
 * Playback URLs (contract B): `/stream/:playbackId[.mp4|.webm|.m3u8]` serves the stored original with HTTP
 * Range support; `/image/:playbackId/thumbnail.{jpg|png|webp}` and `/image/:playbackId/storyboard.{vtt|jpg}`
 * serve pictures (frames from the emulator's bounded `ThumbnailMaker`); `/stream/:playbackId/text/:trackId.vtt`
 * serves a ready text track, as `stream.mux.com` does. Signed playback ids need `?token=`
 * (aud `v`, `t` or `s`), verified against the emulator's signing keys.
 */
import { createReadStream, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context.js";
import { verifyPlaybackToken, type TokenAudience } from "./jwt.js";
import { MuxHttpError, invalidParameters, notFound, sendMuxError } from "./responses.js";
import { storyboardLayout, type ThumbnailFormat } from "./thumbnail.js";
import { formatTimestamp } from "../core/captions.js";
import type { AssetRecord } from "./types.js";

const PUBLIC_CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Content-Length, Content-Range, Accept-Ranges",
};

function findPlayable(ctx: EmulatorContext, playbackId: string, audience: TokenAudience, token: string | null, claims?: Record<string, unknown>): AssetRecord {
  const found = ctx.store.findAssetByPlaybackId(playbackId);
  if (!found) throw notFound("playback id");
  if (found.policy === "signed") {
    if (!token) throw new MuxHttpError(403, "forbidden", ["This playback id is signed: a token query parameter is required."]);
    const check = verifyPlaybackToken(token, playbackId, audience, (kid) => ctx.store.signingKeys.get(kid)?.publicKeyPem);
    if (!check.ok) throw new MuxHttpError(403, "forbidden", [check.message]);
    if (claims) Object.assign(claims, check.claims);
  }
  if (found.asset.status === "errored") throw new MuxHttpError(412, "invalid_parameters", ["The asset errored; there is nothing to play."]);
  if (found.asset.status !== "ready") throw new MuxHttpError(412, "invalid_parameters", ["The asset is not ready yet."]);
  return found.asset;
}

type ByteRange = { start: number; end: number } | "unsatisfiable" | undefined;

/** One `bytes=` range (what media elements send); multi-range requests get the whole file. */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return undefined;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function serveFile(req: IncomingMessage, res: ServerResponse, path: string, contentType: string): void {
  const size = statSync(path).size;
  const range = parseRangeHeader(req.headers.range, size);
  const common = { ...PUBLIC_CORS, "accept-ranges": "bytes", "content-type": contentType, "cache-control": "no-cache" };
  if (range === "unsatisfiable") {
    res.writeHead(416, { ...common, "content-range": `bytes */${size}`, "content-length": "0" });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...common,
    "content-length": String(length),
    ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === "HEAD" || length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** A `width` or `height` query parameter: a whole number ≥ 1; sizes over `MAX_THUMBNAIL_SIDE` are scaled down, not refused. */
function readDimension(query: URLSearchParams, name: string): number | undefined {
  if (!query.has(name)) return undefined;
  const value = Number(query.get(name));
  if (!Number.isSafeInteger(value) || value < 1) throw invalidParameters(`${name} must be a whole number of pixels ≥ 1.`);
  return value;
}

function storyboardVtt(ctx: EmulatorContext, playbackId: string, asset: AssetRecord, token: string | null): string {
  const layout = storyboardLayout(asset.media);
  const image = `${ctx.baseUrl()}/image/${playbackId}/storyboard.jpg${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  // One cue per tile, as Mux's storyboards: the tile's time span, then the image with the tile's rectangle.
  const step = layout.duration / layout.count;
  const cues = Array.from({ length: layout.count }, (_, i) => {
    const x = (i % layout.columns) * layout.width;
    const y = Math.floor(i / layout.columns) * layout.height;
    return `${formatTimestamp(i * step, "vtt")} --> ${formatTimestamp((i + 1) * step, "vtt")}\n${image}#xywh=${x},${y},${layout.width},${layout.height}`;
  });
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/** Handles `/stream/...` and `/image/...`; `segments` are the path segments. */
export async function handlePlayback(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, segments: string[], query: URLSearchParams): Promise<void> {
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...PUBLIC_CORS, "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-allow-headers": "Range", "content-length": "0" });
    res.end();
    return;
  }
  try {
    if (req.method !== "GET" && req.method !== "HEAD") throw new MuxHttpError(405, "method_not_allowed", ["Playback URLs accept GET and HEAD."]);
    const token = query.get("token");
    const [kind, first, second, ...extra] = segments;
    if (kind === "stream" && first && second === "text" && extra.length === 1) {
      const trackId = /^([A-Za-z0-9]{8,64})\.vtt$/.exec(extra[0] ?? "")?.[1];
      const asset = findPlayable(ctx, first, "v", token);
      const track = asset.text_tracks?.find((t) => t.id === trackId && t.status === "ready");
      if (!track) throw notFound("text track");
      return serveFile(req, res, ctx.store.textTrackPath(track.id), "text/vtt; charset=utf-8");
    }
    if (kind === "stream" && first && second === undefined) {
      const playbackId = first.replace(/\.(mp4|webm|m3u8)$/, "");
      const asset = findPlayable(ctx, playbackId, "v", token);
      return serveFile(req, res, ctx.store.assetFilePath(asset.id), asset.media?.mimeType ?? "application/octet-stream");
    }
    if (kind === "image" && first && second && extra.length === 0) {
      const thumb = /^thumbnail\.(jpg|png|webp)$/.exec(second);
      if (thumb) {
        const claims: Record<string, unknown> = {};
        const asset = findPlayable(ctx, first, "t", token, claims);
        // With a token Mux reads transform parameters from its claims (the SDK's `params`), not the query.
        const claimedTime = claims.time;
        const time = claimedTime !== undefined ? Number(claimedTime) : query.has("time") ? Number(query.get("time")) : undefined;
        if (time !== undefined && (!Number.isFinite(time) || time < 0)) throw invalidParameters("time must be a number of seconds ≥ 0.");
        const image = await ctx.thumbnails.make(ctx.store.assetFilePath(asset.id), ctx.store.thumbnailDir(asset.id), asset.media, {
          format: thumb[1] as ThumbnailFormat,
          time,
          width: readDimension(query, "width"),
          height: readDimension(query, "height"),
        });
        return sendBody(req, res, image.body, image.contentType);
      }
      if (second === "storyboard.vtt") {
        const asset = findPlayable(ctx, first, "s", token);
        return sendBody(req, res, Buffer.from(storyboardVtt(ctx, first, asset, token)), "text/vtt; charset=utf-8");
      }
      if (second === "storyboard.jpg") {
        const asset = findPlayable(ctx, first, "s", token);
        const image = await ctx.thumbnails.make(ctx.store.assetFilePath(asset.id), ctx.store.thumbnailDir(asset.id), asset.media, {
          format: "jpg",
          tiles: storyboardLayout(asset.media),
        });
        return sendBody(req, res, image.body, image.contentType);
      }
    }
    throw notFound();
  } catch (error) {
    if (error instanceof MuxHttpError) return sendMuxError(res, error, PUBLIC_CORS);
    throw error;
  }
}

function sendBody(req: IncomingMessage, res: ServerResponse, body: Buffer, contentType: string): void {
  res.writeHead(200, { ...PUBLIC_CORS, "content-type": contentType, "content-length": String(body.length), "cache-control": "no-cache" });
  res.end(req.method === "HEAD" ? undefined : body);
}
