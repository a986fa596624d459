/**
 * Thumbnails of a stored asset: a frame grabbed with ffmpeg, or a placeholder PNG when ffmpeg is missing,
 * fails, or the asset has no picture. Thumbnail URLs need no credentials and every `time`, `width` and
 * `height` makes another frame, so one `ThumbnailMaker` per emulator keeps frames in an LRU cache bounded in
 * entries and bytes, runs at most `maxConcurrentRuns` ffmpeg processes (later requests wait their turn), and
 * lets identical requests share one run. No side of a thumbnail exceeds `MAX_THUMBNAIL_SIDE` (a larger
 * `width`/`height` is scaled down, keeping the ratio), and placeholders, drawn on the event loop, are drawn once
 * per size and kept in a small LRU of their own.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { placeholderPng } from "./placeholder-image.js";
import type { MediaInfo, ThumbnailLimits } from "./types.js";

export type ThumbnailFormat = "jpg" | "png" | "webp";

export interface ThumbnailRequest {
  format: ThumbnailFormat;
  /** Seconds into the video; default the middle. */
  time?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /**
   * A storyboard instead of one frame: `count` frames spread evenly over `duration`, scaled to `width` ×
   * `height` and laid out `columns` wide, row by row (see `storyboardLayout`).
   */
  tiles?: StoryboardLayout | undefined;
}

/** Where the frames of a storyboard image are: one tile per `duration / count` seconds. */
export interface StoryboardLayout {
  count: number;
  columns: number;
  rows: number;
  /** Tile size in pixels (even numbers, as ffmpeg's scalers want). */
  width: number;
  height: number;
  /** Seconds the storyboard covers. */
  duration: number;
}

/**
 * The storyboard of a video: a tile a second for short videos, at most 50 tiles (10 wide) for long ones, each
 * 256 px wide with the video's aspect ratio (16:9 when unknown).
 */
export function storyboardLayout(media: MediaInfo | undefined): StoryboardLayout {
  const duration = media?.duration ?? 0;
  const count = Math.min(50, Math.max(1, Math.ceil(duration)));
  const columns = Math.min(10, count);
  const width = 256;
  const ratio = media?.width && media.height ? media.height / media.width : 9 / 16;
  const height = Math.max(2, 2 * Math.round((width * ratio) / 2));
  return { count, columns, rows: Math.ceil(count / columns), width, height, duration };
}

export interface Thumbnail {
  body: Buffer;
  contentType: string;
}

/**
 * Largest side of a thumbnail, in pixels: bigger `width`/`height` values are scaled down to it, keeping the
 * ratio asked for. Mux documents no maximum; this bounds what one unauthenticated request costs (a placeholder
 * of 1920 × 1920 takes ~25 ms to draw, one of 4096 × 4096 ~0.1–0.6 s of blocked event loop).
 */
export const MAX_THUMBNAIL_SIDE = 1920;
/** Placeholders kept, one per size (each a few KB: flat rows compress well). */
const PLACEHOLDER_CACHE_ENTRIES = 64;

/** `width` × `height` scaled down, if needed, so that no side exceeds `MAX_THUMBNAIL_SIDE`. */
export function fitThumbnailSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_THUMBNAIL_SIDE / width, MAX_THUMBNAIL_SIDE / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The requested size with no side over the maximum: both sides scaled together, a lone side clamped. */
function clampRequest(request: ThumbnailRequest): ThumbnailRequest {
  const { width, height } = request;
  if (width !== undefined && height !== undefined) return { ...request, ...fitThumbnailSize(width, height) };
  return {
    ...request,
    width: width === undefined ? undefined : Math.min(width, MAX_THUMBNAIL_SIDE),
    height: height === undefined ? undefined : Math.min(height, MAX_THUMBNAIL_SIDE),
  };
}

const CONTENT_TYPES: Record<ThumbnailFormat, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };
const ENCODERS: Record<ThumbnailFormat, string> = { jpg: "mjpeg", png: "png", webp: "libwebp" };
const DEFAULT_LIMITS: Record<keyof ThumbnailLimits, number> = {
  maxCacheEntries: 200,
  maxCacheBytes: 32 * 1024 * 1024,
  maxConcurrentRuns: 2,
};

