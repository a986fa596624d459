// The webhook route is open to the internet: anyone can POST to it. These probes check that a forged
// delivery costs the server neither memory nor HMAC work: the signature header's shape and timestamp are
// checked before the body is read, `v1` candidates are capped, bodies are capped, at most
// `maxConcurrent` deliveries are read at once, and one IP is rate-limited.
import { maxWebhookSignatures, precheckMuxSignature, signMuxWebhook, verifyMuxSignature } from "../../src/server/webhooks.js";
import { startStack, type Stack } from "./server-harness.js";

const readyEvent = (id: string, assetId: string) =>
  JSON.stringify({
    type: "video.asset.ready",
    id,
    created_at: new Date().toISOString(),
    object: { type: "asset", id: assetId },
    data: { id: assetId, status: "ready", playback_ids: [{ id: `play_${assetId}`, policy: "public" }], passthrough: "lesson-alice" },
    attempts: [],
  });

/** A request body that sends `first` and then stays open until `end()`: a client trickling its upload. */
function openBody(first = "{") {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
      await closed;
      controller.close();
    },
  });
  return { body, end: () => close() };
}

const post = (stack: Stack, headers: Record<string, string>, body: BodyInit | ReadableStream<Uint8Array>) =>
  fetch(`${stack.api}/webhooks/mux`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit);

describe("before the body is read", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it.each([
    ["no signature header", {}],
    ["a header that is not a signature", { "mux-signature": "hello" }],
    ["a signature from ten minutes ago", { "mux-signature": `t=${Math.floor(Date.now() / 1000) - 600},v1=${"ab".repeat(32)}` }],
  ])("answers a delivery with %s while its body is still arriving", async (_what, headers) => {
    const { body, end } = openBody();
    try {
      // Answered although the body never finishes: the route did not wait to read it.
      const response = await post(stack, headers, body);
      expect([400, 401]).toContain(response.status);
    } finally {
      end();
    }
  });

  it(`refuses a header with more than ${maxWebhookSignatures} v1 candidates, even when one of them is right`, async () => {
    const body = readyEvent("evt_many", "assetmany1");
    const valid = await signMuxWebhook(body, stack.emulator.webhookSecret);
    const [t, v1] = valid.split(",");
    const header = [t, ...Array.from({ length: 234 }, (_, i) => `v1=${i.toString(16).padStart(64, "0")}`), v1].join(",");
    const response = await post(stack, { "mux-signature": header }, body);
    expect(response.status).toBe(401);
    expect(stack.hooks.assetReady.filter((h) => h.assetId === "assetmany1")).toEqual([]);
    expect(precheckMuxSignature(header)).toBe("signature_invalid");
    await expect(verifyMuxSignature({ rawBody: body, header, secret: stack.emulator.webhookSecret })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
  });

  it("refuses a correctly signed body larger than 256 KiB", async () => {
    const body = JSON.stringify({ padding: "x".repeat(300 * 1024) });
    const response = await post(stack, { "mux-signature": await signMuxWebhook(body, stack.emulator.webhookSecret) }, body);
    expect(response.status).toBe(413);
  });
});

describe("concurrency and rate", () => {
  it("reads at most maxConcurrent deliveries at once; the next answers 503 with Retry-After, and the slots come back", async () => {
    const stack = await startStack({ routes: { webhooks: { maxConcurrent: 2 } } });
    const shapedHeader = { "mux-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"ab".repeat(32)}` };
    const slow = [openBody(), openBody()];
    try {
      const pending = slow.map(({ body }) => post(stack, shapedHeader, body));
      // The two slow deliveries hold both slots until their bodies end.
      await vi.waitFor(async () => {
        const third = await post(stack, shapedHeader, "{}");
        expect(third.status).toBe(503);
        expect(third.headers.get("retry-after")).toBe("1");
      });
      for (const { end } of slow) end();
      for (const response of await Promise.all(pending)) expect(response.status).toBe(401);
      const body = readyEvent("evt_after", "assetafter1");
      expect((await post(stack, { "mux-signature": await signMuxWebhook(body, stack.emulator.webhookSecret) }, body)).status).toBe(200);
      expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "busy" }));
    } finally {
      for (const { end } of slow) end();
      await stack.close();
    }
  });

  it("rate-limits failed deliveries per client IP, and refuses an address over the limit before reading", async () => {
    const stack = await startStack({ routes: { webhooks: { perIp: { limit: 3, windowMs: 60_000 } } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(stack, {}, "{}")).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(stack.events).toContainEqual(expect.objectContaining({ type: "webhook_rejected", reason: "rate_limited" }));
    } finally {
      await stack.close();
    }
  });

  it("accepts and applies 2,000 correctly signed deliveries from one address within a minute (default limits)", async () => {
    const stack = await startStack();
    try {
      const count = 2000;
      const statuses = new Map<number, number>();
      // 8 at a time, under webhooks.maxConcurrent (16): every delivery is read, none is told to retry.
      for (let start = 0; start < count; start += 8) {
        const batch = Array.from({ length: Math.min(8, count - start) }, async (_, offset) => {
          const body = readyEvent(`evt_burst_${start + offset}`, `burst${start + offset}`);
          const response = await post(stack, { "mux-signature": await signMuxWebhook(body, stack.emulator.webhookSecret) }, body);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        });
        await Promise.all(batch);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: count });
      expect(new Set(stack.hooks.assetReady.filter((h) => h.assetId.startsWith("burst")).map((h) => h.assetId)).size).toBe(count);
      expect(stack.events.filter((e) => e.type === "webhook_rejected")).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it("keeps accepting signed deliveries from an address whose forged ones are still under the limit", async () => {
    const stack = await startStack({ routes: { webhooks: { perIp: { limit: 3, windowMs: 60_000 } } } });
    try {
      for (let i = 0; i < 2; i++) expect((await post(stack, {}, "{}")).status).toBe(401);
      for (let i = 0; i < 20; i++) {
        const body = readyEvent(`evt_mixed_${i}`, `mixed${i}`);
        expect((await post(stack, { "mux-signature": await signMuxWebhook(body, stack.emulator.webhookSecret) }, body)).status).toBe(200);
      }
      // The third forged one reaches the limit; from then on the address waits for the window.
      expect((await post(stack, {}, "{}")).status).toBe(401);
      expect((await post(stack, {}, "{}")).status).toBe(429);
    } finally {
      await stack.close();
    }
  });
});
