// `GET /assets/:id/events` holds a connection per viewer: one user may not hold an unbounded number, and
// no stream lives forever. A stream that reaches its lifetime ends with `event: reconnect`, and the HTTP
// transport opens the next one without the page noticing.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoAsset } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

let mp4: Fixture;
beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
});

/** Uploads the MP4 as `user` and returns the asset id once the emulator created the asset (still preparing). */
async function preparingAsset(stack: Stack, user: string): Promise<string> {
  const response = await stack.call("/uploads", uploadRequest({ name: mp4.name, size: mp4.size, type: mp4.type }, undefined, user));
  const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
  await sendChunks(new Blob([new Uint8Array(readFileSync(mp4.path))], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {} });
  let assetId: string | undefined;
  await vi.waitFor(
    async () => {
      assetId = ((await (await stack.call(`/uploads/${uploadId}`, { user })).json()) as { assetId?: string }).assetId;
      expect(assetId).toBeDefined();
    },
    { timeout: 30_000, interval: 50 },
  );
  return assetId!;
}

describe("event streams per user", () => {
  let stack: Stack;
  let bobsAsset: string;
  beforeAll(async () => {
    // Processing long enough that every stream here stays open until the test closes it.
    stack = await startStack({ routes: { eventStreams: { perUser: 2 } }, emulator: { processingDelayMs: 600_000 } });
    bobsAsset = await preparingAsset(stack, "bob");
  });
  afterAll(() => stack?.close());

  it("refuses a third open stream of one user with 429, leaves other users alone, and frees the slot when one closes", async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => stack.call(`/assets/${bobsAsset}/events`, { user: "bob", signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await stack.call(`/assets/${bobsAsset}/events`, { user: "bob" });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(stack.events).toContainEqual(expect.objectContaining({ type: "stream_limited", userId: "bob", open: 2 }));

    controllers[0]!.abort();
    // The server notices the closed connection and gives the slot back.
    const retry = new AbortController();
    await vi.waitFor(async () => {
      const again = await stack.call(`/assets/${bobsAsset}/events`, { user: "bob", signal: retry.signal });
      expect(again.status).toBe(200);
    });
    retry.abort();
    controllers[1]!.abort();
  });
});

describe("event stream lifetime", () => {
  it("ends a stream at its lifetime with event: reconnect, and the HTTP transport reconnects to see ready", async () => {
    const stack = await startStack({ routes: { eventStreams: { maxLifetimeMs: 300 } }, emulator: { processingDelayMs: 2_000 } });
    try {
      const assetId = await preparingAsset(stack, "alice");
      // One stream on its own: it ends after its lifetime although the asset is still preparing.
      const first = await (await stack.call(`/assets/${assetId}/events`, { user: "alice" })).text();
      expect(first).toContain('"status":"preparing"');
      expect(first).toMatch(/event: reconnect\n/);

      // Through the transport: several streams, one watcher that sees ready and never an error.
      let streams = 0;
      const transport = createHttpTransport({
        baseUrl: stack.api,
        headers: { authorization: "Bearer alice-token" },
        fetch: (input, init) => {
          if (String(input).endsWith("/events")) streams++;
          return fetch(input, init);
        },
      });
      const ready = await new Promise<VideoAsset>((resolve, reject) => {
        transport.watchAsset!(assetId, (asset) => asset.status === "ready" && resolve(asset), reject);
      });
      expect(ready.status).toBe("ready");
      expect(streams).toBeGreaterThan(1);
    } finally {
      await stack.close();
    }
  });
});
