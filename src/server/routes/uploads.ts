/** `POST /uploads`, `GET /uploads/:id`, `POST /uploads/:id/cancel`: direct uploads and who may see them. */
import type { UploadInfo, UploadTarget } from "../../core/types.js";
import type { BackendUpload } from "../backend.js";
import { httpError, json } from "../errors.js";
import { reserveQuota } from "../quota.js";
import { readJsonBody } from "../request-body.js";
import { validateUploadRequest } from "../validation.js";
import { accessibleUpload, missing, orMissing, ownerKeyOf } from "./access.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

/**
 * Reserves one upload of `bytes` against the user's quota (uploads and link imports count alike), or answers
 * 429. Reserved before the backend is asked and given back (the returned function) if it fails: concurrent
 * requests cannot overrun it. Undefined without a quota.
 */
export async function reserveUserQuota<TUser extends VideoUser>(ctx: RoutesContext<TUser>, user: TUser, bytes: number): Promise<(() => Promise<void>) | undefined> {
  if (!ctx.quota) return undefined;
  const { now } = ctx;
  const reservation = await reserveQuota(ctx.quotaStore, ctx.quota, user.id, bytes);
  if (reservation.allowed) return reservation.release;
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
  const { file, lessonId, generatedCaptions } = check.request;
  if (options.canUpload && !(await options.canUpload(user, lessonId, request))) {
    throw httpError(403, "forbidden", "You may not upload videos to this lesson.");
  }
  // A stream's length is unknown: the most it may reach is what it may use of the quota.
  const releaseQuota = await reserveUserQuota(ctx, user, file.maxSize ?? file.size);
  const corsOrigin = options.uploadCorsOrigin ?? (origin.allowed ? origin.origin : undefined) ?? new URL(request.url).origin;
  const timeoutSeconds = options.uploadTimeoutSeconds ?? 3600;
  const createdAt = now();
  let upload: BackendUpload;
  try {
    upload = await ctx.backend.createUpload({
      corsOrigin,
      timeoutSeconds,
      playbackPolicy: options.playbackPolicy ?? "public",
      ownerKey: await ownerKeyOf(user.id),
      // The declared size (a stream's most) bounds the bytes where the backend can enforce it (the emulator; Mux takes no size).
      maxBytes: file.maxSize ?? file.size,
      ...(lessonId === undefined ? {} : { passthrough: lessonId }),
      ...(generatedCaptions === undefined ? {} : { generatedCaptions }),
    });
  } catch (error) {
    await releaseQuota?.();
    throw error;
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

export async function getUpload<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, id }: UserCall<TUser>): Promise<Response> {
  const { passthrough: _lessonId, ownerKey: _ownerKey, ...info } = await accessibleUpload(ctx, request, user, id);
  const body: UploadInfo = info;
  return json(body);
}

export async function cancelUpload<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, id }: UserCall<TUser>): Promise<Response> {
  await accessibleUpload(ctx, request, user, id);
  await orMissing(ctx.backend.cancelUpload(id), missing.upload);
  return new Response(null, { status: 204 });
}
