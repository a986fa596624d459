/**
 * The value of the demo session cookie: who, which sign-in, when it was issued and when it expires, with an
 * HMAC over all of it. Node crypto only (no Next.js import), so the end-to-end tests mint tokens with it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface SessionClaims {
  /** The demo user's key (`creator`, `buyer`, `visitor`). */
  userKey: string;
  /** Random per sign-in; signing out revokes it. */
  sessionId: string;
  /** Unix seconds. */
  issuedAt: number;
  /** Unix seconds; the cookie's Max-Age ends at the same moment. */
  expiresAt: number;
}

/** How long a sign-in lasts: a working day. */
export const sessionMaxAgeSeconds = 8 * 60 * 60;

/** How far ahead of this server's clock an issued-at may be (another instance's clock). */
const clockSkewSeconds = 60;

const version = "v1";
const tokenPattern = /^v1\.([a-z]{1,32})\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

/** Claims for a sign-in starting now. */
export function newSessionClaims(userKey: string, nowSeconds: number): SessionClaims {
  return {
    userKey,
    sessionId: randomBytes(16).toString("base64url"),
    issuedAt: nowSeconds,
    expiresAt: nowSeconds + sessionMaxAgeSeconds,
  };
}

export function encodeSessionToken(claims: SessionClaims, secret: string): string {
  const payload = [version, claims.userKey, claims.sessionId, claims.issuedAt, claims.expiresAt].join(".");
  return `${payload}.${sign(payload, secret)}`;
}

/**
 * The claims of a token this studio signed and that is still within its lifetime; undefined for anything
 * else (malformed, forged, another secret's, expired, issued in the future or longer-lived than a sign-in).
 */
export function decodeSessionToken(token: string | undefined, secret: string, nowSeconds: number): SessionClaims | undefined {
  const match = token === undefined ? null : tokenPattern.exec(token);
  if (!match) return undefined;
  const [, userKey = "", sessionId = "", issued = "", expires = "", signature = ""] = match;
  const given = Buffer.from(signature);
  const expected = Buffer.from(sign(match[0].slice(0, -signature.length - 1), secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const issuedAt = Number(issued);
  const expiresAt = Number(expires);
  if (issuedAt > nowSeconds + clockSkewSeconds || expiresAt <= nowSeconds) return undefined;
  if (expiresAt - issuedAt > sessionMaxAgeSeconds) return undefined;
  return { userKey, sessionId, issuedAt, expiresAt };
}
