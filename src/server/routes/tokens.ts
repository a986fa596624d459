/** `GET /playback/:playbackId/token`: signed playback tokens for the asset's owner and whom `canView` allows. */
import { httpError, json } from "../errors.js";
import { mayView, missing, ownerKeyOf } from "./access.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

export async function playbackToken<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, id: playbackId }: UserCall<TUser>): Promise<Response> {
  const owner = ctx.playbackOwners.get(playbackId) === (await ownerKeyOf(user.id));
  if (!(await mayView(ctx, user, playbackId, request, owner))) throw missing.playback();
  const timeParam = new URL(request.url).searchParams.get("thumbnailTime");
  if (timeParam === null) return json(await ctx.tokens.get(playbackId));
  const time = Number(timeParam);
  if (timeParam.trim() === "" || !Number.isFinite(time) || time < 0 || time > 86_400) {
    throw httpError(400, "bad_request", "thumbnailTime must be a number of seconds from 0 to 86400.");
  }
  // Rounded to milliseconds so equal times share one cached token.
  return json(await ctx.tokens.get(`${playbackId}@${Math.round(time * 1000) / 1000}`));
}
