import { createVideoError, isAbortError, toVideoError, type VideoError } from "./errors.js";
import { backoffDelay, resolveRetryPolicy, retryDelay, type RetryPolicy } from "./retryer.js";
import { Subscribable } from "./subscribable.js";
import type { UploadInfo, VideoAsset, VideoTransport } from "./types.js";
import { createBrowserVisibilityManager, type VisibilitySource } from "./visibility-manager.js";

/**
 * What is known about one asset. `idle`: no asset to watch; `loading`: first answer pending; `error` is set
 * for `errored` (processing failed) and `error` (the watch gave up: timeout, not found, forbidden…).
 */
export interface AssetWatchSnapshot {
  status: "idle" | "loading" | "preparing" | "ready" | "errored" | "error";
  asset: VideoAsset | null;
  error: VideoError | null;
}

/** What is known about one upload's asset: its id once the backend created it. */
export interface UploadWatchSnapshot {
  status: "waiting" | "asset_created" | "error";
  assetId: string | null;
  error: VideoError | null;
}

export interface AssetWatcherOptions {
  transport: VideoTransport;
  /** Polling waits while the page is hidden. Default: `document.visibilityState` (always visible on the server). */
  visibility?: VisibilitySource | undefined;
  /** First delay between two polls, ms. Default 1000. */
  initialIntervalMs?: number | undefined;
  /** Largest delay between two polls, ms. Default 10 000. */
  maxIntervalMs?: number | undefined;
  /** Growth of the delay per poll. Default 1.5. */
  factor?: number | undefined;
  /**
   * Fraction of each delay that is random, 0–1 (the retry policy's `jitter`: a delay `d` becomes a value in
   * `[d·(1 − jitter), d]`). Default 0.2.
   */
  jitter?: number | undefined;
  /** Random source in [0, 1); injectable for deterministic tests. */
  random?: (() => number) | undefined;
  /** Give up with `timeout` after this long without a final status, ms. Default 30 minutes. */
  timeoutMs?: number | undefined;
}

/**
 * One watched id, shared by all its subscribers: its first subscriber starts the watch (unless it is settled),
 * the last one to leave stops it.
 */
class Entry<S> extends Subscribable {
  snapshot: S;
  /** Stops polling / push; set while running. */
  stop: (() => void) | undefined;
  /** The watch ended without a final answer from the backend (timeout, refused): a new subscriber retries. */
  gaveUp = false;
  /** True when nothing is left to watch (a final answer). */
  readonly #settled: (entry: Entry<S>) => boolean;
  /** Starts the watch; calls `end` when it ends by itself; returns its stop. */
  readonly #start: (entry: Entry<S>, end: () => void) => () => void;

  constructor(initial: S, settled: (entry: Entry<S>) => boolean, start: (entry: Entry<S>, end: () => void) => () => void) {
    super();
    this.snapshot = initial;
    this.#settled = settled;
    this.#start = start;
  }

  publish(snapshot: S): void {
    this.snapshot = snapshot;
    this.notifyListeners();
  }

  /** Stops the watch and drops the subscribers (they keep their last snapshot). */
  dispose(): void {
    this.#halt();
    this.clearListeners();
  }

  protected override onSubscribe(): void {
    if (this.stop || this.#settled(this)) return;
    let ended = false;
    const stop = this.#start(this, () => {
      ended = true;
      this.stop = undefined;
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `end` may have run inside #start and set `ended`; TypeScript does not see writes made in callbacks (microsoft/TypeScript#9998)
    if (!ended) this.stop = stop;
  }

  protected override onUnsubscribe(): void {
    if (this.hasListeners()) return;
    // Stop a moment later: React StrictMode unsubscribes and subscribes again at once, and that must not cost a
    // second request.
    queueMicrotask(() => {
      if (!this.hasListeners()) this.#halt();
    });
  }

  #halt(): void {
    this.stop?.();
    this.stop = undefined;
  }
}

const loadingAsset: AssetWatchSnapshot = { status: "loading", asset: null, error: null };
/** Snapshot for "no asset id yet". */
export const idleAssetSnapshot: AssetWatchSnapshot = Object.freeze({ status: "idle", asset: null, error: null });
const waitingUpload: UploadWatchSnapshot = { status: "waiting", assetId: null, error: null };

