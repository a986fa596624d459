// Webhooks arrive signed in Mux's mux-signature format: mux.webhooks.unwrap() verifies every one, they come in
// Mux's order, a receiver that fails gets the same event again with backoff, and a JSON POST to the admin
// route re-points them.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Mux from "@mux/mux-node";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook receiver that records every POST and answers with the next status from `statuses` (then 200). */
async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    received.push({ body, headers: req.headers });
    res.writeHead(statuses.shift() ?? 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/mux`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let fx: Fixtures;
let emulator: MuxEmulator | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

beforeAll(async () => {
  fx = await ensureFixtures();
});

afterEach(async () => {
  await emulator?.close();
  await receiver?.close();
  emulator = undefined;
  receiver = undefined;
});

describe("webhooks", () => {
  it("sends upload and asset events that mux.webhooks.unwrap() verifies, in Mux's order", async () => {
    receiver = await startReceiver();
    const started = await startTestEmulator({ webhookUrls: [receiver.url] });
    emulator = started.emulator;
    const mux: Mux = started.mux;
    const { upload, asset } = await uploadAndSettle(mux, await readBytes(fx.mp4.path), { playback_policies: ["public"], passthrough: "lesson-9" });
    await emulator.flushWebhooks();

    const events = await Promise.all(receiver.received.map((r) => mux.webhooks.unwrap(r.body, r.headers as Record<string, string>)));
    expect(events.map((e) => e.type)).toEqual(["video.upload.created", "video.asset.created", "video.upload.asset_created", "video.asset.ready"]);
    const ready = events[3];
    expect(ready?.object).toEqual({ type: "asset", id: asset.id });
    expect(ready?.data).toMatchObject({ id: asset.id, status: "ready", passthrough: "lesson-9", upload_id: upload.id });
    expect(typeof (ready?.data as { created_at?: unknown }).created_at).toBe("number");
    expect(events[2]?.data).toMatchObject({ id: upload.id, status: "asset_created", asset_id: asset.id });
    for (const r of receiver.received) expect(r.headers["mux-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it("reports an errored asset with its errors", async () => {
    receiver = await startReceiver();
    const started = await startTestEmulator({ webhookUrls: [receiver.url] });
    emulator = started.emulator;
    await uploadAndSettle(started.mux, await readBytes(fx.notVideo.path));
    await emulator.flushWebhooks();
    const events = await Promise.all(receiver.received.map((r) => started.mux.webhooks.unwrap(r.body, r.headers as Record<string, string>)));
    const errored = events.find((e) => e.type === "video.asset.errored");
    expect(errored?.data).toMatchObject({ status: "errored", errors: { type: "invalid_input", messages: [expect.stringMatching(/not a video/)] } });
  });

  it("fails verification with another secret", async () => {
    receiver = await startReceiver();
    const started = await startTestEmulator({ webhookUrls: [receiver.url], webhookSecret: "the-real-secret" });
    emulator = started.emulator;
    await started.mux.video.uploads.create({ cors_origin: "*" });
    await emulator.flushWebhooks();
    const first = receiver.received[0];
    expect(first).toBeDefined();
    await expect(started.mux.webhooks.unwrap(first?.body ?? "", first?.headers as Record<string, string>, "another-secret")).rejects.toThrow();
    await expect(started.mux.webhooks.unwrap(first?.body ?? "", first?.headers as Record<string, string>, "the-real-secret")).resolves.toMatchObject({
      type: "video.upload.created",
    });
  });

  it("retries with backoff until the receiver answers 2xx, recording the failed attempts", async () => {
    receiver = await startReceiver([500, 503]);
    const started = await startTestEmulator({ webhookUrls: [receiver.url], webhookRetryDelaysMs: [20, 40, 80] });
    emulator = started.emulator;
    await started.mux.video.uploads.create({ cors_origin: "*" });
    await emulator.flushWebhooks();
    expect(receiver.received).toHaveLength(3);
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { id: string; attempts: Array<{ response_status_code: number }> });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[2]?.attempts.map((a) => a.response_status_code)).toEqual([500, 503]);
    // Every retry is signed afresh and still verifies.
    for (const r of receiver.received) await expect(started.mux.webhooks.unwrap(r.body, r.headers as Record<string, string>)).resolves.toBeTruthy();
  });

  it("takes new webhook URLs from the admin endpoint", async () => {
    receiver = await startReceiver();
    const started = await startTestEmulator();
    emulator = started.emulator;
    const set = await fetch(`${emulator.url}/_emulator/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ urls: [receiver.url] }),
    });
    expect(await set.json()).toEqual({ data: { urls: [receiver.url] } });
    const upload = await started.mux.video.uploads.create({ cors_origin: "*" });
    await started.mux.video.uploads.cancel(upload.id);
    await emulator.flushWebhooks();
    await waitUntil(async () => receiver?.received.length ?? 0, (n) => n >= 2);
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types).toEqual(["video.upload.created", "video.upload.cancelled"]);
  });
});
