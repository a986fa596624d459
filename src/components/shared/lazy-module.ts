"use client";
import { useEffect, useState } from "react";

/** A module a component loads with `import()` once per page: components render from it once it arrived. */
export interface LazyModule<Module> {
  /** Starts (or joins) the load; a failed load is tried again by the next call. */
  load(): Promise<Module>;
  /** The module, once loaded. */
  loaded(): Module | undefined;
  /** Calls `listener` once the module has loaded (whoever started the load); returns the unsubscribe. */
  onLoad(listener: () => void): () => void;
}

/**
 * Wraps an `import()` so a page loads it once, shares it between components, and can retry it after a
 * failure (offline, a chunk gone after a deploy). Bundlers put what `importer` imports in a chunk of its own.
 */
export function lazyModule<Module>(importer: () => Promise<Module>): LazyModule<Module> {
  let module: Module | undefined;
  let loading: Promise<Module> | undefined;
  const listeners = new Set<() => void>();
  return {
    load() {
      loading ??= importer().then(
        (loaded) => {
          module = loaded;
          for (const listener of [...listeners]) listener();
          return loaded;
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    loaded: () => module,
    onLoad(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What `useLazyModule` gives a component: the module once loaded, whether its load failed, and a retry. */
export interface LazyModuleState<Module> {
  module: Module | undefined;
  failed: boolean;
  reload: () => void;
}

/**
 * Loads `lazy` when the component mounts (in the background: the component renders without it first) and
 * renders again once it arrived; with `enabled` false, not until it turns true. `failed` when it could not
 * load; `reload` tries again.
 */
export function useLazyModule<Module>(lazy: LazyModule<Module>, enabled = true): LazyModuleState<Module> {
  const [module, setModule] = useState(() => lazy.loaded());
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (module || !enabled) return;
    let live = true;
    // Another component's retry may be the one that loads it.
    const stop = lazy.onLoad(() => setModule(() => lazy.loaded()));
    setFailed(false);
    lazy.load().then(
      (loaded) => live && setModule(() => loaded),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      stop();
    };
  }, [lazy, module, attempt, enabled]);
  return { module, failed, reload: () => setAttempt((n) => n + 1) };
}
