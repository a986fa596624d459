import { BooleanSource } from "./subscribable.js";

/**
 * Whether the browser is online, as a small injectable source (tests drive it without a browser).
 * Like TanStack Query's onlineManager, but one per provider, never a module-level singleton.
 */
export interface OnlineSource {
  isOnline(): boolean;
  /** Called with the new value on every change. Returns an unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

type Setup = (setOnline: (online: boolean) => void) => (() => void) | undefined;

export class OnlineManager extends BooleanSource implements OnlineSource {
  /** `setup` attaches the real event source on first subscribe and returns its cleanup. */
  constructor(setup?: Setup) {
    super(setup, true);
  }

  isOnline(): boolean {
    return this.value;
  }

  setOnline(online: boolean): void {
    this.value = online;
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
