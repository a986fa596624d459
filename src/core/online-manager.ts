import { Subscribable } from "./subscribable.js";
import { createVideoError } from "./video-error.js";

/**
 * Whether the browser is online, as a small injectable source (tests drive it without a browser).
 * Like TanStack Query's onlineManager, but one per provider, never a module-level singleton.
 */
export interface OnlineSource {
  isOnline(): boolean;
  /** Called with the new value on every change. Returns an unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

type Setup = (setOnline: (online: boolean) => void) => (() => void) | void;

export class OnlineManager extends Subscribable<(online: boolean) => void> implements OnlineSource {
  #online = true;
  #setup: Setup | undefined;
  #teardown: (() => void) | undefined;

  /** `setup` attaches the real event source on first subscribe and returns its cleanup. */
  constructor(setup?: Setup) {
    super();
    this.#setup = setup;
  }

  isOnline(): boolean {
    return this.#online;
  }

  setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    this.notifyListeners(online);
  }

  protected override onSubscribe(): void {
    if (this.listeners.size === 1 && this.#setup) this.#teardown = this.#setup((online) => this.setOnline(online)) ?? undefined;
  }

  protected override onUnsubscribe(): void {
    if (this.hasListeners()) return;
    this.#teardown?.();
    this.#teardown = undefined;
  }
}

/**
 * Follows the window's `online`/`offline` events. It starts as online whatever `navigator.onLine` says:
 * that flag is wrong on some systems and an upload that never starts is worse than one that retries
 * (upchunk #157). Safe on the server: without `window` it stays online.
 */
export function createBrowserOnlineManager(): OnlineManager {
  return new OnlineManager((setOnline) => {
    if (typeof window === "undefined") return;
    const online = () => setOnline(true);
    const offline = () => setOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
    };
  });
}

/** Resolves once `source` is online (at once if it already is); rejects when `signal` aborts. */
export function waitForOnline(source: OnlineSource, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(createVideoError("aborted"));
  if (source.isOnline()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = source.subscribe((online) => {
      if (!online) return;
      cleanup();
      resolve();
    });
    const onAbort = () => {
      cleanup();
      reject(createVideoError("aborted"));
    };
    const cleanup = () => {
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
