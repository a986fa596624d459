/**
 * Who may see what: the owner key an upload records, and the checks every route that names an upload, an
 * asset or a playback id runs before it answers. Anyone these refuse gets the same 404 as for an id that
 * does not exist.
 */
import type { VideoAsset, VideoTrim } from "../../core/types.js";
import type { BackendAsset, BackendUploadInfo } from "../backend.js";
import type { VideoError } from "../../core/errors.js";
import { asStatusError, httpError } from "../errors.js";
import { withPlaybackTokens } from "../playback-tokens.js";
import { progressNotFound } from "../progress.js";
import type { RequestSource, RoutesContext } from "./context.js";
import type { VideoUser } from "./options.js";

const encoder = new TextEncoder();

/**
 * The one answer per resource for "does not exist" and "not yours": same status, same body, whichever it
 * is, so no answer tells whether someone else's id exists.
 */
export const missing = {
  upload: (): VideoError => httpError(404, "not_found", "There is no such upload."),
  video: (): VideoError => httpError(404, "not_found", "There is no such video."),
  track: (): VideoError => httpError(404, "not_found", "There is no such caption track."),
  /** A lesson's progress and insights: no such lesson, not one the user may watch, insights of someone else's. */
  lesson: progressNotFound,
  /** Playback ids are not looked up: one the user may not watch and one that does not exist are both refused. */
  playback: (): VideoError => httpError(403, "forbidden", "You may not watch this video."),
} as const;

/** `call`, with the backend's own 404 (worded its way) turned into the resource's one answer. */
export async function orMissing<T>(call: Promise<T>, answer: () => VideoError): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (asStatusError(error)?.status === 404) throw answer();
    throw error;
  }
}

/**
 * Owner keys already computed, by user id: the key is a pure function of the id, and hashing it through Web
 * Crypto is most of a cached status read's cost. The least recently used of more than `ownerKeysKept` is forgotten.
 */
const ownerKeys = new Map<string, string>();
const ownerKeysKept = 10_000;

