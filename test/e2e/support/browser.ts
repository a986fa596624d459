/** Debian's Chromium through Playwright; Playwright's own browser download does not work on these machines. */
import { type Browser, chromium } from "playwright";

/**
 * A camera and a microphone that exist without hardware (a moving test pattern and a beep), granted without a
 * prompt: for the tests that record in the browser.
 */
export const fakeMediaDevices = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] as const;

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--autoplay-policy=no-user-gesture-required",
      ...extraArgs,
    ],
  });
}
