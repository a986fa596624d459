/**
 * The worst order for a lesson's video, in real Chromium against the stack `npm start` runs: the creator
 * saves the lesson while its video is still uploading, closes the tab once the bytes are sent, and the
 * backend's webhooks reach the studio only after that. Nothing in a browser is left to finish the job; the
 * lesson must still end with its video ready, because the save stored the upload id and the webhook hooks
 * find the lesson by it.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import { launchChromium } from "./support/browser.js";
import {
  chooseVideo,
  emulatorWebhookUrls,
  playLessonVideo,
  setEmulatorFaults,
  setEmulatorWebhookUrls,
  signedInPage,
} from "./support/studio.js";

/**
 * Stands between the emulator and the studio: takes every webhook (answering 200, so the emulator counts it
 * delivered) and passes it on, signature and all, only when told to.
 */
class WebhookHold {
  private readonly held: Array<{ body: Buffer; signature: string }> = [];
  private readonly arrivals = new Set<() => void>();
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.held.push({ body: Buffer.concat(chunks), signature: String(req.headers["mux-signature"] ?? "") });
      res.writeHead(200).end();
      for (const arrived of this.arrivals) arrived();
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
  }

  /** The types of the webhooks held so far. */
  types(): string[] {
    return this.held.map(({ body }) => (JSON.parse(body.toString("utf8")) as { type: string }).type);
  }

  /** Resolves once a webhook of `type` is held (the backend sends it a moment after the state it reports). */
  received(type: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.types().includes(type)) return;
        this.arrivals.delete(check);
        resolve();
      };
      this.arrivals.add(check);
      check();
    });
  }

  /** Delivers what it holds to `url` in the order it came, each after the previous one was answered. */
  async deliverTo(url: string): Promise<number[]> {
    const statuses: number[] = [];
    for (const { body, signature } of this.held.splice(0)) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "mux-signature": signature }, body: new Uint8Array(body) });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    return statuses;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let browser: Browser;
let fixtures: Fixtures;
let hold: WebhookHold;
let studioWebhookUrls: string[];

beforeAll(async () => {
  hold = new WebhookHold();
  [browser, fixtures, studioWebhookUrls] = await Promise.all([launchChromium(), ensureFixtures(), emulatorWebhookUrls(), hold.start()]);
  expect(studioWebhookUrls).toHaveLength(1);
});

afterAll(async () => {
  await setEmulatorFaults({});
  if (studioWebhookUrls) await setEmulatorWebhookUrls(studioWebhookUrls);
  await hold?.close();
  await browser?.close();
});

describe("a lesson and its upload in the studio", () => {
  test("saved mid-upload, its tab closed once the bytes are sent, and its webhooks late: the lesson still ends ready", async () => {
    const creator = await signedInPage(browser, "creator");
    await creator.getByRole("link", { name: "New lesson" }).first().click();
    await creator.getByLabel("Title").fill("Lighting with one lamp");
    await creator.getByLabel("Description").fill("Key, fill and the wall behind.");
    await creator.getByRole("button", { name: "Create lesson" }).click();
    await creator.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    const lessonUrl = creator.url();
    await creator.getByRole("link", { name: "Edit lesson" }).click();
    await creator.waitForURL(/\/lessons\/edit\//);

    // From now on the studio hears no webhook until the test says so.
    await setEmulatorWebhookUrls([hold.url]);
    // The first byte request is refused with "retry in 4 s": the upload is on screen, unfinished, meanwhile.
    await setEmulatorFaults({ failChunk: { n: 1, status: 503, retryAfter: 4 } });
    await chooseVideo(creator, fixtures.mp4.path);
    await creator.getByRole("button", { name: "Save now, video continues" }).click();
    await creator.locator('form[data-state="saved"]').waitFor();

    // The bytes are all sent once the uploader moves past uploading; then the tab is closed.
    await creator.waitForFunction(() => {
      const status = document.querySelector<HTMLElement>(".lvk-uploader, [data-view][data-status]")?.dataset.status;
      return status === "processing" || status === "complete";
    }, undefined, { timeout: 60_000 });
    await creator.context().close();

    // The backend made the asset and said so, but the studio has heard nothing yet: no video to play.
    await hold.received("video.upload.asset_created");
    const viewer = await signedInPage(browser, "creator");
    await viewer.goto(lessonUrl);
    expect(await viewer.getByTestId("video-status").textContent()).not.toBe("Video ready");

    // The webhooks arrive late, after the only save; the lesson is found by the upload it was saved with.
    await waitForHeld(hold, "video.asset.ready");
    const statuses = await hold.deliverTo(studioWebhookUrls[0]!);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await setEmulatorWebhookUrls(studioWebhookUrls);

    await viewer.reload();
    expect(await viewer.getByTestId("video-status").textContent()).toBe("Video ready");
    const played = await playLessonVideo(viewer);
    expect(played.currentTime).toBeGreaterThan(0.3);
    await viewer.context().close();
  });
});

/** Resolves once the hold has a webhook of `type` (the emulator sends "ready" a moment after the bytes). */
async function waitForHeld(held: WebhookHold, type: string): Promise<void> {
  await expect.poll(() => held.types(), { timeout: 60_000, interval: 50 }).toContain(type);
}
