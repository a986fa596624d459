import type { AssetWatcherOptions, AssetWatchSnapshot, UploadWatchSnapshot } from "./asset-watcher.js";
import { lazyModule, type LazyModule } from "./lazy-module.js";
import type { VideoAsset } from "./types.js";
import { createVideoError, toVideoError } from "./errors.js";

/** What `waitForReadyAsset` takes besides the upload id. */
export interface WaitForReadyAssetOptions {
  /** Aborting rejects the wait with `aborted`. */
  signal: AbortSignal;
  /** Called once the backend created the upload's asset. */
  onAssetId?: ((assetId: string) => void) | undefined;
  /** Called with every new state of the asset while it processes. */
  onAsset?: ((asset: VideoAsset) => void) | undefined;
}

/**
 * What the upload controller and `useAsset` use of an asset watcher: the `AssetWatcher` the kit exports,
 * or any object of this shape (a test double, a watcher of your own).
 */
export interface AssetWatcherLike {
  /**
   * What is known about `assetId` now (`loading` before the first answer). The same object between two
   * notifications, so it can back `useSyncExternalStore`.
   */
  getAssetSnapshot(assetId: string): AssetWatchSnapshot;
  /** What is known about `uploadId`'s asset now (`waiting` until the backend created it), the same object between notifications. */
  getUploadSnapshot(uploadId: string): UploadWatchSnapshot;
  /** Subscribes to an asset until it is `ready` or `errored`; returns the unsubscribe. */
  subscribeAsset(assetId: string, listener: () => void): () => void;
  /** Subscribes to an upload until its asset id is known; returns the unsubscribe. */
  subscribeUpload(uploadId: string, listener: () => void): () => void;
  /** Resolves with the upload's asset once it is `ready`; rejects with a `VideoError` otherwise. */
  waitForReadyAsset(uploadId: string, options: WaitForReadyAssetOptions): Promise<VideoAsset>;
  /** Stops every watch. */
  dispose(): void;
}

/** The class with `AssetWatcher`'s polling and server-sent-events code, which `AssetWatcher` loads on first use. */
export type AssetWatcherEngine = new (options: AssetWatcherOptions) => AssetWatcherLike;

/** A subscription made before the code arrived; attached to the engine once it does. */
interface PendingSubscription {
  attach(engine: AssetWatcherLike): () => void;
  listener(): void;
  detach: (() => void) | undefined;
}

/** Snapshot for "no asset id yet". */
export const idleAssetSnapshot: AssetWatchSnapshot = { status: "idle", asset: null, error: null };
const loadingAsset: AssetWatchSnapshot = { status: "loading", asset: null, error: null };
const waitingUpload: UploadWatchSnapshot = { status: "waiting", assetId: null, error: null };

const loadEngine = (): Promise<AssetWatcherEngine> => import("./asset-watcher.js").then((module) => module.AssetWatcher);

/**
 * Watches uploads until the backend creates their asset, and assets until they are `ready` or `errored`,
 * one shared watch per id (N components watching one asset make one request per tick): polling with
 * backoff while the page is visible, or the transport's `watchAsset` push. Its code (polling, server-sent
 * events) loads when something first watches, e.g. an upload reaching its last bytes, so a page showing
 * an idle uploader never downloads it; until then snapshots read `loading` / `waiting`. When the code
 * cannot load (a chunk missing after a deploy, the network), snapshots and `waitForReadyAsset` carry a
 * retryable `network` error and the next subscriber or wait loads again.
 *
 * Exported as `AssetWatcher`.
 *
 * @example
 * const watcher = new AssetWatcher({ transport: createHttpTransport() });
 * const stop = watcher.subscribeAsset(assetId, () => console.log(watcher.getAssetSnapshot(assetId).status));
 */
export class LazyAssetWatcher implements AssetWatcherLike {
  /** This watcher's engine, made once its code has loaded; a failed load is tried again by the next subscriber or wait. */
  readonly #engine: LazyModule<AssetWatcherLike>;
  /** The load whose outcome subscribers were last told of (once per attempt, however many wait on it). */
  #loading: Promise<AssetWatcherLike> | undefined;
  /** Snapshots after a failed load, until a new subscriber or wait tries again. */
  #failure: { asset: AssetWatchSnapshot; upload: UploadWatchSnapshot } | undefined;
  readonly #pending = new Set<PendingSubscription>();

