/**
 * The `mux-signature` scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with
 * several `v1` while a secret is being rotated. Web Crypto only, so it runs on Node and edge runtimes;
 * `crypto.subtle.verify` compares in constant time.
 */

/** What `verifyMuxSignature` returns: the signed timestamp (unix seconds), or why the delivery is refused. */
export type SignatureCheck =
  | { ok: true; /** When Mux signed the delivery, unix seconds. */ timestamp: number }
  | { ok: false; /** Why the signature was refused. */ reason: "signature_missing" | "signature_invalid" | "timestamp_out_of_tolerance" };

/** Input of `verifyMuxSignature`. */
export interface VerifyMuxSignatureInput {
  /** The request body exactly as received. */
  rawBody: string;
  /** The `mux-signature` header. */
  header: string | null | undefined;
  /** The webhook signing secret (`MUX_WEBHOOK_SECRET`); an empty secret throws. */
  secret: string;
  /** Largest distance between the signed timestamp and now. Default 300 s. */
  toleranceSeconds?: number | undefined;
  /** Now in ms since epoch (tests). */
  now?: number | undefined;
}

/** How far a webhook's signed timestamp may be from now before it is refused as stale: 300 s. */
export const defaultWebhookToleranceSeconds = 300;

/**
 * Most `v1` signatures a header may carry. Mux sends one (two while a secret rotates); every candidate
 * costs an HMAC, so a header with hundreds of them is refused before any is checked.
 */
export const maxWebhookSignatures = 8;

const encoder = new TextEncoder();

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  if (secret === "") throw new Error("lesson-video-kit: the webhook secret is empty.");
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function parseHeader(header: string): { timestamp?: number; signatures: Uint8Array<ArrayBuffer>[]; tooMany?: true } {
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  // A real header is ~80 bytes per signature; anything far longer is not Mux's.
  if (header.length > 128 * (maxWebhookSignatures + 1)) return { signatures, tooMany: true };
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === "v1") {
      const bytes = hexToBytes(value);
      if (bytes?.length === 32) signatures.push(bytes);
      if (signatures.length > maxWebhookSignatures) return { signatures, tooMany: true };
    }
  }
  return timestamp === undefined ? { signatures } : { timestamp, signatures };
}

/**
 * The checks that need no body and no secret: a `mux-signature` header of the right shape (a timestamp,
 * 1 to `maxWebhookSignatures` signatures) signed within the tolerance. The routes run it before reading
 * the body, so a forged delivery costs neither memory nor an HMAC.
 */
export function precheckMuxSignature(
  header: string | null,
  options: { toleranceSeconds?: number | undefined; now?: number | undefined } = {},
): "signature_missing" | "signature_invalid" | "timestamp_out_of_tolerance" | undefined {
  if (!header) return "signature_missing";
  const { timestamp, signatures, tooMany } = parseHeader(header);
  if (tooMany || timestamp === undefined || signatures.length === 0) return "signature_invalid";
  const tolerance = options.toleranceSeconds ?? defaultWebhookToleranceSeconds;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return "timestamp_out_of_tolerance";
  return undefined;
}

/**
 * Checks a Mux webhook's signature, then that it was signed within the tolerance. The routes do this for
 * you; call it when you receive Mux webhooks on a route of your own.
 *
 * @example
 * ```ts
 * const rawBody = await request.text(); // the exact bytes: not re-serialised JSON
 * const check = await verifyMuxSignature({ rawBody, header: request.headers.get("mux-signature"), secret: process.env.MUX_WEBHOOK_SECRET! });
 * if (!check.ok) return new Response(check.reason, { status: 401 });
 * ```
 */
export async function verifyMuxSignature(input: VerifyMuxSignatureInput): Promise<SignatureCheck> {
  if (!input.header) return { ok: false, reason: "signature_missing" };
  const { timestamp, signatures, tooMany } = parseHeader(input.header);
  if (tooMany || timestamp === undefined || signatures.length === 0) return { ok: false, reason: "signature_invalid" };

  const key = await hmacKey(input.secret, "verify");
  const signed = encoder.encode(`${timestamp}.${input.rawBody}`);
  let valid = false;
  // Check every candidate so the time taken does not say which one matched.
  for (const signature of signatures) {
    if (await crypto.subtle.verify("HMAC", key, signature, signed)) valid = true;
  }
  if (!valid) return { ok: false, reason: "signature_invalid" };

  const tolerance = input.toleranceSeconds ?? defaultWebhookToleranceSeconds;
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: "timestamp_out_of_tolerance" };
  return { ok: true, timestamp };
}

/** The `mux-signature` header Mux would send for `rawBody`; for tests and for hosts testing their hooks. */
export async function signMuxWebhook(rawBody: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await hmacKey(secret, "sign");
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestampSeconds}.${rawBody}`)));
  const hex = Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `t=${timestampSeconds},v1=${hex}`;
}
