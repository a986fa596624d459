// Every route answers only to its owner. Two signed-in users, alice and bob, on createVideoRoutes +
// createMuxBackend (the real @mux/mux-node client) over the local emulator, as an attacker would probe
// them: uploads without a lesson id (a new lesson uploads before it has one), assets and their event
// streams, signed playback, quotas under concurrency, and whose IP a rate limit counts.
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { isIP } from "node:net";
import { sendChunks } from "../../src/core/chunked-sender.js";
import { createMuxBackend, createVideoRoutes, VideoRoutesConfigError, type ServerVideoEvent, type VideoBackend } from "../../src/server/index.js";
import { clientIp } from "../../src/server/routes.js";
import { ipLimitKey, parseIp } from "../../src/server/routes/client-ip.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

const video = { name: "lesson.mp4", size: 400 * 1024, type: "video/mp4" };
let mp4: Fixture;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
});

async function createUpload(stack: Stack, user: string, lessonId?: string): Promise<{ uploadId: string; url: string }> {
  const response = await stack.call("/uploads", uploadRequest(video, lessonId, user));
  expect(response.status).toBe(201);
  return (await response.json()) as { uploadId: string; url: string };
}

/** Uploads the MP4 fixture as `user` (no lesson id) and waits until the emulator made it a ready asset. */
async function readyAssetOf(stack: Stack, user: string): Promise<{ uploadId: string; assetId: string; playbackId: string }> {
  const response = await stack.call("/uploads", uploadRequest({ name: mp4.name, size: mp4.size, type: mp4.type }, undefined, user));
  const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
  await sendChunks(new Blob([new Uint8Array(readFileSync(mp4.path))], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {} });
  let ready: { assetId: string; playbackId?: string | undefined } | undefined;
  await vi.waitFor(
    () => {
      const created = stack.hooks.uploadAssetCreated.find((h) => h.uploadId === uploadId);
      ready = stack.hooks.assetReady.find((h) => h.assetId === created?.assetId);
      expect(ready).toBeDefined();
    },
    { timeout: 30_000, interval: 50 },
  );
  return { uploadId, assetId: ready!.assetId, playbackId: ready!.playbackId! };
}

async function expectNotFound(response: Response) {
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
}

describe("an upload belongs to the user who created it, with or without a lesson id", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("bob can neither read nor cancel alice's upload of a lesson that has no id yet; it stays hers", async () => {
    const { uploadId } = await createUpload(stack, "alice");
    await expectNotFound(await stack.call(`/uploads/${uploadId}`, { user: "bob" }));
    await expectNotFound(await stack.call(`/uploads/${uploadId}/cancel`, { method: "POST", user: "bob" }));
    await expect(stack.mux.video.uploads.retrieve(uploadId)).resolves.toMatchObject({ status: "waiting" });
    const mine = await stack.call(`/uploads/${uploadId}`, { user: "alice" });
    expect(await mine.json()).toEqual({ uploadId, status: "waiting" });
    expect((await stack.call(`/uploads/${uploadId}/cancel`, { method: "POST", user: "alice" })).status).toBe(204);
  });

  it("records the owner server-side, as a key the backend keeps (never the user id), whatever the client sends", async () => {
    const response = await stack.call("/uploads", {
      ...uploadRequest(video, undefined, "bob"),
      body: JSON.stringify({ file: video, ownerKey: "forged", owner: "alice", userId: "alice" }),
    });
    const { uploadId } = (await response.json()) as { uploadId: string };
    const upload = await stack.mux.video.uploads.retrieve(uploadId);
    const creator = (upload.new_asset_settings as { meta?: { creator_id?: string } }).meta?.creator_id;
    expect(creator).toMatch(/^lvk1_[A-Za-z0-9_-]{43}$/);
    expect(creator).not.toContain("bob");
    await expectNotFound(await stack.call(`/uploads/${uploadId}`, { user: "alice" }));
    expect((await stack.call(`/uploads/${uploadId}`, { user: "bob" })).status).toBe(200);
  });
});

