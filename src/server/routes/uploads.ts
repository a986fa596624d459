/** `POST /uploads`, `GET /uploads/:id`, `POST /uploads/:id/cancel`: direct uploads and who may see them. */
import type { UploadInfo, UploadTarget } from "../../core/types.js";
import type { BackendAsset, BackendUpload, BackendUploadInfo } from "../backend.js";
import { asStatusError, httpError, json } from "../errors.js";
import { holdQuota, refundQuota, reserveQuota } from "../quota.js";
import { readJsonBody } from "../request-body.js";
import { validateUploadRequest } from "../validation.js";
import { accessibleUpload, missing, orMissing, ownerKeyOf } from "./access.js";
import { decideAssetSettings } from "./asset-settings.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

/** A quota reservation that fit: give it back with `release`; `resetAt` is when it lapses (undefined: it took nothing). */
interface UserQuotaReservation {
  release: () => Promise<void>;
  resetAt: number | undefined;
}

/**
 * Reserves one upload of `bytes` against the user's quota (uploads and link imports count alike), or answers
 * 429. Reserved before the backend is asked and given back (`release`) if it fails: concurrent requests
 * cannot overrun it. Undefined without a quota.
 */
export async function reserveUserQuota<TUser extends VideoUser>(ctx: RoutesContext<TUser>, user: TUser, bytes: number): Promise<UserQuotaReservation | undefined> {
  if (!ctx.quota) return undefined;
  const { now } = ctx;
  const reservation = await reserveQuota(ctx.quotaStore, ctx.quota, user.id, bytes);
  if (reservation.allowed) return { release: reservation.release, resetAt: reservation.resetAt };
  ctx.emit({ type: "quota_exceeded", at: now(), userId: user.id, limit: reservation.limit, resetAt: reservation.resetAt });
  const what = reservation.limit === "uploads" ? "uploads" : "upload volume";
  throw httpError(429, "quota_exceeded", `You have reached your ${what} limit; it resets at ${new Date(reservation.resetAt).toISOString()}.`, {
    retryAfter: (reservation.resetAt - now()) / 1000,
    details: { resetAt: reservation.resetAt },
  });
}

export async function createUpload<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, origin }: UserCall<TUser>): Promise<Response> {
  const { options, now } = ctx;
  const check = validateUploadRequest(await readJsonBody(request, ctx.limits.maxRequestBodyBytes), ctx.limits);
  if (!check.ok) throw check.error;
  const { file, lessonId, generatedCaptions, requested = {} } = check.request;
  if (options.canUpload && !(await options.canUpload(user, lessonId, request))) {
    throw httpError(403, "forbidden", "You may not upload videos to this lesson.");
  }
  const decided = await decideAssetSettings(ctx, user, { kind: "upload", lessonId, requested }, request);
  const captions = generatedCaptions ?? decided.generatedCaptions;
  // A stream's length is unknown: the most it may reach is what it may use of the quota.
  const bytes = file.maxSize ?? file.size;
  const quota = await reserveUserQuota(ctx, user, bytes);
  const corsOrigin = options.uploadCorsOrigin ?? (origin.allowed ? origin.origin : undefined) ?? new URL(request.url).origin;
  const timeoutSeconds = options.uploadTimeoutSeconds ?? 3600;
  const createdAt = now();
  let upload: BackendUpload;
  try {
    upload = await ctx.backend.createUpload({
      corsOrigin,
      timeoutSeconds,
      playbackPolicy: decided.playbackPolicy,
      ownerKey: await ownerKeyOf(user.id),
      // The declared size (a stream's most) bounds the bytes where the backend can enforce it (the emulator; Mux takes no size).
      maxBytes: file.maxSize ?? file.size,
      ...(lessonId === undefined ? {} : { passthrough: lessonId }),
      ...(captions === undefined ? {} : { generatedCaptions: captions }),
      ...(Object.keys(decided.settings).length === 0 ? {} : { settings: decided.settings }),
    });
  } catch (error) {
    await quota?.release();
    throw error;
  }
  if (quota?.resetAt !== undefined) {
    // Only for a refund if the upload is cancelled or discarded: a store that failed here must not fail the upload.
    await holdQuota(ctx.quotaStore, user.id, upload.uploadId, bytes, quota.resetAt, now()).catch(ctx.reportBackground);
  }
  ctx.emit({
    type: "upload_created",
    at: now(),
    userId: user.id,
    uploadId: upload.uploadId,
    fileSize: file.size,
    fileType: file.type,
    ...(lessonId === undefined ? {} : { lessonId }),
  });
  const target: UploadTarget = { uploadId: upload.uploadId, url: upload.url, expiresAt: createdAt + timeoutSeconds * 1000 };
  if (upload.headers) target.headers = upload.headers;
  if (options.chunkSize !== undefined) target.chunkSize = options.chunkSize;
  return json(target, 201);
}

export async function getUpload<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { passthrough: _lessonId, ownerKey: _ownerKey, ...info } = (await accessibleUpload(ctx, call, call.user, call.id)).upload;
  const body: UploadInfo = info;
  return json(body);
}

