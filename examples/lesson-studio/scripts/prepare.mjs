// Makes the studio runnable from the repository's current package, the way a user's app would get it:
// `npm pack` the built package, install the tarball (only when it changed) and `next build` (only when the
// tarball or the app's sources changed). Used by `npm start` and by the end-to-end tests.
//
// Each step says what it is doing and how long it took; the tools' own output is kept in
// `.pack/<step>.log` and shown only when the step fails (or always with `verbose`).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/** How often a long step says it is still at work. */
const heartbeatMs = 20_000;

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** "42 s", "3 min 5 s". */
export function elapsed(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * Runs a tool. Its output goes to `logFile` (and the terminal too with `verbose`); a line every 20 s says
 * the step is still running. Resolves with whether it exited 0.
 */
function run(command, args, cwd, { log, logFile, verbose, label }) {
  log(`  $ ${command} ${args.join(" ")}`);
  mkdirSync(packDir, { recursive: true });
  const file = createWriteStream(logFile, { flags: "a" });
  file.write(`\n$ ${command} ${args.join(" ")}  (in ${cwd})\n`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const heartbeat = setInterval(() => log(`  … still ${label} (${elapsed(Date.now() - started)})`), heartbeatMs);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        file.write(chunk);
        if (verbose) process.stdout.write(chunk);
      });
    }
    const finish = (ok) => {
      clearInterval(heartbeat);
      file.end(() => resolve(ok));
    };
    child.once("error", (error) => {
      file.write(`${error.message}\n`);
      finish(false);
    });
    child.once("close", (code) => finish(code === 0));
  });
}

async function mustRun(command, args, cwd, options) {
  if (await run(command, args, cwd, options)) return;
  const tail = readFileSync(options.logFile, "utf8").split("\n").slice(-40).join("\n");
  throw new Error(`\`${command} ${args.join(" ")}\` failed in ${cwd}. The last lines of ${options.logFile}:\n${tail}`);
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

async function packPackage(options) {
  // Types too: a dist caught halfway through a build (tsup writes declarations last) would fail `next build`.
  const needed = ["esm/index.js", "index.d.ts", "esm/entries/core.js", "core.d.ts", "esm/server/index.js", "server.d.ts", "esm/emulator/index.js", "styles.css"];
  for (const file of needed) {
    if (!existsSync(join(repoRoot, "dist", file))) {
      throw new Error(`dist/${file} is missing: build the package first (npm run build at the repository root)`);
    }
  }
  mkdirSync(packDir, { recursive: true });
  const staging = join(packDir, "staging");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  await mustRun("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", staging], repoRoot, options);
  const [name] = readdirSync(staging).filter((file) => file.endsWith(".tgz"));
  if (!name) throw new Error("npm pack produced no tarball");
  renameSync(join(staging, name), tarball);
  rmSync(staging, { recursive: true, force: true });
  return sha256(readFileSync(tarball));
}

/** Installs the studio's dependencies and the packed package; resolves with false when all was up to date. */
async function installDependencies(tarballHash, options) {
  unpinTarballInLock();
  const lockHash = sha256(readFileSync(lockFile));
  const stamp = readJson(installStamp);
  const installed = existsSync(join(appDir, "node_modules", "next", "package.json"));
  if (installed && stamp?.lock === lockHash && stamp?.tarball === tarballHash) return false;
  if (!installed || stamp?.lock !== lockHash) {
    if (!(await run("npm", ["ci", "--no-audit", "--no-fund"], appDir, options))) {
      // A package whose dependencies changed no longer matches the lock: let npm update it.
      await mustRun("npm", ["install", "--no-audit", "--no-fund"], appDir, options);
      unpinTarballInLock();
    }
  } else {
    await mustRun("npm", ["install", "--no-save", "--no-audit", "--no-fund", "./.pack/lesson-video-kit.tgz"], appDir, options);
  }
  writeFileSync(installStamp, JSON.stringify({ tarball: tarballHash, lock: sha256(readFileSync(lockFile)) }));
  return true;
}

/** `next build` when the package or the app's sources changed; resolves with false when the build was current. */
async function buildApp(tarballHash, options) {
  const hash = createHash("sha256").update(tarballHash);
  for (const entry of sourceEntries) {
    for (const file of filesUnder(join(appDir, entry))) {
      hash.update(relative(appDir, file)).update(readFileSync(file));
    }
  }
  const key = hash.digest("hex");
  const built = existsSync(join(appDir, ".next", "BUILD_ID"));
  if (built && existsSync(buildStamp) && readFileSync(buildStamp, "utf8") === key) return false;
  await mustRun(process.execPath, [join(appDir, "node_modules", "next", "dist", "bin", "next"), "build"], appDir, options);
  writeFileSync(buildStamp, key);
  return true;
}

/**
 * The steps `npm start` goes through, in order, as it numbers them: "step 2/4: installing the studio".
 * `prepareStudio` runs the first three; the caller's `startStudioStack` is the fourth.
 */
export const startSteps = ["building the library", "installing the studio", "building the studio", "starting"];

/** "step 2/4: installing the studio". */
export function stepTitle(index) {
  return `step ${index + 1}/${startSteps.length}: ${startSteps[index]}`;
}

/**
 * Packs and installs the package into the studio and builds the studio, skipping every step whose
 * inputs did not change, and says which step it is on and how long each took. With `buildPackage`, runs
 * the package's own build first. With `verbose`, the tools' output is shown as well as logged.
 */
export async function prepareStudio({ buildPackage = false, log = console.log, verbose = false } = {}) {
  const firstRun = !existsSync(join(appDir, "node_modules", "next")) || !existsSync(join(appDir, ".next", "BUILD_ID"));
  if (firstRun) {
    log("First run: installing and building the studio takes a few minutes (about 4 on a 2-core machine); later starts skip what did not change and take seconds.");
  }
  const step = async (index, work) => {
    const started = Date.now();
    log(`${stepTitle(index)}…`);
    const logFile = join(packDir, `${startSteps[index].replaceAll(" ", "-")}.log`);
    mkdirSync(packDir, { recursive: true });
    writeFileSync(logFile, "");
    const did = await work({ log, logFile, verbose, label: startSteps[index] });
    const outcome =
      typeof did === "string" ? did : did === false ? "up to date" : `done in ${elapsed(Date.now() - started)} (output in ${relative(repoRoot, logFile)})`;
    log(`${stepTitle(index)}: ${outcome}.`);
  };
  await step(0, async (options) => {
    if (!buildPackage) return "skipped (--no-build: the package's dist as it is)";
    await mustRun("npm", ["run", "build", "--silent"], repoRoot, options);
    return true;
  });
  let tarballHash;
  await step(1, async (options) => {
    tarballHash = await packPackage(options);
    return installDependencies(tarballHash, options);
  });
  await step(2, (options) => buildApp(tarballHash, options));
}
