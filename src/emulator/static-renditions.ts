/**
 * Static renditions (Mux's MP4/M4A downloads): asked for at creation (`static_renditions: [{ resolution }]`) or with
 * `POST /video/v1/assets/:id/static-renditions`, removed with `DELETE …/static-renditions/:id`. Once the asset is
 * ready each file is made with ffmpeg (H.264/AAC MP4, or AAC M4A for `audio-only`), one at a time, and served at
 * `/stream/<playback id>/<name>` with Range support; a signed playback id needs `?token=` (aud `v`). A resolution
 * the asset cannot give (above its height or tier, video of an audio-only asset, audio of a silent one) is
 * `skipped`; without ffmpeg a rendition is `errored`. Webhooks `video.asset.static_rendition.created|ready|skipped|
 * errored|deleted` carry the rendition with its `asset_id`, as Mux's do.
 */
import { execFile } from "node:child_process";
import { mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { EmulatorContext } from "./context.js";
import { verifyPlaybackToken } from "./jwt.js";
import { resolutionTier } from "./mux-json.js";
import { staticRenditionResolutions } from "../core/static-renditions.js";
import { serveFile } from "./playback.js";
import { invalidParameters, methodNotAllowed, MuxHttpError, notFound, readJsonObject, sendData, sendMuxError } from "./responses.js";
import { newId, type EmulatorStore } from "./store.js";
import type { AssetRecord, StaticRenditionRecord, StaticRenditionResolution } from "./types.js";
import type { WebhookSender } from "./webhooks.js";


const tierHeights: Readonly<Record<string, number>> = { "1080p": 1080, "1440p": 1440, "2160p": 2160 };

/** One rendition as asked for. */
export interface StaticRenditionRequest {
  resolution: StaticRenditionResolution;
  passthrough?: string | undefined;
}

function readRequest(value: unknown, field: string): StaticRenditionRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidParameters(`${field} must be an object { resolution, passthrough? }.`);
  const { resolution, passthrough } = value as Record<string, unknown>;
  if (typeof resolution !== "string" || !(staticRenditionResolutions as readonly string[]).includes(resolution)) {
    throw invalidParameters(`${field}.resolution must be one of ${staticRenditionResolutions.join(", ")}.`);
  }
  if (passthrough !== undefined && (typeof passthrough !== "string" || passthrough.length > 255)) {
    throw invalidParameters(`${field}.passthrough must be a string of at most 255 characters.`);
  }
  return { resolution: resolution as StaticRenditionResolution, ...(passthrough === undefined ? {} : { passthrough }) };
}

/** `static_renditions` of new-asset settings: a list of `{ resolution, passthrough? }`, each resolution once. */
export function readStaticRenditionRequests(value: unknown, field: string): StaticRenditionRequest[] {
  if (!Array.isArray(value)) throw invalidParameters(`${field} must be an array of { resolution, passthrough? }.`);
  const requests = value.map((entry, index) => readRequest(entry, `${field}[${index}]`));
  if (new Set(requests.map((r) => r.resolution)).size !== requests.length) throw invalidParameters(`${field} names a resolution twice.`);
  return requests;
}

/** Mux's file name of a resolution: `highest.mp4`, `audio.m4a`, `720p.mp4`. */
export function renditionFile(resolution: StaticRenditionResolution): { name: string; ext: "mp4" | "m4a" } {
  if (resolution === "audio-only") return { name: "audio.m4a", ext: "m4a" };
  return { name: `${resolution}.mp4`, ext: "mp4" };
}

const fileNamePattern = /^(?:highest|\d{3,4}p)\.mp4$|^audio\.m4a$/;

/** Whether the last segment of a `/stream/<playback id>/<name>` URL names a static rendition file. */
export const isRenditionFileName = (name: string): boolean => fileNamePattern.test(name);

/** `preparing` records for new requests (no webhooks: the caller sends them once the asset is stored). */
export function newRenditionRecords(requests: readonly StaticRenditionRequest[]): StaticRenditionRecord[] {
  return requests.map((request) => ({
    id: newId(),
    resolution: request.resolution,
    ...renditionFile(request.resolution),
    status: "preparing",
    type: "standard",
    ...(request.passthrough === undefined ? {} : { passthrough: request.passthrough }),
  }));
}

/** Webhook `data` of a rendition event: the rendition with its `asset_id`. */
export const renditionWebhookData = (asset: AssetRecord, file: StaticRenditionRecord) => ({ ...file, asset_id: asset.id });

