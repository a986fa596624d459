/**
 * The route table: every route once, with its method, its path pattern (relative to `basePath`), who may
 * call it, and its handler. `dispatch` matches a request against it and applies the guard the entry names:
 *
 * - `user`: CORS, the per-IP limit, `authorize`, the per-user limit, then ids of this API's shape.
 * - `public`: no `authorize`; the handler runs its own checks (a signed URL, a webhook signature).
 */
import { checkOrigin, preflightResponse, withCorsHeaders } from "../cors.js";
import type { VideoError } from "../../core/errors.js";
import { httpError, type Reply } from "../errors.js";
import { missing } from "./access.js";
import { assetEvents, createClip, getAsset, listDownloads } from "./assets.js";
import { addCaption, captionFile, generateCaptions, listCaptions, removeCaption } from "./captions.js";
import type { PublicCall, RoutesContext, UserCall } from "./context.js";
import { authorizedUser, fail, methodNotAllowed } from "./guard.js";
import { importFromUrl } from "./imports.js";
import type { Incoming } from "./incoming.js";
import type { RouteContext, VideoUser } from "./options.js";
import { getProgress, progressInsights, saveProgress } from "./progress.js";
import { playbackToken } from "./tokens.js";
import { cancelUpload, createUpload, getUpload } from "./uploads.js";
import { webhook } from "./webhooks.js";

type Method = "GET" | "POST" | "DELETE";
type UserHandler = <TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>) => Promise<Reply>;
type PublicHandler = <TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: PublicCall) => Promise<Response>;

type Route =
  /** `missing`: the answer to a path parameter outside the id shape, the same as to an id that does not exist. */
  | { name: string; method: Method; pattern: RegExp; access: "user"; handle: UserHandler; missing?: () => VideoError }
  /** `alsoHead`: answers HEAD like GET (a download the backend may probe first). */
  | { name: string; method: Method; pattern: RegExp; access: "public"; handle: PublicHandler; alsoHead?: boolean };

const routes: readonly Route[] = [
  { name: "createUpload", method: "POST", pattern: /^\/uploads$/, access: "user", handle: createUpload },
  { name: "getUpload", method: "GET", pattern: /^\/uploads\/([^/]+)$/, access: "user", handle: getUpload, missing: missing.upload },
  { name: "cancelUpload", method: "POST", pattern: /^\/uploads\/([^/]+)\/cancel$/, access: "user", handle: cancelUpload, missing: missing.upload },
  { name: "importFromUrl", method: "POST", pattern: /^\/assets$/, access: "user", handle: importFromUrl },
  { name: "getAsset", method: "GET", pattern: /^\/assets\/([^/]+)$/, access: "user", handle: getAsset, missing: missing.video },
  { name: "assetEvents", method: "GET", pattern: /^\/assets\/([^/]+)\/events$/, access: "user", handle: assetEvents, missing: missing.video },
  { name: "createClip", method: "POST", pattern: /^\/assets\/([^/]+)\/clips$/, access: "user", handle: createClip, missing: missing.video },
  { name: "listDownloads", method: "GET", pattern: /^\/assets\/([^/]+)\/downloads$/, access: "user", handle: listDownloads, missing: missing.video },
  { name: "playbackToken", method: "GET", pattern: /^\/playback\/([^/]+)\/token$/, access: "user", handle: playbackToken, missing: missing.playback },
  { name: "webhook", method: "POST", pattern: /^\/webhooks\/([^/]+)$/, access: "public", handle: webhook },
  { name: "listCaptions", method: "GET", pattern: /^\/assets\/([^/]+)\/captions$/, access: "user", handle: listCaptions, missing: missing.video },
  { name: "addCaption", method: "POST", pattern: /^\/assets\/([^/]+)\/captions$/, access: "user", handle: addCaption, missing: missing.video },
  { name: "generateCaptions", method: "POST", pattern: /^\/assets\/([^/]+)\/captions\/generate$/, access: "user", handle: generateCaptions, missing: missing.video },
  { name: "removeCaption", method: "DELETE", pattern: /^\/assets\/([^/]+)\/captions\/([^/]+)$/, access: "user", handle: removeCaption, missing: missing.video },
  { name: "captionFile", method: "GET", pattern: /^\/caption-files\/([^/]+)\.vtt$/, access: "public", handle: captionFile, alsoHead: true },
  { name: "getProgress", method: "GET", pattern: /^\/progress\/([^/]+)$/, access: "user", handle: getProgress, missing: missing.lesson },
  { name: "saveProgress", method: "POST", pattern: /^\/progress\/([^/]+)$/, access: "user", handle: saveProgress, missing: missing.lesson },
  { name: "progressInsights", method: "GET", pattern: /^\/progress\/([^/]+)\/insights$/, access: "user", handle: progressInsights, missing: missing.lesson },
];

