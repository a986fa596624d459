// The emulator is a local service web pages cannot drive: a page on another origin cannot turn fault knobs or
// re-point webhooks (Origin checked, JSON only, no wildcard CORS), a DNS-rebinding page (a foreign Host) gets
// 421 everywhere, and unauthenticated thumbnail URLs cannot fill the disk, start unbounded ffmpeg runs, or make it
// draw huge placeholders over and over.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import type Mux from "@mux/mux-node";
import { freePort } from "../helpers/free-port.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { startMuxEmulator, type MuxEmulator } from "../../src/emulator/index.js";
import { MAX_THUMBNAIL_SIDE, ThumbnailMaker } from "../../src/emulator/thumbnail.js";
import { readBytes, startTestEmulator, uploadAndSettle } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let startedMux: Mux;
let mp4: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  mp4 = await readBytes((await ensureFixtures()).mp4.path);
  ({ emulator, mux: startedMux } = await startTestEmulator());
});

afterAll(async () => {
  await emulator?.close();
});

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with exactly these headers (fetch cannot send a foreign Host); the Host defaults to the URL's. */
function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: `${pathname}${search}`, method: init.method ?? "GET", headers: init.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}


const basicAuth = (e: MuxEmulator) => `Basic ${Buffer.from(`${e.tokenId}:${e.tokenSecret}`).toString("base64")}`;

async function knobs(e: MuxEmulator): Promise<unknown> {
  return ((await (await fetch(`${e.url}/_emulator/faults`)).json()) as { data: unknown }).data;
}

async function webhookUrls(e: MuxEmulator): Promise<unknown> {
  return ((await (await fetch(`${e.url}/_emulator/webhooks`)).json()) as { data: { urls: unknown } }).data.urls;
}