/**
 * `POST /uploads/:id/cancel`, for the upload's creator and whom `canAccessUpload` allows; anyone else gets the
 * same 404 as for an id that does not exist.
 *
 * - No body: cancels an upload still `waiting` for bytes (its URL takes no more, no asset will be made).
 *   One that has become an asset answers 409 and is left as it is: nothing is deleted.
 * - `{ "discardAsset": true }` (a JSON body, so a cross-site form cannot send it): the upload was abandoned,
 *   drop it and what it made. A `waiting` upload is cancelled; an upload that became an asset keeps its backend
 *   status (`asset_created`, as Mux leaves it) and its asset is deleted, only for the upload's creator (403 for
 *   anyone `canAccessUpload` lets cancel), only when the asset carries their owner key and this upload's id, and
 *   never when `isAssetReferenced` says a lesson refers to it (409, kept). An asset gone already, or an upload
 *   that ended without one (cancelled, timed out, errored), answers 204 as well: discarding twice is harmless.
 *
 * Either way a cancel or discard of the creator's gives the upload's quota reservation back, once, within its
 * period. Answers 204.
 */
export async function cancelUpload<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { request, user, id } = call;
  const { upload, owner } = await accessibleUpload(ctx, call, user, id);
  if (!(await wantsAssetDiscarded(request, ctx.limits.maxRequestBodyBytes))) {
    await orMissing(ctx.backend.cancelUpload(id), missing.upload);
  } else {
    const ended = await cancelIfWaiting(ctx, upload);
    if (ended.status === "asset_created" && ended.assetId !== undefined) {
      if (!owner) throw httpError(403, "forbidden", "Only the upload's creator may discard the video it made.");
      await discardAsset(ctx, request, user, ended, ended.assetId);
    }
  }
  if (owner && ctx.quota) {
    // The upload is dropped by now; a store that fails here must not turn that into an error.
    await refundQuota(ctx.quotaStore, ctx.quota, user.id, id, ctx.now()).catch(ctx.reportBackground);
  }
  return new Response(null, { status: 204 });
}

/** Whether the cancel's body is `{ "discardAsset": true }`. Only a JSON body can ask; no body is a plain cancel. */
async function wantsAssetDiscarded(request: Request, maxBytes: number): Promise<boolean> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" || request.headers.get("content-length") === "0") return false;
  const body = await readJsonBody(request, maxBytes);
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const discard = fields?.discardAsset;
  if (!fields || Object.keys(fields).some((key) => key !== "discardAsset") || (discard !== undefined && typeof discard !== "boolean")) {
    throw httpError(400, "bad_request", 'The body of a cancel is empty or { "discardAsset": true }.');
  }
  return discard === true;
}

/**
 * Cancels the upload if it is still `waiting` and returns it as it ended. When its last bytes arrived meanwhile
 * (the backend refuses with 409), it is read again: it has become an asset, which the discard then deletes.
 */
async function cancelIfWaiting<TUser extends VideoUser>(ctx: RoutesContext<TUser>, upload: BackendUploadInfo): Promise<BackendUploadInfo> {
  if (upload.status !== "waiting") return upload;
  try {
    await ctx.backend.cancelUpload(upload.uploadId);
    return { ...upload, status: "cancelled" };
  } catch (error) {
    const status = asStatusError(error)?.status;
    if (status === 404) throw missing.upload();
    if (status !== 409) throw error;
    const current = await orMissing(ctx.backend.getUpload(upload.uploadId), missing.upload);
    if (current.status === "waiting") throw error;
    return current;
  }
}

/**
 * Deletes the asset `upload` created, for its creator: the asset must carry their owner key and this upload's
 * id, and no lesson may refer to it (`isAssetReferenced`). An asset gone already counts as deleted.
 */
async function discardAsset<TUser extends VideoUser>(ctx: RoutesContext<TUser>, request: Request, user: TUser, upload: BackendUploadInfo, assetId: string): Promise<void> {
  const { backend } = ctx;
  if (!backend.deleteAsset) throw httpError(409, "bad_request", "This video service cannot delete videos; the video was kept.");
  let asset: BackendAsset;
  try {
    asset = await backend.getAsset(assetId);
  } catch (error) {
    if (asStatusError(error)?.status !== 404) throw error;
    ctx.cache.forget(assetId);
    return;
  }
  const madeByThisUpload = asset.uploadId === undefined || asset.uploadId === upload.uploadId;
  if (!madeByThisUpload || asset.ownerKey === undefined || asset.ownerKey !== (await ownerKeyOf(user.id))) {
    throw httpError(403, "forbidden", "Only the upload's creator may discard the video it made.");
  }
  const lessonId = asset.passthrough ?? upload.passthrough;
  const reference = { assetId, uploadId: upload.uploadId, ...(lessonId === undefined ? {} : { lessonId }) };
  if (await ctx.options.isAssetReferenced?.(user, reference, request)) {
    throw httpError(409, "bad_request", "This video is saved in a lesson; it was kept.");
  }
  try {
    await backend.deleteAsset(assetId);
  } catch (error) {
    if (asStatusError(error)?.status !== 404) throw error;
  }
  ctx.cache.forget(assetId);
  ctx.emit({ type: "asset_discarded", at: ctx.now(), userId: user.id, ...reference });
}
