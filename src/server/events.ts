/**
 * Monitoring events of the server routes. A host passes one `onEvent` function and counts success
 * rates, processing times and error patterns in its own metrics system.
 */

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
  /** Over `webhooks.perIp`. */
  | "rate_limited";

export type ServerVideoEvent =
  | { type: "upload_created"; at: number; userId: string; uploadId: string; lessonId?: string; fileSize: number; fileType: string }
  | {
      type: "asset_ready";
      at: number;
      assetId: string;
      playbackId?: string | undefined;
      lessonId?: string | undefined;
      /** Milliseconds from the asset's creation (the upload finishing) to `ready`, when the backend says when it was created. */
      processingMs?: number | undefined;
      duration?: number | undefined;
    }
  | { type: "asset_errored"; at: number; assetId: string; lessonId?: string; errors: Array<{ type: string; message: string }> }
  | { type: "webhook_rejected"; at: number; reason: WebhookRejectionReason; eventId?: string }
  | { type: "webhook_hook_failed"; at: number; eventId: string; eventType: string; message: string }
  | { type: "rate_limited"; at: number; scope: "user" | "ip"; key: string; route: string; retryAfter: number }
  /** A user opened more event streams than `eventStreams.perUser`. */
  | { type: "stream_limited"; at: number; userId: string; open: number }
  | { type: "quota_exceeded"; at: number; userId: string; limit: "uploads" | "bytes"; resetAt: number }
  | { type: "request_rejected"; at: number; route: string; status: number; code: string }
  | { type: "server_error"; at: number; route: string; message: string };

export type ServerVideoEventType = ServerVideoEvent["type"];

export type ServerVideoEventListener = (event: ServerVideoEvent) => void;
