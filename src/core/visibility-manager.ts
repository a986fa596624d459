import { Subscribable } from "./subscribable.js";

/** Whether the page is visible, as a small injectable source; polling waits while the page is hidden. */
export interface VisibilitySource {
  isVisible(): boolean;
  /** Called with the new value on every change. Returns an unsubscribe function. */
  subscribe(listener: (visible: boolean) => void): () => void;
}

type Setup = (setVisible: (visible: boolean) => void) => (() => void) | void;

export class VisibilityManager extends Subscribable<(visible: boolean) => void> implements VisibilitySource {
  #visible: boolean;
  #setup: Setup | undefined;
  #teardown: (() => void) | undefined;

  constructor(setup?: Setup, initiallyVisible = true) {
    super();
    this.#setup = setup;
    this.#visible = initiallyVisible;
  }

  isVisible(): boolean {
    return this.#visible;
  }

  setVisible(visible: boolean): void {
    if (visible === this.#visible) return;
    this.#visible = visible;
    this.notifyListeners(visible);
  }

  protected override onSubscribe(): void {
    if (this.listeners.size === 1 && this.#setup) this.#teardown = this.#setup((visible) => this.setVisible(visible)) ?? undefined;
  }

  protected override onUnsubscribe(): void {
    if (this.hasListeners()) return;
    this.#teardown?.();
    this.#teardown = undefined;
  }
}

/** Follows `document.visibilityState`. Safe on the server: without `document` it stays visible. */
export function createBrowserVisibilityManager(): VisibilityManager {
  return new VisibilityManager((setVisible) => {
    if (typeof document === "undefined") return;
    const update = () => setVisible(document.visibilityState !== "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  });
}