function isFinalAsset(snapshot: AssetWatchSnapshot): boolean {
  return snapshot.status === "ready" || snapshot.status === "errored" || snapshot.status === "error";
}

function assetSnapshot(asset: VideoAsset): AssetWatchSnapshot {
  if (asset.status === "ready") return { status: "ready", asset, error: null };
  if (asset.status === "errored") {
    const reason = asset.errors?.[0];
    return {
      status: "errored",
      asset,
      error: createVideoError("processing_failed", reason ? { details: { type: reason.type, reason: reason.message } } : {}),
    };
  }
  return { status: "preparing", asset, error: null };
}

function uploadSnapshot(info: UploadInfo): UploadWatchSnapshot {
  switch (info.status) {
    case "asset_created":
      return info.assetId ? { status: "asset_created", assetId: info.assetId, error: null } : waitingUpload;
    case "waiting":
      return waitingUpload;
    case "cancelled":
      return { status: "error", assetId: null, error: createVideoError("aborted") };
    case "timed_out":
      return { status: "error", assetId: null, error: createVideoError("upload_url_expired") };
    case "errored":
      return {
        status: "error",
        assetId: info.assetId ?? null,
        error: createVideoError("processing_failed", info.error ? { details: { type: info.error.type, reason: info.error.message } } : {}),
      };
  }
}

/**
 * Watches uploads until the backend creates their asset, and assets until they are `ready` or
 * `errored`. One entry per id is shared by every subscriber, so N components watching one asset make
 * one request per tick. Polls with the kit's one retry policy (`backoffDelay`: 1 s growing to a 10 s cap,
 * with jitter), keeps polling through retryable failures and waits out a `Retry-After` (a `rate_limited`
 * answer) before any of its next requests, waits while the page is hidden, gives up with `timeout`, and uses
 * the transport's `watchAsset` push when it has one (falling back to polling when the push reports an error).
 * After the last subscriber of an id leaves, no request for it goes out.
 */
export class AssetWatcher {
  readonly #transport: VideoTransport;
  readonly #visibility: VisibilitySource;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #assets = new Map<string, Entry<AssetWatchSnapshot>>();
  readonly #uploads = new Map<string, Entry<UploadWatchSnapshot>>();
  /** No poll of this watcher goes out before this time (ms since epoch): the server asked to wait. */
  #quietUntil = 0;

