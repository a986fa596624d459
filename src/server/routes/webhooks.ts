/** `POST /webhooks/<backend name>`: open to anyone, so limited per IP before the delivery is read. */
import { httpError } from "../errors.js";
import { consumeRateLimit } from "../rate-limit.js";
import { handleWebhook } from "../webhook-route.js";
import type { PublicCall, RoutesContext } from "./context.js";
import { clientIp, ipLimitKey } from "./client-ip.js";
import type { VideoUser } from "./options.js";

export async function webhook<TUser extends VideoUser>(ctx: RoutesContext<TUser>, { request, id, context }: PublicCall): Promise<Response> {
  if (id !== ctx.backend.name) throw httpError(404, "not_found", "There is no such webhook route.");
  const ip = clientIp(request, context, ctx.trustProxy);
  const { perIp } = ctx.webhooks;
  if (perIp && ip !== undefined) {
    const decision = await consumeRateLimit(ctx.rateStore, `webhook-ip:${ipLimitKey(ip)}`, perIp, ctx.now());
    if (!decision.allowed) {
      ctx.emit({ type: "webhook_rejected", at: ctx.now(), reason: "rate_limited" });
      throw httpError(429, "rate_limited", "Too many webhook deliveries from this address.", { retryAfter: decision.retryAfterSeconds });
    }
  }
  return handleWebhook(request, {
    backend: ctx.backend,
    hooks: ctx.options.hooks ?? {},
    cache: ctx.cache,
    replayStore: ctx.webhooks.replayStore,
    options: ctx.options.webhooks ?? {},
    inFlight: ctx.webhooks.inFlight,
    emit: ctx.emit,
    now: ctx.now,
  });
}
