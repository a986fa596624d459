// Types of scripts/esm-build.mjs for tsup.config.ts.
/** Writes a built ESM file's `export * from` lines out as the names they export. */
export function expandStarExports(file: string): Promise<void>;
/** Rewrites each lazy module of the ESM build in `outDir` as one file (see esm-build.mjs); returns their paths. */
export function bundleLazyChunks(outDir: string, options?: { sourcemap?: boolean }): Promise<string[]>;
