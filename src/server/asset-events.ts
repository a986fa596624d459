/**
 * `GET /assets/:id/events`: server-sent events of one asset's changes, fanned out from the asset cache
 * (one backend poll per asset however many viewers watch). Each change is `event: asset` with the
 * asset as JSON; the stream ends after `ready` or `errored`; `: ping` comments keep proxies from
 * closing an idle stream. No stream lives longer than `maxLifetimeMs`: it then ends with
 * `event: reconnect`, and the HTTP transport opens the next one at once.
 */
import type { VideoAsset } from "../core/types.js";
import type { AssetCache } from "./asset-cache.js";

export interface AssetEventStreamInput {
  initial: VideoAsset;
  cache: AssetCache;
  /** Adds what depends on the viewer (signed tokens) to each asset before it is sent. */
  decorate(asset: VideoAsset): Promise<VideoAsset>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  heartbeatMs: number;
  /** Longest the stream stays open before it asks the client to reconnect. */
  maxLifetimeMs: number;
  /** Called once when the stream ends, however it ends. */
  onClose(): void;
  onError(error: unknown): void;
}

const encoder = new TextEncoder();
const isSettled = (asset: VideoAsset) => asset.status !== "preparing";

export function assetEventStream(input: AssetEventStreamInput): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      // Changes are decorated asynchronously; the chain keeps them in the order they happened.
      let queue = Promise.resolve();
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const finish = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const send = (asset: VideoAsset) => {
        queue = queue
          .then(async () => {
            if (closed) return;
            write(`event: asset\ndata: ${JSON.stringify(await input.decorate(asset))}\n\n`);
            if (isSettled(asset)) finish();
          })
          .catch((error: unknown) => {
            input.onError(error);
            finish();
          });
      };

      const unwatch = input.cache.watch(input.initial.id, send);
      const heartbeat = setInterval(() => write(": ping\n\n"), input.heartbeatMs);
      // After the changes already queued, so a reconnecting client has missed none.
      const lifetime = setTimeout(() => {
        queue = queue.then(() => {
          write("event: reconnect\ndata: {}\n\n");
          finish();
        });
      }, input.maxLifetimeMs);
      const onAbort = () => finish();
      input.signal.addEventListener("abort", onAbort);
      let closedOnce = false;
      cleanup = () => {
        unwatch();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        input.signal.removeEventListener("abort", onAbort);
        if (!closedOnce) {
          closedOnce = true;
          input.onClose();
        }
      };
      if (input.signal.aborted) finish();
      // What the cache holds now: a change between reading `initial` and watching is not lost.
      else send(input.cache.peek(input.initial.id) ?? input.initial);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      // Tells nginx-style proxies not to buffer the stream.
      "x-accel-buffering": "no",
    },
  });
}
