/**
 * `POST /webhooks/<backend>`: verified by signature instead of `authorize`, refused when stale or
 * replayed, then the host's hooks. A failing hook answers 5xx and forgets the event id, so the
 * backend's retry is processed. The route is open to anyone, so it spends nothing before it must: the
 * signature header's shape and timestamp are checked before the body is read, bodies are capped, and at
 * most `maxConcurrent` deliveries are read and verified at once (more answer 503, which Mux retries).
 */
import type { VideoErrorCode } from "../core/errors.js";
import type { VideoAsset } from "../core/types.js";
import type { AssetCache } from "./asset-cache.js";
import type { BackendWebhookEvent, VideoBackend } from "./backend.js";
import type { CounterStore } from "./counter-store.js";
import { errorResponse, httpError, json } from "./errors.js";
import type { ServerVideoEvent, WebhookRejectionReason } from "./events.js";
import { readBodyText } from "./request-body.js";

/** What `WebhookHooks.onUploadAssetCreated` receives: an upload has become an asset (still processing). */
export interface UploadAssetCreatedInfo {
  /** The lesson id the upload was created for (`passthrough`); undefined for an upload made before its lesson was saved. */
  lessonId?: string | undefined;
  /** The upload that became the asset: what a lesson saved before its asset existed recorded. */
  uploadId: string;
  /** The new asset's id. */
  assetId: string;
  /** The webhook event's id; `reconcileUpload` passes one of its own, starting `reconcile:`. */
  eventId: string;
}

/** What `WebhookHooks.onAssetReady` receives: an asset has finished processing and can play. */
export interface AssetReadyInfo {
  /** The lesson id the upload was created for (`passthrough`); undefined for an upload made before its lesson was saved. */
  lessonId?: string | undefined;
  /** The upload that created the asset (Mux's `upload_id`); undefined for an asset that did not come from an upload. */
  uploadId?: string | undefined;
  assetId: string;
  /** The asset's playback id, the one to store for the player. */
  playbackId?: string | undefined;
  /** Whether `playbackId` needs signed tokens. */
  playbackPolicy?: "public" | "signed" | undefined;
  /** Duration in seconds. */
  duration?: number | undefined;
  /** Aspect ratio as Mux writes it, e.g. `"16:9"`. */
  aspectRatio?: string | undefined;
  /** The whole asset, for anything the fields above leave out. */
  asset: VideoAsset;
  /** The webhook event's id; `reconcileUpload` passes one of its own, starting `reconcile:`. */
  eventId: string;
}

/** What `WebhookHooks.onAssetErrored` receives: the backend could not process an asset. */
export interface AssetErroredInfo {
  /** The lesson id the upload was created for (`passthrough`); undefined for an upload made before its lesson was saved. */
  lessonId?: string | undefined;
  /** The upload that created the asset (Mux's `upload_id`); undefined for an asset that did not come from an upload. */
  uploadId?: string | undefined;
  assetId: string;
  /** Why processing failed, as the backend reports it (empty when it gave no reason). */
  errors: Array<{ type: string; message: string }>;
  /** The whole asset. */
  asset: VideoAsset;
  /** The webhook event's id; `reconcileUpload` passes one of its own, starting `reconcile:`. */
  eventId: string;
}

/**
 * Where a host updates its lesson rows. A hook that throws makes the backend retry the delivery. A lesson
 * is found by its upload id, or by the lesson id the upload was created for; deliveries may repeat and
 * arrive out of order, and `reconcileUpload` calls the same hooks again, so each must be idempotent.
 */
export interface WebhookHooks {
  /** An upload became an asset: record the asset id on the lesson (its video is now processing). */
  onUploadAssetCreated?: ((info: UploadAssetCreatedInfo) => void | Promise<void>) | undefined;
  /** The asset is ready: record its playback id (and duration) so the lesson page can play it. */
  onAssetReady?: ((info: AssetReadyInfo) => void | Promise<void>) | undefined;
  /** Processing failed: mark the lesson's video as failed so its author can upload again. */
  onAssetErrored?: ((info: AssetErroredInfo) => void | Promise<void>) | undefined;
}