describe("an asset and its event stream answer to its owner, or to whom canViewAsset allows", () => {
  let stack: Stack;
  let alice: { uploadId: string; assetId: string; playbackId: string };
  beforeAll(async () => {
    // No canViewAsset and no canView: the defaults.
    stack = await startStack({ routes: { canViewAsset: undefined, canView: undefined, playbackPolicy: "signed" } });
    alice = await readyAssetOf(stack, "alice");
  });
  afterAll(() => stack?.close());

  it("bob gets 404 for alice's asset and its event stream", async () => {
    await expectNotFound(await stack.call(`/assets/${alice.assetId}`, { user: "bob" }));
    await expectNotFound(await stack.call(`/assets/${alice.assetId}/events`, { user: "bob" }));
  });

  it("alice, the owner, sees her asset with its upload id and signed tokens; the owner key never leaves the server", async () => {
    const asset = (await (await stack.call(`/assets/${alice.assetId}`, { user: "alice" })).json()) as Record<string, unknown> & { playback?: { tokens?: unknown } };
    expect(asset).toMatchObject({ id: alice.assetId, status: "ready", uploadId: alice.uploadId });
    expect(asset.playback?.tokens).toMatchObject({ playback: expect.any(String) });
    expect(JSON.stringify(asset)).not.toContain("lvk1_");
    // Her token refreshes work without a canView hook.
    expect((await stack.call(`/playback/${alice.playbackId}/token`, { user: "alice" })).status).toBe(200);
  });

  it("by default nobody else gets signed playback tokens", async () => {
    const refused = await stack.call(`/playback/${alice.playbackId}/token`, { user: "bob" });
    expect(refused.status).toBe(403);
  });
});

describe("a viewer canViewAsset allows gets what playing needs, not the lesson or upload ids", () => {
  let stack: Stack;
  let alice: { uploadId: string; assetId: string; playbackId: string };
  beforeAll(async () => {
    stack = await startStack({ routes: { canViewAsset: () => true, canView: undefined } });
    alice = await readyAssetOf(stack, "alice");
  });
  afterAll(() => stack?.close());

  it("hides passthrough and uploadId from bob, and still shows his status and playback", async () => {
    const asset = (await (await stack.call(`/assets/${alice.assetId}`, { user: "bob" })).json()) as Record<string, unknown>;
    expect(asset).toMatchObject({ id: alice.assetId, status: "ready", playbackId: alice.playbackId });
    expect(asset).not.toHaveProperty("uploadId");
    expect(asset).not.toHaveProperty("passthrough");
    const stream = await (await stack.call(`/assets/${alice.assetId}/events`, { user: "bob" })).text();
    expect(stream).toContain('"status":"ready"');
    expect(stream).not.toContain(alice.uploadId);
  });
});

