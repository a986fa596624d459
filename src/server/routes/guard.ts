/**
 * What a request passes before its handler runs: who the client is (`trustProxy`), the per-IP and per-user
 * rate limits, `authorize`; and how a refusal or a failure becomes a response and a monitoring event.
 */
import { asStatusError, errorResponse, httpError, internalError } from "../errors.js";
import { consumeRateLimit, type RateLimitRule } from "../rate-limit.js";
import type { RoutesContext } from "./context.js";
import { clientIpOf, ipLimitKey } from "./client-ip.js";
import type { HeaderReader, Incoming } from "./incoming.js";
import type { RouteContext, VideoUser } from "./options.js";

/** Counts the request against the per-IP limit (when there is one and the IP is known); 429 over it. */
export async function limitIp<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  request: { headers: HeaderReader },
  context: RouteContext | undefined,
  route: string,
): Promise<void> {
  if (!ctx.perIp) return;
  const ip = clientIpOf(request, context, ctx.trustProxy);
  if (ip === undefined) return;
  const key = ipLimitKey(ip);
  const decision = await consumeRateLimit(ctx.rateStore, `ip:${key}`, ctx.perIp, ctx.now());
  if (decision.allowed) return;
  ctx.emit({ type: "rate_limited", at: ctx.now(), scope: "ip", key, route, retryAfter: decision.retryAfterSeconds });
  throw httpError(429, "rate_limited", "Too many requests from this address.", { retryAfter: decision.retryAfterSeconds });
}

/** IP limit, `authorize`, user limit: what every route but the webhook and the caption file goes through first. */
export async function authorizedUser<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  incoming: Incoming,
  context: RouteContext | undefined,
  route: string,
): Promise<TUser> {
  if (ctx.perIp) await limitIp(ctx, incoming, context, route);
  // On Node with `authorizeNode`, Node's request is enough; otherwise the host's `authorize` is the first thing
  // that needs the Fetch `Request`.
  const { authorizeNode } = ctx.options;
  const user = incoming.node && authorizeNode ? await authorizeNode(incoming.node) : await ctx.options.authorize(incoming.request());
  if (!user) throw httpError(401, "unauthorized", "Sign in to use the video routes.");
  if (ctx.perUser) await limitUser(ctx, `user:${user.id}`, ctx.perUser, user, route, "Too many requests.");
  return user;
}

/** Counts one unit of `rule` for `user` under `key`; 429 with `message` over it. */
export async function limitUser<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  key: string,
  rule: RateLimitRule,
  user: TUser,
  route: string,
  message: string,
): Promise<void> {
  const decision = await consumeRateLimit(ctx.rateStore, key, rule, ctx.now());
  if (decision.allowed) return;
  ctx.emit({ type: "rate_limited", at: ctx.now(), scope: "user", key: user.id, route, retryAfter: decision.retryAfterSeconds });
  throw httpError(429, "rate_limited", message, { retryAfter: decision.retryAfterSeconds });
}

/** The response for whatever a route threw: its own 4xx, or a 5xx that says nothing unplanned. Both reach `onEvent`. */
export function fail<TUser extends VideoUser>(ctx: RoutesContext<TUser>, error: unknown, route: string): Response {
  const raised = asStatusError(error);
  if (raised?.status !== undefined && raised.status < 500) {
    ctx.emit({ type: "request_rejected", at: ctx.now(), route, status: raised.status, code: raised.code });
    return errorResponse(raised);
  }
  ctx.emit({ type: "server_error", at: ctx.now(), route, message: error instanceof Error ? error.message : String(error) });
  // A 5xx raised on purpose keeps its message; anything unexpected says nothing about why.
  return errorResponse(raised ?? internalError());
}

export function methodNotAllowed(allowed: readonly string[]): Response {
  const response = errorResponse(httpError(405, "bad_request", `Use ${allowed.join(" or ")} on this route.`));
  response.headers.set("allow", `${allowed.join(", ")}, OPTIONS`);
  return response;
}
