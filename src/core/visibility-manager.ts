import { BooleanSource } from "./subscribable.js";

/** Whether the page is visible, as a small injectable source; polling waits while the page is hidden. */
export interface VisibilitySource {
  isVisible(): boolean;
  /** Called with the new value on every change. Returns an unsubscribe function. */
  subscribe(listener: (visible: boolean) => void): () => void;
}

type Setup = (setVisible: (visible: boolean) => void) => (() => void) | undefined;

export class VisibilityManager extends BooleanSource implements VisibilitySource {
  constructor(setup?: Setup, initiallyVisible = true) {
    super(setup, initiallyVisible);
  }

  isVisible(): boolean {
    return this.value;
  }

  setVisible(visible: boolean): void {
    this.value = visible;
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