describe("quotas hold under concurrency", () => {
  it("20 concurrent creates with uploadsPerPeriod 3 create exactly 3 uploads", async () => {
    const stack = await startStack({ routes: { quota: { uploadsPerPeriod: 3 } } });
    try {
      const responses = await Promise.all(Array.from({ length: 20 }, () => stack.call("/uploads", uploadRequest(video, undefined, "alice"))));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(17);
      expect(await stack.uploadIds()).toHaveLength(3);
      // Bob's quota is his own.
      expect((await stack.call("/uploads", uploadRequest(video, undefined, "bob"))).status).toBe(201);
    } finally {
      await stack.close();
    }
  });

  it("20 concurrent 400 KiB creates under a 1 MB byte quota create exactly 2", async () => {
    const stack = await startStack({ routes: { quota: { bytesPerPeriod: 1_000_000 } } });
    try {
      const responses = await Promise.all(Array.from({ length: 20 }, () => stack.call("/uploads", uploadRequest(video, undefined, "alice"))));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(2);
      expect(await stack.uploadIds()).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });

  it("reserves a stream's declared maximum against the byte quota, not its size of 0", async () => {
    let created = 0;
    const backend = {
      name: "test",
      async createUpload() {
        created++;
        return { uploadId: `up${created}`, url: `https://upload.test/${created}` };
      },
    } as unknown as VideoBackend;
    const handler = createVideoRoutes({ backend, authorize: () => ({ id: "alice" }), quota: { bytesPerPeriod: 1_000_000 } });
    const post = (maxSize: number) =>
      handler(
        new Request("http://app.test/api/video/uploads", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ file: { name: "recording.webm", size: 0, type: "video/webm", maxSize } }),
        }),
      );
    expect((await post(600_000)).status).toBe(201);
    expect((await post(600_000)).status).toBe(429);
    expect((await post(400_000)).status).toBe(201);
    expect(created).toBe(2);
  });

  it("gives the reservation back when the backend fails to create the upload", async () => {
    let failures = 1;
    let created = 0;
    const backend = {
      name: "test",
      async createUpload() {
        if (failures-- > 0) throw new Error("backend down");
        created++;
        return { uploadId: `up${created}`, url: `https://upload.test/${created}` };
      },
    } as unknown as VideoBackend;
    const handler = createVideoRoutes({ backend, authorize: () => ({ id: "alice" }), quota: { uploadsPerPeriod: 1 } });
    const post = () =>
      handler(new Request("http://app.test/api/video/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file: video }) }));
    try {
      expect((await post()).status).toBe(500);
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(429);
      expect(created).toBe(1);
    } finally {
      handler.close();
    }
  });
});

describe("the declared size holds at the upload URL", () => {
  it("a 20 MiB PUT to an upload declared as 10 bytes is refused and makes no asset; the quota counted 10 bytes", async () => {
    const stack = await startStack({ routes: { quota: { bytesPerPeriod: 1_000_000 } } });
    try {
      const response = await stack.call("/uploads", uploadRequest({ name: "tiny.mp4", size: 10, type: "video/mp4" }, undefined, "alice"));
      expect(response.status).toBe(201);
      const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
      const put = await fetch(url, { method: "PUT", body: new Uint8Array(20 * 1024 * 1024) });
      expect(put.status).toBe(400);
      await put.arrayBuffer();
      const upload = await stack.mux.video.uploads.retrieve(uploadId);
      expect(upload.status).toBe("waiting");
      expect(upload.asset_id).toBeUndefined();
      // A chunk declaring a larger total is refused too.
      const chunk = await fetch(url, { method: "PUT", headers: { "Content-Range": `bytes 0-9/${50 * 1024 * 1024}` }, body: new Uint8Array(10) });
      expect(chunk.status).toBe(400);
      // The byte quota reserved the declared 10 bytes, not what was sent.
      expect((await stack.call("/uploads", uploadRequest({ name: "rest.mp4", size: 999_990, type: "video/mp4" }, undefined, "alice"))).status).toBe(201);
      expect((await stack.call("/uploads", uploadRequest({ name: "one-more.mp4", size: 1, type: "video/mp4" }, undefined, "alice"))).status).toBe(429);
    } finally {
      await stack.close();
    }
  });
});

