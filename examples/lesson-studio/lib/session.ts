/**
 * A demo sign-in: an HMAC-signed cookie naming one of the demo users. Enough to make the access rules
 * visible; a real app uses its own auth and passes the user id the same way.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { type DemoUser, findDemoUser } from "./demo-users";
import { sessionSecret } from "./settings";

export const sessionCookieName = "studio_session";

function sign(value: string): string {
  return createHmac("sha256", sessionSecret()).update(value).digest("base64url");
}

export function encodeSession(userKey: string): string {
  return `${userKey}.${sign(userKey)}`;
}

export function decodeSession(cookie: string | undefined): DemoUser | undefined {
  if (!cookie) return undefined;
  const dot = cookie.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const key = cookie.slice(0, dot);
  const given = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(sign(key));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return findDemoUser(key);
}

/** The signed-in demo user of this request, if any. */
export async function currentUser(): Promise<DemoUser | undefined> {
  const jar = await cookies();
  return decodeSession(jar.get(sessionCookieName)?.value);
}

/** Same, for route handlers that get a `Request` rather than Next's cookie store. */
export function userFromRequest(request: Request): DemoUser | undefined {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === sessionCookieName) return decodeSession(decodeURIComponent(rest.join("=")));
  }
  return undefined;
}
