/**
 * `POST /webhooks/<backend name>`: open to anyone. The per-IP limit counts deliveries that failed
 * verification, not deliveries: the backend's own webhooks come in bursts from few addresses (a course
 * uploaded in bulk), and a correctly signed one must never be refused for its neighbours. An address over
 * the limit is refused before its body is read, until the window ends.
 */
import { httpError } from "../errors.js";
import type { ServerVideoEvent, WebhookRejectionReason } from "../events.js";
import { handleWebhook } from "../webhook-route.js";
import { clientIp, ipLimitKey } from "./client-ip.js";
import type { PublicCall, RoutesContext } from "./context.js";
import type { VideoUser } from "./options.js";

/** Rejections that say the sender could not sign (or could not send an event): these count against its address. */
const unverified: ReadonlySet<WebhookRejectionReason> = new Set(["signature_missing", "signature_invalid", "timestamp_out_of_tolerance", "body_too_large", "malformed"]);

export async function webhook<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, id, context }: PublicCall): Promise<Response> {
  if (id !== ctx.backend.name) throw httpError(404, "not_found", "There is no such webhook route.");
  const ip = clientIp(request, context, ctx.trustProxy);
  const { perIp } = ctx.webhooks;
  const failures = perIp && ip !== undefined ? `rl:webhook-failures:${ipLimitKey(ip)}` : undefined;
  if (perIp && failures !== undefined) {
    const counted = await ctx.rateStore.get(failures);
    if (counted !== undefined && counted.value >= perIp.limit) {
      ctx.emit({ type: "webhook_rejected", at: ctx.now(), reason: "rate_limited" });
      const retryAfter = Math.max(1, Math.ceil((counted.resetAt - ctx.now()) / 1000));
      throw httpError(429, "rate_limited", "Too many failed webhook deliveries from this address.", { retryAfter });
    }
  }
  // Set from inside handleWebhook's events: the route says why it refused only through them.
  const verification = { failed: false };
  const emit = (event: ServerVideoEvent) => {
    if (event.type === "webhook_rejected" && unverified.has(event.reason)) verification.failed = true;
    ctx.emit(event);
  };
  const response = await handleWebhook(request, {
    backend: ctx.backend,
    hooks: ctx.options.hooks ?? {},
    cache: ctx.cache,
    replayStore: ctx.webhooks.replayStore,
    options: ctx.options.webhooks ?? {},
    inFlight: ctx.webhooks.inFlight,
    emit,
    now: ctx.now,
  });
  if (verification.failed && perIp && failures !== undefined) await ctx.rateStore.increment(failures, 1, perIp.windowMs);
  return response;
}