/** Ids travel into backend URLs; anything outside this shape is not an id this API handed out. */
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

interface MatchedRoute {
  route: Route;
  /** The path parameters, undecoded. */
  params: string[];
  /** Every method the path answers, for 405, `Allow` and a preflight (looked up only for those). */
  allowed: () => Method[];
}

/**
 * The routes by their path's first segment (`/assets/…` → `assets`): a request is matched against its own few
 * patterns, not all of them. Every pattern starts with `^\/segment`.
 */
const routesBySegment = new Map<string, Route[]>();
for (const route of routes) {
  const segment = /^\^\\\/([a-z-]+)/.exec(route.pattern.source)?.[1];
  if (segment === undefined) throw new Error(`route ${route.name}: its pattern must start with ^\\/segment`);
  routesBySegment.set(segment, [...(routesBySegment.get(segment) ?? []), route]);
}

/** `basePath` without its trailing slashes, computed once per base path. */
const trimmedBases = new Map<string, string>();
const trailingSlashes = /\/+$/;

/** The route for a path and method; with no route for the method, the path's first route (answered with 405). */
function matchRoute(pathname: string, basePath: string, method: string): MatchedRoute | undefined {
  let base = trimmedBases.get(basePath);
  if (base === undefined) trimmedBases.set(basePath, (base = basePath.replace(trailingSlashes, "")));
  if (base && pathname !== base && !pathname.startsWith(`${base}/`)) return undefined;
  let rest = pathname.slice(base.length);
  if (rest.endsWith("/")) rest = rest.replace(trailingSlashes, "");
  if (rest === "") rest = "/";
  const slash = rest.indexOf("/", 1);
  const candidates = routesBySegment.get(rest.slice(1, slash === -1 ? undefined : slash));
  if (!candidates) return undefined;
  const allowed = () => {
    const methods: Method[] = [];
    for (const route of candidates) if (route.pattern.test(rest) && !methods.includes(route.method)) methods.push(route.method);
    return methods;
  };
  let first: MatchedRoute | undefined;
  for (const route of candidates) {
    const match = route.pattern.exec(rest);
    if (!match) continue;
    const found = { route, params: match.slice(1), allowed };
    if (route.method === method) return found;
    first ??= found;
  }
  return first;
}

/**
 * Answers one request: the matching route's guard, then its handler; every failure through `fail`. The
 * Fetch `Request` is built (on Node's path) only once the guard calls `authorize`, or for a public route.
 */
export async function dispatch<TUser extends VideoUser>(ctx: RoutesContext<TUser>, incoming: Incoming, context: RouteContext | undefined): Promise<Reply> {
  const { method } = incoming;
  const matched = matchRoute(incoming.pathname, ctx.basePath, method);
  if (!matched) return fail(ctx, httpError(404, "not_found", "There is no such video route."), "unknown");
  const { route, params, allowed } = matched;
  const [id = "", subId = ""] = params;

  if (route.access === "public") {
    const methodOk = method === route.method || (route.alsoHead === true && method === "HEAD");
    if (!methodOk) return methodNotAllowed(route.alsoHead === true ? [route.method] : allowed());
    try {
      return await route.handle(ctx, { request: incoming.request(), id, context, route: route.name });
    } catch (error) {
      return fail(ctx, error, route.name);
    }
  }

  if (method === "OPTIONS") {
    try {
      const preflight = preflightResponse(incoming, ctx.cors);
      // Only the caption-track path answers DELETE; every other path keeps GET and POST.
      if (allowed().includes("DELETE")) {
        for (const header of ["access-control-allow-methods", "allow"]) {
          if (preflight.headers.has(header)) preflight.headers.set(header, "GET, POST, DELETE, OPTIONS");
        }
      }
      return preflight;
    } catch (error) {
      return fail(ctx, error, route.name);
    }
  }
  if (method !== route.method) return methodNotAllowed(allowed());

  const origin = checkOrigin(incoming, ctx.cors);
  if (!origin.allowed) return fail(ctx, httpError(403, "forbidden", "This origin is not allowed to call the video routes."), route.name);
  let response: Reply;
  try {
    const user = await authorizedUser(ctx, incoming, context, route.name);
    // Ids are checked undecoded: a valid id never needs percent-encoding.
    if (params[0] !== undefined && !idPattern.test(id)) throw (route.missing ?? missing.video)();
    if (params[1] !== undefined && !idPattern.test(subId)) throw missing.track();
    // The `Request` is built (on Node's path) when the handler first reads it.
    response = await route.handle(ctx, {
      get request() {
        return incoming.request();
      },
      user,
      id,
      subId,
      origin,
      route: route.name,
      context,
    });
  } catch (error) {
    response = fail(ctx, error, route.name);
  }
  return withCorsHeaders(response, origin, ctx.cors);
}