function grabFrame(ffmpeg: string, input: string, output: string, request: ThumbnailRequest, time: number, signal: AbortSignal | undefined): Promise<boolean> {
  // One side asked for: the other follows the video's ratio within MAX_THUMBNAIL_SIDE; none: the video's own size
  // within it (never scaled up).
  const box = (width: string, height: string) => `scale=${width}:${height}:force_original_aspect_ratio=decrease`;
  const scale =
    request.width && request.height
      ? `scale=${request.width}:${request.height}`
      : request.width
        ? box(String(request.width), String(MAX_THUMBNAIL_SIDE))
        : request.height
          ? box(String(MAX_THUMBNAIL_SIDE), String(request.height))
          : box(`'min(iw,${MAX_THUMBNAIL_SIDE})'`, `'min(ih,${MAX_THUMBNAIL_SIDE})'`);
  const tiles = request.tiles;
  const args = tiles
    ? [
        ...["-v", "error", "-y", "-i", input, "-frames:v", "1"],
        // `count` frames evenly over the video, each scaled to a tile, laid out in one image.
        ...["-vf", `fps=${tiles.count}/${Math.max(tiles.duration, 0.001).toFixed(3)},scale=${tiles.width}:${tiles.height},tile=${tiles.columns}x${tiles.rows}`],
        ...["-c:v", ENCODERS[request.format], "-f", "image2", output],
      ]
    : ["-v", "error", "-y", "-ss", time.toFixed(3), "-i", input, "-frames:v", "1", "-vf", scale, "-c:v", ENCODERS[request.format], "-f", "image2", output];
  return new Promise((resolve) => {
    execFile(ffmpeg, args, { timeout: 30_000, signal }, (error) => resolve(!error && existsSync(output)));
  });
}

/**
 * A placeholder's size: the storyboard's, or the size asked for with the missing side from the video's ratio (16:9
 * when unknown; 640 wide when nothing is known), within `MAX_THUMBNAIL_SIDE`.
 */
function placeholderSize(media: MediaInfo | undefined, request: ThumbnailRequest): { width: number; height: number } {
  const tiles = request.tiles;
  if (tiles) return { width: tiles.width * tiles.columns, height: tiles.height * tiles.rows };
  const ratio = media?.width && media.height ? media.height / media.width : 9 / 16;
  const width = request.width ?? (request.height === undefined ? (media?.width ?? 640) : Math.round(request.height / ratio));
  const height = request.height ?? Math.round(width * ratio);
  return fitThumbnailSize(Math.max(1, width), Math.max(1, height));
}

function readLimit(limits: ThumbnailLimits, name: keyof ThumbnailLimits, min: number): number {
  const value = limits[name] ?? DEFAULT_LIMITS[name];
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`thumbnails.${name} must be a whole number ≥ ${min}, got ${value}.`);
  return value;
}

export class ThumbnailMaker {
  readonly #ffmpeg: string | false;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxRuns: number;
  /** Cached frame files and their sizes, least recently used first (a Map iterates in insertion order). */
  readonly #cache = new Map<string, number>();
  #cachedBytes = 0;
  /** Frames being grabbed: a second request for one waits for the same run. */
  readonly #grabbing = new Map<string, Promise<Buffer | undefined>>();
  #runs = 0;
  /** Grabs waiting for a free ffmpeg slot, oldest first. */
  readonly #waiting: Array<() => void> = [];
  /** Placeholder PNGs by size, least recently used first. */
  readonly #placeholders = new Map<string, Buffer>();
  /** The emulator's shutdown: when it aborts, the ffmpeg runs still grabbing frames are killed. */
  readonly #shutdown: AbortSignal | undefined;

  constructor(ffmpeg: string | false, limits: ThumbnailLimits = {}, shutdown?: AbortSignal) {
    this.#ffmpeg = ffmpeg;
    this.#shutdown = shutdown;
    this.#maxEntries = readLimit(limits, "maxCacheEntries", 0);
    this.#maxBytes = readLimit(limits, "maxCacheBytes", 0);
    this.#maxRuns = readLimit(limits, "maxConcurrentRuns", 1);
  }

