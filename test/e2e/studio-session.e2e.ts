/**
 * The studio's trust boundaries against the stack `npm start` runs: webhooks must be signed with the
 * data dir's own secret (not the emulator's public default), and the demo session cookie expires, is
 * revoked on sign-out and, malformed, forged or expired, counts as signed out (401 from the video API, the
 * sign-in page for pages that need a user) rather than failing the request.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  decodeSessionToken,
  encodeSessionToken,
  newSessionClaims,
  sessionMaxAgeSeconds,
  type SessionClaims,
} from "../../examples/lesson-studio/lib/session-token.js";
import { DEFAULT_TOKEN_ID, DEFAULT_TOKEN_SECRET, DEFAULT_WEBHOOK_SECRET, signWebhookBody } from "../../src/emulator/index.js";
import { verifyMuxSignature } from "../../src/server/webhooks.js";
import { launchChromium } from "./support/browser.js";
import {
  emulatorUrl,
  emulatorWebhookUrls,
  setEmulatorWebhookUrls,
  signedInPage,
  studioDataDir,
  studioUrl,
} from "./support/studio.js";

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

const dataDirSecret = async (name: string) => (await readFile(join(studioDataDir(), name), "utf8")).trim();

function postWebhook(body: string, signature: string): Promise<Response> {
  return fetch(`${studioUrl()}/api/video/webhooks/mux`, {
    method: "POST",
    headers: { "content-type": "application/json", "mux-signature": signature },
    body,
  });
}

/** A one-shot webhook receiver: resolves with the first delivery it gets. */
async function startReceiver(): Promise<{ url: string; delivery: Promise<Delivery>; close(): Promise<void> }> {
  let received!: (delivery: Delivery) => void;
  const delivery = new Promise<Delivery>((resolve) => (received = resolve));
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    res.writeHead(200).end();
    received({ body, headers: req.headers });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/mux`,
    delivery,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The video API as a holder of `cookie` sees it: asks for an asset that does not exist (404 once signed in). */
async function videoApiAs(cookie: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${studioUrl()}/api/video/assets/no-such-asset`, { headers: { cookie: `studio_session=${cookie}` } });
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  return { status: response.status, code: body?.error?.code };
}

/** Opens a page that needs a signed-in user with `cookie`: its status and where it sends the browser. */
async function newLessonPageAs(cookie: string): Promise<{ status: number; redirectedTo: string | null }> {
  const response = await fetch(`${studioUrl()}/lessons/new`, {
    headers: { cookie: `studio_session=${cookie}` },
    redirect: "manual",
  });
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (!location) return { status: response.status, redirectedTo: null };
  const url = new URL(location, studioUrl());
  return { status: response.status, redirectedTo: `${url.pathname}${url.search}` };
}

const signInRedirect = `/sign-in?next=${encodeURIComponent("/lessons/new")}`;

/** Signs in through the sign-in page and returns the `studio_session` Set-Cookie line the sign-in answered with. */
async function signInSetCookie(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  await page.goto(`${studioUrl()}/sign-in`);
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/sign-in",
  );
  await page.getByTestId("sign-in-creator").click();
  const headers = await (await answered).allHeaders();
  const line = (headers["set-cookie"] ?? "").split("\n").find((cookie) => cookie.startsWith("studio_session="));
  if (!line) throw new Error(`the sign-in set no session cookie: ${JSON.stringify(headers)}`);
  return line;
}

/** The signed claims of a Set-Cookie line, checked with the studio's session secret. */
async function claimsOf(setCookie: string): Promise<SessionClaims | undefined> {
  const value = setCookie.slice("studio_session=".length).split(";")[0];
  return decodeSessionToken(value, await dataDirSecret("session-secret"), nowSeconds());
}

/** The `studio_session` cookie a browser holds. */
async function sessionCookieOf(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((cookie) => cookie.name === "studio_session")?.value;
}

