"use client";
import { useEffect, useState } from "react";
import type { LazyModule } from "../../core/lazy-module.js";

/** What `useLazyModule` gives a component: the module once loaded, whether its load failed, and a retry. */
export interface LazyModuleState<Module> {
  module: Module | undefined;
  failed: boolean;
  reload: () => void;
}

/**
 * Loads `lazy` when the component mounts (in the background: the component renders without it first) and
 * renders again once it arrived; with `enabled` false, not until it turns true. `failed` when the latest
 * attempt could not load; it stays until `reload()` starts the next attempt or the module arrives (another
 * component's retry, or `enabled` turning true again, which loads once more).
 */
export function useLazyModule<Module>(lazy: LazyModule<Module>, enabled = true): LazyModuleState<Module> {
  const [module, setModule] = useState(() => lazy.loaded());
  const [attempt, setAttempt] = useState(0);
  // The attempt whose load failed: a new attempt is not failed without any state set when it starts.
  const [failedAttempt, setFailedAttempt] = useState<number | null>(null);
  useEffect(() => {
    if (module || !enabled) return;
    let live = true;
    // Another component's retry may be the one that loads it.
    const stop = lazy.onLoad(() => setModule(() => lazy.loaded()));
    lazy.load().then(
      (loaded) => live && setModule(() => loaded),
      () => live && setFailedAttempt(attempt),
    );
    return () => {
      live = false;
      stop();
    };
  }, [lazy, module, attempt, enabled]);
  return { module, failed: !module && failedAttempt === attempt, reload: () => setAttempt((n) => n + 1) };
}
