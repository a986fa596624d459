/**
 * Asset status served from memory, refreshed by webhooks and stale-while-revalidate, so a page of
 * viewers polling `GET /assets/:id` makes at most one backend call per asset at a time. Watchers (the
 * server-sent events route) hear every change; while someone watches an asset that is still preparing,
 * one poll per asset covers a lost webhook.
 *
 * Several instances share it through two optional parts (Redis: `lesson-video-kit/server/redis`): a
 * `SharedAssetStore` holds the entries and a per-asset refresh claim, so N instances make at most one
 * backend call per asset per refresh interval; an `AssetEventBus` carries each change (webhook or poll) to
 * every instance's watchers. When either is unreachable the cache works as for one instance: its own
 * memory, its own backend calls and polls.
 */
import type { VideoAsset } from "../core/types.js";

/** An asset as a shared store keeps it: what the backend or a webhook said, and when (ms since epoch). */
export interface SharedAssetEntry {
  /** The asset as the backend reported it, owner key and lesson id included: the routes filter it per viewer. */
  asset: VideoAsset;
  /** When the backend or webhook said it, ms since epoch. */
  fetchedAt: number;
}

/**
 * What `SharedAssetStore.set` did: stored a different asset, renewed the same one, or kept the settled asset
 * it had because the new one is preparing (an older answer arriving late).
 */
export type SharedAssetWrite = "changed" | "unchanged" | "kept";

/**
 * Asset entries several server instances share. Any method may reject (store unreachable): the cache then
 * falls back to its own memory and the backend, as with one instance.
 */
export interface SharedAssetStore {
  /** The stored entry, or undefined when there is none (or it expired). */
  get(assetId: string): Promise<SharedAssetEntry | undefined>;
  /** Stores the entry for `ttlMs`, unless a settled asset is stored and this one is preparing. */
  set(entry: SharedAssetEntry, ttlMs: number): Promise<SharedAssetWrite>;
  /** Drops a deleted asset's entry. */
  delete(assetId: string): Promise<void>;
  /** Takes the right to ask the backend about the asset for the next `ms`; false while another instance holds it. */
  claimRefresh(assetId: string, ms: number): Promise<boolean>;
  /** Gives a claim back early (the backend call failed), so a waiting instance may try at once. */
  releaseRefresh(assetId: string): Promise<void>;
}

/** One asset change as it travels between instances. */
export type AssetChange = { type: "changed"; asset: VideoAsset } | { type: "deleted"; assetId: string };

/** Carries asset changes between server instances. */
export interface AssetEventBus {
  /** Tells the other instances. May reject (bus unreachable): their watchers then hear it from their polls. */
  publish(change: AssetChange): Promise<void>;
  /** Hears what other instances publish until the returned function is called. */
  subscribe(listener: (change: AssetChange) => void): () => void;
}

/**
 * How the routes cache assets (`createVideoRoutes`' `assetCache`): reads within the fresh time are served
 * without asking the backend, and watched preparing assets (open event streams) are polled. Pass `store`
 * and `events` (e.g. from `lesson-video-kit/server/redis`) when several server instances serve the routes.
 */
export interface AssetCacheOptions {
  /** How long a preparing asset is served without asking the backend. Default 2 s. */
  freshMs?: number | undefined;
  /** How long a ready or errored asset is served without asking. Default 60 s. */
  settledFreshMs?: number | undefined;
  /** How long past fresh an entry is still served while a refresh runs in the background. Default 5 min. */
  maxStaleMs?: number | undefined;
  /** Most assets kept in this process. Default 1000. */
  maxEntries?: number | undefined;
  /** While watched and preparing, ask the backend this often (all instances together, with a shared `store`). Default 5 s. */
  watchPollMs?: number | undefined;
  /** Entries and refresh claims shared by several instances. Default: none (this process only). */
  store?: SharedAssetStore | undefined;
  /** Asset changes shared by several instances. Default: none (this process only). */
  events?: AssetEventBus | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

export type AssetListener = (asset: VideoAsset) => void;

interface Entry {
  asset: VideoAsset;
  fetchedAt: number;
  serialized: string;
}

type Timings = "freshMs" | "settledFreshMs" | "maxStaleMs" | "maxEntries" | "watchPollMs";

const isSettled = (asset: VideoAsset) => asset.status !== "preparing";
/** What a shared-store call answers when the store could not be reached. */
const unreachable = Symbol("unreachable");

export class AssetCache {
  readonly #load: (assetId: string) => Promise<VideoAsset>;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #options: { [K in Timings]-?: NonNullable<AssetCacheOptions[K]> };
  readonly #now: () => number;
  readonly #store: SharedAssetStore | undefined;
  readonly #events: AssetEventBus | undefined;
  readonly #unsubscribe: () => void;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<VideoAsset>>();
  readonly #listeners = new Map<string, Set<AssetListener>>();
  readonly #polls = new Map<string, ReturnType<typeof setInterval>>();
  /** False after a shared call failed, until one succeeds: an outage is reported once, not per request. */
  #sharedReachable = true;

