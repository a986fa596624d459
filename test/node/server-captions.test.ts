// Caption routes (issue 17): a creator adds a caption file (checked by content, kept by the server and handed
// to the backend as a short-lived signed URL that the emulator downloads), lists, removes and generates tracks;
// other users get 404 (or 403 when they may only watch); size, format, rate limits, and the signed URL's expiry
// and tampering are enforced. The full path runs on createMuxBackend + the emulator; the URL rules run on a
// recording backend with a hand-driven clock.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { CaptionTrack } from "../../src/core/types.js";
import { createVideoRoutes, type BackendAddCaptionInput, type VideoBackend } from "../../src/server/index.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { createMemoryTransport } from "../../src/transports/memory.js";
import { captionCorpus, sampleSrt, sampleVtt } from "../fixtures/captions-corpus.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, uploadRequest, type Stack } from "./server-harness.js";

let mp4: Fixture;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
});

const jsonPost = (user: string | undefined, body: unknown, method = "POST"): RequestInit & { user?: string | undefined } => ({
  method,
  user,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const captionBody = (text: string, extra: Record<string, unknown> = {}) => ({ fileName: "lesson.srt", languageCode: "en", closedCaptions: true, text, ...extra });

/** Uploads the MP4 fixture as `user` for `lessonId` and waits for the ready hook. */
async function readyAsset(stack: Stack, user: string, lessonId?: string, extra: Record<string, unknown> = {}): Promise<{ assetId: string; playbackId: string }> {
  const file = { name: mp4.name, size: mp4.size, type: mp4.type };
  const response = await stack.call("/uploads", jsonPost(user, { file, ...(lessonId === undefined ? {} : { lessonId }), ...extra }));
  expect(response.status).toBe(201);
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
  return { assetId: ready!.assetId, playbackId: ready!.playbackId! };
}

async function settledCaption(stack: Stack, assetId: string, trackId: string): Promise<CaptionTrack> {
  let found: CaptionTrack | undefined;
  await vi.waitFor(
    async () => {
      const list = (await (await stack.call(`/assets/${assetId}/captions`, { user: "alice" })).json()) as CaptionTrack[];
      found = list.find((t) => t.id === trackId);
      expect(found?.status).toMatch(/^(ready|errored)$/);
    },
    { timeout: 20_000, interval: 50 },
  );
  return found!;
}

describe("caption routes on createMuxBackend and the emulator", () => {
  let stack: Stack;
  let alice: { assetId: string; playbackId: string };
  let aliceLesson: { assetId: string; playbackId: string };
  beforeAll(async () => {
    stack = await startStack();
    alice = await readyAsset(stack, "alice");
    aliceLesson = await readyAsset(stack, "alice", "lesson-alice");
  });
  afterAll(() => stack?.close());

  it("adds an SRT file: the backend downloads it from the signed URL and the track turns ready with a WebVTT src", async () => {
    const response = await stack.call(`/assets/${alice.assetId}/captions`, jsonPost("alice", captionBody(sampleSrt, { name: "English CC" })));
    expect(response.status).toBe(201);
    const track = (await response.json()) as CaptionTrack;
    expect(track).toMatchObject({ languageCode: "en", name: "English CC", closedCaptions: true, status: "preparing", source: "uploaded" });

    const ready = await settledCaption(stack, alice.assetId, track.id);
    expect(ready.status).toBe("ready");
    expect(ready.src).toBe(`${stack.emulator.url}/stream/${alice.playbackId}/text/${track.id}.vtt`);
    expect(await (await fetch(ready.src!)).text()).toBe(sampleVtt);

    const asset = (await (await stack.call(`/assets/${alice.assetId}`, { user: "alice" })).json()) as { captions?: CaptionTrack[] };
    await vi.waitFor(async () => {
      const fresh = (await (await stack.call(`/assets/${alice.assetId}`, { user: "alice" })).json()) as { captions?: CaptionTrack[] };
      expect(fresh.captions?.find((t) => t.id === track.id)?.status).toBe("ready");
    });
    expect(asset).toBeDefined();
  });

  it("removes a track", async () => {
    const added = (await (await stack.call(`/assets/${alice.assetId}/captions`, jsonPost("alice", captionBody(sampleVtt, { languageCode: "de" })))).json()) as CaptionTrack;
    await settledCaption(stack, alice.assetId, added.id);
    const removed = await stack.call(`/assets/${alice.assetId}/captions/${added.id}`, { method: "DELETE", user: "alice" });
    expect(removed.status).toBe(204);
    const list = (await (await stack.call(`/assets/${alice.assetId}/captions`, { user: "alice" })).json()) as CaptionTrack[];
    expect(list.some((t) => t.id === added.id)).toBe(false);
    expect((await stack.call(`/assets/${alice.assetId}/captions/${added.id}`, { method: "DELETE", user: "alice" })).status).toBe(404);
  });

  it("refuses to delete the audio track through the caption route", async () => {
    const [audio] = (await stack.mux.video.assets.retrieve(alice.assetId)).tracks?.filter((t) => t.type === "audio") ?? [];
    expect(audio?.id).toBeDefined();
    expect((await stack.call(`/assets/${alice.assetId}/captions/${audio?.id}`, { method: "DELETE", user: "alice" })).status).toBe(404);
    expect((await stack.mux.video.assets.retrieve(alice.assetId)).tracks?.some((t) => t.id === audio?.id)).toBe(true);
  });

  it("generated captions end errored saying speech-to-text is not emulated, and ready with captions the test supplied", async () => {
    const first = await stack.call(`/assets/${alice.assetId}/captions/generate`, jsonPost("alice", { languageCode: "en" }));
    expect(first.status).toBe(201);
    const pending = (await first.json()) as CaptionTrack;
    expect(pending).toMatchObject({ source: "generated", status: "preparing", languageCode: "en" });
    const errored = await settledCaption(stack, alice.assetId, pending.id);
    expect(errored.status).toBe("errored");
    expect(errored.error?.message).toMatch(/speech-to-text is not emulated/);

    stack.emulator.setGeneratedCaptions(sampleVtt, alice.assetId);
    const second = (await (await stack.call(`/assets/${alice.assetId}/captions/generate`, jsonPost("alice", { languageCode: "en", name: "Auto" }))).json()) as CaptionTrack;
    expect((await settledCaption(stack, alice.assetId, second.id)).status).toBe("ready");

    const unsupported = await stack.call(`/assets/${alice.assetId}/captions/generate`, jsonPost("alice", { languageCode: "ja" }));
    expect(unsupported.status).toBe(400);
  });

  it("passes generatedCaptions of POST /uploads to Mux's generated_subtitles", async () => {
    stack.emulator.setGeneratedCaptions(sampleSrt);
    try {
      const asset = await readyAsset(stack, "alice", undefined, { generatedCaptions: [{ languageCode: "en", name: "English (auto)" }] });
      await vi.waitFor(
        async () => {
          const list = (await (await stack.call(`/assets/${asset.assetId}/captions`, { user: "alice" })).json()) as CaptionTrack[];
          expect(list).toEqual([expect.objectContaining({ source: "generated", name: "English (auto)", status: "ready" })]);
        },
        { timeout: 20_000, interval: 50 },
      );
    } finally {
      stack.emulator.setGeneratedCaptions(undefined);
    }
  });

  it("works through createHttpTransport's caption methods", async () => {
    const transport = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer alice-token" }, events: false });
    const signal = new AbortController().signal;
    const file = new Blob([sampleVtt], { type: "text/vtt" });
    const track = await transport.addCaption!(alice.assetId, { file, fileName: "fr.vtt", languageCode: "fr", name: "Français", closedCaptions: false }, { signal });
    expect(track).toMatchObject({ languageCode: "fr", name: "Français", status: "preparing" });
    await vi.waitFor(async () => {
      const list = await transport.listCaptions!(alice.assetId, { signal });
      expect(list.find((t) => t.id === track.id)?.status).toBe("ready");
    });
    await transport.removeCaption!(alice.assetId, track.id, { signal });
    expect((await transport.listCaptions!(alice.assetId, { signal })).some((t) => t.id === track.id)).toBe(false);

    const latin1 = new Blob([new Uint8Array([0x31, 0x0a, 0xe1, 0x0a])]);
    await expect(transport.addCaption!(alice.assetId, { file: latin1, fileName: "x.srt", languageCode: "fr", closedCaptions: false }, { signal })).rejects.toMatchObject({
      code: "file_type_not_allowed",
    });
    const bad = new Blob(["<html></html>"]);
    await expect(transport.addCaption!(alice.assetId, { file: bad, fileName: "x.vtt", languageCode: "fr", closedCaptions: false }, { signal })).rejects.toMatchObject({
      code: "file_type_not_allowed",
      status: 415,
    });
    expect(createHttpTransport({ captions: false }).addCaption).toBeUndefined();
  });

  it("answers 401 without a session and 404 to another user, before anything reaches the backend", async () => {
    const before = stack.backendCalls.addCaption ?? 0;
    expect((await stack.call(`/assets/${alice.assetId}/captions`, jsonPost(undefined, captionBody(sampleVtt)))).status).toBe(401);
    for (const [path, init] of [
      [`/assets/${alice.assetId}/captions`, { user: "bob" }],
      [`/assets/${alice.assetId}/captions`, jsonPost("bob", captionBody(sampleVtt))],
      [`/assets/${alice.assetId}/captions/generate`, jsonPost("bob", { languageCode: "en" })],
      [`/assets/${alice.assetId}/captions/SomeTrackId123`, { method: "DELETE", user: "bob" }],
    ] as const) {
      const response = await stack.call(path, init);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(stack.backendCalls.addCaption ?? 0).toBe(before);
  });

  it("lets a viewer of a lesson's video list its captions but not change them (403)", async () => {
    const list = await stack.call(`/assets/${aliceLesson.assetId}/captions`, { user: "bob" });
    expect(list.status).toBe(200);
    const add = await stack.call(`/assets/${aliceLesson.assetId}/captions`, jsonPost("bob", captionBody(sampleVtt)));
    expect(add.status).toBe(403);
    expect(await add.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await stack.call(`/assets/${aliceLesson.assetId}/captions/generate`, jsonPost("bob", { languageCode: "en" }))).status).toBe(403);
  });

  it("refuses every malformed file of the caption corpus by content, whatever its name", async () => {
    const before = stack.backendCalls.addCaption ?? 0;
    for (const entry of captionCorpus.filter((e) => e.expect.kind === "refused")) {
      // JSON carries text; bytes that are not UTF-8 arrive as replacement characters, which must still be refused.
      const text = new TextDecoder().decode(entry.bytes);
      const response = await stack.call(`/assets/${alice.assetId}/captions`, jsonPost("alice", captionBody(text, { fileName: entry.name })));
      expect([400, 415], entry.key).toContain(response.status);
      const body = (await response.json()) as { error: { code: string } };
      expect(["file_empty", "file_type_not_allowed"], entry.key).toContain(body.error.code);
    }
    expect(stack.backendCalls.addCaption ?? 0).toBe(before);
  });

  it("refuses a file over 512 KiB with 413 and bad fields with 400", async () => {
    const big = `WEBVTT\n\n${"00:00:01.000 --> 00:00:02.000\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\n".repeat(7000)}`;
    expect(new TextEncoder().encode(big).byteLength).toBeGreaterThan(512 * 1024);
    const tooLarge = await stack.call(`/assets/${alice.assetId}/captions`, jsonPost("alice", captionBody(big)));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { code: "file_too_large" } });
    for (const bad of [
      captionBody(sampleVtt, { languageCode: "english please" }),
      captionBody(sampleVtt, { closedCaptions: "yes" }),
      captionBody(sampleVtt, { fileName: "../../etc/passwd" }),
      captionBody(sampleVtt, { name: "a\u0000b" }),
      { languageCode: "en" },
    ]) {
      expect((await stack.call(`/assets/${alice.assetId}/captions`, jsonPost("alice", bad))).status).toBe(400);
    }
    const notJson = await stack.call(`/assets/${alice.assetId}/captions`, { method: "POST", user: "alice", headers: { "content-type": "text/vtt" }, body: sampleVtt });
    expect(notJson.status).toBe(415);
  });
});

