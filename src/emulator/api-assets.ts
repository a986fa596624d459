/**
 * `/video/v1/assets…`: list (cursor pages, as `@mux/mux-node` walks them), retrieve, delete, and create,
 * retrieve or delete playback ids. Assets come from direct uploads or from an input URL (`POST`); deleting one
 * drops its files and its cached thumbnails.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context.js";
import { assetJson, assetWebhookData } from "./mux-json.js";
import { invalidParameters, methodNotAllowed, notFound, readJsonObject, readPageQuery, sendData } from "./responses.js";
import { readAssetSettings } from "./api-uploads.js";
import { handleStaticRenditionsApi } from "./static-renditions.js";
import { newId } from "./store.js";
import { handleTracksApi } from "./text-tracks.js";
import type { AssetRecord, PlaybackIdRecord } from "./types.js";
import { readUploadSizeCap } from "./upload-size-cap.js";

type SortKey = Pick<AssetRecord, "createdAt" | "id">;

/** Newest first; ties broken by id so every asset has one place in the order. */
const newestFirst = (a: SortKey, b: SortKey): number => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const encodeCursor = (asset: SortKey): string => Buffer.from(`${asset.createdAt}:${asset.id}`).toString("base64url");

function decodeCursor(cursor: string): SortKey {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  const time = Number(createdAt);
  if (!id || !Number.isFinite(time)) throw invalidParameters("cursor is not a cursor this API returned.");
  return { createdAt: time, id };
}

function sendAssetPage(ctx: EmulatorContext, res: ServerResponse, query: URLSearchParams): void {
  const { limit, page } = readPageQuery(query);
  let all = [...ctx.store.assets.values()].sort(newestFirst);
  const uploadId = query.get("upload_id");
  if (uploadId) all = all.filter((a) => a.upload_id === uploadId);
  const cursor = query.get("cursor");
  let start = (page - 1) * limit;
  if (cursor) {
    const after = decodeCursor(cursor);
    const index = all.findIndex((a) => newestFirst(a, after) > 0);
    start = index === -1 ? all.length : index;
  }
  const slice = all.slice(start, start + limit);
  const last = slice[slice.length - 1];
  const nextCursor = last && start + limit < all.length ? encodeCursor(last) : null;
  const body = JSON.stringify({ data: slice.map(assetJson), next_cursor: nextCursor });
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

function assetOr404(ctx: EmulatorContext, id: string): AssetRecord {
  const asset = ctx.store.assets.get(id);
  if (!asset) throw notFound("asset");
  return asset;
}

async function createPlaybackId(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, asset: AssetRecord): Promise<void> {
  const body = await readJsonObject(req);
  const policy = body.policy ?? "public";
  if (policy !== "public" && policy !== "signed") {
    throw invalidParameters(policy === "drm" ? "The emulator does not support drm playback ids." : 'policy must be "public" or "signed".');
  }
  const playbackId: PlaybackIdRecord = { id: newId(), policy };
  asset.playback_ids.push(playbackId);
  ctx.store.save();
  ctx.webhooks.emit("video.asset.updated", { type: "asset", id: asset.id }, assetWebhookData(asset));
  sendData(res, 201, playbackId);
}

/**
 * `POST /video/v1/assets` with `inputs: [{ url }]`: a `preparing` asset at once; the file is downloaded and
 * processed like an uploaded one after the processing delay. Only URLs the emulator may fetch (loopback and
 * `trackSourceHosts`) are taken; `mux://assets/…` clips are not emulated.
 */
async function createAssetFromUrl(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonObject(req);
  if (body.test !== undefined && typeof body.test !== "boolean") throw invalidParameters("test must be a boolean.");
  const maxBytes = readUploadSizeCap(req.headers);
  const { test: _test, ...rest } = body;
  const settings = readAssetSettings(rest, "", "url");
  const first = settings.inputs?.[0];
  const source = first?.url ?? "";
  if (source.startsWith("mux://")) {
    const sourceId = /^mux:\/\/assets\/([A-Za-z0-9]+)$/.exec(source)?.[1];
    const from = sourceId === undefined ? undefined : ctx.store.assets.get(sourceId);
    if (!from) throw invalidParameters("inputs[0].url must be mux://assets/<id of an asset of this environment>.");
    if (from.status !== "ready" || from.media?.duration === undefined) throw invalidParameters("The source asset of a clip must be ready.");
    const start = first?.start_time ?? 0;
    const end = Math.min(first?.end_time ?? from.media.duration, from.media.duration);
    if (start >= end) throw invalidParameters("The clip's start_time must be before its end_time and the source's end.");
    const asset = ctx.processor.createClip(settings, { source_asset_id: from.id, start_time: start, end_time: end }, { test: body.test === true });
    return sendData(res, 201, assetJson(asset));
  }
  const url = URL.canParse(source) ? new URL(source) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw invalidParameters("inputs[0].url must be an http or https URL.");
  if (!ctx.textTracks.sourceAllowed(url)) {
    throw invalidParameters("The emulator downloads input files from loopback hosts (and trackSourceHosts / --track-source-host) only.");
  }
  const asset = ctx.processor.createFromUrl(settings, url.href, { test: body.test === true, maxBytes });
  sendData(res, 201, assetJson(asset));
}

/** Handles `/video/v1/assets[/:id[/playback-ids[/:pid]]]`; `rest` are the segments after `assets`. */
export async function handleAssetsApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? "GET";
  const [id, sub, playbackId, ...extra] = rest;
  if (id !== undefined && sub === "tracks") return handleTracksApi(ctx.textTracks, req, res, assetOr404(ctx, id), rest.slice(2));
  if (id !== undefined && sub === "static-renditions") return handleStaticRenditionsApi(ctx, req, res, assetOr404(ctx, id), rest.slice(2));
  if (extra.length > 0) throw notFound();
  if (id === undefined) {
    if (method === "GET") return sendAssetPage(ctx, res, query);
    if (method === "POST") return createAssetFromUrl(ctx, req, res);
    throw methodNotAllowed(method);
  }
  const asset = assetOr404(ctx, id);
  if (sub === undefined) {
    if (method === "GET") return sendData(res, 200, assetJson(asset));
    if (method === "DELETE") {
      ctx.textTracks.forgetAsset(asset.id);
      ctx.store.removeAssetFiles(asset.id);
      ctx.store.assets.delete(asset.id);
      ctx.thumbnails.forgetDir(ctx.store.thumbnailDir(asset.id));
      ctx.store.save();
      ctx.webhooks.emit("video.asset.deleted", { type: "asset", id: asset.id }, assetWebhookData(asset));
      res.writeHead(204).end();
      return;
    }
    throw methodNotAllowed(method);
  }
  if (sub !== "playback-ids") throw notFound();
  if (playbackId === undefined) {
    if (method === "POST") return createPlaybackId(ctx, req, res, asset);
    throw methodNotAllowed(method);
  }
  const index = asset.playback_ids.findIndex((p) => p.id === playbackId);
  if (index === -1) throw notFound("playback id");
  if (method === "GET") return sendData(res, 200, asset.playback_ids[index]);
  if (method === "DELETE") {
    asset.playback_ids.splice(index, 1);
    ctx.store.save();
    ctx.webhooks.emit("video.asset.updated", { type: "asset", id: asset.id }, assetWebhookData(asset));
    res.writeHead(204).end();
    return;
  }
  throw methodNotAllowed(method);
}
