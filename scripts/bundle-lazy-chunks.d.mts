/** Rewrites each lazy module of the ESM build in `outDir` as one file (see bundle-lazy-chunks.mjs); returns their paths. */
export function bundleLazyChunks(outDir: string, options?: { sourcemap?: boolean }): Promise<string[]>;