/** A backend that keeps one ready asset and records the caption URLs the routes hand it. */
function recordingBackend() {
  let ownerKey: string | undefined;
  const added: BackendAddCaptionInput[] = [];
  const backend: VideoBackend = {
    name: "test",
    async createUpload(input) {
      ownerKey = input.ownerKey;
      return { uploadId: "upload1", url: "http://127.0.0.1:1/upload" };
    },
    async getUpload() {
      return { uploadId: "upload1", status: "asset_created", assetId: "asset1", ...(ownerKey === undefined ? {} : { ownerKey }) };
    },
    async cancelUpload() {},
    async getAsset(assetId) {
      if (assetId !== "asset1") throw Object.assign(new Error("missing"), { status: 404 });
      return { id: "asset1", status: "ready", ...(ownerKey === undefined ? {} : { ownerKey }) };
    },
    async signPlayback() {
      throw new Error("not used");
    },
    async verifyWebhook() {
      return { ok: false, reason: "not_configured" };
    },
    async addCaption(_assetId, input) {
      added.push(input);
      return { id: `track${added.length}`, languageCode: input.languageCode, name: input.name ?? input.languageCode, closedCaptions: input.closedCaptions, status: "preparing", source: "uploaded" };
    },
    async removeCaption() {},
  };
  return { backend, added };
}

