// Makes the studio runnable from the repository's current package, the way a user's app would get it:
// `npm pack` the built package, install the tarball (only when it changed) and `next build` (only when the
// tarball or the app's sources changed). Used by `npm start` and by the end-to-end tests.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const appDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = join(appDir, "..", "..");
const packDir = join(appDir, ".pack");
const tarball = join(packDir, "lesson-video-kit.tgz");
const installStamp = join(packDir, "installed.json");
const buildStamp = join(appDir, ".next", "studio-build-key");
const lockFile = join(appDir, "package-lock.json");

/** The app's own sources; a change in any of them means a new `next build`. */
const sourceEntries = ["app", "lib", "instrumentation.ts", "next.config.ts", "tsconfig.json", "package.json", "package-lock.json"];

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function run(command, args, cwd, log) {
  log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status === 0;
}

function mustRun(command, args, cwd, log) {
  if (!run(command, args, cwd, log)) throw new Error(`\`${command} ${args.join(" ")}\` failed in ${cwd}`);
}

function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * npm records an integrity hash for a `file:` tarball and `npm ci` then serves the cached old copy; the lock
 * must not pin what is rebuilt on every change, so the entry keeps no integrity.
 */
function unpinTarballInLock() {
  const lock = readJson(lockFile);
  const entry = lock?.packages?.["node_modules/lesson-video-kit"];
  if (!entry || entry.integrity === undefined) return;
  delete entry.integrity;
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}

function packPackage(log) {
  // Types too: a dist caught halfway through a build (tsup writes declarations last) would fail `next build`.
  const needed = ["index.js", "index.d.ts", "core.js", "core.d.ts", "server.js", "server.d.ts", "emulator.js", "styles.css"];
  for (const file of needed) {
    if (!existsSync(join(repoRoot, "dist", file))) {
      throw new Error(`dist/${file} is missing: build the package first (npm run build at the repository root)`);
    }
  }
  mkdirSync(packDir, { recursive: true });
  const staging = join(packDir, "staging");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  mustRun("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", staging], repoRoot, log);
  const [name] = readdirSync(staging).filter((file) => file.endsWith(".tgz"));
  if (!name) throw new Error("npm pack produced no tarball");
  renameSync(join(staging, name), tarball);
  rmSync(staging, { recursive: true, force: true });
  return sha256(readFileSync(tarball));
}

function installDependencies(tarballHash, log) {
  unpinTarballInLock();
  const lockHash = sha256(readFileSync(lockFile));
  const stamp = readJson(installStamp);
  const installed = existsSync(join(appDir, "node_modules", "next", "package.json"));
  if (installed && stamp?.lock === lockHash && stamp?.tarball === tarballHash) {
    log("Example dependencies are up to date.");
    return;
  }
  if (!installed || stamp?.lock !== lockHash) {
    if (!run("npm", ["ci", "--no-audit", "--no-fund"], appDir, log)) {
      // A package whose dependencies changed no longer matches the lock: let npm update it.
      mustRun("npm", ["install", "--no-audit", "--no-fund"], appDir, log);
      unpinTarballInLock();
    }
  } else {
    mustRun("npm", ["install", "--no-save", "--no-audit", "--no-fund", "./.pack/lesson-video-kit.tgz"], appDir, log);
  }
  writeFileSync(installStamp, JSON.stringify({ tarball: tarballHash, lock: sha256(readFileSync(lockFile)) }));
}

function buildApp(tarballHash, log) {
  const hash = createHash("sha256").update(tarballHash);
  for (const entry of sourceEntries) {
    for (const file of filesUnder(join(appDir, entry))) {
      hash.update(relative(appDir, file)).update(readFileSync(file));
    }
  }
  const key = hash.digest("hex");
  const built = existsSync(join(appDir, ".next", "BUILD_ID"));
  if (built && existsSync(buildStamp) && readFileSync(buildStamp, "utf8") === key) {
    log("Example app build is up to date.");
    return;
  }
  mustRun(process.execPath, [join(appDir, "node_modules", "next", "dist", "bin", "next"), "build"], appDir, log);
  writeFileSync(buildStamp, key);
}

/**
 * Packs and installs the package into the studio and builds the studio, skipping every step whose
 * inputs did not change. With `buildPackage`, runs the package's own build first.
 */
export function prepareStudio({ buildPackage = false, log = console.log } = {}) {
  if (buildPackage) mustRun("npm", ["run", "build", "--silent"], repoRoot, log);
  const tarballHash = packPackage(log);
  installDependencies(tarballHash, log);
  buildApp(tarballHash, log);
}
