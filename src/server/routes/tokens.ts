/** `GET /playback/:playbackId/token`: signed playback tokens for the asset's owner and whom `canView` allows. */
import type { VideoTrim } from "../../core/types.js";
import { httpError, json } from "../errors.js";
import { clipKey, mayView, missing, ownerKeyOf } from "./access.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

/** Longest video the token route takes times for: a day. */
const maxSeconds = 86_400;
/** Rounded to milliseconds so equal times share one cached token. */
const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

export async function playbackToken<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const { user, id: playbackId } = call;
  const owner = ctx.playbackOwners.get(playbackId) === (await ownerKeyOf(user.id));
  if (!(await mayView(ctx, user, playbackId, call, owner))) throw missing.playback();
  const query = new URL(call.request.url).searchParams;
  let key = playbackId;
  const timeParam = query.get("thumbnailTime");
  if (timeParam !== null) {
    const time = Number(timeParam);
    if (timeParam.trim() === "" || !Number.isFinite(time) || time < 0 || time > maxSeconds) {
      throw httpError(400, "bad_request", "thumbnailTime must be a number of seconds from 0 to 86400.");
    }
    key += `@${ms(time)}`;
  }
  // The host's hook alone decides a clip when it is set (the query cannot lift it); else the query may ask for one.
  const clip = ctx.options.playbackClip ? await ctx.options.playbackClip(user, playbackId, call.request) : clipFromQuery(query);
  return json(await ctx.tokens.get(key + clipKey(clip)));
}

/** `assetStartTime` and `assetEndTime` together, 0 ≤ start < end ≤ 86400; neither: no clip. */
function clipFromQuery(query: URLSearchParams): VideoTrim | undefined {
  const start = query.get("assetStartTime");
  const end = query.get("assetEndTime");
  if (start === null && end === null) return undefined;
  const startTime = Number(start);
  const endTime = Number(end);
  if (start === null || end === null || start.trim() === "" || end.trim() === "" || !validClip(startTime, endTime)) {
    throw httpError(400, "bad_request", "assetStartTime and assetEndTime go together: seconds with 0 ≤ assetStartTime < assetEndTime ≤ 86400.");
  }
  return { startTime, endTime };
}

function validClip(start: number, end: number): boolean {
  return Number.isFinite(start) && Number.isFinite(end) && start >= 0 && end > start && end <= maxSeconds;
}
