/**
 * A demo sign-in: a signed cookie naming one of the demo users, with an expiry the server checks. Signing
 * out revokes that sign-in in the database, so a copy of the cookie stops working too. Enough to make the
 * access rules visible; a real app uses its own auth and passes the user id the same way.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDatabase } from "./db/database";
import { type DemoUser, findDemoUser } from "./demo-users";
import { decodeSessionToken, encodeSessionToken, newSessionClaims, type SessionClaims } from "./session-token";
import { sessionSecret } from "./settings";

export const sessionCookieName = "studio_session";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a cookie value this studio signed, not expired and not signed out; else undefined. */
async function liveClaims(token: string | undefined): Promise<SessionClaims | undefined> {
  const claims = decodeSessionToken(token, sessionSecret(), nowSeconds());
  if (!claims) return undefined;
  const db = await getDatabase();
  const revoked = await db.asService(async (sql) => {
    const { rows } = await sql.query("select 1 from public.studio_revoked_sessions where session_id = $1", [claims.sessionId]);
    return rows.length > 0;
  });
  return revoked ? undefined : claims;
}

async function userOf(token: string | undefined): Promise<DemoUser | undefined> {
  const claims = await liveClaims(token);
  return claims && findDemoUser(claims.userKey);
}

/** Refuses this sign-in from now until it would have expired anyway; older revocations are dropped. */
async function revoke(claims: SessionClaims): Promise<void> {
  const db = await getDatabase();
  await db.asService(async (sql) => {
    await sql.query("delete from public.studio_revoked_sessions where expires_at < now()");
    await sql.query(
      "insert into public.studio_revoked_sessions (session_id, expires_at) values ($1, to_timestamp($2)) on conflict do nothing",
      [claims.sessionId, claims.expiresAt],
    );
  });
}

/**
 * Whether the browser reached the studio over HTTPS: `x-forwarded-proto` (Next.js sets it from the socket
 * unless a proxy in front did) or the https page the request came from.
 */
function cameOverHttps(requestHeaders: Pick<Headers, "get">): boolean {
  const proto = requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https" || (requestHeaders.get("origin")?.startsWith("https://") ?? false);
}

async function cookieAttributes() {
  const secure = cameOverHttps(await headers());
  return { path: "/", httpOnly: true, sameSite: "lax", secure } as const;
}

/** The signed-in demo user of this request, if any; read once per request. */
export const currentUser = cache(async (): Promise<DemoUser | undefined> => {
  const jar = await cookies();
  return userOf(jar.get(sessionCookieName)?.value);
});

/** The signed-in demo user, or a redirect to the sign-in page that comes back to `path`. */
export async function requireUser(path: string): Promise<DemoUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  return user;
}

/** Same as `currentUser`, for route handlers that get a `Request` rather than Next's cookie store. */
export function userFromRequest(request: Request): Promise<DemoUser | undefined> {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const separator = part.indexOf("=");
    // Taken as sent: a token this studio signed never needs percent-decoding.
    if (separator > 0 && part.slice(0, separator).trim() === sessionCookieName) return userOf(part.slice(separator + 1).trim());
  }
  return Promise.resolve(undefined);
}

/** Signs `user` in on this response (a sign-in already on this browser is revoked first). */
export async function startSession(user: DemoUser): Promise<void> {
  const jar = await cookies();
  const previous = decodeSessionToken(jar.get(sessionCookieName)?.value, sessionSecret(), nowSeconds());
  if (previous) await revoke(previous);
  const claims = newSessionClaims(user.key, nowSeconds());
  jar.set(sessionCookieName, encodeSessionToken(claims, sessionSecret()), {
    ...(await cookieAttributes()),
    maxAge: claims.expiresAt - claims.issuedAt,
  });
}

/** Signs out: the sign-in is revoked on the server and the cookie cleared. */
export async function endSession(): Promise<void> {
  const jar = await cookies();
  const claims = decodeSessionToken(jar.get(sessionCookieName)?.value, sessionSecret(), nowSeconds());
  if (claims) await revoke(claims);
  jar.delete({ name: sessionCookieName, ...(await cookieAttributes()) });
}
