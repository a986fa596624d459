/**
 * Playback URLs (contract B): `/stream/:playbackId[.mp4|.webm|.m3u8]` serves the stored original with HTTP
 * Range support; `/image/:playbackId/thumbnail.{jpg|png|webp}` and `/image/:playbackId/storyboard.{vtt|jpg}`
 * serve pictures (frames from the emulator's bounded `ThumbnailMaker`); `/stream/:playbackId/text/:trackId.vtt`
 * serves a ready text track, as `stream.mux.com` does. Signed playback ids need `?token=`
 * (aud `v`, `t` or `s`), verified against the emulator's signing keys.
 *
 * Instant clipping, as Mux's: `asset_start_time`/`asset_end_time` (seconds) on `/stream/…` (from the video token's
 * claims on a signed playback id, the query otherwise) serve a copy of the asset cut with ffmpeg, cached per
 * (asset, start, end), whose times start at 0; the text tracks under it are cut and shifted to match.
 */
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context.js";
import { verifyPlaybackToken, type TokenAudience } from "./jwt.js";
import { MuxHttpError, invalidParameters, notFound, sendMuxError } from "./responses.js";
import { storyboardLayout, type ThumbnailFormat } from "./thumbnail.js";
import { formatTimestamp } from "../core/captions.js";
import type { VideoTrim } from "../core/types.js";
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

/** A file with Range support (one `bytes=` range), public CORS and no caching: streams, tracks, renditions. */
export function serveFile(req: IncomingMessage, res: ServerResponse, path: string, contentType: string): void {
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
      const claims: Record<string, unknown> = {};
      const asset = findPlayable(ctx, first, "v", token, claims);
      const track = asset.text_tracks?.find((t) => t.id === trackId && t.status === "ready");
      if (!track) throw notFound("text track");
      const clip = readClip(ctx, first, query, claims, asset);
      if (clip) return sendBody(req, res, Buffer.from(clipVtt(readFileSync(ctx.store.textTrackPath(track.id), "utf8"), clip)), "text/vtt; charset=utf-8");
      return serveFile(req, res, ctx.store.textTrackPath(track.id), "text/vtt; charset=utf-8");
    }
    if (kind === "stream" && first && second === undefined) {
      const playbackId = first.replace(/\.(mp4|webm|m3u8)$/, "");
      const claims: Record<string, unknown> = {};
      const asset = findPlayable(ctx, playbackId, "v", token, claims);
      const clip = readClip(ctx, playbackId, query, claims, asset);
      if (clip) {
        const path = await clippedFile(ctx, asset, clip);
        return serveFile(req, res, path, asset.media?.hasVideo === false ? "audio/mp4" : "video/mp4");
      }
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

/**
 * The clip a stream request asks for: on a signed playback id only the token's `asset_start_time`/`asset_end_time`
 * claims count (a viewer cannot widen the clip its token allows by editing the URL), elsewhere the query's. The end
 * is capped at the asset's duration; `undefined` when neither is set.
 */
function readClip(ctx: EmulatorContext, playbackId: string, query: URLSearchParams, claims: Record<string, unknown>, asset: AssetRecord): VideoTrim | undefined {
  const signed = ctx.store.findAssetByPlaybackId(playbackId)?.policy === "signed";
  const read = (name: string): number | undefined => {
    const raw = signed ? claims[name] : query.get(name);
    if (raw === undefined || raw === null || raw === "") return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw invalidParameters(`${name} must be a number of seconds ≥ 0.`);
    return value;
  };
  const start = read("asset_start_time");
  const end = read("asset_end_time");
  if (start === undefined && end === undefined) return undefined;
  const duration = asset.media?.duration;
  const startTime = start ?? 0;
  const endTime = Math.min(end ?? duration ?? Number.POSITIVE_INFINITY, duration ?? Number.POSITIVE_INFINITY);
  if (!Number.isFinite(endTime)) throw invalidParameters("asset_end_time is needed: the asset's duration is not known.");
  if (endTime <= startTime) throw invalidParameters("asset_end_time must be after asset_start_time, inside the asset.");
  if (startTime <= 0 && duration !== undefined && endTime >= duration) return undefined;
  return { startTime, endTime };
}

/** Cuts being made, per emulator and output path: a second request for the same clip waits for the first. */
const cuttingBy = new WeakMap<EmulatorContext, Map<string, Promise<string>>>();

/** The asset cut to `clip` (re-encoded, so it starts on the exact frame), made once per (asset, start, end). */
async function clippedFile(ctx: EmulatorContext, asset: AssetRecord, clip: VideoTrim): Promise<string> {
  const ffmpeg = ctx.tools.ffmpeg;
  if (!ffmpeg) throw new MuxHttpError(412, "invalid_parameters", ["Clipping (asset_start_time/asset_end_time) needs ffmpeg on the emulator's machine."]);
  const dir = ctx.store.thumbnailDir(asset.id);
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const path = join(dir, `clip-${ms(clip.startTime)}-${ms(clip.endTime)}.mp4`);
  if (existsSync(path)) return path;
  let cutting = cuttingBy.get(ctx);
  if (!cutting) cuttingBy.set(ctx, (cutting = new Map<string, Promise<string>>()));
  const running = cutting.get(path);
  if (running) return running;
  const made = new Promise<string>((resolve, reject) => {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.part.mp4`;
    const args = ["-hide_banner", "-loglevel", "error", "-y", "-ss", String(clip.startTime), "-i", ctx.store.assetFilePath(asset.id)];
    args.push("-t", String(clip.endTime - clip.startTime), "-map", "0:v:0?", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "ultrafast");
    args.push("-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", partial);
    execFile(ffmpeg, args, { timeout: 120_000, signal: ctx.shutdown }, (error) => {
      if (error || !existsSync(partial)) {
        rmSync(partial, { force: true });
        reject(new MuxHttpError(500, "internal_error", ["ffmpeg could not cut the clip."]));
        return;
      }
      renameSync(partial, path);
      resolve(path);
    });
  }).finally(() => cutting.delete(path));
  cutting.set(path, made);
  return made;
}

/** Seconds of a WebVTT timestamp (`01:02:03.456` or `02:03.456`). */
function vttSeconds(stamp: string): number {
  return stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * A WebVTT file on the clip's timeline: cues wholly outside `clip` dropped, the others shifted by −start and cut to
 * the clip; the header and notes kept.
 */
export function clipVtt(text: string, clip: VideoTrim): string {
  const length = clip.endTime - clip.startTime;
  const blocks = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
  const kept: string[] = [];
  for (const block of blocks) {
    const lines = block.split("\n");
    const at = lines.findIndex((line) => line.includes("-->"));
    const timing = at >= 0 ? /^\s*([\d:.]+)\s+-->\s+([\d:.]+)(.*)$/.exec(lines[at] ?? "") : null;
    if (!timing) {
      kept.push(block);
      continue;
    }
    const [, from = "", to = "", settings = ""] = timing;
    const start = vttSeconds(from);
    const end = vttSeconds(to);
    if (end <= clip.startTime || start >= clip.endTime) continue;
    const shiftedStart = Math.max(0, start - clip.startTime);
    const shiftedEnd = Math.min(length, end - clip.startTime);
    lines[at] = `${formatTimestamp(shiftedStart, "vtt")} --> ${formatTimestamp(shiftedEnd, "vtt")}${settings}`;
    kept.push(lines.join("\n"));
  }
  return `${kept.join("\n\n").trimEnd()}\n`;
}
