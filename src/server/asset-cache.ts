/**
 * Asset status served from memory, refreshed by webhooks and stale-while-revalidate, so a page of
 * viewers polling `GET /assets/:id` makes at most one backend call per asset at a time. Watchers (the
 * server-sent events route) hear every change; while someone watches an asset that is still preparing,
 * one poll per asset covers a lost webhook.
 */
import type { VideoAsset } from "../core/types.js";

export interface AssetCacheOptions {
  /** How long a preparing asset is served without asking the backend. Default 2 s. */
  freshMs?: number | undefined;
  /** How long a ready or errored asset is served without asking. Default 60 s. */
  settledFreshMs?: number | undefined;
  /** How long past fresh an entry is still served while a refresh runs in the background. Default 5 min. */
  maxStaleMs?: number | undefined;
  /** Most assets kept. Default 1000. */
  maxEntries?: number | undefined;
  /** While watched and preparing, ask the backend this often. Default 5 s. */
  watchPollMs?: number | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

export type AssetListener = (asset: VideoAsset) => void;

interface Entry {
  asset: VideoAsset;
  fetchedAt: number;
  serialized: string;
}

const isSettled = (asset: VideoAsset) => asset.status !== "preparing";

export class AssetCache {
  readonly #load: (assetId: string) => Promise<VideoAsset>;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #options: { [K in Exclude<keyof AssetCacheOptions, "now">]-?: NonNullable<AssetCacheOptions[K]> };
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<VideoAsset>>();
  readonly #listeners = new Map<string, Set<AssetListener>>();
  readonly #polls = new Map<string, ReturnType<typeof setInterval>>();

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
  }

  /** The asset, from memory when fresh enough; backend errors (e.g. not found) propagate. */
  async get(assetId: string): Promise<VideoAsset> {
    const entry = this.#entries.get(assetId);
    if (entry) {
      const age = this.#now() - entry.fetchedAt;
      const fresh = isSettled(entry.asset) ? this.#options.settledFreshMs : this.#options.freshMs;
      if (age < fresh) return entry.asset;
      if (age < fresh + this.#options.maxStaleMs) {
        this.#refresh(assetId).catch(this.#onBackgroundError);
        return entry.asset;
      }
    }
    return this.#refresh(assetId);
  }

  /** The cached asset, however old, without asking the backend. */
  peek(assetId: string): VideoAsset | undefined {
    return this.#entries.get(assetId)?.asset;
  }

  /** Stores what a webhook said about an asset and tells its watchers when it changed. */
  set(asset: VideoAsset): void {
    const current = this.#entries.get(asset.id);
    // Assets never go back to preparing; an older answer arriving late must not undo a webhook's news.
    if (current && isSettled(current.asset) && !isSettled(asset)) return;
    const serialized = JSON.stringify(asset);
    this.#entries.delete(asset.id);
    this.#entries.set(asset.id, { asset, fetchedAt: this.#now(), serialized });
    this.#evict();
    if (current?.serialized === serialized) return;
    for (const listener of this.#listeners.get(asset.id) ?? []) listener(asset);
    if (isSettled(asset)) this.#stopPolling(asset.id);
  }

  /** Drops a deleted asset, so the next viewer asks the backend (and hears that it is gone). */
  forget(assetId: string): void {
    this.#entries.delete(assetId);
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

  /** Stops every poll; the cache keeps answering `get`. */
  close(): void {
    for (const id of [...this.#polls.keys()]) this.#stopPolling(id);
  }

  #refresh(assetId: string): Promise<VideoAsset> {
    const pending = this.#loading.get(assetId);
    if (pending) return pending;
    const loading = this.#load(assetId)
      .then((asset) => {
        this.set(asset);
        return this.#entries.get(assetId)?.asset ?? asset;
      })
      .finally(() => this.#loading.delete(assetId));
    this.#loading.set(assetId, loading);
    return loading;
  }

  #startPolling(assetId: string): void {
    if (this.#polls.has(assetId)) return;
    const entry = this.#entries.get(assetId);
    if (entry && isSettled(entry.asset)) return;
    const timer = setInterval(() => {
      this.#refresh(assetId).catch(this.#onBackgroundError);
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
