// Headless Chromium for the bench (the machine's Debian Chromium, as the browser tests use).
import { chromium } from "playwright";

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Samples the page's JS heap (CDP `Runtime.getHeapUsage`) every `everyMs` until `stop()`; returns the peak. */
export async function sampleHeap(page, everyMs = 100) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const first = await cdp.send("Runtime.getHeapUsage");
  const used = (usage) => usage.usedSize + (usage.backingStorageSize ?? 0);
  const baseline = used(first);
  let peak = baseline;
  let samples = 1;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        peak = Math.max(peak, used(await cdp.send("Runtime.getHeapUsage")));
        samples++;
      } catch {
        // The page navigated or closed.
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await cdp.detach().catch(() => undefined);
      return { baseline, peak, samples };
    },
  };
}
