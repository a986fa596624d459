/**
 * Caption tracks: `GET|POST /assets/:id/captions`, `POST /assets/:id/captions/generate`,
 * `DELETE /assets/:id/captions/:trackId`, and `GET /caption-files/:id.vtt`, the short-lived signed URL the
 * backend downloads an added file from. The routes answer 404 when the backend has no caption methods.
 */
import type { CaptionTrack } from "../../core/types.js";
import type { BackendAsset } from "../backend.js";
import { parseCaptionBytes } from "../caption-format.js";
import { asStatusError, httpError, json } from "../errors.js";
import { readJsonBody } from "../request-body.js";
import { validateAddCaption, validateGenerateCaptions } from "../validation.js";
import { accessibleAsset, forViewer, missing, orMissing } from "./access.js";
import { publicOriginEnv, type PublicCall, type RoutesContext, type UserCall } from "./context.js";
import { limitIp, limitUser } from "./guard.js";
import type { VideoUser } from "./options.js";

/** The backend's caption methods, or a 404 saying this backend has none (clients then hide the UI). */
function captionBackend<TUser extends VideoUser>(ctx: RoutesContext<TUser>) {
  const { listCaptions, addCaption, removeCaption, generateCaptions } = ctx.backend;
  if (!addCaption || !removeCaption) throw httpError(404, "not_found", "This video backend has no caption tracks.");
  return { listCaptions, addCaption, removeCaption, generateCaptions };
}

/** Adding and removing tracks is for the asset's owner; viewers `canViewAsset` lets in may only list. */
async function ownedAsset<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<BackendAsset> {
  const { asset, owner } = await accessibleAsset(ctx, call, call.user, call.id);
  if (!owner) throw httpError(403, "forbidden", "Only the video's creator may change its captions.");
  return asset;
}

async function limitCaptionWork<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { user, route }: UserCall<TUser>): Promise<void> {
  if (ctx.captions.perUser) await limitUser(ctx, `captions:${user.id}`, ctx.captions.perUser, user, route, "Too many caption changes; try again later.");
}

/** Reloads an asset whose tracks changed, so `GET /assets/:id` and its event stream show them. */
function refreshAsset<TUser extends VideoUser>(ctx: RoutesContext<TUser>, assetId: string): void {
  ctx.backend.getAsset(assetId).then((fresh) => ctx.cache.set(fresh), ctx.reportBackground);
}

export async function listCaptions<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { user, id } = call;
  const methods = captionBackend(ctx);
  const { asset, owner } = await accessibleAsset(ctx, call, user, id);
  const captions = await orMissing(methods.listCaptions ? methods.listCaptions(id) : ctx.backend.getAsset(id).then((fresh) => fresh.captions ?? []), missing.video);
  // `src` with a token on a signed playback id, as `GET /assets/:id` shows them.
  const visible = await forViewer(ctx, { ...asset, captions }, user, call, owner);
  return json(visible.captions ?? []);
}

export async function addCaption<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { request, id: assetId } = call;
  const { maxBytes } = ctx.captions;
  const methods = captionBackend(ctx);
  const asset = await ownedAsset(ctx, call);
  await limitCaptionWork(ctx, call);
  // JSON escapes at most double most caption text (newlines, quotes); the text itself is measured below.
  const body = validateAddCaption(await readJsonBody(request, maxBytes * 2 + 4096));
  const bytes = new TextEncoder().encode(body.text);
  if (bytes.byteLength > maxBytes) {
    throw httpError(413, "file_too_large", `The caption file is larger than ${maxBytes} bytes.`, { details: { maxFileSize: maxBytes } });
  }
  const parsed = parseCaptionBytes(bytes);
  if (!parsed.ok) {
    if (parsed.problem === "empty") throw httpError(400, "file_empty", parsed.message);
    throw httpError(415, "file_type_not_allowed", `This is not a WebVTT or SRT caption file: ${parsed.message}`, { details: { problem: parsed.problem } });
  }
  if (asset.status !== "ready") throw httpError(409, "bad_request", "Captions can be added once the video is ready.");
  const fileId = crypto.randomUUID().replace(/-/g, "");
  const expiresAt = ctx.now() + ctx.captions.urlSeconds * 1000;
  await ctx.captions.store.put(fileId, { vtt: parsed.vtt, assetId, expiresAt });
  // Never the request's Host: configured, or with the emulator the address this server was reached on.
  const origin = ctx.captions.publicOrigin ?? call.context?.serverOrigin;
  if (origin === undefined) {
    throw new Error(`No public origin for caption files: set captions.publicOrigin or ${publicOriginEnv}.`);
  }
  const url = `${origin}${ctx.basePath.replace(/\/+$/, "")}/caption-files/${fileId}.vtt?${await ctx.captions.signer.sign(fileId, expiresAt)}`;
  let track: CaptionTrack;
  try {
    track = await methods.addCaption(assetId, {
      url,
      languageCode: body.languageCode,
      closedCaptions: body.closedCaptions,
      ...(body.name === undefined ? {} : { name: body.name }),
    });
  } catch (error) {
    await ctx.captions.store.delete(fileId);
    const refused = asStatusError(error);
    if (refused?.status === 404) throw missing.video();
    if (refused?.status === undefined || refused.status >= 500) throw error;
    // The backend's words (Mux: its answer body, with the download's error) go to the host's logs only.
    ctx.emit({ type: "backend_refused", at: ctx.now(), route: call.route, status: refused.status, message: refused.message });
    throw httpError(refused.status, refused.code, "The video service could not take this caption file.");
  }
  refreshAsset(ctx, assetId);
  return json(track, 201);
}

export async function removeCaption<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const methods = captionBackend(ctx);
  await ownedAsset(ctx, call);
  await orMissing(methods.removeCaption(call.id, call.subId), missing.track);
  refreshAsset(ctx, call.id);
  return new Response(null, { status: 204 });
}

export async function generateCaptions<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const methods = captionBackend(ctx);
  if (!methods.generateCaptions) throw httpError(404, "not_found", "This video backend cannot generate captions.");
  const asset = await ownedAsset(ctx, call);
  await limitCaptionWork(ctx, call);
  const body = validateGenerateCaptions(await readJsonBody(call.request, 4096));
  if (asset.status !== "ready") throw httpError(409, "bad_request", "Captions can be generated once the video is ready.");
  const track = await orMissing(methods.generateCaptions(call.id, body), missing.video);
  refreshAsset(ctx, call.id);
  return json(track, 201);
}

/** `GET /caption-files/:id.vtt`: no `authorize` (the backend fetches it), only a valid, unexpired signature. */
export async function captionFile<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, id: fileId, context, route }: PublicCall): Promise<Response> {
  await limitIp(ctx, request, context, route);
  if (!/^[0-9a-f]{32}$/.test(fileId)) throw httpError(404, "not_found", "There is no such caption file.");
  const check = await ctx.captions.signer.check(fileId, new URL(request.url).searchParams, ctx.now());
  if (check === "invalid") throw httpError(403, "forbidden", "This caption file link is not valid.");
  if (check === "expired") throw httpError(403, "forbidden", "This caption file link has expired.");
  const file = await ctx.captions.store.get(fileId);
  if (!file) throw httpError(404, "not_found", "There is no such caption file.");
  return new Response(request.method === "HEAD" ? null : file.vtt, {
    status: 200,
    headers: { "content-type": "text/vtt; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