describe("trustProxy decides whose IP a rate limit counts", () => {
  const request = (xff?: string) => new Request("http://app.test/api/video/uploads", { headers: xff ? { "x-forwarded-for": xff } : {} });

  it("ignores forwarded headers by default", () => {
    expect(clientIp(request("1.2.3.4"), { clientIp: "203.0.113.9" }, false)).toBe("203.0.113.9");
  });

  it("with one trusted proxy, takes the entry it appended, but not from a client that connects directly", () => {
    expect(clientIp(request("6.6.6.6, 198.51.100.7"), { clientIp: "10.0.0.2" }, true)).toBe("198.51.100.7");
    // A client on a public address that writes its own X-Forwarded-For picks no key.
    expect(clientIp(request("1.2.3.4"), { clientIp: "203.0.113.9" }, true)).toBe("203.0.113.9");
  });

  it("with a list of proxies, skips them from the right and refuses the chain when the peer is not one of them", () => {
    const proxies = ["10.0.0.2", "10.0.0.3"];
    expect(clientIp(request("6.6.6.6, 198.51.100.7, 10.0.0.3"), { clientIp: "10.0.0.2" }, proxies)).toBe("198.51.100.7");
    expect(clientIp(request("6.6.6.6"), { clientIp: "203.0.113.9" }, proxies)).toBe("203.0.113.9");
  });
});

describe("trustProxy uses only valid IP addresses, and counts IPv6 per /64", () => {
  const request = (headers: Record<string, string>) => new Request("http://app.test/api/video/uploads", { headers });

  it("accepts as an address exactly what node:net's isIP accepts", () => {
    const corpus = [
      "1.2.3.4", "0.0.0.0", "255.255.255.255", "01.2.3.4", "1.2.3.256", "1.2.3", "1.2.3.4.5", " 1.2.3.4", "1.2.3.4:80",
      "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "12345::", "g::1",
      "::ffff:1.2.3.4", "::1.2.3.4", "2001:db8::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0",
      "[::1]", "[::1]:443", "localhost", "evil.example", "", "1.2.3.4\n", "2001:DB8::A",
    ];
    for (const text of corpus) expect(parseIp(text) !== undefined, text).toBe(isIP(text) !== 0);
  });

  it("ignores a forwarded value that is not an IP address, from one trusted proxy and from a list", () => {
    for (const forwarded of ["not-an-ip", "1.2.3.4:5678", "[2001:db8::1]", "unknown", "1.2.3.999"]) {
      expect(clientIp(request({ "x-forwarded-for": forwarded }), { clientIp: "10.0.0.2" }, true), forwarded).toBe("10.0.0.2");
      expect(clientIp(request({ "x-forwarded-for": `6.6.6.6, ${forwarded}` }), { clientIp: "10.0.0.2" }, ["10.0.0.2"]), forwarded).toBe("10.0.0.2");
      expect(clientIp(request({ "x-real-ip": forwarded }), { clientIp: "127.0.0.1" }, true), forwarded).toBe("127.0.0.1");
    }
    // With no socket address (an edge platform) and nothing valid forwarded, the client is unknown.
    expect(clientIp(request({ "x-forwarded-for": "garbage" }), undefined, true)).toBeUndefined();
  });

  it("spells one address one way: IPv4-mapped IPv6 is IPv4, IPv6 is lower-case and compressed alike", () => {
    expect(clientIp(request({}), { clientIp: "::ffff:203.0.113.9" }, false)).toBe("203.0.113.9");
    expect(clientIp(request({ "x-forwarded-for": "2001:DB8:0:0::A" }), { clientIp: "::1" }, true)).toBe("2001:db8:0:0:0:0:0:a");
    // A trusted proxy listed in one spelling is recognised in another.
    expect(clientIp(request({ "x-forwarded-for": "198.51.100.7, ::ffff:10.0.0.3" }), { clientIp: "::ffff:10.0.0.2" }, ["10.0.0.2", "10.0.0.3"])).toBe("198.51.100.7");
  });

  it("keys IPv4 by address and IPv6 by its /64 prefix", () => {
    expect(ipLimitKey("203.0.113.9")).toBe("203.0.113.9");
    expect(ipLimitKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(ipLimitKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(ipLimitKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  });

  describe("over HTTP, behind a proxy on loopback", () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ routes: { trustProxy: true, rateLimit: { perIp: { limit: 2, windowMs: 60_000 } } } });
    });
    afterAll(() => stack?.close());
    const from = (forwarded: string) => stack.call("/assets/nosuchasset1", { headers: { "x-forwarded-for": forwarded } });

    it("does not let values that are not addresses mint a fresh limit each: they count as the proxy", async () => {
      const statuses = [];
      for (const forwarded of ["evil-1", "evil-2", "evil-3", "evil-4"]) statuses.push((await from(forwarded)).status);
      expect(statuses).toEqual([401, 401, 429, 429]);
      expect(stack.events).toContainEqual(expect.objectContaining({ type: "rate_limited", scope: "ip", key: "127.0.0.1" }));
    });

    it("counts every address of one IPv6 /64 together, and another /64 apart", async () => {
      const statuses = [];
      for (const forwarded of ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:abcd::3", "2001:db8:1:3::1"]) statuses.push((await from(forwarded)).status);
      expect(statuses).toEqual([401, 401, 429, 401]);
      expect(stack.events).toContainEqual(expect.objectContaining({ type: "rate_limited", scope: "ip", key: "2001:db8:1:2::/64" }));
    });
  });
});

