/**
 * The kit's code-split chunks (the asset watcher, the upload work, the uploader's views), imported before
 * a test file that runs on fake timers. The kit loads them with `import()`, and a module that is not yet in
 * Vitest's module graph loads through timers these files have faked; once loaded, the kit's own `import()`
 * resolves at once, as it does in a browser that has the chunk cached. Tests of the loading itself
 * (test/unit/lazy-watcher.test.ts) stay on real timers.
 */
export const loadLazyChunks = (): Promise<unknown> =>
  Promise.all([
    import("../../../src/core/asset-watcher.js"),
    import("../../../src/core/upload-work.js"),
    import("../../../src/components/video/organisms/uploader-views.js"),
  ]);