  constructor(
    load: (assetId: string) => Promise<VideoAsset>,
    options: AssetCacheOptions = {},
    onBackgroundError: (error: unknown) => void = () => {},
  ) {
    this.#load = load;
    this.#onBackgroundError = onBackgroundError;
    this.#now = options.now ?? Date.now;
    this.#options = {
      freshMs: options.freshMs ?? 2_000,
      settledFreshMs: options.settledFreshMs ?? 60_000,
      maxStaleMs: options.maxStaleMs ?? 300_000,
      maxEntries: options.maxEntries ?? 1000,
      watchPollMs: options.watchPollMs ?? 5_000,
    };
    this.#store = options.store;
    this.#events = options.events;
    this.#unsubscribe = this.#events?.subscribe((change) => this.#applyRemote(change)) ?? (() => {});
  }

  /** The asset, from memory when fresh enough; backend errors (e.g. not found) propagate. */
  async get(assetId: string): Promise<VideoAsset> {
    const entry = this.#entries.get(assetId);
    if (entry) {
      const age = this.#now() - entry.fetchedAt;
      const fresh = this.#freshFor(entry.asset);
      if (age < fresh) return entry.asset;
      if (age < fresh + this.#options.maxStaleMs) {
        this.#refresh(assetId, fresh).catch(this.#onBackgroundError);
        return entry.asset;
      }
    }
    return this.#refresh(assetId, this.#options.freshMs);
  }

  /** The cached asset, however old, without asking the backend. */
  peek(assetId: string): VideoAsset | undefined {
    return this.#entries.get(assetId)?.asset;
  }

  /** Stores what a webhook said about an asset, tells its watchers when it changed, and shares it. */
  set(asset: VideoAsset): void {
    this.#accept(asset, this.#now());
  }

