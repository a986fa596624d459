/** Code loaded with `import()` once per page and shared by whoever needs it, e.g. the upload's work or a component's views. */
export interface LazyModule<Module> {
  /** Starts (or joins) the load; a failed load is tried again by the next call. Bound: pass it on as it is. */
  load: () => Promise<Module>;
  /** The module, once loaded. */
  loaded: () => Module | undefined;
  /** Calls `listener` once the module has loaded (whoever started the load); returns the unsubscribe. */
  onLoad(listener: () => void): () => void;
}

/**
 * Wraps an `import()` so a page loads it once, shares it, and can retry it after a failure (offline, a chunk
 * gone after a deploy). Bundlers put what `importer` imports in a chunk of its own. `load` needs no `this`.
 */
export function lazyModule<Module>(importer: () => Promise<Module>): LazyModule<Module> {
  let module: Module | undefined;
  let loading: Promise<Module> | undefined;
  const listeners = new Set<() => void>();
  return {
    load: () =>
      (loading ??= importer().then(
        (loaded) => {
          module = loaded;
          for (const listener of [...listeners]) listener();
          return loaded;
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
    loaded: () => module,
    onLoad(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