/** Limits of the webhook route (`createVideoRoutes`' `webhooks`); hooks themselves go in `hooks`. */
export interface WebhookRouteOptions {
  /** Largest webhook body, in bytes. Default 256 KiB (Mux's events are a few KiB). */
  maxBodyBytes?: number | undefined;
  /** Deliveries read and verified at once; more answer 503 with `Retry-After`. Default 16. */
  maxConcurrent?: number | undefined;
  /**
   * Failed deliveries per client IP (`trustProxy` decides which IP): deliveries whose signature, timestamp,
   * size or shape was refused, counted in the rate-limit store. An address over the limit is refused (429)
   * before its body is read until the window ends; correctly signed deliveries are never counted, so any
   * burst of them is accepted. Default 600 a minute; `false` turns it off.
   */
  perIp?:
    | {
        /** Deliveries allowed per window. */
        limit: number;
        /** Length of the window, in ms. */
        windowMs: number;
      }
    | false
    | undefined;
  /** How long a processed event id is remembered, to refuse replays. Default 24 h (Mux retries for about that long). */
  replayWindowMs?: number | undefined;
  /** Where processed event ids live. Default: this process's memory; share one store between instances. */
  replayStore?: CounterStore | undefined;
}

export interface WebhookContext {
  backend: VideoBackend;
  /** Deliveries being read or verified now, shared by every call of one route handler. */
  inFlight: { count: number };
  hooks: WebhookHooks;
  cache: AssetCache;
  replayStore: CounterStore;
  options: WebhookRouteOptions;
  emit(event: ServerVideoEvent): void;
  now(): number;
}

const rejectionStatus: Record<WebhookRejectionReason, { status: number; code: VideoErrorCode; message: string }> = {
  signature_missing: { status: 401, code: "unauthorized", message: "The webhook has no signature." },
  signature_invalid: { status: 401, code: "unauthorized", message: "The webhook signature does not match." },
  timestamp_out_of_tolerance: { status: 400, code: "bad_request", message: "The webhook timestamp is outside the tolerance." },
  replayed: { status: 409, code: "bad_request", message: "This webhook event was already received." },
  body_too_large: { status: 413, code: "bad_request", message: "The webhook body is too large." },
  malformed: { status: 400, code: "bad_request", message: "The webhook body is not an event this server understands." },
  not_configured: { status: 500, code: "server", message: "Webhooks are not configured on this server." },
  busy: { status: 503, code: "server", message: "Too many webhook deliveries at once; retry shortly." },
  rate_limited: { status: 429, code: "rate_limited", message: "Too many failed webhook deliveries from this address." },
};

