// Issue 28's queue benchmark: a course's files at once, in headless Chromium to the emulator on loopback through
// createVideoRoutes. Total time until every byte is at the server for the kit's UploadQueue at its default
// concurrency (and at 1, 2 and 4), for one UploadController per file one after another, and for @mux/upchunk one
// after another; the page's peak JS heap during the queue run; React commits of a BulkUploader sending 100 files.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { videoFileOnDisk } from "./lib/fixtures.mjs";
import { bundleForBrowser } from "./lib/bundle.mjs";
import { launchBrowser, sampleHeap } from "./lib/browser.mjs";
import { benchDir, benchTmpDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack-client.mjs";
import { median } from "./lib/stats.mjs";

const MiB = 1024 * 1024;

export async function run({ files = 10, size = 64 * MiB, runs = 2, concurrencies = [1, 2, 4], commitItems = 100, commitSize = 256 * 1024, log = () => {} } = {}) {
  const pagesDir = join(benchTmpDir, "queue-pages");
  await bundleForBrowser(join(benchDir, "pages/queue-page.jsx"), pagesDir);
  copyFileSync(join(benchDir, "pages/queue.html"), join(pagesDir, "index.html"));
  const paths = Array.from({ length: files }, (_, i) => videoFileOnDisk(`lesson-${String(i + 1).padStart(2, "0")}-${size}.mp4`, size));
  const browser = await launchBrowser();
  const samples = { queueDefault: [], sequential: [], upchunkSequential: [] };
  const byConcurrency = Object.fromEntries(concurrencies.map((c) => [c, []]));
  let heap;
  let defaultConcurrency;
  let commits;
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh stack per run: the emulator keeps the files in its temp dir until it closes.
      const stack = await startStack({ processingDelayMs: 3_600_000, pagesDir });
      const page = await browser.newPage();
      page.on("pageerror", (error) => log(`page error: ${error.message}`));
      await page.goto(`${stack.origin}/index.html`);
      await page.waitForFunction(() => document.title === "ready");
      await page.setInputFiles("#picker", paths);
      await page.evaluate(() => window.bench.usePickedFiles());
      const methods = ["queueDefault", "sequential", "upchunkSequential", ...concurrencies.map((c) => `queue${c}`)];
      // Rotate the order so no method always runs first on a noisy machine.
      for (const method of [...methods.slice(i % methods.length), ...methods.slice(0, i % methods.length)]) {
        const concurrency = method.startsWith("queue") && method !== "queueDefault" ? Number(method.slice(5)) : undefined;
        const sampler = method === "queueDefault" && !heap ? await sampleHeap(page) : null;
        const result = await page.evaluate(([m, options]) => window.bench.run(m, options), [concurrency ? "queue" : method === "queueDefault" ? "queue" : method, concurrency ? { concurrency } : {}]);
        if (sampler) heap = await sampler.stop();
        if (method === "queueDefault") defaultConcurrency = result.concurrency;
        (concurrency ? byConcurrency[concurrency] : samples[method]).push(result.seconds);
        log(`queue bench run ${i + 1} ${method}: ${result.seconds.toFixed(1)} s for ${(result.bytes / MiB).toFixed(0)} MiB (${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s)`);
      }
      if (i === 0) {
        commits = await page.evaluate((options) => window.bench.run("commits", options), { count: commitItems, size: commitSize });
        log(`queue bench: ${commits.commits} React commits for ${commits.items} items (${commits.rows} rows) in ${commits.seconds.toFixed(1)} s`);
      }
      await page.close();
      await stack.close();
    }
  } finally {
    await browser.close();
  }
  return {
    files,
    size,
    runs,
    commitSize,
    defaultConcurrency,
    seconds: Object.fromEntries(Object.entries(samples).map(([m, s]) => [m, median(s)])),
    byConcurrency: Object.fromEntries(Object.entries(byConcurrency).map(([c, s]) => [c, median(s)])),
    samples: { ...samples, byConcurrency },
    heap,
    commits,
  };
}