describe("\"not yours\" and \"does not exist\" are one answer, for every resource", () => {
  let stack: Stack;
  let alice: { uploadId: string; assetId: string; playbackId: string };
  let aliceWaiting: string;
  beforeAll(async () => {
    // The defaults: nobody but the owner sees an upload or an asset.
    stack = await startStack({ routes: { canViewAsset: undefined, canView: undefined, playbackPolicy: "signed" } });
    alice = await readyAssetOf(stack, "alice");
    aliceWaiting = (await createUpload(stack, "alice")).uploadId;
  });
  afterAll(() => stack?.close());

  const answer = async (response: Response) => ({ status: response.status, body: await response.text() });
  const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const probes: Array<[string, (id: string) => [string, RequestInit]]> = [
    ["GET /uploads/:id", (id) => [`/uploads/${id}`, {}]],
    ["POST /uploads/:id/cancel", (id) => [`/uploads/${id}/cancel`, { method: "POST" }]],
    ["POST /uploads/:id/cancel { discardAsset }", (id) => [`/uploads/${id}/cancel`, json({ discardAsset: true })]],
    ["GET /assets/:id", (id) => [`/assets/${id}`, {}]],
    ["GET /assets/:id/events", (id) => [`/assets/${id}/events`, {}]],
    ["GET /assets/:id/captions", (id) => [`/assets/${id}/captions`, {}]],
    ["POST /assets/:id/captions", (id) => [`/assets/${id}/captions`, json({ fileName: "a.vtt", languageCode: "en", closedCaptions: false, text: "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n" })]],
    ["POST /assets/:id/captions/generate", (id) => [`/assets/${id}/captions/generate`, json({ languageCode: "en" })]],
    ["DELETE /assets/:id/captions/:trackId", (id) => [`/assets/${id}/captions/track1`, { method: "DELETE" }]],
    ["GET /playback/:id/token", (id) => [`/playback/${id}/token`, {}]],
  ];

  it.each(probes)("%s answers bob the same for alice's id as for one that never existed", async (route, probe) => {
    const theirs = route.includes("discardAsset") ? alice.uploadId : route.includes("uploads") ? aliceWaiting : route.includes("playback") ? alice.playbackId : alice.assetId;
    const [path, init] = probe(theirs);
    const [nonePath, noneInit] = probe("NoSuchId0000000000000000000000000000000001");
    const forTheirs = await answer(await stack.call(path, { ...init, user: "bob" }));
    const forNone = await answer(await stack.call(nonePath, { ...noneInit, user: "bob" }));
    expect(forTheirs.status).toBeGreaterThanOrEqual(400);
    expect(forNone).toEqual(forTheirs);
    // An id outside the id shape gets that answer too.
    const [badPath, badInit] = probe("not.an.id");
    expect(await answer(await stack.call(badPath, { ...badInit, user: "bob" }))).toEqual(forTheirs);
  });

  it("removing a track that does not exist answers like one that is not there, not in the backend's words", async () => {
    const response = await stack.call(`/assets/${alice.assetId}/captions/NoSuchTrack000001`, { method: "DELETE", user: "alice" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "There is no such caption track." } });
  });
});