describe("the admin routes and web pages", () => {
  const evil = "https://evil.example";

  it("refuse a cross-origin text/plain POST (a page's simple request) with 403, no CORS headers, and change nothing", async () => {
    const faults = await rawRequest(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { origin: evil, "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ latencyMs: 5000 }),
    });
    expect(faults.status).toBe(403);
    expect(faults.headers["access-control-allow-origin"]).toBeUndefined();
    const hooks = await rawRequest(`${emulator.url}/_emulator/webhooks`, {
      method: "POST",
      headers: { origin: evil, "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ urls: [`${evil}/steal`] }),
    });
    expect(hooks.status).toBe(403);
    expect(hooks.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await knobs(emulator)).toEqual({});
    expect(await webhookUrls(emulator)).toEqual([]);
  });

  it("refuse a foreign origin's JSON POST, its preflight and its reads", async () => {
    const json = await rawRequest(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { origin: evil, "content-type": "application/json" },
      body: JSON.stringify({ failNextAsset: true }),
    });
    expect(json.status).toBe(403);
    const preflight = await rawRequest(`${emulator.url}/_emulator/faults`, {
      method: "OPTIONS",
      headers: { origin: evil, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    for (const path of ["health", "faults", "webhooks"]) {
      const read = await rawRequest(`${emulator.url}/_emulator/${path}`, { headers: { origin: "null" } });
      expect(read.status).toBe(403);
      expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    }
    expect(await knobs(emulator)).toEqual({});
  });

  it("answer an admin POST that is not JSON with 415, even from a Node client with no Origin", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const answer = await rawRequest(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": type }, body: '{"latencyMs":5000}' });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: "unsupported_media_type" } });
    }
    const untyped = await rawRequest(`${emulator.url}/_emulator/webhooks`, { method: "POST", body: '{"urls":["https://evil.example/x"]}' });
    expect(untyped.status).toBe(415);
    expect(await knobs(emulator)).toEqual({});
    expect(await webhookUrls(emulator)).toEqual([]);
  });

  it("let in the emulator's own origin, and an origin listed in adminOrigins with its own CORS answer, never *", async () => {
    const page = "http://localhost:5173";
    const listed = await startTestEmulator({ adminOrigins: [page] });
    try {
      const preflight = await rawRequest(`${listed.emulator.url}/_emulator/faults`, {
        method: "OPTIONS",
        headers: { origin: page, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers["access-control-allow-origin"]).toBe(page);
      expect(preflight.headers["access-control-allow-headers"]).toMatch(/content-type/i);
      expect(preflight.headers.vary).toMatch(/origin/i);
      const set = await rawRequest(`${listed.emulator.url}/_emulator/faults`, {
        method: "POST",
        headers: { origin: page, "content-type": "application/json" },
        body: JSON.stringify({ latencyMs: 1 }),
      });
      expect(set.status).toBe(200);
      expect(set.headers["access-control-allow-origin"]).toBe(page);
      expect(await knobs(listed.emulator)).toEqual({ latencyMs: 1 });

      const other = await rawRequest(`${listed.emulator.url}/_emulator/faults`, {
        method: "POST",
        headers: { origin: "http://localhost:5174", "content-type": "application/json" },
        body: "{}",
      });
      expect(other.status).toBe(403);

      const own = await rawRequest(`${listed.emulator.url}/_emulator/faults`, {
        method: "POST",
        headers: { origin: listed.emulator.url, "content-type": "application/json; charset=utf-8" },
        body: "{}",
      });
      expect(own.status).toBe(200);
      expect(await knobs(listed.emulator)).toEqual({});
    } finally {
      await listed.emulator.close();
    }
  });

  it("refuse to start with a wildcard or a non-origin in adminOrigins", async () => {
    await expect(startMuxEmulator({ adminOrigins: ["*"] })).rejects.toThrow(/adminOrigins/);
    await expect(startMuxEmulator({ adminOrigins: ["http://localhost:5173/app"] })).rejects.toThrow(/adminOrigins/);
  });
});

describe("the Host header (DNS rebinding)", () => {
  it("answers 421 to a foreign Host on the admin routes, the API (even with the right credentials), upload and playback URLs", async () => {
    const port = new URL(emulator.url).port;
    const host = `rebind.evil.example:${port}`;
    const health = await rawRequest(`${emulator.url}/_emulator/health`, { headers: { host } });
    expect(health.status).toBe(421);
    expect(JSON.parse(health.body)).toMatchObject({ error: { type: "misdirected_request" } });
    const faults = await rawRequest(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { host, "content-type": "application/json" },
      body: JSON.stringify({ latencyMs: 5000 }),
    });
    expect(faults.status).toBe(421);
    expect(await knobs(emulator)).toEqual({});
    const api = await rawRequest(`${emulator.url}/video/v1/uploads`, { headers: { host, authorization: basicAuth(emulator) } });
    expect(api.status).toBe(421);
    const created = await rawRequest(`${emulator.url}/video/v1/uploads`, {
      method: "POST",
      headers: { host, authorization: basicAuth(emulator), "content-type": "application/json" },
      body: JSON.stringify({ cors_origin: "*" }),
    });
    expect(created.status).toBe(421);
    expect((await rawRequest(`${emulator.url}/upload/NoSuchUpload0001`, { method: "PUT", headers: { host }, body: "x" })).status).toBe(421);
    expect((await rawRequest(`${emulator.url}/stream/nope1234.mp4`, { headers: { host } })).status).toBe(421);
    // A Host a URL parser would read as userinfo + loopback is not loopback.
    expect((await rawRequest(`${emulator.url}/_emulator/health`, { headers: { host: `evil@127.0.0.1:${port}` } })).status).toBe(421);
  });

  it("answers the loopback names", async () => {
    const port = new URL(emulator.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "LOCALHOST"]) {
      expect((await rawRequest(`${emulator.url}/_emulator/health`, { headers: { host } })).status, host).toBe(200);
    }
  });

  it("answers publicUrl's host and the names in allowedHosts, and refuses a URL there", async () => {
    const port = await freePort();
    const named = await startTestEmulator({ port, publicUrl: "http://media.test:9999", allowedHosts: ["mux-emulator", "192.168.1.20"] });
    try {
      const health = (host: string) => rawRequest(`http://127.0.0.1:${port}/_emulator/health`, { headers: { host } });
      expect((await health("media.test:9999")).status).toBe(200);
      expect((await health("mux-emulator:4010")).status).toBe(200);
      expect((await health("192.168.1.20")).status).toBe(200);
      expect((await health("other.test")).status).toBe(421);
    } finally {
      await named.emulator.close();
    }
    await expect(startMuxEmulator({ allowedHosts: ["http://mux-emulator:4010/"] })).rejects.toThrow(/allowedHosts/);
  });
});

describe("thumbnails for anyone", () => {
  /** Names of the cached frames of an asset. */
  function cachedFrames(e: MuxEmulator, assetId: string): string[] {
    try {
      return readdirSync(join(e.dataDir, "files", `${assetId}.thumbs`));
    } catch {
      return [];
    }
  }

  async function thumbnail(e: MuxEmulator, playbackId: string, query: string): Promise<void> {
    const answer = await fetch(`${e.url}/image/${playbackId}/thumbnail.jpg?${query}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/jpeg");
    await answer.arrayBuffer();
  }

  it("keeps at most maxCacheEntries frames on disk, dropping the least recently used", async () => {
    const small = await startTestEmulator({ thumbnails: { maxCacheEntries: 3 } });
    try {
      const { asset } = await uploadAndSettle(small.mux, mp4);
      const id = asset.playback_ids?.[0]?.id ?? "";
      for (const width of [100, 101, 102]) await thumbnail(small.emulator, id, `width=${width}`);
      await thumbnail(small.emulator, id, "width=100");
      await thumbnail(small.emulator, id, "width=103");
      const widths = cachedFrames(small.emulator, asset.id).map((name) => /-(\d+)x0\.jpg$/.exec(name)?.[1]).sort();
      expect(widths).toEqual(["100", "102", "103"]);
      for (let width = 200; width < 204; width++) await thumbnail(small.emulator, id, `width=${width}`);
      expect(cachedFrames(small.emulator, asset.id)).toHaveLength(3);
    } finally {
      await small.emulator.close();
    }
  });

  it("keeps at most maxCacheBytes of frames on disk", async () => {
    const maxCacheBytes = 40_000;
    const small = await startTestEmulator({ thumbnails: { maxCacheBytes } });
    try {
      const { asset } = await uploadAndSettle(small.mux, mp4);
      const id = asset.playback_ids?.[0]?.id ?? "";
      // A 640-wide frame of the fixture is ~18 KB: five of them do not fit.
      for (const time of [0.2, 0.6, 1, 1.4, 1.8]) await thumbnail(small.emulator, id, `width=640&time=${time}`);
      const frames = cachedFrames(small.emulator, asset.id);
      expect(frames.length).toBeGreaterThan(0);
      const bytes = frames.reduce((sum, name) => sum + statSync(join(small.emulator.dataDir, "files", `${asset.id}.thumbs`, name)).size, 0);
      expect(bytes).toBeLessThanOrEqual(maxCacheBytes);
    } finally {
      await small.emulator.close();
    }
  });

  /** Width and height from a PNG's IHDR. */
  async function pngSize(e: MuxEmulator, playbackId: string, query: string): Promise<{ width: number; height: number }> {
    const answer = await fetch(`${e.url}/image/${playbackId}/thumbnail.png?${query}`);
    expect(answer.status).toBe(200);
    const png = Buffer.from(await answer.arrayBuffer());
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  }

  it("scales a request for more than 1920 px a side down to 1920, keeping the ratio, frame or placeholder", async () => {
    expect(MAX_THUMBNAIL_SIDE).toBe(1920);
    const { asset } = await uploadAndSettle(startedMux, mp4);
    const id = asset.playback_ids?.[0]?.id ?? "";
    // A frame of the 640 × 360 fixture, asked for at 4096 wide.
    expect(await pngSize(emulator, id, "width=4096")).toEqual({ width: 1920, height: 1080 });
    expect(await pngSize(emulator, id, "height=4096")).toEqual({ width: 1920, height: 1080 });

    const plain = await startTestEmulator({ tools: { ffmpeg: false } });
    try {
      const placeholder = (await uploadAndSettle(plain.mux, mp4)).asset.playback_ids?.[0]?.id ?? "";
      expect(await pngSize(plain.emulator, placeholder, "width=4096&height=4096")).toEqual({ width: 1920, height: 1920 });
      expect(await pngSize(plain.emulator, placeholder, "width=4096&height=1024")).toEqual({ width: 1920, height: 480 });
      expect(await pngSize(plain.emulator, placeholder, "width=99999")).toEqual({ width: 1920, height: 1080 });
    } finally {
      await plain.emulator.close();
    }
  });

  it("draws a placeholder once per size and hands the same bytes to the next request, keeping a bounded number", async () => {
    const maker = new ThumbnailMaker(false);
    const media = { container: "mp4", mimeType: "video/mp4", width: 640, height: 360, hasVideo: true, hasAudio: false } as const;
    const ask = (width: number) => maker.make("/nonexistent.mp4", "/nonexistent.thumbs", media, { format: "png", width });
    const first = await ask(1920);
    expect((await ask(1920)).body).toBe(first.body);
    expect((await ask(4096)).body).toBe(first.body);
    const other = await ask(100);
    expect(other.body).not.toBe(first.body);
    // Enough other sizes to push 1920 out of the cache: it is drawn again (same pixels, a new buffer).
    for (let width = 200; width < 300; width++) await ask(width);
    const redrawn = await ask(1920);
    expect(redrawn.body).not.toBe(first.body);
    expect(redrawn.body).toEqual(first.body);
  });

  describe("ffmpeg runs", () => {
    let dir: string;
    let log: string;
    let fakeFfmpeg: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "lvk-emulator-ffmpeg-"));
      log = join(dir, "runs.log");
      fakeFfmpeg = join(dir, "ffmpeg");
      // Real ffmpeg, logging each frame grab; the pause makes runs that were let through together overlap.
      writeFileSync(
        fakeFfmpeg,
        [
          "#!/bin/sh",
          'case " $* " in',
          `  *" -frames:v "*) echo start >> '${log}'; sleep 0.3; ffmpeg "$@"; code=$?; echo end >> '${log}'; exit $code ;;`,
          "esac",
          'exec ffmpeg "$@"',
          "",
        ].join("\n"),
      );
      chmodSync(fakeFfmpeg, 0o755);
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(() => {
      writeFileSync(log, "");
    });

    /** The most frame grabs that ran at once, and how many ran. */
    function runsSeen(): { most: number; total: number } {
      let now = 0;
      let most = 0;
      let total = 0;
      for (const line of readFileSync(log, "utf8").split("\n")) {
        if (line === "start") {
          now += 1;
          total += 1;
          most = Math.max(most, now);
        } else if (line === "end") now -= 1;
      }
      return { most, total };
    }

    it("runs at most maxConcurrentRuns at once however many requests arrive together", async () => {
      const capped = await startTestEmulator({ tools: { ffmpeg: fakeFfmpeg }, thumbnails: { maxConcurrentRuns: 2 } });
      try {
        const { asset } = await uploadAndSettle(capped.mux, mp4);
        const id = asset.playback_ids?.[0]?.id ?? "";
        await Promise.all([120, 121, 122, 123, 124, 125].map((width) => thumbnail(capped.emulator, id, `width=${width}`)));
        const runs = runsSeen();
        expect(runs.total).toBe(6);
        expect(runs.most).toBeLessThanOrEqual(2);
      } finally {
        await capped.emulator.close();
      }
    });

    it("grabs a frame asked for by several requests at once only once", async () => {
      const shared = await startTestEmulator({ tools: { ffmpeg: fakeFfmpeg } });
      try {
        const { asset } = await uploadAndSettle(shared.mux, mp4);
        const id = asset.playback_ids?.[0]?.id ?? "";
        await Promise.all(Array.from({ length: 5 }, () => thumbnail(shared.emulator, id, "width=150")));
        expect(runsSeen().total).toBe(1);
      } finally {
        await shared.emulator.close();
      }
    });
  });
});
