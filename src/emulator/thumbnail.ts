/**
 * Thumbnails of a stored asset: a frame grabbed with ffmpeg (cached per time, size and format), or a
 * placeholder PNG when ffmpeg is missing, fails, or the asset has no picture.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { placeholderPng } from "./placeholder-image.js";
import type { MediaInfo } from "./types.js";

export type ThumbnailFormat = "jpg" | "png" | "webp";

export interface ThumbnailRequest {
  format: ThumbnailFormat;
  /** Seconds into the video; default the middle. */
  time?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

export interface Thumbnail {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<ThumbnailFormat, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };
const ENCODERS: Record<ThumbnailFormat, string> = { jpg: "mjpeg", png: "png", webp: "libwebp" };

function grabFrame(ffmpeg: string, input: string, output: string, request: ThumbnailRequest, time: number): Promise<boolean> {
  const scale =
    request.width && request.height
      ? `scale=${request.width}:${request.height}`
      : request.width
        ? `scale=${request.width}:-2`
        : request.height
          ? `scale=-2:${request.height}`
          : "scale=iw:ih";
  const args = ["-v", "error", "-y", "-ss", time.toFixed(3), "-i", input, "-frames:v", "1", "-vf", scale, "-c:v", ENCODERS[request.format], "-f", "image2", output];
  return new Promise((resolve) => {
    execFile(ffmpeg, args, { timeout: 30_000 }, (error) => resolve(!error && existsSync(output)));
  });
}

export async function makeThumbnail(
  ffmpeg: string | false,
  mediaPath: string,
  cacheDir: string,
  media: MediaInfo | undefined,
  request: ThumbnailRequest,
): Promise<Thumbnail> {
  const duration = media?.duration ?? 0;
  const wanted = request.time ?? duration / 2;
  // ffmpeg yields no frame at or past the end; stay just inside the video.
  const time = Math.max(0, Math.min(wanted, Math.max(0, duration - 0.1)));
  if (ffmpeg && media?.hasVideo) {
    mkdirSync(cacheDir, { recursive: true });
    const name = `${time.toFixed(3)}-${request.width ?? 0}x${request.height ?? 0}.${request.format}`;
    const output = join(cacheDir, name);
    if (existsSync(output) || (await grabFrame(ffmpeg, mediaPath, output, request, time))) {
      return { body: readFileSync(output), contentType: CONTENT_TYPES[request.format] };
    }
    rmSync(output, { force: true });
  }
  const width = request.width ?? media?.width ?? 640;
  const height = request.height ?? (media?.width && media.height ? Math.round((width * media.height) / media.width) : Math.round((width * 9) / 16));
  return { body: placeholderPng(width, height), contentType: "image/png" };
}