describe("the caption-file URL never comes from the request", () => {
  const vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nThe file the user sent\n";
  const body = JSON.stringify({ fileName: "a.vtt", languageCode: "en", closedCaptions: false, text: vtt });

  /** POST with exactly this Host header (fetch cannot forge one). */
  function postWithHost(url: string, host: string): Promise<number> {
    const { hostname, port, pathname } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { hostname, port, path: pathname, method: "POST", headers: { host, authorization: "Bearer alice-token", "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.once("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.once("error", reject);
      req.end(body);
    });
  }

  it("with a forged Host, the emulator still fetches the routes' own file, never the listener the Host names", async () => {
    const decoyHits: string[] = [];
    const decoy = createServer((req, res) => {
      decoyHits.push(req.url ?? "");
      res.setHeader("content-type", "text/vtt");
      res.end("WEBVTT\n\n00:00.000 --> 00:01.000\nThe attacker's text\n");
    });
    await new Promise<void>((resolve) => decoy.listen(0, "127.0.0.1", resolve));
    const stack = await startStack();
    try {
      const { assetId } = await readyAssetOf(stack, "alice");
      const status = await postWithHost(`${stack.api}/assets/${assetId}/captions`, `127.0.0.1:${(decoy.address() as AddressInfo).port}`);
      expect(status).toBe(201);
      await vi.waitFor(
        async () => {
          const tracks = (await (await stack.call(`/assets/${assetId}/captions`, { user: "alice" })).json()) as Array<{ status: string; src?: string }>;
          expect(tracks[0]?.status).toBe("ready");
          expect(await (await fetch(tracks[0]!.src!)).text()).toContain("The file the user sent");
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(decoyHits).toEqual([]);
    } finally {
      await stack.close();
      await new Promise<void>((resolve) => decoy.close(() => resolve()));
    }
  });

  it("refuses to start with caption tracks on real Mux and no public origin, saying what to set", () => {
    const backend = createMuxBackend({ env: { MUX_TOKEN_ID: "id", MUX_TOKEN_SECRET: "secret" } });
    const start = () => createVideoRoutes({ backend, authorize: () => null });
    expect(start).toThrow(VideoRoutesConfigError);
    expect(start).toThrow(/captions\.publicOrigin.*LESSON_VIDEO_PUBLIC_ORIGIN/);
    expect(() => createVideoRoutes({ backend, authorize: () => null, captions: { publicOrigin: "https://lessons.example/app?x" } })).toThrow(
      expect.objectContaining({ problem: "public_origin_invalid" }),
    );
    createVideoRoutes({ backend, authorize: () => null, captions: { publicOrigin: "https://lessons.example" } }).close();
  });

  it("a backend that refuses the caption file answers one message; its own words go to onEvent only", async () => {
    // The emulator downloads from loopback only: a public origin elsewhere makes it refuse with its answer body.
    const stack = await startStack({ routes: { captions: { publicOrigin: "https://lessons.example" } } });
    try {
      const { assetId } = await readyAssetOf(stack, "alice");
      const response = await stack.call(`/assets/${assetId}/captions`, { method: "POST", user: "alice", headers: { "content-type": "application/json" }, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: "bad_request", message: "The video service could not take this caption file." } });
      const refused = stack.events.find((e): e is Extract<ServerVideoEvent, { type: "backend_refused" }> => e.type === "backend_refused");
      expect(refused).toMatchObject({ route: "addCaption", status: 400, message: expect.stringContaining("loopback") });
    } finally {
      await stack.close();
    }
  });
});