export async function handleWebhook(request: Request, context: WebhookContext): Promise<Response> {
  const reject = (reason: WebhookRejectionReason, eventId?: string): Response => {
    context.emit({ type: "webhook_rejected", at: context.now(), reason, ...(eventId === undefined ? {} : { eventId }) });
    const { status, code, message } = rejectionStatus[reason];
    return errorResponse(httpError(status, code, message));
  };

  const early = context.backend.precheckWebhook?.(request.headers);
  if (early) return reject(early);
  if (context.inFlight.count >= (context.options.maxConcurrent ?? 16)) {
    context.emit({ type: "webhook_rejected", at: context.now(), reason: "busy" });
    return errorResponse(httpError(503, "server", rejectionStatus.busy.message, { retryAfter: 1 }));
  }
  context.inFlight.count++;
  let verified: Awaited<ReturnType<VideoBackend["verifyWebhook"]>>;
  try {
    const body = await readBodyText(request, context.options.maxBodyBytes ?? 256 * 1024);
    if (!body.ok) return reject("body_too_large");
    verified = await context.backend.verifyWebhook(body.text, request.headers);
  } finally {
    context.inFlight.count--;
  }
  if (!verified.ok) return reject(verified.reason, verified.eventId);
  const { event } = verified;

  // Claimed before the hooks run, so two concurrent deliveries of one event do not both run them.
  const replayKey = `webhook:${context.backend.name}:${event.id}`;
  const claim = await context.replayStore.increment(replayKey, 1, context.options.replayWindowMs ?? 86_400_000);
  if (claim.value > 1) return reject("replayed", event.id);

  try {
    await dispatch(event, context);
  } catch (error) {
    await context.replayStore.delete(replayKey);
    const eventType = event.type === "other" ? event.backendType : event.type;
    context.emit({ type: "webhook_hook_failed", at: context.now(), eventId: event.id, eventType, message: messageOf(error) });
    return errorResponse(httpError(500, "server", "The webhook could not be processed; it will be retried."));
  }
  return json({ received: true });
}

async function dispatch(event: BackendWebhookEvent, context: WebhookContext): Promise<void> {
  const { hooks } = context;
  switch (event.type) {
    case "upload.asset_created":
      await hooks.onUploadAssetCreated?.({
        ...(event.passthrough === undefined ? {} : { lessonId: event.passthrough }),
        uploadId: event.uploadId,
        assetId: event.assetId,
        eventId: event.id,
      });
      return;
    case "asset.created":
    case "asset.updated":
      context.cache.set(event.asset);
      return;
    case "asset.deleted":
      context.cache.forget(event.asset.id);
      return;
    case "asset.ready": {
      const { asset } = event;
      await hooks.onAssetReady?.(assetReadyInfo(asset, event.id));
      // Viewers hear "ready" once the host has recorded it, so a canView that reads the host's lesson row
      // already allows the playback id. Counted then too, so a retried delivery is not counted twice.
      context.cache.set(asset);
      const readyAt = event.createdAt ?? context.now();
      context.emit({
        type: "asset_ready",
        at: context.now(),
        assetId: asset.id,
        ...optional({ playbackId: asset.playbackId, lessonId: asset.passthrough, duration: asset.duration }),
        ...(event.assetCreatedAt === undefined ? {} : { processingMs: Math.max(0, readyAt - event.assetCreatedAt) }),
      });
      return;
    }
    case "asset.errored": {
      const { asset } = event;
      const errors = asset.errors ?? [];
      await hooks.onAssetErrored?.(assetErroredInfo(asset, event.id));
      context.cache.set(asset);
      context.emit({ type: "asset_errored", at: context.now(), assetId: asset.id, errors, ...optional({ lessonId: asset.passthrough }) });
      return;
    }
    case "upload.errored":
    case "upload.cancelled":
    case "other":
      return;
  }
}

/** What `onAssetReady` receives for a ready asset (from a webhook, or from `reconcileUpload`). */
export function assetReadyInfo(asset: VideoAsset, eventId: string): AssetReadyInfo {
  return {
    assetId: asset.id,
    asset,
    eventId,
    ...optional({
      lessonId: asset.passthrough,
      uploadId: asset.uploadId,
      playbackId: asset.playbackId,
      playbackPolicy: asset.playback?.policy,
      duration: asset.duration,
      aspectRatio: asset.aspectRatio,
    }),
  };
}

/** What `onAssetErrored` receives for a failed asset (from a webhook, or from `reconcileUpload`). */
export function assetErroredInfo(asset: VideoAsset, eventId: string): AssetErroredInfo {
  return {
    assetId: asset.id,
    asset,
    errors: asset.errors ?? [],
    eventId,
    ...optional({ lessonId: asset.passthrough, uploadId: asset.uploadId }),
  };
}

/** Drops undefined values so optional fields are absent, not present-and-undefined. */
function optional<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
