/** Debian's Chromium through Playwright; Playwright's own browser download does not work on these machines. */
import { type Browser, chromium } from "playwright";
import { chromiumArgs, chromiumPath } from "../../support/chromium.js";

export { fakeMediaArgs } from "../../support/chromium.js";

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumArgs, ...extraArgs],
  });
}