  async make(mediaPath: string, cacheDir: string, media: MediaInfo | undefined, asked: ThumbnailRequest): Promise<Thumbnail> {
    const request = clampRequest(asked);
    const duration = media?.duration ?? 0;
    const wanted = request.time ?? duration / 2;
    // ffmpeg yields no frame at or past the end; stay just inside the video.
    const time = Math.max(0, Math.min(wanted, Math.max(0, duration - 0.1)));
    if (this.#ffmpeg && media?.hasVideo) {
      const tiles = request.tiles;
      const name = tiles ? `storyboard-${tiles.count}x${tiles.width}` : `${time.toFixed(3)}-${request.width ?? 0}x${request.height ?? 0}`;
      const output = join(cacheDir, `${name}.${request.format}`);
      const body = this.#fromCache(output) ?? (await this.#grab(this.#ffmpeg, mediaPath, output, request, time));
      if (body) return { body, contentType: CONTENT_TYPES[request.format] };
    }
    return { body: this.#placeholder(placeholderSize(media, request)), contentType: "image/png" };
  }

  #placeholder({ width, height }: { width: number; height: number }): Buffer {
    const key = `${width}x${height}`;
    const cached = this.#placeholders.get(key);
    if (cached) {
      this.#placeholders.delete(key);
      this.#placeholders.set(key, cached);
      return cached;
    }
    const body = placeholderPng(width, height);
    this.#placeholders.set(key, body);
    for (const oldest of this.#placeholders.keys()) {
      if (this.#placeholders.size <= PLACEHOLDER_CACHE_ENTRIES) break;
      this.#placeholders.delete(oldest);
    }
    return body;
  }

  /** Forgets the frames cached in `cacheDir` (an asset's, when the asset and its files are deleted). */
  forgetDir(cacheDir: string): void {
    for (const [path, size] of this.#cache) {
      if (dirname(path) !== cacheDir) continue;
      this.#cache.delete(path);
      this.#cachedBytes -= size;
    }
  }

  #fromCache(path: string): Buffer | undefined {
    const size = this.#cache.get(path);
    if (size === undefined) return undefined;
    this.#cache.delete(path);
    try {
      const body = readFileSync(path);
      this.#cache.set(path, size);
      return body;
    } catch {
      this.#cachedBytes -= size;
      return undefined;
    }
  }

  #grab(ffmpeg: string, mediaPath: string, output: string, request: ThumbnailRequest, time: number): Promise<Buffer | undefined> {
    const pending = this.#grabbing.get(output);
    if (pending) return pending;
    const run = this.#inSlot(async () => {
      mkdirSync(dirname(output), { recursive: true });
      let body: Buffer | undefined;
      try {
        if (await grabFrame(ffmpeg, mediaPath, output, request, time, this.#shutdown)) body = readFileSync(output);
      } catch {
        // The asset was deleted while ffmpeg ran: nothing to keep.
      }
      if (body) this.#remember(output, body.length);
      else rmSync(output, { force: true });
      return body;
    }).finally(() => this.#grabbing.delete(output));
    this.#grabbing.set(output, run);
    return run;
  }

  /** Adds a frame file to the cache, removing the least recently used files beyond the bounds. */
  #remember(path: string, size: number): void {
    this.#cache.set(path, size);
    this.#cachedBytes += size;
    for (const [oldest, oldestSize] of this.#cache) {
      if (this.#cache.size <= this.#maxEntries && this.#cachedBytes <= this.#maxBytes) break;
      this.#cache.delete(oldest);
      this.#cachedBytes -= oldestSize;
      rmSync(oldest, { force: true });
    }
  }

  /** Runs `task` once fewer than `maxConcurrentRuns` ffmpeg runs are going; a finished run hands its slot on. */
  async #inSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.#runs < this.#maxRuns) this.#runs += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#runs -= 1;
    }
  }
}
