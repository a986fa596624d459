// Measurements 2 and 4: upload throughput in headless Chromium to the emulator on loopback (our chunked
// sender vs one raw fetch PUT vs @mux/upchunk, same chunk size), peak JS heap during the largest upload,
// and React commits of the uploader subtree during an upload (our VideoUploader vs @mux/mux-uploader-react
// with progress in React state).
import { join } from "node:path";
import { copyFileSync } from "node:fs";
import { videoFileOnDisk } from "./lib/fixtures.mjs";
import { bundleForBrowser } from "./lib/bundle.mjs";
import { launchBrowser, sampleHeap } from "./lib/browser.mjs";
import { benchDir, benchTmpDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack-client.mjs";
import { median } from "./lib/stats.mjs";

const MiB = 1024 * 1024;
/**
 * `runs` repeats the smaller sizes, `largeRuns` the largest (through the components).
 * `budgetSeconds`: on a slow or busy machine, stop repeating runs (never below one per method) once
 * this much time has gone, so `npm run bench` stays within its time; the figures say how many ran.
 */
export async function run({ sizes = [256 * MiB, 1024 * MiB], runs = 3, largeRuns = 1, chunkSize = 8 * MiB, oursChunkSize, budgetSeconds = Infinity, log = () => {} } = {}) {
  // The peer sends fixed `chunkSize` chunks; ours runs as users get it (its adaptive size) unless `oursChunkSize` fixes one.
  const optionsFor = (method, extra = {}) => ({ ...extra, chunkSize: /^ours/.test(method) ? oursChunkSize : chunkSize });
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
      await page.setInputFiles("#picker", videoFileOnDisk(`bench-${size}.mp4`, size));
      await page.evaluate(() => window.bench.usePickedFile());
      const largest = size === Math.max(...sizes);
      // The largest file goes through the full components (ours: VideoUploader on our sender; the peer:
      // MuxUploader on upchunk), which gives throughput, heap and React commits from the same uploads:
      // upchunk needs minutes per GiB here, so separate runs would not fit the bench's time.
      const methods = largest ? ["oursReact", "rawPut", "muxUploaderReact"] : ["ours", "rawPut", "upchunk"];
      const as = { oursReact: "ours", muxUploaderReact: "upchunk" };
      const samples = { ours: [], rawPut: [], upchunk: [] };
      const heap = {};
      const commits = { oursReact: [], muxUploaderReact: [] };
      const byStatus = [];
      let done = 0;
      for (let i = 0; i < (largest ? largeRuns : runs) && (i === 0 || !overBudget()); i++, done++) {
        // Rotate the order so no method always runs first (or last) on a noisy machine.
        for (const method of [...methods.slice(i % 3), ...methods.slice(0, i % 3)]) {
          const sampler = largest && i === 0 ? await sampleHeap(page) : null;
          const result = await page.evaluate(([m, options]) => window.bench.run(m, options), [method, optionsFor(method)]);
          if (sampler) heap[as[method] ?? method] = await sampler.stop();
          samples[as[method] ?? method].push(result.bytes / 1e6 / result.seconds);
          if (result.commits !== undefined) commits[method].push(result.commits);
          if (result.byStatus) byStatus.push(result.byStatus);
          log(
            `upload ${size / MiB} MiB ${method} run ${i + 1}: ${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s` +
              (result.commits === undefined ? "" : `, ${result.commits} commits${result.byStatus ? ` ${JSON.stringify(result.byStatus)}` : ""}`),
          );
        }
      }
      // The same three against a sink that discards the bytes: the client's own cost, without the emulator's disk.
      // `oursFetch`: our sender with its fetch requester, to see what XHR costs. The largest file goes to the sink
      // once, through the core senders (ours, ours with fetch, the single PUT): upchunk needs minutes per GiB here.
      const sinkMethods = largest ? ["ours", "rawPut", "oursFetch"] : [...methods, "oursFetch"];
      const sinkSamples = Object.fromEntries(sinkMethods.map((m) => [m, []]));
      for (let i = 0; i < (largest ? 1 : runs) && (i === 0 || !overBudget()); i++) {
        for (const method of [...sinkMethods.slice(i % sinkMethods.length), ...sinkMethods.slice(0, i % sinkMethods.length)]) {
          const result = await page.evaluate(([m, options]) => window.bench.run(m, options), [method, optionsFor(method, { target: "sink" })]);
          sinkSamples[method].push(result.bytes / 1e6 / result.seconds);
          log(`upload ${size / MiB} MiB ${method} to the sink, run ${i + 1}: ${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s`);
        }
      }
      throughput.push({
        size,
        runs: done,
        viaComponents: largest,
        mbPerSecond: Object.fromEntries(Object.keys(samples).map((m) => [m, median(samples[m])])),
        samples,
        ...(sinkSamples.ours?.length ? { sinkMbPerSecond: Object.fromEntries(sinkMethods.map((m) => [m, median(sinkSamples[m])])), sinkRuns: sinkSamples.ours.length } : {}),
        ...(Object.keys(heap).length ? { heap } : {}),
      });
      if (largest) {
        render.push({
          size,
          runs: done,
          commits: { oursReact: median(commits.oursReact), muxUploaderReact: median(commits.muxUploaderReact) },
          mbPerSecond: { oursReact: median(samples.ours), muxUploaderReact: median(samples.upchunk) },
          samples: commits,
          oursCommitsByStatus: byStatus,
        });
      }
      await page.close();
      await stack.close();
    }
  } finally {
    await browser.close();
  }
  return { chunkSize, oursChunkSize: oursChunkSize ?? null, browserVersion, throughput, render };
}