/** Why an asset cannot have this rendition (Mux: `skipped`), or undefined when it can. */
function skipReason(asset: AssetRecord, resolution: StaticRenditionResolution): string | undefined {
  const media = asset.media;
  if (!media) return "The asset has no media.";
  if (resolution === "audio-only") return media.hasAudio ? undefined : "The asset has no audio track.";
  if (!media.hasVideo || media.height === undefined) return "The asset is audio-only: it has no video to make an MP4 of.";
  if (resolution === "highest") return undefined;
  const height = Number.parseInt(resolution, 10);
  if (height > media.height) return `The asset is ${media.height}p high: it cannot be made ${resolution}.`;
  if (height > (tierHeights[asset.max_resolution_tier ?? "1080p"] ?? 1080)) return `${resolution} is above the asset's max_resolution_tier.`;
  return undefined;
}

/** Height of the made MP4: the resolution's, or for `highest` the asset's own height capped at its tier. */
function targetHeight(asset: AssetRecord, resolution: StaticRenditionResolution): number {
  const sourceHeight = asset.media?.height ?? 0;
  if (resolution !== "highest") return Number.parseInt(resolution, 10);
  return Math.min(sourceHeight, tierHeights[asset.max_resolution_tier ?? "1080p"] ?? 1080);
}

function runFfmpeg(ffmpeg: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(ffmpeg, args, { timeout: 300_000, maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      resolve(error ? (stderr.trim().split("\n").pop() ?? error.message) : undefined);
    });
  });
}

export interface StaticRenditionWorkerDeps {
  store: EmulatorStore;
  webhooks: WebhookSender;
  ffmpeg: string | false;
}

/** Makes the files of `preparing` renditions of ready assets, one at a time; `idle()` waits for them (close). */
export class StaticRenditionWorker {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;

  constructor(private readonly deps: StaticRenditionWorkerDeps) {}

  /** Sends the `created` webhooks of renditions just stored on an asset. */
  announce(asset: AssetRecord, files: readonly StaticRenditionRecord[] = asset.static_renditions ?? []): void {
    for (const file of files) this.deps.webhooks.emit("video.asset.static_rendition.created", { type: "asset", id: asset.id }, renditionWebhookData(asset, file));
  }

  /** Queues every `preparing` rendition of a ready asset; an errored asset's renditions error too. */
  assetSettled(asset: AssetRecord): void {
    for (const file of asset.static_renditions ?? []) {
      if (file.status !== "preparing") continue;
      if (asset.status === "errored") this.finish(asset, file, "errored", { type: "invalid_input", messages: ["The asset could not be ingested."] });
      else if (asset.status === "ready") this.enqueue(asset, file);
    }
  }

  /** Picks up renditions a previous run left `preparing`. */
  resumePending(): void {
    for (const asset of this.deps.store.assets.values()) this.assetSettled(asset);
  }

  /** Drops a rendition and its file. */
  remove(asset: AssetRecord, renditionId: string): void {
    const files = asset.static_renditions ?? [];
    const file = files.find((f) => f.id === renditionId);
    if (!file) throw notFound("static rendition");
    asset.static_renditions = files.filter((f) => f !== file);
    rmSync(join(this.deps.store.renditionDir(asset.id), file.name), { force: true });
    this.deps.store.save();
    this.deps.webhooks.emit("video.asset.static_rendition.deleted", { type: "asset", id: asset.id }, renditionWebhookData(asset, file));
  }

  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  close(): void {
    this.closed = true;
  }

  private enqueue(asset: AssetRecord, file: StaticRenditionRecord): void {
    this.pending++;
    this.queue = this.queue
      .then(() => this.make(asset, file))
      .catch((error: unknown) => this.finish(asset, file, "errored", { type: "internal_error", messages: [`Making the rendition failed: ${String(error)}`] }))
      .finally(() => {
        this.pending--;
      });
  }

  private current(asset: AssetRecord, file: StaticRenditionRecord): boolean {
    return !this.closed && this.deps.store.assets.get(asset.id) === asset && (asset.static_renditions ?? []).includes(file) && file.status === "preparing";
  }

