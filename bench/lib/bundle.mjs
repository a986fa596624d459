// Bench code imports the package's TypeScript sources directly; esbuild turns each script into one
// ES module (Node) or one browser bundle, so the bench needs no prior `npm run build` and never
// touches dist/ (which other jobs rebuild).
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { benchTmpDir, repoRoot } from "./paths.mjs";

/** Bundles a Node script; npm packages stay external (loaded from node_modules). Returns the output path. */
export async function bundleForNode(entry) {
  const outfile = join(benchTmpDir, "node", basename(entry).replace(/\.(m?[jt]sx?)$/, ".mjs"));
  mkdirSync(join(benchTmpDir, "node"), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    absWorkingDir: repoRoot,
    logLevel: "warning",
  });
  return outfile;
}

/**
 * Bundles a browser page script with React included: the production build, except that react-dom is its
 * profiling build so `<Profiler onRender>` reports commits (it is silent in plain production builds).
 */
export async function bundleForBrowser(entry, outdir) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    minify: true,
    splitting: true,
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".css": "empty" },
    alias: { "react-dom/client": "react-dom/profiling" },
    absWorkingDir: repoRoot,
    logLevel: "warning",
  });
}