/** The key an upload's owner is recorded under: a hash of the user id, so the backend never stores the id. */
export async function ownerKeyOf(userId: string): Promise<string> {
  const known = ownerKeys.get(userId);
  if (known !== undefined) {
    ownerKeys.delete(userId);
    ownerKeys.set(userId, known);
    return known;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`lesson-video-kit/owner:${userId}`)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  const key = `lvk1_${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
  ownerKeys.set(userId, key);
  if (ownerKeys.size > ownerKeysKept) ownerKeys.delete(ownerKeys.keys().next().value as string);
  return key;
}

const unreadableCaptionFile = { type: "caption_file", message: "The video service could not read the caption file." };

/** What a client may see of an asset: the owner also gets its lesson and upload ids; nobody gets the owner key. */
function assetForClient(asset: BackendAsset, owner: boolean): VideoAsset {
  const { ownerKey: _ownerKey, downloads: _downloads, passthrough, uploadId, ...rest } = asset;
  // Why the backend could not fetch an uploaded file (refused, closed port, timeout) is for logs: told
  // apart, the answers would map where the backend can connect.
  const shared = rest.captions ? { ...rest, captions: rest.captions.map((track) => (track.source === "uploaded" && track.error ? { ...track, error: unreadableCaptionFile } : track)) } : rest;
  if (!owner) return shared;
  return { ...shared, ...(passthrough === undefined ? {} : { passthrough }), ...(uploadId === undefined ? {} : { uploadId }) };
}

/** Remembers who owns a playback id; the oldest of more than 10 000 is forgotten. */
function rememberPlaybackOwner(owners: Map<string, string>, asset: BackendAsset): void {
  if (!asset.playbackId || asset.ownerKey === undefined) return;
  owners.delete(asset.playbackId);
  owners.set(asset.playbackId, asset.ownerKey);
  const oldest = owners.keys().next();
  if (owners.size > 10_000 && !oldest.done) owners.delete(oldest.value);
}

/** The owner always may; anyone else as `canView` says (nobody without it). */
export async function mayView<TUser extends VideoUser>(ctx: RoutesContext<TUser>, user: TUser, playbackId: string, from: RequestSource, owner: boolean): Promise<boolean> {
  return owner || (ctx.options.canView ? ctx.options.canView(user, playbackId, from.request) : false);
}

/** The asset as this user may see it: ids only for its owner, tokens only for signed ids they may view. */
export async function forViewer<TUser extends VideoUser>(ctx: RoutesContext<TUser>, asset: BackendAsset, user: TUser, from: RequestSource, owner: boolean): Promise<VideoAsset> {
  const visible = assetForClient(asset, owner);
  const playback = asset.playback;
  if (playback?.policy !== "signed" || !asset.playbackId || asset.status !== "ready") return visible;
  if (owner) rememberPlaybackOwner(ctx.playbackOwners, asset);
  if (!(await mayView(ctx, user, asset.playbackId, from, owner))) return visible;
  // The host's clip (`playbackClip`) goes into these tokens too: no route hands out a token without it.
  const clip = ctx.options.playbackClip ? await ctx.options.playbackClip(user, asset.playbackId, from.request) : undefined;
  return withPlaybackTokens(visible, (await ctx.tokens.get(asset.playbackId + clipKey(clip))).tokens);
}

/** The token cache key's part for a clip (`!start,end`, in milliseconds' precision); empty without one. */
export function clipKey(clip: VideoTrim | undefined): string {
  if (clip === undefined) return "";
  const { startTime, endTime } = clip;
  if (!(Number.isFinite(startTime) && Number.isFinite(endTime) && startTime >= 0 && endTime > startTime && endTime <= 86_400)) {
    throw new Error("playbackClip returned a clip that is not 0 ≤ startTime < endTime ≤ 86400");
  }
  const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
  return `!${ms(startTime)},${ms(endTime)}`;
}

/**
 * JSON text of the token-free views (`forViewer` without tokens is `assetForClient`, a function of the asset
 * object and `owner` alone), per cached asset object: the cache replaces an asset's object when it changes
 * and never edits one, so a view is serialised once per asset version and viewer kind, not per request.
 */
const tokenFreeViews = new WeakMap<BackendAsset, { owner?: string; other?: string }>();

/** `JSON.stringify(await forViewer(…))`, remembered for the views that carry no tokens. */
export async function viewerJson<TUser extends VideoUser>(ctx: RoutesContext<TUser>, asset: BackendAsset, user: TUser, from: RequestSource, owner: boolean): Promise<string> {
  if (asset.playback?.policy === "signed" && asset.playbackId && asset.status === "ready") return JSON.stringify(await forViewer(ctx, asset, user, from, owner));
  let views = tokenFreeViews.get(asset);
  if (!views) tokenFreeViews.set(asset, (views = {}));
  const kind = owner ? "owner" : "other";
  return (views[kind] ??= JSON.stringify(assetForClient(asset, owner)));
}

/** The upload and whether this user created it; "no such upload" to anyone but its owner and whom `canAccessUpload` allows. */
export async function accessibleUpload<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  from: RequestSource,
  user: TUser,
  uploadId: string,
): Promise<{ upload: BackendUploadInfo; owner: boolean }> {
  const upload = await orMissing(ctx.backend.getUpload(uploadId), missing.upload);
  const owner = upload.ownerKey !== undefined && upload.ownerKey === (await ownerKeyOf(user.id));
  const lessonId = upload.passthrough;
  const { canAccessUpload } = ctx.options;
  const allowed =
    owner || (canAccessUpload !== undefined && (await canAccessUpload(user, { uploadId, ...(lessonId === undefined ? {} : { lessonId }) }, from.request)));
  if (!allowed) throw missing.upload();
  return { upload, owner };
}

/** The asset and whether this user owns it; "no such video" to anyone the owner check and `canViewAsset` refuse. */
export async function accessibleAsset<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  from: RequestSource,
  user: TUser,
  assetId: string,
): Promise<{ asset: BackendAsset; owner: boolean }> {
  const asset: BackendAsset = await orMissing(ctx.cache.get(assetId), missing.video);
  const owner = asset.ownerKey !== undefined && asset.ownerKey === (await ownerKeyOf(user.id));
  if (owner) return { asset, owner };
  const lessonId = asset.passthrough;
  const { canViewAsset } = ctx.options;
  const viewer =
    canViewAsset !== undefined &&
    (await canViewAsset(
      user,
      { assetId, ...(lessonId === undefined ? {} : { lessonId }), ...(asset.playbackId === undefined ? {} : { playbackId: asset.playbackId }) },
      from.request,
    ));
  if (!viewer) throw missing.video();
  return { asset, owner };
}
