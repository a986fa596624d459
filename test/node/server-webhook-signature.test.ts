// The `mux-signature` check of lesson-video-kit/server, with signatures made independently by
// node:crypto and cross-checked against @mux/mux-node's own verifier.
import { createHmac } from "node:crypto";
import { Mux } from "@mux/mux-node";
import { signMuxWebhook, verifyMuxSignature } from "../../src/server/index.js";

const secret = "whsec-test-secret";
const body = JSON.stringify({ id: "evt_1", type: "video.asset.ready", data: { id: "asset_1", status: "ready" } });
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const t = Math.floor(now / 1000);
const hmac = (key: string, timestamp: number, raw: string) => createHmac("sha256", key).update(`${timestamp}.${raw}`).digest("hex");

describe("verifyMuxSignature", () => {
  it("accepts a signature made with node:crypto over the raw body", async () => {
    const header = `t=${t},v1=${hmac(secret, t, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toEqual({ ok: true, timestamp: t });
  });

  it("accepts a delivery where one of several v1 signatures matches (secret rotation)", async () => {
    const header = `t=${t},v1=${hmac("old-secret", t, body)},v1=${hmac(secret, t, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toMatchObject({ ok: true });
  });

  it("refuses a signature made with another secret", async () => {
    const header = `t=${t},v1=${hmac("attacker-secret", t, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
  });

  it("refuses a body changed after signing", async () => {
    const header = `t=${t},v1=${hmac(secret, t, body)}`;
    const tampered = body.replace("asset_1", "asset_2");
    await expect(verifyMuxSignature({ rawBody: tampered, header, secret, now })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
  });

  it("refuses a timestamp changed after signing", async () => {
    const header = `t=${t + 1},v1=${hmac(secret, t, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
  });

  it("says the signature is missing when there is no header", async () => {
    await expect(verifyMuxSignature({ rawBody: body, header: null, secret, now })).resolves.toEqual({ ok: false, reason: "signature_missing" });
  });

  it.each([["garbage"], [`t=${t}`], [`v1=${"a".repeat(64)}`], [`t=abc,v1=${"a".repeat(64)}`], [`t=${t},v1=zz`], [`t=${t},v1=${"ab".repeat(16)}`]])(
    "refuses the malformed header %s",
    async (header) => {
      await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
    },
  );

  it("refuses a correctly signed delivery older than the 300 s tolerance and accepts one just inside it", async () => {
    const stale = t - 301;
    const fresh = t - 299;
    await expect(verifyMuxSignature({ rawBody: body, header: `t=${stale},v1=${hmac(secret, stale, body)}`, secret, now })).resolves.toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
    await expect(verifyMuxSignature({ rawBody: body, header: `t=${fresh},v1=${hmac(secret, fresh, body)}`, secret, now })).resolves.toMatchObject({ ok: true });
  });

  it("refuses a timestamp far in the future and honours a custom tolerance", async () => {
    const future = t + 3600;
    const header = `t=${future},v1=${hmac(secret, future, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toMatchObject({ ok: false, reason: "timestamp_out_of_tolerance" });
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now, toleranceSeconds: 7200 })).resolves.toMatchObject({ ok: true });
  });

  it("calls a stale forgery a forgery, not merely stale", async () => {
    const stale = t - 3600;
    const header = `t=${stale},v1=${hmac("attacker-secret", stale, body)}`;
    await expect(verifyMuxSignature({ rawBody: body, header, secret, now })).resolves.toEqual({ ok: false, reason: "signature_invalid" });
  });
});

describe("signMuxWebhook", () => {
  it("writes the header node:crypto computes", async () => {
    await expect(signMuxWebhook(body, secret, t)).resolves.toBe(`t=${t},v1=${hmac(secret, t, body)}`);
  });

  it("writes a header @mux/mux-node's own verifier accepts", async () => {
    const mux = new Mux({ tokenId: "id", tokenSecret: "secret", webhookSecret: secret });
    const header = await signMuxWebhook(body, secret);
    await expect(mux.webhooks.unwrap(body, { "mux-signature": header })).resolves.toMatchObject({ id: "evt_1", type: "video.asset.ready" });
  });
});
