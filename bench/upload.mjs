// Measurements 2 and 4: upload throughput in headless Chromium to the emulator on loopback (our chunked
// sender vs one raw fetch PUT vs @mux/upchunk, same chunk size), peak JS heap during the largest upload,
// and React commits of the uploader subtree during an upload (our VideoUploader vs @mux/mux-uploader-react
// with progress in React state).
import { join } from "node:path";
import { copyFileSync } from "node:fs";
import { bundleForBrowser } from "./lib/bundle.mjs";
import { launchBrowser, sampleHeap } from "./lib/browser.mjs";
import { benchDir, benchTmpDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack-client.mjs";
import { median } from "./lib/stats.mjs";

const MiB = 1024 * 1024;

/**
 * `budgetSeconds`: on a slow or busy machine, stop repeating runs (never below one per method) once
 * this much time has gone, so `npm run bench` stays within its time; the figures say how many ran.
 */
export async function run({ sizes = [256 * MiB, 1024 * MiB], runs = 3, renderRuns = 3, chunkSize = 8 * MiB, budgetSeconds = Infinity, log = () => {} } = {}) {
  const startedAt = Date.now();
  const overBudget = () => (Date.now() - startedAt) / 1000 > budgetSeconds;
  const pagesDir = join(benchTmpDir, "pages");
  await bundleForBrowser(join(benchDir, "pages/upload-page.jsx"), pagesDir);
  copyFileSync(join(benchDir, "pages/index.html"), join(pagesDir, "index.html"));
  const browser = await launchBrowser();
  const browserVersion = browser.version();
  const throughput = [];
  const render = [];
  try {
    for (const size of sizes) {
      // A fresh stack per size: uploaded files live in the emulator's temp dir until it closes.
      // Processing is pushed past the bench so ffprobe never competes for the CPU.
      const stack = await startStack({ processingDelayMs: 3_600_000, pagesDir });
      const page = await browser.newPage();
      page.on("pageerror", (error) => log(`page error: ${error.message}`));
      await page.goto(`${stack.origin}/index.html`);
      await page.waitForFunction(() => document.title === "ready");
      await page.evaluate((bytes) => window.bench.makeFile(bytes), size);
      const methods = ["ours", "rawPut", "upchunk"];
      const samples = Object.fromEntries(methods.map((m) => [m, []]));
      const heap = {};
      const largest = size === Math.max(...sizes);
      let done = 0;
      for (let i = 0; i < runs && (i === 0 || !overBudget()); i++, done++) {
        // Rotate the order so no method always runs first (or last) on a noisy machine.
        for (const method of [...methods.slice(i % 3), ...methods.slice(0, i % 3)]) {
          const sampler = largest && i === 0 ? await sampleHeap(page) : null;
          const result = await page.evaluate(([m, options]) => window.bench.run(m, options), [method, { chunkSize }]);
          if (sampler) heap[method] = await sampler.stop();
          samples[method].push(result.bytes / 1e6 / result.seconds);
          log(`upload ${size / MiB} MiB ${method} run ${i + 1}: ${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s`);
        }
      }
      throughput.push({
        size,
        runs: done,
        mbPerSecond: Object.fromEntries(methods.map((m) => [m, median(samples[m])])),
        samples,
        ...(Object.keys(heap).length ? { heap } : {}),
      });
      if (largest) {
        const commits = { oursReact: [], muxUploaderReact: [] };
        const speeds = { oursReact: [], muxUploaderReact: [] };
        let renderDone = 0;
        for (let i = 0; i < renderRuns && (i === 0 || !overBudget()); i++, renderDone++) {
          for (const method of i % 2 ? ["muxUploaderReact", "oursReact"] : ["oursReact", "muxUploaderReact"]) {
            const result = await page.evaluate(([m, options]) => window.bench.run(m, options), [method, { chunkSize }]);
            commits[method].push(result.commits);
            speeds[method].push(result.bytes / 1e6 / result.seconds);
            log(`render ${size / MiB} MiB ${method} run ${i + 1}: ${result.commits} commits, ${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s`);
          }
        }
        render.push({
          size,
          runs: renderDone,
          commits: { oursReact: median(commits.oursReact), muxUploaderReact: median(commits.muxUploaderReact) },
          mbPerSecond: { oursReact: median(speeds.oursReact), muxUploaderReact: median(speeds.muxUploaderReact) },
          samples: commits,
        });
      }
      await page.evaluate(() => window.bench.dropFile());
      await page.close();
      await stack.close();
    }
  } finally {
    await browser.close();
  }
  return { chunkSize, browserVersion, throughput, render };
}

