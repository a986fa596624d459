/** What the end-to-end tests do in the studio, in the words of its pages. */
import type { Browser, Page } from "playwright";
import type { StudioStack } from "./stack.js";

let stack: StudioStack | undefined;

/** Set by test/e2e/studio.test.ts once the stack runs, for every suite it imports. */
export function useStudioStack(running: StudioStack | undefined): void {
  stack = running;
}

const running = (): StudioStack => {
  if (!stack) throw new Error("The studio stack is not running: run the e2e suites through test/e2e/studio.test.ts.");
  return stack;
};

export const studioUrl = (): string => running().studioUrl;
export const emulatorUrl = (): string => running().emulatorUrl;
/** The stack's data dir: the database, the emulator's files and the secrets `npm start` made. */
export const studioDataDir = (): string => running().dataDir;

export type DemoUser = "creator" | "buyer" | "visitor";

/** A fresh browser profile signed in as one of the demo users. */
export async function signedInPage(browser: Browser, user: DemoUser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${studioUrl()}/sign-in`);
  await page.getByTestId(`sign-in-${user}`).click();
  await page.waitForURL(`${studioUrl()}/lessons`);
  return page;
}

/**
 * Records every `data-status` the uploader shows and whether a progress bar was on screen while it
 * uploaded, from inside the page (a MutationObserver sees each render, however quick).
 */
export async function recordUploaderStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { statuses: string[]; progressbarWhileUploading: boolean } = {
      statuses: [],
      progressbarWhileUploading: false,
    };
    (window as unknown as { __uploader: typeof seen }).__uploader = seen;
    const look = () => {
      const uploader = document.querySelector<HTMLElement>(".lvk-uploader, [data-view][data-status]");
      const status = uploader?.dataset.status;
      if (status && seen.statuses.at(-1) !== status) seen.statuses.push(status);
      if (status === "uploading" && uploader?.querySelector('[role="progressbar"]')) seen.progressbarWhileUploading = true;
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
    look();
  });
}

export async function uploaderRecord(page: Page): Promise<{ statuses: string[]; progressbarWhileUploading: boolean }> {
  return page.evaluate(
    () => (window as unknown as { __uploader: { statuses: string[]; progressbarWhileUploading: boolean } }).__uploader,
  );
}

/** Picks a file through the uploader's own button and the browser's file chooser, as a person would. */
export async function chooseVideo(page: Page, path: string): Promise<void> {
  const chooserShown = page.waitForEvent("filechooser");
  await page.locator(".lvk-uploader button").first().click();
  const chooser = await chooserShown;
  await chooser.setFiles(path);
}

/** Waits until the form's video section shows the uploaded video as ready to play. */
export async function waitForVideoReady(page: Page, timeout: number): Promise<void> {
  await page.locator('fieldset[data-state="ready"]').getByText("Ready to play", { exact: true }).waitFor({ timeout });
}

/** Replaces the emulator's fault knobs; resolves with the knobs it now has in force. */
export async function setEmulatorFaults(faults: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulatorUrl()}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`POST /_emulator/faults answered ${response.status}`);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

/** The fault knobs not used up yet. */
export async function emulatorFaults(): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulatorUrl()}/_emulator/faults`);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

/** Where the emulator delivers its webhooks now. */
export async function emulatorWebhookUrls(): Promise<string[]> {
  const response = await fetch(`${emulatorUrl()}/_emulator/webhooks`);
  if (!response.ok) throw new Error(`GET /_emulator/webhooks answered ${response.status}`);
  return ((await response.json()) as { data: { urls: string[] } }).data.urls;
}

/** Replaces where the emulator delivers its webhooks. */
export async function setEmulatorWebhookUrls(urls: string[]): Promise<void> {
  const response = await fetch(`${emulatorUrl()}/_emulator/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ urls }),
  });
  if (!response.ok) throw new Error(`POST /_emulator/webhooks answered ${response.status}`);
}

/** Plays the lesson page's player muted and resolves with its currentTime once it has moved. */
export async function playLessonVideo(page: Page): Promise<{ duration: number; currentTime: number }> {
  const player = page.locator("mux-player");
  await player.waitFor({ state: "attached", timeout: 30_000 });
  await page.waitForFunction(
    () => {
      const element = document.querySelector<HTMLElement & { readyState: number }>("mux-player");
      return (element?.readyState ?? 0) >= 1;
    },
    undefined,
    { timeout: 30_000 },
  );
  await page.evaluate(async () => {
    const element = document.querySelector("mux-player") as HTMLMediaElement;
    element.muted = true;
    await element.play();
  });
  await page.waitForFunction(
    () => (document.querySelector<HTMLMediaElement>("mux-player")?.currentTime ?? 0) > 0.3,
    undefined,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const element = document.querySelector("mux-player") as HTMLMediaElement;
    return { duration: element.duration, currentTime: element.currentTime };
  });
}
