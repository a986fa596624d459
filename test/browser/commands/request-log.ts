// Browser-test commands (run in Node, called from a test with `commands.startRequestLog()`): Playwright sees
// every request the test's frame makes, also the ones a page cannot observe itself (a <script> that never
// loads, a beacon), and aborts any that would leave the machine, so a test never reaches the internet.
import type { Frame, Request, Route } from "playwright";
import type { BrowserCommand } from "vitest/node";

declare module "vitest/browser" {
  interface BrowserCommands {
    /** Starts (or restarts) recording the URL of every request this test file's frame makes. */
    startRequestLog: () => Promise<void>;
    /** The URLs recorded so far, in the order the requests started. */
    requestLog: () => Promise<string[]>;
    /** Stops recording and returns the URLs. */
    stopRequestLog: () => Promise<string[]>;
  }
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for a request that would go to another machine (any http/ws URL not on loopback). */
function leavesMachine(url: URL): boolean {
  return /^(https?|wss?):$/.test(url.protocol) && !loopbackHosts.has(url.hostname);
}

function isWithin(frame: Frame, root: Frame): boolean {
  for (let current: Frame | null = frame; current; current = current.parentFrame()) if (current === root) return true;
  return false;
}

interface RequestLog {
  urls: string[];
  stop: () => Promise<void>;
}

/** One log per browser session (test file); commands of parallel files do not share state. */
const logs = new Map<string, RequestLog>();

async function stopLog(sessionId: string): Promise<string[]> {
  const log = logs.get(sessionId);
  if (!log) return [];
  logs.delete(sessionId);
  await log.stop();
  return log.urls;
}

export const startRequestLog: BrowserCommand<[]> = async (context) => {
  await stopLog(context.sessionId);
  const { page } = context;
  const testFrame = await context.frame();
  const urls: string[] = [];
  const onRequest = (request: Request) => {
    let frame: Frame | undefined;
    try {
      frame = request.frame();
    } catch {
      // A service worker's request has no frame: count it, it may be the test's.
    }
    if (!frame || isWithin(frame, testFrame)) urls.push(request.url());
  };
  const abort = (route: Route) => route.abort("blockedbyclient");
  page.on("request", onRequest);
  await page.route(leavesMachine, abort);
  logs.set(context.sessionId, {
    urls,
    stop: async () => {
      page.off("request", onRequest);
      await page.unroute(leavesMachine, abort);
    },
  });
};

export const requestLog: BrowserCommand<[], string[]> = (context) => [...(logs.get(context.sessionId)?.urls ?? [])];

export const stopRequestLog: BrowserCommand<[], Promise<string[]>> = (context) => stopLog(context.sessionId);
