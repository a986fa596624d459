// Browser-test command (run in Node, called from a test with `commands.setNetwork(false)`): the test's frame loses
// its network, as a browser that went offline: every HTTP request it starts fails with Chromium's
// `net::ERR_INTERNET_DISCONNECTED` until the network is back. Other frames (Vitest's own, parallel files) keep theirs.
import type { Frame, Route } from "playwright";
import type { BrowserCommand } from "vitest/node";

declare module "vitest/browser" {
  interface BrowserCommands {
    /** `false`: requests of this test's frame fail as offline; `true`: they go through again. */
    setNetwork: (online: boolean) => Promise<void>;
  }
}

const cuts = new Map<string, (route: Route) => Promise<void>>();

function isWithin(frame: Frame, root: Frame): boolean {
  for (let current: Frame | null = frame; current; current = current.parentFrame()) if (current === root) return true;
  return false;
}

export const setNetwork: BrowserCommand<[online: boolean]> = async (context, online) => {
  const { page } = context;
  const existing = cuts.get(context.sessionId);
  if (existing) {
    cuts.delete(context.sessionId);
    await page.unroute("**/*", existing);
  }
  if (online) return;
  const testFrame = await context.frame();
  const cut = async (route: Route) => {
    let frame: Frame | undefined;
    try {
      frame = route.request().frame();
    } catch {
      // A service worker's request: not the test's.
    }
    if (frame && isWithin(frame, testFrame)) await route.abort("internetdisconnected");
    else await route.fallback();
  };
  cuts.set(context.sessionId, cut);
  await page.route("**/*", cut);
};