  private async make(asset: AssetRecord, file: StaticRenditionRecord): Promise<void> {
    if (!this.current(asset, file)) return;
    const skipped = skipReason(asset, file.resolution);
    if (skipped) return this.finish(asset, file, "skipped", { type: "skipped", messages: [skipped] });
    const { ffmpeg } = this.deps;
    if (ffmpeg === false) {
      return this.finish(asset, file, "errored", { type: "unavailable", messages: ["Static renditions need ffmpeg; the emulator runs without it."] });
    }
    const dir = this.deps.store.renditionDir(asset.id);
    mkdirSync(dir, { recursive: true });
    const out = join(dir, file.name);
    const partial = join(dir, `${newId()}.${file.ext}`);
    const source = this.deps.store.assetFilePath(asset.id);
    const height = file.ext === "m4a" ? undefined : targetHeight(asset, file.resolution);
    const args =
      height === undefined
        ? ["-y", "-v", "error", "-i", source, "-vn", "-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "ipod", partial]
        : [
            ...["-y", "-v", "error", "-i", source, "-map", "0:v:0", "-map", "0:a:0?"],
            ...["-vf", `scale=-2:${height}`, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
            ...["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", partial],
          ];
    const failure = await runFfmpeg(ffmpeg, args);
    if (!this.current(asset, file)) {
      rmSync(partial, { force: true });
      return;
    }
    if (failure !== undefined) {
      rmSync(partial, { force: true });
      return this.finish(asset, file, "errored", { type: "invalid_input", messages: [`ffmpeg could not make ${file.name}: ${failure}`] });
    }
    renameSync(partial, out);
    const size = statSync(out).size;
    const media = asset.media;
    file.filesize = String(size);
    if (media?.duration) file.bitrate = Math.round((size * 8) / media.duration);
    if (height === undefined) file.resolution_tier = "audio-only";
    else {
      file.height = height;
      if (media?.width && media.height) file.width = Math.round((media.width * height) / media.height / 2) * 2;
      file.resolution_tier = resolutionTier(height, asset.max_resolution_tier);
    }
    this.finish(asset, file, "ready");
  }

  private finish(asset: AssetRecord, file: StaticRenditionRecord, status: "ready" | "skipped" | "errored", error?: StaticRenditionRecord["error"]): void {
    if (this.deps.store.assets.get(asset.id) !== asset) return;
    file.status = status;
    if (error) file.error = error;
    this.deps.store.save();
    this.deps.webhooks.emit(`video.asset.static_rendition.${status}`, { type: "asset", id: asset.id }, renditionWebhookData(asset, file));
  }
}

/** `/video/v1/assets/:id/static-renditions[/:renditionId]`: POST creates, DELETE removes. */
export async function handleStaticRenditionsApi(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, asset: AssetRecord, rest: string[]): Promise<void> {
  const method = req.method ?? "GET";
  const [renditionId, ...extra] = rest;
  if (extra.length > 0) throw notFound();
  if (renditionId === undefined) {
    if (method !== "POST") throw methodNotAllowed(method);
    const request = readRequest(await readJsonObject(req), "body");
    if ((asset.static_renditions ?? []).some((file) => file.resolution === request.resolution)) {
      throw invalidParameters(`The asset already has a ${request.resolution} static rendition.`);
    }
    const [file] = newRenditionRecords([request]);
    if (!file) throw new Error("no rendition record");
    asset.static_renditions = [...(asset.static_renditions ?? []), file];
    ctx.store.save();
    ctx.renditions.announce(asset, [file]);
    ctx.renditions.assetSettled(asset);
    return sendData(res, 201, { ...file });
  }
  if (method !== "DELETE") throw methodNotAllowed(method);
  ctx.renditions.remove(asset, renditionId);
  res.writeHead(204).end();
}

const PUBLIC_CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Content-Length, Content-Range, Accept-Ranges",
};

/** `GET|HEAD /stream/<playback id>/<name>`: a ready rendition's file, with Range support. */
export function serveStaticRendition(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, playbackId: string, name: string, query: URLSearchParams): void {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed(req.method ?? "");
    const found = ctx.store.findAssetByPlaybackId(playbackId);
    if (!found) throw notFound("playback id");
    if (found.policy === "signed") {
      const token = query.get("token");
      if (!token) throw new MuxHttpError(403, "forbidden", ["This playback id is signed: a token query parameter is required."]);
      const check = verifyPlaybackToken(token, playbackId, "v", (kid) => ctx.store.signingKeys.get(kid)?.publicKeyPem);
      if (!check.ok) throw new MuxHttpError(403, "forbidden", [check.message]);
    }
    const file = found.asset.static_renditions?.find((f) => f.name === name && f.status === "ready");
    if (!file) throw notFound("static rendition");
    serveFile(req, res, join(ctx.store.renditionDir(found.asset.id), file.name), file.ext === "m4a" ? "audio/mp4" : "video/mp4");
  } catch (error) {
    if (error instanceof MuxHttpError) return sendMuxError(res, error, PUBLIC_CORS);
    throw error;
  }
}