  /** Drops a deleted asset, so the next viewer asks the backend (and hears that it is gone). */
  forget(assetId: string): void {
    this.#entries.delete(assetId);
    if (!this.#store && !this.#events) return;
    this.#shared(async () => {
      await this.#store?.delete(assetId);
      await this.#events?.publish({ type: "deleted", assetId });
    });
  }

  /** Calls `listener` on every change of the asset until the returned function is called. */
  watch(assetId: string, listener: AssetListener): () => void {
    let listeners = this.#listeners.get(assetId);
    if (!listeners) this.#listeners.set(assetId, (listeners = new Set()));
    listeners.add(listener);
    this.#startPolling(assetId);
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      this.#listeners.delete(assetId);
      this.#stopPolling(assetId);
    };
  }

  /** Stops every poll and stops hearing other instances; the cache keeps answering `get`. */
  close(): void {
    for (const id of [...this.#polls.keys()]) this.#stopPolling(id);
    this.#unsubscribe();
  }

  #freshFor(asset: VideoAsset): number {
    return isSettled(asset) ? this.#options.settledFreshMs : this.#options.freshMs;
  }

  /**
   * Keeps `asset` in memory and tells this process's watchers when it changed. Assets never go back to
   * preparing: an older answer arriving late must not undo a webhook's news. Returns what is kept.
   */
  #keep(asset: VideoAsset, fetchedAt: number): { kept: VideoAsset; changed: boolean } {
    const current = this.#entries.get(asset.id);
    if (current && isSettled(current.asset) && !isSettled(asset)) return { kept: current.asset, changed: false };
    const serialized = JSON.stringify(asset);
    this.#entries.delete(asset.id);
    this.#entries.set(asset.id, { asset, fetchedAt, serialized });
    this.#evict();
    if (current?.serialized === serialized) return { kept: asset, changed: false };
    for (const listener of this.#listeners.get(asset.id) ?? []) listener(asset);
    if (isSettled(asset)) this.#stopPolling(asset.id);
    return { kept: asset, changed: true };
  }

  /** News from the backend or a webhook: kept here, then written to the shared store and published. */
  #accept(asset: VideoAsset, fetchedAt: number): VideoAsset {
    const { kept, changed } = this.#keep(asset, fetchedAt);
    const store = this.#store;
    const events = this.#events;
    if (store) {
      const ttlMs = this.#freshFor(asset) + this.#options.maxStaleMs;
      this.#shared(async () => {
        const write = await store.set({ asset, fetchedAt }, ttlMs);
        if (write === "changed") await events?.publish({ type: "changed", asset });
        if (write !== "kept") return;
        // Another instance stored a settled asset meanwhile: adopt it.
        const held = await store.get(asset.id);
        if (held) this.#keep(held.asset, held.fetchedAt);
      });
    } else if (events && changed) {
      this.#shared(() => events.publish({ type: "changed", asset }));
    }
    return kept;
  }

  #applyRemote(change: AssetChange): void {
    if (change.type === "deleted") {
      this.#entries.delete(change.assetId);
      return;
    }
    // Only assets this process serves or watches; the shared store has the rest.
    const id = change.asset.id;
    if (this.#entries.has(id) || this.#listeners.has(id)) this.#keep(change.asset, this.#now());
  }

  /**
   * One refresh per asset at a time in this process. With a shared store, also one per asset and `windowMs`
   * across instances: an entry younger than that is used as it is, and only the instance that claims the
   * refresh asks the backend. Ages count from when a refresh started (`startedAt`, a poll's tick), so an
   * instance polling every `windowMs` finds its own last answer just old enough.
   */
  #refresh(assetId: string, windowMs: number, startedAt = this.#now()): Promise<VideoAsset> {
    const pending = this.#loading.get(assetId);
    if (pending) return pending;
    const loading = (
      this.#store ? this.#refreshShared(this.#store, assetId, windowMs, startedAt) : this.#fetch(assetId, startedAt)
    ).finally(() => this.#loading.delete(assetId));
    this.#loading.set(assetId, loading);
    return loading;
  }

  /** Asks the backend; the answer counts as of `startedAt` (the backend may have changed since). */
  async #fetch(assetId: string, startedAt: number): Promise<VideoAsset> {
    const asset = await this.#load(assetId);
    return this.#accept(asset, startedAt);
  }

  async #refreshShared(store: SharedAssetStore, assetId: string, windowMs: number, startedAt: number): Promise<VideoAsset> {
    // A little less than the window, so timer jitter never makes a poll skip its turn.
    const usableMs = windowMs - Math.min(windowMs / 10, 50);
    const shared = await this.#tryShared(() => store.get(assetId));
    if (shared === unreachable) return this.#fetch(assetId, startedAt);
    if (shared && startedAt - shared.fetchedAt < usableMs) return this.#adopt(shared);
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const claimMs = Math.max(1, Math.round(usableMs - (this.#now() - startedAt)));
      const claimed = await this.#tryShared(() => store.claimRefresh(assetId, claimMs));
      if (claimed !== false) return this.#fetchClaimed(store, assetId, startedAt);
      // Another instance is asking the backend and will store and publish what it hears.
      if (shared) return this.#adopt(shared);
      if (this.#now() - startedAt >= usableMs) return this.#fetch(assetId, startedAt);
      await new Promise((resolve) => setTimeout(resolve, wait));
      const stored = await this.#tryShared(() => store.get(assetId));
      if (stored === unreachable) return this.#fetch(assetId, startedAt);
      if (stored) return this.#adopt(stored);
    }
  }

  /** A shared entry, unless this process heard something newer (a webhook whose write did not reach the store). */
  #adopt(entry: SharedAssetEntry): VideoAsset {
    const local = this.#entries.get(entry.asset.id);
    if (local && local.fetchedAt > entry.fetchedAt) return local.asset;
    return this.#keep(entry.asset, entry.fetchedAt).kept;
  }

  async #fetchClaimed(store: SharedAssetStore, assetId: string, startedAt: number): Promise<VideoAsset> {
    try {
      return await this.#fetch(assetId, startedAt);
    } catch (error) {
      this.#shared(() => store.releaseRefresh(assetId));
      throw error;
    }
  }

  /** A shared-store call, or `unreachable` when it failed (reported once per outage). */
  async #tryShared<T>(call: () => Promise<T>): Promise<T | typeof unreachable> {
    try {
      const result = await call();
      this.#sharedReachable = true;
      return result;
    } catch (error) {
      this.#reportShared(error);
      return unreachable;
    }
  }

  /** A shared write in the background; a failure is reported once per outage and changes nothing here. */
  #shared(work: () => Promise<void>): void {
    work().then(
      () => {
        this.#sharedReachable = true;
      },
      (error: unknown) => this.#reportShared(error),
    );
  }

  #reportShared(error: unknown): void {
    if (!this.#sharedReachable) return;
    this.#sharedReachable = false;
    this.#onBackgroundError(error);
  }

  #startPolling(assetId: string): void {
    if (this.#polls.has(assetId)) return;
    const entry = this.#entries.get(assetId);
    if (entry && isSettled(entry.asset)) return;
    const timer = setInterval(() => {
      this.#refresh(assetId, this.#options.watchPollMs, this.#now()).catch(this.#onBackgroundError);
    }, this.#options.watchPollMs);
    // A watched asset must not keep a server process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    this.#polls.set(assetId, timer);
  }

  #stopPolling(assetId: string): void {
    const timer = this.#polls.get(assetId);
    if (timer === undefined) return;
    clearInterval(timer);
    this.#polls.delete(assetId);
  }

  #evict(): void {
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries) return;
      if (!this.#listeners.has(id)) this.#entries.delete(id);
    }
  }
}
