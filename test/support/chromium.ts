/** Debian's Chromium, for the browser tests (Vitest) and the end-to-end tests (Playwright): Playwright's own browser download does not work on these machines. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** What every test Chromium runs with: no sandbox (root in CI), no GPU, no traffic of its own, media plays unprompted. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--autoplay-policy=no-user-gesture-required",
] as const;

/**
 * A camera, microphones and a screen that exist without hardware (a moving test pattern, a beep, a fake desktop),
 * granted without a prompt, and the whole screen picked when a page asks to share one: for the tests that record.
 */
export const fakeMediaArgs = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--auto-select-desktop-capture-source=Entire screen",
] as const;