describe("studio webhooks", () => {
  test("a webhook signed with the emulator's public default secret is refused", async () => {
    const body = JSON.stringify({
      id: randomUUID(),
      type: "video.upload.cancelled",
      created_at: new Date().toISOString(),
      object: { type: "upload", id: "forged-upload" },
      environment: { id: "emulator", name: "Emulator" },
      data: { id: "forged-upload", status: "cancelled", new_asset_settings: { passthrough: "5eed0000-0000-4000-8000-000000000001" } },
      attempts: [],
    });
    const response = await postWebhook(body, signWebhookBody(body, DEFAULT_WEBHOOK_SECRET));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  test("the emulator signs its webhooks with the data dir's own secret, and the studio takes them", async () => {
    const file = join(studioDataDir(), "webhook-secret");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secret = await dataDirSecret("webhook-secret");
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    // Catch one real delivery: point the emulator at a receiver and create a direct upload there.
    const receiver = await startReceiver();
    const urls = await emulatorWebhookUrls();
    let delivery: Delivery;
    try {
      await setEmulatorWebhookUrls([receiver.url]);
      const created = await fetch(`${emulatorUrl()}/video/v1/uploads`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${DEFAULT_TOKEN_ID}:${DEFAULT_TOKEN_SECRET}`).toString("base64")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ cors_origin: studioUrl(), new_asset_settings: { playback_policy: ["public"] } }),
      });
      expect(created.status).toBe(201);
      delivery = await receiver.delivery;
    } finally {
      await setEmulatorWebhookUrls(urls);
      await receiver.close();
    }

    const signature = String(delivery.headers["mux-signature"]);
    expect(await verifyMuxSignature({ rawBody: delivery.body, header: signature, secret })).toMatchObject({ ok: true });
    expect(await verifyMuxSignature({ rawBody: delivery.body, header: signature, secret: DEFAULT_WEBHOOK_SECRET })).toEqual({
      ok: false,
      reason: "signature_invalid",
    });
    const forwarded = await postWebhook(delivery.body, signature);
    expect(forwarded.status).toBe(200);
    expect(await forwarded.json()).toEqual({ received: true });
  });

  test("each data dir gets its own secrets, made once and kept across restarts", async () => {
    const stackModule = new URL("../../examples/lesson-studio/scripts/stack.mjs", import.meta.url).href;
    const { dataDirSecret: secretIn } = (await import(stackModule)) as {
      dataDirSecret(dataDir: string, name: string): string;
    };
    const [one, two] = await Promise.all([
      mkdtemp(join(tmpdir(), "lesson-studio-secrets-")),
      mkdtemp(join(tmpdir(), "lesson-studio-secrets-")),
    ]);
    try {
      const first = secretIn(one, "webhook-secret");
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(secretIn(one, "webhook-secret")).toBe(first);
      expect((await stat(join(one, "webhook-secret"))).mode & 0o777).toBe(0o600);
      expect(secretIn(two, "webhook-secret")).not.toBe(first);
      expect(secretIn(one, "session-secret")).not.toBe(first);
    } finally {
      await Promise.all([rm(one, { recursive: true, force: true }), rm(two, { recursive: true, force: true })]);
    }
  });
});

describe("studio session cookie", () => {
  test("signing in sets an HttpOnly, SameSite=Lax cookie that expires with its signed claims, Secure over HTTPS", async () => {
    const plain = await browser.newContext();
    const proxied = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-proto": "https" } });
    try {
      const before = nowSeconds();
      const [overHttp, overHttps] = await Promise.all([signInSetCookie(plain), signInSetCookie(proxied)]);
      for (const line of [overHttp, overHttps]) {
        expect(line).toMatch(new RegExp(`;\\s*Max-Age=${sessionMaxAgeSeconds}(;|$)`, "i"));
        expect(line).toMatch(/;\s*HttpOnly(;|$)/i);
        expect(line).toMatch(/;\s*SameSite=Lax(;|$)/i);
        expect(line).toMatch(/;\s*Path=\/(;|$)/i);
        const claims = await claimsOf(line);
        expect(claims).toMatchObject({ userKey: "creator" });
        expect(claims?.issuedAt).toBeGreaterThanOrEqual(before);
        expect(claims?.issuedAt).toBeLessThanOrEqual(nowSeconds());
        expect(claims && claims.expiresAt - claims.issuedAt).toBe(sessionMaxAgeSeconds);
      }
      expect(overHttp).not.toMatch(/;\s*Secure(;|$)/i);
      expect(overHttps).toMatch(/;\s*Secure(;|$)/i);
    } finally {
      await Promise.all([plain.close(), proxied.close()]);
    }
  });

  test("a cookie past its expiry is refused, while the same claims still in their lifetime are accepted", async () => {
    const secret = await dataDirSecret("session-secret");
    const now = nowSeconds();
    const fresh = encodeSessionToken(newSessionClaims("creator", now), secret);
    const expiredClaims = newSessionClaims("creator", now - sessionMaxAgeSeconds - 60);
    const expired = encodeSessionToken(expiredClaims, secret);
    // The expiry pushed out without the secret: the signature no longer matches.
    const stretched = expired.replace(`.${expiredClaims.expiresAt}.`, `.${now + 60}.`);
    // Signed, but meant to outlive any sign-in.
    const everlasting = encodeSessionToken({ ...newSessionClaims("creator", now), expiresAt: now + 365 * 24 * 60 * 60 }, secret);

    expect(await videoApiAs(fresh)).toEqual({ status: 404, code: "not_found" });
    expect(await newLessonPageAs(fresh)).toEqual({ status: 200, redirectedTo: null });
    for (const cookie of [expired, stretched, everlasting]) {
      expect(await videoApiAs(cookie)).toEqual({ status: 401, code: "unauthorized" });
      expect(await newLessonPageAs(cookie)).toEqual({ status: 307, redirectedTo: signInRedirect });
    }
  });

  test("after signing out, a copy of the session cookie signs nobody in", async () => {
    const page = await signedInPage(browser, "creator");
    const copy = (await sessionCookieOf(page)) ?? "";
    expect(await videoApiAs(copy)).toEqual({ status: 404, code: "not_found" });

    await page.goto(`${studioUrl()}/sign-in`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor({ state: "detached" });
    expect(await sessionCookieOf(page)).toBeUndefined();

    expect(await videoApiAs(copy)).toEqual({ status: 401, code: "unauthorized" });
    expect(await newLessonPageAs(copy)).toEqual({ status: 307, redirectedTo: signInRedirect });
    // A browser still holding the copy browses as a guest.
    const other = await browser.newContext();
    await other.addCookies([{ name: "studio_session", value: copy, url: studioUrl() }]);
    const guest = await other.newPage();
    await guest.goto(`${studioUrl()}/lessons`);
    await guest.getByText("Browsing as a guest").waitFor();
    expect(await guest.getByTestId("signed-in-user").count()).toBe(0);
    await Promise.all([page.context().close(), other.close()]);
  });

  test("signing in as someone else revokes the sign-in it replaces", async () => {
    const page = await signedInPage(browser, "creator");
    const creatorCookie = (await sessionCookieOf(page)) ?? "";
    await page.goto(`${studioUrl()}/sign-in`);
    await page.getByTestId("sign-in-visitor").click();
    await page.waitForURL(`${studioUrl()}/lessons`);
    expect(await page.getByTestId("signed-in-user").textContent()).toBe("Alex Kim");

    expect(await videoApiAs(creatorCookie)).toEqual({ status: 401, code: "unauthorized" });
    expect(await videoApiAs((await sessionCookieOf(page)) ?? "")).toEqual({ status: 404, code: "not_found" });
    await page.context().close();
  });

  test("a malformed, forged or foreign cookie counts as signed out: the video API answers 401, pages send to sign-in", async () => {
    const secret = await dataDirSecret("session-secret");
    const now = nowSeconds();
    const visitor = encodeSessionToken(newSessionClaims("visitor", now), secret);
    const cookies = [
      "%E0%A4%A", // percent-encoding cut short
      "%",
      "",
      "not-a-session",
      "creator", // the user key with no signature
      "creator.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // the old format, forged
      visitor.replace("v1.visitor.", "v1.creator."), // someone else's token with the user changed
      encodeSessionToken(newSessionClaims("creator", now), "a secret that is not this studio's"),
      encodeSessionToken(newSessionClaims("admin", now), secret), // signed, but names nobody
    ];
    for (const cookie of cookies) {
      expect({ cookie, ...(await videoApiAs(cookie)) }).toEqual({ cookie, status: 401, code: "unauthorized" });
      expect({ cookie, ...(await newLessonPageAs(cookie)) }).toEqual({ cookie, status: 307, redirectedTo: signInRedirect });
      const lessons = await fetch(`${studioUrl()}/lessons`, { headers: { cookie: `studio_session=${cookie}` } });
      expect({ cookie, status: lessons.status }).toEqual({ cookie, status: 200 });
      expect(await lessons.text()).toContain("Browsing as a guest");
    }

    // In a browser: the sign-in page, then back to the page asked for, with a good cookie in place of the bad one.
    const context = await browser.newContext();
    await context.addCookies([{ name: "studio_session", value: "%E0%A4%A", url: studioUrl() }]);
    const page = await context.newPage();
    await page.goto(`${studioUrl()}/lessons/new`);
    await page.waitForURL(`${studioUrl()}${signInRedirect}`);
    await page.getByTestId("sign-in-creator").click();
    await page.waitForURL(`${studioUrl()}/lessons/new`);
    await page.getByRole("heading", { name: "Write a lesson" }).waitFor();
    await context.close();
  });
});
