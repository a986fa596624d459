/**
 * `POST /assets`: a video imported from a link. The link is checked (url-guard.ts) before anything reaches the
 * backend or the quota; the asset it becomes is the user's exactly as an uploaded one is.
 */
import { defaultUrlRefusalMessages } from "../../core/errors.js";
import type { BackendAsset } from "../backend.js";
import { asStatusError, httpError, JsonReply } from "../errors.js";
import { readJsonBody } from "../request-body.js";
import { checkImportUrl, type UrlCheck } from "../url-guard.js";
import { validateImportRequest } from "../validation.js";
import { ownerKeyOf, viewerJson } from "./access.js";
import { decideAssetSettings } from "./asset-settings.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";
import { reserveUserQuota } from "./uploads.js";

/** The link check, or 501 where Node's networking modules are missing (an edge runtime). */
async function checkLink<TUser extends VideoUser>(ctx: RoutesContext<TUser>, url: string): Promise<UrlCheck> {
  const { allowedHosts, maxRedirects, probeTimeoutMs } = ctx.imports;
  try {
    return await checkImportUrl(url, { allowedHosts, maxRedirects, timeoutMs: probeTimeoutMs });
  } catch (error) {
    ctx.emit({ type: "server_error", at: ctx.now(), route: "importFromUrl", message: error instanceof Error ? error.message : String(error) });
    throw httpError(501, "server", "Importing from links needs the routes to run on Node.");
  }
}

export async function importFromUrl<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<JsonReply> {
  const { request, user, route } = call;
  const { options, now } = ctx;
  const create = ctx.backend.createAssetFromUrl;
  if (!ctx.imports.enabled || !create) throw httpError(404, "not_found", "This video backend cannot import videos from links.");
  const { url, lessonId, requested } = validateImportRequest(await readJsonBody(request, ctx.limits.maxRequestBodyBytes), ctx.limits);
  if (options.canUpload && !(await options.canUpload(user, lessonId, request))) {
    throw httpError(403, "forbidden", "You may not add videos to this lesson.");
  }
  const decided = await decideAssetSettings(ctx, user, { kind: "import", lessonId, requested }, request);
  const check = await checkLink(ctx, url);
  if (!check.ok) {
    ctx.emit({ type: "url_refused", at: now(), userId: user.id, reason: check.reason, host: check.host, detail: check.detail });
    throw httpError(422, "url_refused", defaultUrlRefusalMessages[check.reason], { details: { reason: check.reason } });
  }
  const { maxFileSize } = ctx.limits;
  if (check.size !== undefined && check.size > maxFileSize) {
    throw httpError(413, "file_too_large", `The video at this link is larger than ${maxFileSize} bytes.`, { details: { maxFileSize, size: check.size } });
  }
  // A source that does not say its size may be as large as any upload: the quota counts that much.
  const maxBytes = check.size ?? maxFileSize;
  const quota = await reserveUserQuota(ctx, user, maxBytes);
  let asset: BackendAsset;
  try {
    asset = await create({
      url: check.url,
      playbackPolicy: decided.playbackPolicy,
      ownerKey: await ownerKeyOf(user.id),
      maxBytes,
      ...(Object.keys(decided.settings).length === 0 ? {} : { settings: decided.settings }),
      ...(lessonId === undefined ? {} : { passthrough: lessonId }),
    });
  } catch (error) {
    await quota?.release();
    const refused = asStatusError(error);
    if (refused?.status === undefined || refused.status >= 500) throw error;
    // The backend's words (Mux: its answer about the input) go to the host's logs only.
    ctx.emit({ type: "backend_refused", at: now(), route, status: refused.status, message: refused.message });
    throw httpError(refused.status === 404 ? 400 : refused.status, "bad_request", "The video service could not take this link.");
  }
  ctx.cache.set(asset);
  ctx.emit({
    type: "import_created",
    at: now(),
    userId: user.id,
    assetId: asset.id,
    host: new URL(check.url).hostname,
    redirects: check.redirects,
    ...(lessonId === undefined ? {} : { lessonId }),
  });
  return new JsonReply(await viewerJson(ctx, asset, user, call, true), 201);
}