  constructor(options: AssetWatcherOptions) {
    this.#transport = options.transport;
    this.#visibility = options.visibility ?? createBrowserVisibilityManager();
    this.#policy = resolveRetryPolicy({
      retries: Number.POSITIVE_INFINITY,
      baseDelayMs: options.initialIntervalMs ?? 1000,
      maxDelayMs: options.maxIntervalMs ?? 10_000,
      factor: options.factor ?? 1.5,
      jitter: options.jitter ?? 0.2,
      ...(options.random ? { random: options.random } : {}),
    });
    this.#timeoutMs = options.timeoutMs ?? 30 * 60_000;
  }

  /** Delay before poll number `poll` (0-based) after the first request: `backoffDelay` of the watcher's policy. */
  pollDelay(poll: number): number {
    return backoffDelay(poll + 1, this.#policy);
  }

  getAssetSnapshot = (assetId: string): AssetWatchSnapshot => this.#assets.get(assetId)?.snapshot ?? loadingAsset;

  getUploadSnapshot = (uploadId: string): UploadWatchSnapshot => this.#uploads.get(uploadId)?.snapshot ?? waitingUpload;

  /**
   * Subscribes to an asset; the first subscriber starts watching, the last one to leave stops it. A watch
   * that gave up (timeout, refused) starts again for a new subscriber; `ready` and `errored` are final.
   */
  subscribeAsset(assetId: string, listener: () => void): () => void {
    let entry = this.#assets.get(assetId);
    if (!entry) {
      entry = new Entry<AssetWatchSnapshot>(
        loadingAsset,
        (watched) => watched.snapshot.status === "ready" || watched.snapshot.status === "errored",
        (watched, end) => {
          if (watched.snapshot.status === "error") {
            const { asset } = watched.snapshot;
            watched.snapshot = asset ? assetSnapshot(asset) : loadingAsset;
          }
          return this.#watchAsset(assetId, watched, end);
        },
      );
      this.#assets.set(assetId, entry);
    }
    return entry.subscribe(listener);
  }

  /** Subscribes to an upload until its asset id is known. */
  subscribeUpload(uploadId: string, listener: () => void): () => void {
    let entry = this.#uploads.get(uploadId);
    if (!entry) {
      entry = new Entry<UploadWatchSnapshot>(
        waitingUpload,
        (watched) => watched.snapshot.status === "asset_created" || (watched.snapshot.status === "error" && !watched.gaveUp),
        (watched, end) => {
          watched.gaveUp = false;
          if (watched.snapshot.status === "error") watched.snapshot = waitingUpload;
          return this.#pollUpload(uploadId, watched, end);
        },
      );
      this.#uploads.set(uploadId, entry);
    }
    return entry.subscribe(listener);
  }

  /**
   * Resolves with the upload's asset once it is `ready`; rejects with a `VideoError` when processing
   * fails (`processing_failed`), the watch gives up (`timeout`) or `signal` aborts (`aborted`).
   */
  waitForReadyAsset(uploadId: string, options: { signal: AbortSignal; onAssetId?(assetId: string): void; onAsset?(asset: VideoAsset): void }): Promise<VideoAsset> {
    return new Promise((resolve, reject) => {
      const cleanups: Array<() => void> = [];
      const finish = (settle: () => void) => {
        for (const cleanup of cleanups.splice(0)) cleanup();
        settle();
      };
      const onAbort = () => finish(() => reject(createVideoError("aborted")));
      if (options.signal.aborted) return onAbort();
      options.signal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => options.signal.removeEventListener("abort", onAbort));

      let watchedAssetId: string | null = null;
      const onAssetChange = () => {
        if (watchedAssetId === null) return;
        const snapshot = this.getAssetSnapshot(watchedAssetId);
        if (snapshot.asset) options.onAsset?.(snapshot.asset);
        if (snapshot.status === "ready" && snapshot.asset) {
          const asset = snapshot.asset;
          finish(() => resolve(asset));
        } else if (snapshot.error) {
          const error = snapshot.error;
          finish(() => reject(error));
        }
      };
      const onUploadChange = () => {
        const snapshot = this.getUploadSnapshot(uploadId);
        if (snapshot.error) {
          const error = snapshot.error;
          finish(() => reject(error));
        } else if (snapshot.assetId !== null && watchedAssetId === null) {
          watchedAssetId = snapshot.assetId;
          options.onAssetId?.(snapshot.assetId);
          cleanups.push(this.subscribeAsset(snapshot.assetId, onAssetChange));
          onAssetChange();
        }
      };
      cleanups.push(this.subscribeUpload(uploadId, onUploadChange));
      onUploadChange();
    });
  }

  /** Stops every watch (subscribers keep their last snapshot). */
  dispose(): void {
    for (const entry of [...this.#assets.values(), ...this.#uploads.values()]) entry.dispose();
  }

  /** The next poll's delay: `retryDelay` of the policy (a failure's `Retry-After` wins), never before a quiet period ends. */
  #nextDelay(poll: number, error: VideoError | undefined): number {
    const now = Date.now();
    if (error?.retryAfter !== undefined) this.#quietUntil = Math.max(this.#quietUntil, now + error.retryAfter * 1000);
    const delay = error ? retryDelay(poll + 1, error, this.#policy) : backoffDelay(poll + 1, this.#policy);
    return Math.max(delay, this.#quietUntil - now);
  }

  /**
   * A poll loop: `fetchOnce` returns true when the watch is over. Requests wait while the page is
   * hidden; retryable failures keep polling; the loop gives up with `timeout` after `timeoutMs`.
   */
  #pollLoop(fetchOnce: (signal: AbortSignal) => Promise<boolean>, onFail: (error: VideoError) => void, end: () => void): () => void {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let poll = 0;
    let waitingForVisible = false;
    let stopped = false;

    const stop = () => {
      if (stopped) return;
      stopped = true;
      controller.abort();
      clearTimeout(timer);
      clearTimeout(deadline);
      unsubscribeVisibility();
      end();
    };
    const schedule = (delay: number) => {
      timer = setTimeout(() => void tick(), delay);
    };
    const tick = async () => {
      if (stopped) return;
      if (!this.#visibility.isVisible()) {
        waitingForVisible = true;
        return;
      }
      // Another watch of this watcher was told to wait (429 with Retry-After): so is this one.
      const quiet = this.#quietUntil - Date.now();
      if (quiet > 0) return schedule(quiet);
      let failure: VideoError | undefined;
      try {
        if (await fetchOnce(controller.signal)) return stop();
      } catch (thrown) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may have run during the await; TypeScript keeps the narrowing from before it (microsoft/TypeScript#9998)
        if (stopped || isAbortError(thrown)) return;
        failure = toVideoError(thrown);
        if (!failure.retryable) {
          stop();
          return onFail(failure);
        }
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may have run during the await; TypeScript keeps the narrowing from before it (microsoft/TypeScript#9998)
      if (!stopped) schedule(this.#nextDelay(poll++, failure));
    };
    const unsubscribeVisibility = this.#visibility.subscribe((visible) => {
      if (visible && waitingForVisible && !stopped) {
        waitingForVisible = false;
        void tick();
      }
    });
    const deadline = setTimeout(() => {
      stop();
      onFail(createVideoError("timeout", { details: { timeoutMs: this.#timeoutMs } }));
    }, this.#timeoutMs);
    void tick();
    return stop;
  }

  #pollUpload(uploadId: string, entry: Entry<UploadWatchSnapshot>, end: () => void): () => void {
    return this.#pollLoop(
      async (signal) => {
        const snapshot = uploadSnapshot(await this.#transport.getUpload(uploadId, { signal }));
        if (signal.aborted) return true;
        if (snapshot.status !== entry.snapshot.status || snapshot.assetId !== entry.snapshot.assetId) entry.publish(snapshot);
        return snapshot.status !== "waiting";
      },
      (error) => {
        entry.gaveUp = true;
        entry.publish({ status: "error", assetId: null, error });
      },
      end,
    );
  }

  #watchAsset(assetId: string, entry: Entry<AssetWatchSnapshot>, end: () => void): () => void {
    const fail = (error: VideoError) => entry.publish({ status: "error", asset: entry.snapshot.asset, error });
    const poll = () =>
      this.#pollLoop(
        async (signal) => {
          const asset = await this.#transport.getAsset(assetId, { signal });
          if (signal.aborted) return true;
          entry.publish(assetSnapshot(asset));
          return isFinalAsset(entry.snapshot);
        },
        fail,
        end,
      );

    const watchAsset = this.#transport.watchAsset?.bind(this.#transport);
    if (!watchAsset) return poll();

    // Two handles, never one variable: the push may fail synchronously, inside `watchAsset`, before it
    // returns its unsubscribe, and the poller started then must stay reachable.
    let unsubscribePush: (() => void) | undefined;
    let stopPolling: (() => void) | undefined;
    let pushing = true;
    let known = false;
    const initial = new AbortController();
    const stopPush = () => {
      if (!pushing) return;
      pushing = false;
      clearTimeout(deadline);
      initial.abort();
      unsubscribePush?.();
    };
    const stopAll = () => {
      if (!pushing) return;
      stopPush();
      end();
    };
    const deadline = setTimeout(() => {
      stopAll();
      fail(createVideoError("timeout", { details: { timeoutMs: this.#timeoutMs } }));
    }, this.#timeoutMs);
    const onChange = (asset: VideoAsset) => {
      if (!pushing) return;
      known = true;
      entry.publish(assetSnapshot(asset));
      if (isFinalAsset(entry.snapshot)) stopAll();
    };
    const onPushError = () => {
      if (!pushing) return;
      // The push channel failed: poll instead, under the poll loop's own deadline.
      stopPush();
      stopPolling = poll();
    };
    unsubscribePush = watchAsset(assetId, onChange, onPushError);
    // Failed before it returned: release the channel now that its handle exists.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a push that failed inside watchAsset() has cleared `pushing`; TypeScript does not see writes made in callbacks (microsoft/TypeScript#9998)
    if (!pushing) unsubscribePush();
    else {
      // Read the current state once too, in case the push only reports changes.
      this.#transport.getAsset(assetId, { signal: initial.signal }).then(
        (asset) => {
          if (!known) onChange(asset);
        },
        () => undefined,
      );
    }
    return () => {
      if (stopPolling) stopPolling();
      else stopAll();
    };
  }
}
