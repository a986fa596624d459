/**
 * Webhook delivery in Mux's format: the event envelope, `mux-signature: t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` (what `mux.webhooks.unwrap()` verifies), and retries with backoff when the receiver
 * does not answer 2xx.
 */
import { createHmac, randomUUID } from "node:crypto";

/** The Mux webhook events the emulator sends. */
export type WebhookEventType =
  | "video.upload.created"
  | "video.upload.asset_created"
  | "video.upload.cancelled"
  | "video.asset.created"
  | "video.asset.ready"
  | "video.asset.errored"
  | "video.asset.updated"
  | "video.asset.deleted"
  | "video.asset.track.created"
  | "video.asset.track.ready"
  | "video.asset.track.errored"
  | "video.asset.track.deleted"
  | "video.asset.static_rendition.created"
  | "video.asset.static_rendition.ready"
  | "video.asset.static_rendition.skipped"
  | "video.asset.static_rendition.errored"
  | "video.asset.static_rendition.deleted";

/** A failed delivery attempt, as a retried webhook lists its earlier ones in `attempts`. */
export interface WebhookAttempt {
  id: string;
  /** The URL it was sent to. */
  address: string;
  /** ISO 8601 time of the attempt. */
  created_at: string;
  /** The receiver's status code; `null` when it could not be reached. */
  response_status_code: number | null;
  /** Attempts in all: one plus the number of retry delays. */
  max_attempts: number;
}

/** A webhook body as the emulator posts it, in Mux's event format. */
export interface WebhookEnvelope {
  /** The event's id; the same on every retry, so receivers can drop repeats. */
  id: string;
  type: WebhookEventType;
  /** ISO 8601 time the event happened. */
  created_at: string;
  /** What the event is about. */
  object: { type: "asset" | "upload" | "track"; id: string };
  /** The Mux environment; a fixed one in the emulator. */
  environment: { id: string; name: string };
  /**
   * The object's JSON at the time of the event: `MuxAssetJson` (with `created_at` as a number of unix
   * seconds, as Mux sends it), `MuxUploadJson` or `MuxTrackJson`.
   */
  data: unknown;
  /** Earlier failed attempts to deliver this event to this URL. */
  attempts: WebhookAttempt[];
  accessor: null;
  accessor_source: null;
  request_id: null;
}

export interface WebhookSenderOptions {
  secret: string;
  urls: string[];
  retryDelaysMs: number[];
  /** Called when a delivery gives up after its last attempt (for logs). */
  onGiveUp?: ((event: WebhookEnvelope, url: string, lastStatus: number | null) => void) | undefined;
}

/** Builds the `mux-signature` header value for a raw body. */
export function signWebhookBody(body: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${digest}`;
}

export class WebhookSender {
  private urls: string[];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controller = new AbortController();
  /** Per URL, the first attempt of the latest event: first attempts go out in emit order, retries do not wait. */
  private readonly firstAttempts = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions) {
    this.urls = [...options.urls];
  }

  setUrls(urls: string[]): void {
    this.urls = [...urls];
  }

  getUrls(): string[] {
    return [...this.urls];
  }

  /** Queues one event to every configured URL. */
  emit(type: WebhookEventType, object: WebhookEnvelope["object"], data: unknown): void {
    if (this.closed) return;
    for (const url of this.urls) {
      const event: WebhookEnvelope = {
        id: randomUUID(),
        type,
        created_at: new Date().toISOString(),
        object,
        environment: { id: "emulator", name: "Local emulator" },
        data,
        attempts: [],
        accessor: null,
        accessor_source: null,
        request_id: null,
      };
      const previous = this.firstAttempts.get(url) ?? Promise.resolve();
      let firstDone!: () => void;
      const first = new Promise<void>((resolve) => (firstDone = resolve));
      this.firstAttempts.set(url, first);
      this.track(previous.then(() => this.deliver(event, url, firstDone)));
    }
  }

  /** Resolves when every queued delivery (retries included) has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private async deliver(event: WebhookEnvelope, url: string, firstDone: () => void): Promise<void> {
    const maxAttempts = this.options.retryDelaysMs.length + 1;
    let lastStatus: number | null = null;
    try {
      for (let attempt = 0; attempt < maxAttempts && !this.closed; attempt++) {
        if (attempt > 0) await this.sleep(this.options.retryDelaysMs[attempt - 1] ?? 0);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have run during the sleep; TypeScript keeps the narrowing from before the await (microsoft/TypeScript#9998)
        if (this.closed) return;
        const body = JSON.stringify(event);
        lastStatus = await this.post(url, body);
        if (attempt === 0) firstDone();
        if (lastStatus !== null && lastStatus >= 200 && lastStatus < 300) return;
        event.attempts.push({
          id: randomUUID(),
          address: url,
          created_at: new Date().toISOString(),
          response_status_code: lastStatus,
          max_attempts: maxAttempts,
        });
      }
      if (!this.closed) this.options.onGiveUp?.(event, url, lastStatus);
    } finally {
      firstDone();
    }
  }

  private async post(url: string, body: string): Promise<number | null> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "mux-signature": signWebhookBody(body, this.options.secret) },
        body,
        signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      // A closed sender resolves its sleepers at once so flush() never hangs.
      this.controller.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      }, { once: true });
    });
  }
}
