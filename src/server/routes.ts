/**
 * `createVideoRoutes`: every route of the video API as one Fetch-API handler, `Request → Response`,
 * with no framework import, so Next.js, Remix, Hono, Bun, Deno and `node:http` (through
 * `toNodeHandler`) mount the same function.
 *
 * Every route answers only to its owner: an upload records who created it (a hash of the user id, kept
 * by the backend with the upload and its asset), and reads, cancels and the asset's status go to that
 * user or to whom the host's `canAccessUpload` / `canViewAsset` allow; anyone else gets a 404.
 *
 * The pieces live in `routes/`: `options.ts` (the public options), `context.ts` (their defaults and the
 * state handlers share), `table.ts` (the route list and the guard each route gets), `guard.ts`,
 * `access.ts`, and one module per resource.
 */
import { assertCorsOptions } from "./cors.js";
import { errorResponse, malformedRequestError, toResponse } from "./errors.js";
import type { MalformedRequestReason } from "./events.js";
import { createRoutesContext } from "./routes/context.js";
import { incomingFromRequest, nodeDispatch, type Incoming } from "./routes/incoming.js";
import type { RouteContext, VideoRouteHandler, VideoRoutesOptions, VideoUser } from "./routes/options.js";
import { dispatch } from "./routes/table.js";

export type {
  AssetAccessRequest,
  AssetDiscardRequest,
  AssetSettings,
  AssetSettingsRequest,
  CaptionRouteOptions,
  EventStreamOptions,
  ImportRouteOptions,
  ProgressRouteOptions,
  RouteContext,
  UploadAccessRequest,
  VideoRouteHandler,
  VideoRoutesOptions,
  VideoUser,
} from "./routes/options.js";
export { clientIp } from "./routes/client-ip.js";

/**
 * Builds the video API as one Fetch-API handler. Routes, relative to `basePath`:
 *
 * - `POST /uploads`: checks the file against `limits`, `canUpload`, the rate limits and the quota, and
 *   creates a direct upload.
 * - `GET /uploads/:id`, `POST /uploads/:id/cancel`: an upload's state; cancelling it (with
 *   `{ "discardAsset": true }` also deleting the asset it created, for its creator).
 * - `GET /assets/:id`, `GET /assets/:id/events` (server-sent events): an asset and its changes.
 * - `GET /playback/:playbackId/token`: signed playback tokens.
 * - `GET|POST /assets/:id/captions`, `POST /assets/:id/captions/generate`,
 *   `DELETE /assets/:id/captions/:trackId`, `GET /caption-files/:id.vtt`: caption tracks, when the backend
 *   has the caption methods.
 * - `GET|POST /progress/:lessonId`, `GET /progress/:lessonId/insights`: a learner's progress in a lesson
 *   and the lesson's aggregates for its creator, when `progress` is set.
 * - `POST /webhooks/<backend name>`: the video service's signed webhooks (no `authorize`).
 *
 * Errors answer as JSON `ErrorBody` with the `VideoError` code. Call `close()` on shutdown to stop
 * background polls.
 *
 * @throws Error when `options.authorize` is not a function, or when `cors.origins` has `"*"` together with `cors.credentials`.
 *
 * @example
 * ```ts
 * // app/api/video/[...route]/route.ts (Next.js)
 * import { createMuxBackend, createVideoRoutes } from "lesson-video-kit/server";
 *
 * const routes = createVideoRoutes({
 *   backend: createMuxBackend(), // reads MUX_TOKEN_ID, MUX_TOKEN_SECRET, MUX_WEBHOOK_SECRET
 *   async authorize(request) {
 *     const session = await getSession(request); // your auth
 *     return session ? { id: session.userId } : null;
 *   },
 * });
 *
 * const handle = (request: Request) => routes(request);
 * export { handle as GET, handle as POST, handle as DELETE, handle as OPTIONS };
 * ```
 */
export function createVideoRoutes<TUser extends VideoUser>(options: VideoRoutesOptions<TUser>): VideoRouteHandler {
  if (typeof options.authorize !== "function") {
    throw new Error("lesson-video-kit: createVideoRoutes needs an authorize(request) function; there is no allow-all default.");
  }
  assertCorsOptions(options.cors ?? {});
  const ctx = createRoutesContext(options);
  const handle = (request: Request, frameworkContext?: unknown): Promise<Response> => {
    const context = typeof frameworkContext === "object" && frameworkContext !== null ? (frameworkContext as RouteContext) : undefined;
    return dispatch(ctx, incomingFromRequest(request), context).then(toResponse);
  };
  return Object.assign(handle, {
    [nodeDispatch]: (incoming: Incoming, context: RouteContext) => dispatch(ctx, incoming, context),
    close: () => ctx.cache.close(),
    rejectMalformed: (reason: MalformedRequestReason) => {
      ctx.emit({ type: "request_malformed", at: ctx.now(), reason });
      return errorResponse(malformedRequestError(reason));
    },
  });
}
