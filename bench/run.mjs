#!/usr/bin/env node
// `npm run bench`: every measurement of issue 9, each in its own Node process (bundled from src with
// esbuild), then bench/RESULTS.md rewritten from the figures. Options:
//   --quick            small sizes, one run, 10 s processing (for trying the bench, not for results)
//   --only a,b         run some of: size, next, upload, status, server, redis, queue, recording, stream (RESULTS.md is not rewritten)
//   --out FILE         write the figures as JSON too
//   --render FILE      rewrite bench/RESULTS.md from figures saved with --out, without measuring again
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { benchDir, benchTmpDir, repoRoot } from "./lib/paths.mjs";
import { renderResults } from "./lib/render-results.mjs";

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const outArg = args.includes("--out") ? args[args.indexOf("--out") + 1] : undefined;
const renderArg = args.includes("--render") ? args[args.indexOf("--render") + 1] : undefined;
if (renderArg) {
  writeFileSync(join(benchDir, "RESULTS.md"), renderResults(JSON.parse(readFileSync(renderArg, "utf8"))));
  process.exit(0);
}

const measurements = [
  { id: "size", file: "bundle-size.mjs", options: {} },
  { id: "next", file: "next-first-load.mjs", options: {} },
  {
    id: "upload",
    file: "upload.mjs",
    options: quick
      ? { sizes: [32 * MiB, 64 * MiB], runs: 1, largeRuns: 1 }
      : { sizes: [256 * MiB, 1024 * MiB], runs: 3, largeRuns: 1, budgetSeconds: 300 },
  },
  { id: "status", file: "status-traffic.mjs", options: { processingMs: quick ? 10_000 : 60_000 } },
  { id: "server", file: "server.mjs", options: quick ? { runs: 1, seconds: 2, loadSeconds: 5 } : { runs: 3, seconds: 5, loadSeconds: 30 } },
  { id: "redis", file: "redis-status.mjs", options: { processingMs: quick ? 10_000 : 60_000, viewers: 30 } },
  {
    id: "queue",
    file: "queue.mjs",
    options: quick ? { files: 4, size: 16 * 1024 * 1024, runs: 1, commitItems: 20 } : { files: 10, size: 64 * 1024 * 1024, runs: 2, commitItems: 100 },
  },
  { id: "recording", file: "recording.mjs", options: quick ? { seconds: 10, runs: 1 } : { seconds: 120, runs: 1 } },
  { id: "stream", file: "stream-memory.mjs", options: quick ? { size: 16 * MiB, runs: 1 } : { size: 128 * MiB, runs: 3 } },
];
const selected = onlyArg ? measurements.filter((m) => onlyArg.split(",").includes(m.id)) : measurements;

/** Bundles a small entry that runs one measurement and writes its figures to a JSON file. */
async function runMeasurement(measurement) {
  const dir = join(benchTmpDir, "node");
  mkdirSync(dir, { recursive: true });
  const script = join(dir, `run-${measurement.id}.mjs`);
  await build({
    stdin: {
      contents: `import { writeFileSync } from "node:fs";
import { run } from "./${measurement.file}";
const [options, out] = [JSON.parse(process.argv[2]), process.argv[3]];
const result = await run({ ...options, log: (line) => process.stderr.write(line + "\\n") });
writeFileSync(out, JSON.stringify(result));
process.exit(0);`,
      resolveDir: benchDir,
      loader: "js",
    },
    outfile: script,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    absWorkingDir: repoRoot,
    logLevel: "warning",
  });
  const out = join(dir, `result-${measurement.id}.json`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [script, JSON.stringify(measurement.options), out], { stdio: ["ignore", "inherit", "inherit"], cwd: repoRoot });
    child.on("exit", (status) => resolve(status));
  });
  if (code !== 0) throw new Error(`bench ${measurement.id} failed (exit ${code})`);
  return { ...JSON.parse(readFileSync(out, "utf8")), elapsedSeconds: (Date.now() - started) / 1000 };
}

const started = new Date();
const loadAtStart = loadavg();
const results = {};
for (const measurement of selected) {
  process.stderr.write(`\n== ${measurement.id}\n`);
  results[measurement.id] = await runMeasurement(measurement);
}
const machine = {
  date: started.toISOString(),
  cpu: cpus()[0]?.model ?? "unknown CPU",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAtStart,
  loadAtEnd: loadavg(),
  totalSeconds: (Date.now() - started.getTime()) / 1000,
  chromium: results.upload?.browserVersion ?? "not run",
  command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
  quick,
};
if (outArg) writeFileSync(outArg, JSON.stringify({ machine, results }, null, 2));
if (!onlyArg && !quick) {
  writeFileSync(join(benchDir, "RESULTS.md"), renderResults({ machine, results }));
  process.stderr.write(`\nbench/RESULTS.md rewritten (${machine.totalSeconds.toFixed(0)} s)\n`);
} else {
  process.stdout.write(`${renderResults({ machine, results })}\n`);
}
