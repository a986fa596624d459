// The reader of `/assets/:id/events`, loaded by `createHttpTransport`'s `watchAsset` on the first watch, so
// a page with an idle uploader does not download it.
import { createVideoError, toVideoError, type VideoError } from "../core/errors.js";
import type { AssetStatus, VideoAsset } from "../core/types.js";

const finalStatuses: ReadonlySet<AssetStatus> = new Set(["ready", "errored"]);

/** What `watchAssetEvents` needs from the transport. */
export interface WatchAssetEventsOptions {
  /** Opens `/assets/:id/events` with the transport's headers. */
  open: (signal: AbortSignal) => Promise<Response>;
  /** Aborts when the watcher stops the watch. */
  stop: AbortSignal;
  onChange: (asset: VideoAsset) => void;
  onError?: ((error: VideoError) => void) | undefined;
}

/**
 * `HttpTransport.watchAsset` once its code loaded: every asset the server sends goes to `onChange` until a final
 * status; a stream that breaks (or ends) before one goes to `onError` once, so the watcher falls back to polling.
 */
export function watchAssetEvents({ open, stop, onChange, onError }: WatchAssetEventsOptions): void {
  const controller = new AbortController();
  stop.addEventListener("abort", () => controller.abort(), { once: true });
  if (stop.aborted) return;
  let finished = false;
  const fail = (error: VideoError) => {
    if (finished || controller.signal.aborted) return;
    finished = true;
    onError?.(error);
  };
  followAssetEvents({
    open: () => open(controller.signal),
    isFinished: () => finished || controller.signal.aborted,
    onAsset: (asset) => {
      onChange(asset);
      if (finalStatuses.has(asset.status)) {
        finished = true;
        controller.abort();
      }
    },
  })
    // The server closes the stream after a final status; closing earlier means it broke.
    .then(() => fail(createVideoError("network", { details: { reason: "event stream ended before a final status" } })))
    .catch((thrown: unknown) => fail(toVideoError(thrown)));
}

/** What `followAssetEvents` needs from the transport. */
export interface AssetEventsOptions {
  /** Opens the stream (a `fetch` of `/assets/:id/events` with the transport's headers and signal). */
  open: () => Promise<Response>;
  /** True once the watch ended (a final status, or the watcher stopped it): no reconnecting, no more events. */
  isFinished: () => boolean;
  /** Every `asset` event. */
  onAsset: (asset: VideoAsset) => void;
}

/**
 * Reads the asset's server-sent events until the server closes the stream, opening the next one when the
 * server ends a long-lived stream with `event: reconnect`. Rejects with a `VideoError` for a stream
 * without a body or an event that is not JSON.
 */
export async function followAssetEvents({ open, isFinished, onAsset }: AssetEventsOptions): Promise<void> {
  let reconnect = false;
  const parse = createEventStreamParser((type, data) => {
    if (type === "reconnect") reconnect = true;
    if (type !== "asset" || isFinished()) return;
    let asset: VideoAsset;
    try {
      asset = JSON.parse(data) as VideoAsset;
    } catch (thrown) {
      throw createVideoError("server", { cause: thrown, details: { reason: "event is not JSON" } });
    }
    onAsset(asset);
  });
  do {
    reconnect = false;
    const response = await open();
    if (!response.body) throw createVideoError("server", { details: { reason: "event stream has no body" } });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parse(decoder.decode(value, { stream: true }));
    }
    parse(decoder.decode());
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the parser's callback sets `reconnect` while the stream is read; TypeScript does not see writes made in callbacks (microsoft/TypeScript#9998)
  } while (reconnect && !isFinished());
}

/** Splits a `text/event-stream` into events; calls `onEvent(type, data)` per complete event. */
export function createEventStreamParser(onEvent: (type: string, data: string) => void): (text: string) => void {
  let buffer = "";
  let type = "";
  let data: string[] = [];
  return (text) => {
    buffer += text;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0) onEvent(type || "message", data.join("\n"));
        type = "";
        data = [];
      } else if (line.startsWith(":")) {
        // Comment (heartbeat).
      } else {
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") type = value;
        else if (field === "data") data.push(value);
      }
    }
  };
}

