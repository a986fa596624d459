/**
 * Signing keys and playback-token checks, as Mux does them: RS256 JWTs whose `kid` names a signing key
 * (in the payload, as `mux.jwt.signPlaybackId` puts it, or in the header), `sub` = playback id,
 * `aud` = what the token opens (`v` video, `t` thumbnail, `s` storyboard), `exp` in the future.
 */
import { createPublicKey, generateKeyPair, verify } from "node:crypto";

export type TokenAudience = "v" | "t" | "s";

export interface GeneratedSigningKey {
  publicKeyPem: string;
  /** Base64 of the PKCS#1 PEM private key, the format Mux returns in `private_key`. */
  privateKeyBase64: string;
}

export function generateSigningKey(): Promise<GeneratedSigningKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
      },
      (error, publicKeyPem, privateKeyPem) => {
        if (error) return reject(error);
        resolve({ publicKeyPem, privateKeyBase64: Buffer.from(privateKeyPem).toString("base64") });
      },
    );
  });
}

/** A valid token carries its claims: transform parameters (`time`, `width`, `height`) travel there. */
export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
}

interface JwtPayload {
  kid?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a playback token for `playbackId` and `audience`. `publicKeyFor` returns the SPKI PEM of a
 * signing key id, or undefined when the emulator has no such key.
 */
export function verifyPlaybackToken(
  token: string,
  playbackId: string,
  audience: TokenAudience,
  publicKeyFor: (kid: string) => string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: "The token is not a JWT." };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header: JwtHeader | undefined = decodeJson(headerPart);
  const payload: JwtPayload | undefined = decodeJson(payloadPart);
  if (!header || !payload) return { ok: false, message: "The token is not a JWT." };
  if (header.alg !== "RS256") return { ok: false, message: "The token must be signed with RS256." };
  const kid = typeof payload.kid === "string" ? payload.kid : typeof header.kid === "string" ? header.kid : undefined;
  if (!kid) return { ok: false, message: "The token names no signing key (kid)." };
  const pem = publicKeyFor(kid);
  if (!pem) return { ok: false, message: "The token's signing key does not exist." };
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    createPublicKey(pem),
    Buffer.from(signaturePart, "base64url"),
  );
  if (!signed) return { ok: false, message: "The token's signature does not match its signing key." };
  if (payload.sub !== playbackId) return { ok: false, message: "The token was issued for another playback id." };
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(audience)) return { ok: false, message: `The token's audience is not "${audience}".` };
  if (typeof payload.exp !== "number") return { ok: false, message: "The token has no expiry (exp)." };
  if (payload.exp <= nowSeconds) return { ok: false, message: "The token has expired." };
  return { ok: true, claims: payload as Record<string, unknown> };
}