  /**
   * @param load - Loads the polling and server-sent-events code. Default: a dynamic `import()` of the kit's
   * own, which bundlers put in a chunk of its own. Tests pass one that fails.
   */
  constructor(options: AssetWatcherOptions, load: () => Promise<AssetWatcherEngine> = loadEngine) {
    this.#engine = lazyModule(() =>
      load().then(
        (Engine) => new Engine(options),
        (thrown: unknown) => {
          throw createVideoError("network", { cause: thrown, details: { module: "asset-watcher" } });
        },
      ),
    );
  }

  /**
   * What is known about `assetId` now: `loading` before the first answer (and while the code loads). The
   * same object between two notifications; a bound function, so `useSyncExternalStore` can take it as is.
   */
  getAssetSnapshot = (assetId: string): AssetWatchSnapshot =>
    this.#engine.loaded()?.getAssetSnapshot(assetId) ?? this.#failure?.asset ?? loadingAsset;

  /**
   * What is known about `uploadId`'s asset now: `waiting` until the backend created it, then its id. The
   * same object between two notifications; a bound function.
   */
  getUploadSnapshot = (uploadId: string): UploadWatchSnapshot =>
    this.#engine.loaded()?.getUploadSnapshot(uploadId) ?? this.#failure?.upload ?? waitingUpload;

  /**
   * Subscribes to an asset; the first subscriber starts watching, the last one to leave stops it. A watch
   * that gave up (timeout, refused) starts again for a new subscriber; `ready` and `errored` are final.
   */
  subscribeAsset(assetId: string, listener: () => void): () => void {
    return this.#subscribe((engine) => engine.subscribeAsset(assetId, listener), listener);
  }

  /** Subscribes to an upload until its asset id is known. */
  subscribeUpload(uploadId: string, listener: () => void): () => void {
    return this.#subscribe((engine) => engine.subscribeUpload(uploadId, listener), listener);
  }

  /**
   * Resolves with the upload's asset once it is `ready`; rejects with a `VideoError` when processing
   * fails (`processing_failed`), the watch gives up (`timeout`), `signal` aborts (`aborted`) or the
   * watcher's code cannot load (`network`, retryable).
   */
  waitForReadyAsset(uploadId: string, options: WaitForReadyAssetOptions): Promise<VideoAsset> {
    const engine = this.#engine.loaded();
    if (engine) return engine.waitForReadyAsset(uploadId, options);
    return new Promise<AssetWatcherLike>((resolve, reject) => {
      const onAbort = () => reject(createVideoError("aborted"));
      if (options.signal.aborted) return onAbort();
      options.signal.addEventListener("abort", onAbort, { once: true });
      this.#get()
        .then(resolve, reject)
        .finally(() => options.signal.removeEventListener("abort", onAbort));
    }).then((engine) => engine.waitForReadyAsset(uploadId, options));
  }

  /** Stops every watch (subscribers keep their last snapshot); the watcher stays usable. */
  dispose(): void {
    this.#pending.clear();
    this.#engine.loaded()?.dispose();
  }

  #subscribe(attach: (engine: AssetWatcherLike) => () => void, listener: () => void): () => void {
    const engine = this.#engine.loaded();
    if (engine) return attach(engine);
    const pending: PendingSubscription = { attach, listener, detach: undefined };
    this.#get().catch(() => undefined);
    this.#pending.add(pending);
    return () => {
      this.#pending.delete(pending);
      pending.detach?.();
      pending.detach = undefined;
    };
  }

  #get(): Promise<AssetWatcherLike> {
    if (this.#failure) {
      // Loading again: subscribers read `loading` / `waiting` until this attempt settles.
      this.#failure = undefined;
      this.#notifyPending();
    }
    const loading = this.#engine.load();
    if (loading !== this.#loading) {
      this.#loading = loading;
      // Runs once `lazyModule` has kept the engine or forgotten the failed load, so a subscriber told of the
      // failure can start the next attempt.
      loading.then(
        (engine) => {
          for (const pending of [...this.#pending]) {
            this.#pending.delete(pending);
            pending.detach = pending.attach(engine);
            // Snapshots now come from the engine: read them again.
            pending.listener();
          }
        },
        (thrown: unknown) => {
          const error = toVideoError(thrown);
          this.#failure = { asset: { status: "error", asset: null, error }, upload: { status: "error", assetId: null, error } };
          this.#notifyPending();
        },
      );
    }
    return loading;
  }

  #notifyPending(): void {
    for (const pending of [...this.#pending]) pending.listener();
  }
}
