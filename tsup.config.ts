import { readdirSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { defineConfig, type Options } from "tsup";
import { bundleLazyChunks, expandStarExports } from "./scripts/esm-build.mjs";

/**
 * The package build, in three parts.
 *
 * - **ESM: one file per source module** (`dist/esm/…`, the tree of `src/`, transpiled, not bundled). An app's
 *   bundler then sees the kit's modules as they are and splits them at module granularity: what
 *   `VideoUploader` loads with `import()` (its progress/error/finished views, the upload's work, the
 *   asset watcher) stays out of the page's first load even though the root entry also exports those
 *   building blocks. A bundled file would carry them together with what the first load needs. Every
 *   entry point (`lesson-video-kit`, `/core`, `/server`, …) imports the same files, so `UploadController`,
 *   `VideoError` and `VideoTransport` are one class and one type from any entry. Each module loaded with
 *   `import()` is then rewritten as one file carrying the parts only it uses (scripts/esm-build.mjs), so
 *   bundlers that place whole files by static reachability (esbuild, webpack) keep those parts out of the first
 *   load even from the root entry, which re-exports them.
 * - **CJS: bundled entries with shared chunks** (`dist/*.cjs`), for `require()` (Node scripts, Jest): esbuild
 *   splits what two entries share into chunks, so the entries share one copy of each module there too.
 * - **Declarations** (`dist/*.d.ts`): one declaration build, what two entries share in shared type chunks (one type
 *   identity). `dist/*.d.cts` are the same files with `.cjs` import specifiers, written after the build
 *   (scripts/cjs-declarations.mjs) instead of by a second declaration build.
 *
 * Only the client entries (`.` and `/uploader`) carry `"use client"` (added after the build: the shared CJS
 * chunks must stay usable from server code). A `"use client"` module is a boundary whose exports a React Server
 * Components bundler lists one by one, and webpack's (Next.js `--webpack`) refuses `export *` there, so the ESM
 * root entry's `export * from` lines are written out as the names they export.
 */
const entry = {
  index: "src/index.ts",
  core: "src/entries/core.ts",
  uploader: "src/entries/uploader.ts",
  testing: "src/testing/index.ts",
  server: "src/server/index.ts",
  "server-redis": "src/server/redis/index.ts",
  emulator: "src/emulator/index.ts",
  // `lesson-video-kit/locales` (the loader and the fallback chain) and one entry per locale, `…/locales/de`.
  locales: "src/locales/index.ts",
  ...Object.fromEntries(
    readdirSync("src/locales")
      .filter((name) => /^[a-z]{2}(-[A-Z]{2})?\.ts$/.test(name))
      .map((name) => [`locales/${name.replace(/\.ts$/, "")}`, `src/locales/${name}`]),
  ),
};

const shared: Options = {
  target: "es2022",
  platform: "neutral",
  external: ["react", "react-dom", /^@mux\//, /^@radix-ui\//, "clsx", /^node:/],
};

export default defineConfig([
  {
    ...shared,
    name: "esm",
    entry: ["src/**/*.ts", "src/**/*.tsx", "!src/**/*.d.ts"],
    format: ["esm"],
    bundle: false,
    outDir: "dist/esm",
    sourcemap: true,
    dts: false,
    async onSuccess() {
      await expandStarExports("dist/esm/index.js");
      await bundleLazyChunks("dist/esm");
      for (const file of ["dist/esm/index.js", "dist/esm/entries/uploader.js", "dist/esm/locales/index.js"]) await prependDirective(file, '"use client";');
      await copyFile("src/components/styles.css", "dist/styles.css");
    },
  },
  {
    ...shared,
    name: "cjs",
    entry,
    format: ["cjs"],
    splitting: true,
    sourcemap: true,
    // The `.d.cts` declarations are the `.d.ts` ones with `.cjs` specifiers (scripts/cjs-declarations.mjs).
    dts: false,
    async onSuccess() {
      for (const file of ["dist/index.cjs", "dist/uploader.cjs", "dist/locales.cjs"]) await prependDirective(file, '"use client";');
    },
  },
  {
    ...shared,
    name: "types",
    entry,
    format: ["esm"],
    dts: { only: true },
  },
]);

/** Adds a first line to a built file and shifts its source map by that line, so stack traces stay right. */
async function prependDirective(file: string, directive: string): Promise<void> {
  const code = await readFile(file, "utf8");
  if (code.startsWith(directive)) return;
  await writeFile(file, `${directive}\n${code}`);
  const mapFile = `${file}.map`;
  const map = JSON.parse(await readFile(mapFile, "utf8")) as { mappings: string };
  map.mappings = `;${map.mappings}`;
  await writeFile(mapFile, JSON.stringify(map));
}
