// Issue 29's recording benchmark, in headless Chromium to the emulator on loopback through createVideoRoutes: a
// canvas animation with a tone recorded by a real MediaRecorder at a fixed bitrate for `seconds`; the time from Stop
// until every byte is at the server, uploading while recording (the kit: MediaRecording's growing source) vs
// recording first and uploading the file after Stop (same sender); the page's peak JS heap while recording.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { bundleForBrowser } from "./lib/bundle.mjs";
import { launchBrowser, sampleHeap } from "./lib/browser.mjs";
import { benchDir, benchTmpDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack-client.mjs";
import { median } from "./lib/stats.mjs";

export async function run({ seconds = 120, bitsPerSecond = 4_000_000, uplinkMbps = 20, runs = 1, log = () => {} } = {}) {
  const pagesDir = join(benchTmpDir, "recording-pages");
  await bundleForBrowser(join(benchDir, "pages/recording-page.jsx"), pagesDir);
  copyFileSync(join(benchDir, "pages/recording.html"), join(pagesDir, "index.html"));
  const browser = await launchBrowser();
  const samples = { whileRecording: [], afterStop: [] };
  const sizes = [];
  const heap = {};
  try {
    const stack = await startStack({ processingDelayMs: 3_600_000, pagesDir });
    try {
      const page = await browser.newPage();
      page.on("pageerror", (error) => log(`page error: ${error.message}`));
      await page.goto(`${stack.origin}/index.html`);
      await page.waitForFunction(() => document.title === "ready");
      // A creator's uplink, not loopback: Chromium's network emulation holds the page's uploads to `uplinkMbps`.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: (uplinkMbps * 1e6) / 8 });
      for (let i = 0; i < runs; i++) {
        for (const whileRecording of i % 2 === 0 ? [true, false] : [false, true]) {
          const key = whileRecording ? "whileRecording" : "afterStop";
          const sampler = i === 0 ? await sampleHeap(page, 250) : null;
          const result = await page.evaluate((options) => window.bench.run(options), { seconds, bitsPerSecond, whileRecording });
          if (sampler) heap[key] = await sampler.stop();
          samples[key].push(result.stopToSentSeconds);
          sizes.push(result.bytes);
          log(`recording ${seconds} s, ${key}: Stop → all bytes at the server in ${result.stopToSentSeconds.toFixed(2)} s (${(result.bytes / 1e6).toFixed(1)} MB recorded)`);
        }
      }
      await page.close();
    } finally {
      await stack.close();
    }
  } finally {
    await browser.close();
  }
  return {
    seconds,
    bitsPerSecond,
    uplinkMbps,
    runs,
    stopToSentSeconds: { whileRecording: median(samples.whileRecording), afterStop: median(samples.afterStop) },
    samples,
    recordedBytes: median(sizes),
    heap,
  };
}
