/** `GET /assets/:id` and `GET /assets/:id/events`: an asset's status, once and as it changes. */
import { assetEventStream } from "../asset-events.js";
import { httpError, JsonReply } from "../errors.js";
import { accessibleAsset, forViewer, viewerJson } from "./access.js";
import type { RoutesContext, UserCall } from "./context.js";
import type { VideoUser } from "./options.js";

export async function getAsset<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, id }: UserCall<TUser>): Promise<JsonReply> {
  const { asset, owner } = await accessibleAsset(ctx, request, user, id);
  return new JsonReply(await viewerJson(ctx, asset, user, request, owner), 200);
}

export async function assetEvents<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, user, id }: UserCall<TUser>): Promise<Response> {
  const { asset: initial, owner } = await accessibleAsset(ctx, request, user, id);
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
    decorate: (asset) => forViewer(ctx, asset, user, request, owner),
    signal: request.signal,
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