describe("the signed caption-file URL", () => {
  let clock = 1_700_000_000_000;
  const { backend, added } = recordingBackend();
  const handler = createVideoRoutes({
    backend,
    authorize: (request) => (request.headers.get("authorization") === "Bearer alice" ? { id: "alice" } : null),
    now: () => clock,
    captions: { urlLifetimeSeconds: 60, perUser: { limit: 3, windowMs: 3_600_000 }, publicOrigin: "https://lessons.example" },
  });
  afterAll(() => handler.close());
  const call = (path: string, init: RequestInit = {}) =>
    handler(new Request(`https://lessons.example/api/video${path}`, { ...init, headers: { authorization: "Bearer alice", ...(init.headers as Record<string, string>) } }));
  const add = () =>
    call("/assets/asset1/captions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(captionBody(sampleSrt)) });

  beforeAll(async () => {
    const created = await call("/uploads", uploadRequest({ name: "a.mp4", size: 10, type: "video/mp4" }));
    expect(created.status).toBe(201);
  });

  it("serves the stored WebVTT without a session until it expires, then refuses it", async () => {
    expect((await add()).status).toBe(201);
    const url = new URL(added.at(-1)!.url);
    expect(url.origin).toBe("https://lessons.example");
    expect(url.pathname).toMatch(/^\/api\/video\/caption-files\/[0-9a-f]{32}\.vtt$/);
    const fetchIt = (target: URL | string) => handler(new Request(target));
    const ok = await fetchIt(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.text()).toBe(sampleVtt);

    clock += 61_000;
    const late = await fetchIt(url);
    expect(late.status).toBe(403);
    expect(await late.json()).toMatchObject({ error: { message: expect.stringMatching(/expired/) } });
  });

  it("refuses a tampered signature, expiry or file id", async () => {
    expect((await add()).status).toBe(201);
    const url = new URL(added.at(-1)!.url);
    const sig = url.searchParams.get("sig")!;
    const variants: URL[] = [];
    const flipped = new URL(url);
    flipped.searchParams.set("sig", `${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`);
    variants.push(flipped);
    const later = new URL(url);
    later.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3_600_000));
    variants.push(later);
    const noSig = new URL(url);
    noSig.searchParams.delete("sig");
    variants.push(noSig);
    const otherFile = new URL(url);
    otherFile.pathname = otherFile.pathname.replace(/[0-9a-f]{32}/, "0".repeat(32));
    variants.push(otherFile);
    for (const variant of variants) {
      const response = await handler(new Request(variant));
      expect(response.status, variant.toString()).toBe(403);
    }
    expect((await handler(new Request(url))).status).toBe(200);
    expect((await handler(new Request(url, { method: "POST" }))).status).toBe(405);
  });

  it("limits caption additions per user", async () => {
    // Two adds above used two of the three allowed; the third passes, the fourth is refused.
    expect((await add()).status).toBe(201);
    const limited = await add();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();
  });

  it("allows DELETE in a preflight of the caption-track path only", async () => {
    const corsRoutes = createVideoRoutes({
      backend,
      authorize: () => ({ id: "alice" }),
      cors: { origins: ["https://studio.example"] },
      captions: { publicOrigin: "https://lessons.example" },
    });
    const preflight = (path: string) =>
      corsRoutes(
        new Request(`https://lessons.example/api/video${path}`, {
          method: "OPTIONS",
          headers: { origin: "https://studio.example", "access-control-request-method": "DELETE" },
        }),
      );
    expect((await preflight("/assets/asset1/captions/track1")).headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE, OPTIONS");
    expect((await preflight("/assets/asset1")).headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    corsRoutes.close();
  });

  it("answers 404 on every caption route when the backend has no caption methods", async () => {
    const { addCaption: _a, removeCaption: _r, ...bare } = backend;
    const plain = createVideoRoutes({ backend: bare, authorize: () => ({ id: "alice" }) });
    const response = await plain(new Request("https://lessons.example/api/video/assets/asset1/captions"));
    expect(response.status).toBe(404);
    plain.close();
  });
});

describe("the memory transport's captions", () => {
  it("moves added and generated tracks from preparing to ready or errored, and can leave the methods out", async () => {
    const signal = new AbortController().signal;
    const transport = createMemoryTransport({
      latencyMs: 0,
      captionProcessingMs: 5,
      generatedCaptions: "errored",
      assets: [{ id: "a1", status: "ready", playbackId: "p1" }],
    });
    const added = await transport.addCaption!("a1", { file: new Blob([sampleSrt]), fileName: "en.srt", languageCode: "en", closedCaptions: true }, { signal });
    const generated = await transport.generateCaptions!("a1", { languageCode: "en" }, { signal });
    expect([added.status, generated.status]).toEqual(["preparing", "preparing"]);
    await vi.waitFor(async () => {
      const list = await transport.listCaptions!("a1", { signal });
      expect(list.map((t) => [t.source, t.status])).toEqual([
        ["uploaded", "ready"],
        ["generated", "errored"],
      ]);
      expect(list[1]?.error?.message).toMatch(/speech-to-text is not emulated/);
    });
    expect(transport.captionText(added.id)).toBe(sampleSrt);
    await expect(transport.addCaption!("a1", { file: new Blob(["nope"]), fileName: "x.vtt", languageCode: "en", closedCaptions: false }, { signal })).rejects.toMatchObject({
      code: "file_type_not_allowed",
    });
    await transport.removeCaption!("a1", added.id, { signal });
    expect((await transport.listCaptions!("a1", { signal })).map((t) => t.id)).toEqual([generated.id]);
    expect(createMemoryTransport({ captions: false }).listCaptions).toBeUndefined();
  });
});

describe("the poster frame of a signed video", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ routes: { playbackPolicy: "signed" } });
  });
  afterAll(() => stack?.close());

  it("puts thumbnailTime into the thumbnail token as the time claim, and the emulator serves that frame", async () => {
    const { playbackId } = await readyAsset(stack, "alice", "lesson-alice");
    const tokenAt = async (time?: number) => {
      const response = await stack.call(`/playback/${playbackId}/token${time === undefined ? "" : `?thumbnailTime=${time}`}`, { user: "alice" });
      expect(response.status).toBe(200);
      return ((await response.json()) as { tokens: { thumbnail: string; playback: string } }).tokens;
    };
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    const late = await tokenAt(2.5);
    expect(claims(late.thumbnail)).toMatchObject({ aud: "t", sub: playbackId, time: "2.5" });
    expect(claims(late.playback).time).toBeUndefined();
    const plain = await tokenAt();
    expect(claims(plain.thumbnail).time).toBeUndefined();
    const early = await tokenAt(0);
    expect(claims(early.thumbnail).time).toBe("0");

    for (const bad of ["-1", "abc", "1e9", ""]) {
      expect((await stack.call(`/playback/${playbackId}/token?thumbnailTime=${bad}`, { user: "alice" })).status, bad).toBe(400);
    }

    const image = async (token: string, query = "") => {
      const response = await fetch(`${stack.emulator.url}/image/${playbackId}/thumbnail.png?token=${token}${query}`);
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    // The claim wins over a query parameter, as with Mux: the same frame with or without ?time=0.
    expect((await image(late.thumbnail, "&time=0")).equals(await image(late.thumbnail))).toBe(true);
    expect((await image(late.thumbnail)).equals(await image(early.thumbnail))).toBe(false);
  });
});
