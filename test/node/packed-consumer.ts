// A throwaway consumer project with the packed tarball installed, as a user's project would have it: shared by the
// tests of the published package (package.test.ts, react18.test.ts).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

/** Runs a command in `cwd` and returns its stdout; throws with stderr when it fails. */
export const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

/**
 * Packs the package (as `npm publish` would) into a new temp project and installs it there with `dependencies`.
 * It packs the `dist/` there is: `npm test` builds right before vitest, so --ignore-scripts skips the `prepack`
 * build. Three test files pack at once: with the build they took 101 s instead of 34 s (2 cores), and each
 * build empties dist/ while the others pack it. Run alone, a test needs `npm run build` first.
 */
export function createPackedConsumer(name: string, dependencies: string[]): { dir: string; remove(): void } {
  if (!existsSync(join(root, "dist/index.d.ts"))) throw new Error("dist/ is missing: run `npm run build` before the packed-package tests.");
  const dir = mkdtempSync(join(tmpdir(), `lvk-${name}-`));
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--silent"], root);
  const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  run("npm", ["install", "--prefer-offline", "--no-package-lock", `./${tarball}`, ...dependencies], dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the repo's `tsc -p <project>` in `cwd`; returns its diagnostics ("" when the project type-checks). */
export function typecheck(project: string, cwd: string): string {
  try {
    run("node", [join(root, "node_modules/typescript/bin/tsc"), "-p", project, "--pretty", "false"], cwd);
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}`.trim() || String(error);
  }
}
