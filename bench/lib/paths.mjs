import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the first folder up from here whose package.json is this package (works bundled too). */
function findRepoRoot(from) {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "lesson-video-kit") return dir;
  }
  throw new Error(`bench: no lesson-video-kit package.json above ${from}`);
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const benchDir = join(repoRoot, "bench");
/** Scratch space of the bench (bundles, pages, fixtures); git-ignored, rewritten each run. */
export const benchTmpDir = join(benchDir, ".tmp");
