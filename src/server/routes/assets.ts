/** `GET /assets/:id` and `GET /assets/:id/events`: an asset's status, once and as it changes. */
import { assetEventStream } from "../asset-events.js";
import type { VideoDownload } from "../../core/types.js";
import { httpError, JsonReply } from "../errors.js";
import { readJsonBody } from "../request-body.js";
import { decideAssetSettings, readRequestedSettings } from "./asset-settings.js";
import { accessibleAsset, forViewer, mayView, missing, orMissing, ownerKeyOf, viewerJson } from "./access.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

export async function getAsset<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<JsonReply> {
  const { user, id } = call;
  const { asset, owner } = await accessibleAsset(ctx, call, user, id);
  return new JsonReply(await viewerJson(ctx, asset, user, call, owner), 200);
}

export async function assetEvents<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { user, id } = call;
  const { asset: initial, owner } = await accessibleAsset(ctx, call, user, id);
  const { open: openStreams } = ctx.streams;
  const open = openStreams.get(user.id) ?? 0;
  if (open >= ctx.streams.perUser) {
    ctx.emit({ type: "stream_limited", at: ctx.now(), userId: user.id, open });
    throw httpError(429, "rate_limited", "Too many open status streams; the page polls instead.", { retryAfter: 5 });
  }
  openStreams.set(user.id, open + 1);
  return assetEventStream({
    initial,
    cache: ctx.cache,
    // Asked per event, not once: the host's answer can change when its hook records the playback id.
    decorate: (asset) => forViewer(ctx, asset, user, call, owner),
    signal: call.request.signal,
    heartbeatMs: ctx.streams.heartbeatMs,
    maxLifetimeMs: ctx.streams.lifetimeMs,
    onClose: () => {
      const left = (openStreams.get(user.id) ?? 1) - 1;
      if (left > 0) openStreams.set(user.id, left);
      else openStreams.delete(user.id);
    },
    onError: ctx.reportBackground,
  });
}

/**
 * `GET /assets/:id/downloads`: `{ downloads: VideoDownload[] }`, read fresh from the backend (renditions change after
 * the asset is ready). A ready file's `url` carries a playback token when playback is signed. Anyone who may not
 * download (`canDownload`, by default whoever may watch) gets the same 404 as for an asset that does not exist.
 */
export async function listDownloads<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<JsonReply> {
  const { user, id } = call;
  const { owner } = await accessibleAsset(ctx, call, user, id);
  // Fresh, and what the access below is decided on: a cached copy may predate the playback id.
  const asset = await orMissing(ctx.backend.getAsset(id), missing.video);
  const { playbackId } = asset;
  const signed = asset.playback?.policy !== "public";
  const lessonId = asset.passthrough;
  const { canDownload } = ctx.options;
  const allowed = canDownload
    ? await canDownload(user, { assetId: id, ...(lessonId === undefined ? {} : { lessonId }), ...(playbackId === undefined ? {} : { playbackId }) }, call.request)
    : !signed || owner || (playbackId !== undefined && (await mayView(ctx, user, playbackId, call, owner)));
  if (!allowed) throw missing.video();
  const files = asset.downloads ?? [];
  const needsToken = signed && files.some((file) => file.url !== undefined);
  // A signed file without a playback id to sign for is listed without its URL.
  const token = needsToken && playbackId ? (await ctx.tokens.get(playbackId)).tokens.playback : undefined;
  const downloads: VideoDownload[] = files.map(({ url, ...file }) => {
    if (url === undefined || file.status !== "ready" || (signed && token === undefined)) return file;
    return { ...file, url: token === undefined ? url : `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` };
  });
  return new JsonReply(JSON.stringify({ downloads }), 200);
}

/**
 * `POST /assets/:id/clips` with `{ startTime, endTime, requested? }`: a new asset cut frame-accurately from the
 * asset, for its owner only (anyone else gets the same 404 as for an asset that does not exist). The times are
 * seconds within the ready asset's duration; the clip carries the source's lesson and the settings the
 * `assetSettings` hook decides (`kind: "clip"`). Answers 201 with the `preparing` clip.
 */
export async function createClip<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<JsonReply> {
  const { request, user, id } = call;
  const create = ctx.backend.createClip;
  if (!create) throw httpError(404, "not_found", "This video backend cannot make clips.");
  const { owner } = await accessibleAsset(ctx, call, user, id);
  if (!owner) throw missing.video();
  const body = await readJsonBody(request, ctx.limits.maxRequestBodyBytes);
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { startTime, endTime } = fields;
  if (typeof startTime !== "number" || typeof endTime !== "number" || !Number.isFinite(startTime) || !Number.isFinite(endTime)) {
    throw httpError(400, "bad_request", "The body must be { startTime, endTime, requested? } in seconds.");
  }
  const source = await orMissing(ctx.backend.getAsset(id), missing.video);
  if (source.status !== "ready" || source.duration === undefined) throw httpError(409, "bad_request", "Only a ready video can be clipped.");
  if (startTime < 0 || endTime <= startTime || endTime > source.duration) {
    throw httpError(400, "bad_request", `startTime and endTime must satisfy 0 ≤ startTime < endTime ≤ ${source.duration}.`);
  }
  const lessonId = source.passthrough;
  const decided = await decideAssetSettings(ctx, user, { kind: "clip", lessonId, requested: readRequestedSettings(fields.requested) }, request);
  const clip = await create(id, {
    startTime,
    endTime,
    playbackPolicy: decided.playbackPolicy,
    ownerKey: await ownerKeyOf(user.id),
    ...(lessonId === undefined ? {} : { passthrough: lessonId }),
    ...(Object.keys(decided.settings).length === 0 ? {} : { settings: decided.settings }),
  });
  ctx.cache.set(clip);
  return new JsonReply(await viewerJson(ctx, clip, user, call, true), 201);
}
