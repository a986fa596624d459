/**
 * Monitoring events of the server routes. A host passes one `onEvent` function and counts success
 * rates, processing times and error patterns in its own metrics system.
 */
import type { UrlRefusalReason } from "../core/errors.js";

/** Why a webhook delivery was refused. */
export type WebhookRejectionReason =
  | "signature_missing"
  | "signature_invalid"
  | "timestamp_out_of_tolerance"
  | "replayed"
  | "body_too_large"
  | "malformed"
  | "not_configured"
  /** More deliveries at once than `webhooks.maxConcurrent`; answered 503 so the backend retries. */
  | "busy"
  /** Over `webhooks.perIp`: too many failed deliveries from one address. */
  | "rate_limited";

/**
 * Why `toNodeHandler` answered a request 400 before it reached the routes:
 * - `host_invalid`: the `Host` header is empty or not a host name / IP address with an optional port.
 * - `forwarded_invalid`: with `trustProxy`, `X-Forwarded-Host` or `X-Forwarded-Proto` is not a valid host or `http`/`https`.
 * - `target_invalid`: the request target is neither a path (`/api/video/…`) nor an absolute `http(s)` URL.
 * - `target_other_host`: the request target is an absolute URL naming another host than the one the request was sent to.
 */
export type MalformedRequestReason = "host_invalid" | "forwarded_invalid" | "target_invalid" | "target_other_host";

/**
 * One monitoring event of the routes, passed to `createVideoRoutes`' `onEvent`. `at` is ms since epoch;
 * `type` tells which fields follow.
 */
export type ServerVideoEvent =
  /** `POST /uploads` created an upload. `fileSize` (bytes) and `fileType` are what the client declared. */
  | { type: "upload_created"; at: number; userId: string; uploadId: string; lessonId?: string | undefined; fileSize: number; fileType: string }
  /**
   * A discard (`POST /uploads/:id/cancel` with `{ "discardAsset": true }`) deleted the asset an upload had
   * created: its creator abandoned it (a recording taken again).
   */
  | { type: "asset_discarded"; at: number; userId: string; uploadId: string; assetId: string; lessonId?: string | undefined }
  /** `POST /assets` created an asset from a link; `host` is the host of the URL handed to the backend (after redirects). */
  | { type: "import_created"; at: number; userId: string; assetId: string; lessonId?: string | undefined; host: string; redirects: number }
  /**
   * `POST /assets` refused a link (answered 422 `url_refused`). `host` is the link's (or the refused redirect
   * target's) host name, never the whole URL (it may carry tokens); `detail` says what the check found, for logs.
   */
  | { type: "url_refused"; at: number; userId: string; reason: UrlRefusalReason; host?: string | undefined; detail: string }
  /** A verified webhook said an asset is ready (after `onAssetReady` ran). */
  | {
      type: "asset_ready";
      at: number;
      assetId: string;
      playbackId?: string | undefined;
      lessonId?: string | undefined;
      /** Milliseconds from the asset's creation (the upload finishing) to `ready`, when the backend says when it was created. */
      processingMs?: number | undefined;
      /** The video's duration, seconds. */
      duration?: number | undefined;
    }
  /** A verified webhook said an asset failed to process (after `onAssetErrored` ran). */
  | { type: "asset_errored"; at: number; assetId: string; lessonId?: string | undefined; errors: Array<{ type: string; message: string }> }
  /** A webhook delivery was refused; `eventId` when its body could be read. */
  | { type: "webhook_rejected"; at: number; reason: WebhookRejectionReason; eventId?: string | undefined }
  /** A webhook hook threw; the delivery answered 500 and the backend will retry it. `eventType` is the backend's event type. */
  | { type: "webhook_hook_failed"; at: number; eventId: string; eventType: string; message: string }
  /**
   * A request went over a rate limit and answered 429. `key` is the user id (`scope: "user"`) or the
   * client IP (`scope: "ip"`); `retryAfter` is in seconds.
   */
  | { type: "rate_limited"; at: number; scope: "user" | "ip"; key: string; route: string; retryAfter: number }
  /** A user opened more event streams than `eventStreams.perUser`. */
  | { type: "stream_limited"; at: number; userId: string; open: number }
  /** An upload would pass the user's quota (`limit` says which) and answered 429; `resetAt` is ms since epoch. */
  | { type: "quota_exceeded"; at: number; userId: string; limit: "uploads" | "bytes"; resetAt: number }
  /** A learner's progress write reached the lesson's completion threshold: sent once per learner and lesson. */
  | { type: "lesson_completed"; at: number; userId: string; lessonId: string; watchedSeconds: number; duration: number }
  /** A request answered 4xx (`status`, with the `VideoError` `code`): refused, not found, invalid. `route` is its name, e.g. `createUpload`. */
  | { type: "request_rejected"; at: number; route: string; status: number; code: string }
  /**
   * A request `toNodeHandler` could not turn into a URL (see `MalformedRequestReason`) answered 400 without
   * reaching a route: a client error, or someone probing.
   */
  | { type: "request_malformed"; at: number; reason: MalformedRequestReason }
  /**
   * The backend refused a call (`status`, 4xx) whose own words are not for the user, e.g. Mux's answer to a
   * caption track; the client got one message of the routes'. `message` is the backend's, for logs.
   */
  | { type: "backend_refused"; at: number; route: string; status: number; message: string }
  /**
   * A request failed with a 5xx, or background work (`route: "assetCache"`) failed. `message` is the
   * error's own, for logs; the client got a generic one.
   */
  | { type: "server_error"; at: number; route: string; message: string };

/** The `type` of a `ServerVideoEvent`, e.g. `"upload_created"`. */
export type ServerVideoEventType = ServerVideoEvent["type"];

/**
 * `createVideoRoutes`' `onEvent`. Called synchronously on the request path: keep it fast, and hand slow
 * work (a metrics push) to something else. Errors it throws are ignored.
 *
 * @example
 * ```ts
 * createVideoRoutes({
 *   backend,
 *   authorize,
 *   onEvent(event) {
 *     metrics.increment(`video.${event.type}`);
 *     if (event.type === "asset_ready" && event.processingMs !== undefined) metrics.timing("video.processing", event.processingMs);
 *   },
 * });
 * ```
 */
export type ServerVideoEventListener = (event: ServerVideoEvent) => void;
