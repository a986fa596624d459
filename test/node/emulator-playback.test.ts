// Playback URLs: Range requests, Content-Type from the bytes, thumbnails (ffmpeg and placeholder), storyboard,
// and signed playback ids that need a token made by mux.jwt.signPlaybackId with an emulator signing key (one
// made through the API, or the emulator's own, which createMuxBackend signs with as it is).
import { createSign } from "node:crypto";
import Mux from "@mux/mux-node";
import { ensureFixtures, type Fixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { createMuxBackend, withPlaybackTokens } from "../../src/server/index.js";
import { readBytes, startTestEmulator, uploadAndSettle } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let fx: Fixtures;
let mp4: Uint8Array<ArrayBuffer>;
let publicId: string;

beforeAll(async () => {
  fx = await ensureFixtures();
  mp4 = await readBytes(fx.mp4.path);
  ({ emulator, mux } = await startTestEmulator());
  const { asset } = await uploadAndSettle(mux, mp4);
  publicId = asset.playback_ids?.[0]?.id ?? "";
});

afterAll(async () => {
  await emulator?.close();
});

const streamUrl = (id: string, token?: string) => `${emulator.url}/stream/${id}.mp4${token ? `?token=${token}` : ""}`;

describe("streaming the stored file", () => {
  it("serves byte ranges so players can seek", async () => {
    const head = await fetch(streamUrl(publicId), { headers: { range: "bytes=0-99" } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-99/${mp4.length}`);
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    expect(new Uint8Array(await head.arrayBuffer())).toEqual(mp4.subarray(0, 100));

    const tail = await fetch(streamUrl(publicId), { headers: { range: "bytes=-50" } });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(mp4.subarray(mp4.length - 50));

    const open = await fetch(streamUrl(publicId), { headers: { range: `bytes=${mp4.length - 10}-` } });
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(mp4.subarray(mp4.length - 10));

    const beyond = await fetch(streamUrl(publicId), { headers: { range: `bytes=${mp4.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${mp4.length}`);
  });

  it("answers HEAD with the length and no body", async () => {
    const response = await fetch(streamUrl(publicId), { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(mp4.length));
  });

  it("sends the Content-Type of the bytes, whatever the URL suffix", async () => {
    const webm = await uploadAndSettle(mux, await readBytes(fx.webm.path));
    const webmStream = await fetch(streamUrl(webm.asset.playback_ids?.[0]?.id ?? ""));
    expect(webmStream.headers.get("content-type")).toBe("video/webm");
    await webmStream.arrayBuffer();
    const audio = await uploadAndSettle(mux, await readBytes(fx.audio.path));
    expect(audio.asset.status).toBe("ready");
    expect(audio.asset.resolution_tier).toBe("audio-only");
    expect(audio.asset.aspect_ratio).toBeUndefined();
    const audioStream = await fetch(streamUrl(audio.asset.playback_ids?.[0]?.id ?? ""));
    expect(audioStream.headers.get("content-type")).toBe("audio/mp4");
    await audioStream.arrayBuffer();
  });
});

describe("thumbnails and storyboards", () => {
  it("grabs frames as JPEG, PNG and WebP at the size asked for", async () => {
    const jpg = await fetch(`${emulator.url}/image/${publicId}/thumbnail.jpg?time=1&width=160`);
    expect(jpg.status).toBe(200);
    expect(jpg.headers.get("content-type")).toBe("image/jpeg");
    expect([...new Uint8Array(await jpg.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);

    const png = Buffer.from(await (await fetch(`${emulator.url}/image/${publicId}/thumbnail.png?width=160`)).arrayBuffer());
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(160);
    expect(png.readUInt32BE(20)).toBe(90);

    const webp = Buffer.from(await (await fetch(`${emulator.url}/image/${publicId}/thumbnail.webp?width=64&height=64`)).arrayBuffer());
    expect(webp.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(webp.subarray(8, 12).toString("latin1")).toBe("WEBP");
  });

  it("refuses nonsense sizes and times", async () => {
    expect((await fetch(`${emulator.url}/image/${publicId}/thumbnail.jpg?width=0`)).status).toBe(400);
    expect((await fetch(`${emulator.url}/image/${publicId}/thumbnail.jpg?time=-3`)).status).toBe(400);
  });

  it("serves a storyboard: one VTT cue per tile over the whole video, the tiles in one JPEG of that size", async () => {
    const asset = await mux.video.assets.retrieve((await mux.video.assets.list()).data.find((a) => a.playback_ids?.[0]?.id === publicId)!.id);
    const duration = asset.duration ?? 0;
    expect(duration).toBeGreaterThan(1);
    const vtt = await (await fetch(`${emulator.url}/image/${publicId}/storyboard.vtt`)).text();
    expect(vtt.startsWith("WEBVTT")).toBe(true);
    const cues = [...vtt.matchAll(/^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(http\S+)#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)];
    const seconds = (stamp: string) => stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
    // A tile a second: as many cues as whole seconds started, back to back from 0 to the end.
    expect(cues).toHaveLength(Math.ceil(duration));
    expect(seconds(cues[0]![1]!)).toBe(0);
    expect(seconds(cues.at(-1)![2]!)).toBeCloseTo(duration, 2);
    cues.slice(1).forEach((cue, i) => expect(cue[1]).toBe(cues[i]![2]));
    const rects = cues.map((cue) => cue.slice(4, 8).map(Number) as [number, number, number, number]);
    expect(new Set(rects.map(([x, y]) => `${x},${y}`)).size).toBe(cues.length);
    const [, , tileWidth, tileHeight] = rects[0]!;
    expect(tileWidth).toBe(256);
    const right = Math.max(...rects.map(([x, , w]) => x + w));
    const bottom = Math.max(...rects.map(([, y, , h]) => y + h));

    const image = await fetch(cues[0]![3]!);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    const jpeg = Buffer.from(await image.arrayBuffer());
    // The JPEG's frame header (SOF0/SOF2) holds its height and width: every tile lies inside the image.
    let offset = 2;
    let size: { width: number; height: number } | undefined;
    while (offset < jpeg.length && !size) {
      const marker = jpeg[offset + 1]!;
      if (marker === 0xc0 || marker === 0xc2) size = { height: jpeg.readUInt16BE(offset + 5), width: jpeg.readUInt16BE(offset + 7) };
      offset += 2 + jpeg.readUInt16BE(offset + 2);
    }
    expect(size?.width).toBeGreaterThanOrEqual(right);
    expect(size?.height).toBeGreaterThanOrEqual(bottom);
    expect(size?.height).toBe(tileHeight * Math.ceil(cues.length / Math.min(10, cues.length)));
  });

  it("falls back to a placeholder PNG of the asked width without ffmpeg", async () => {
    const plain = await startTestEmulator({ tools: { ffmpeg: false, ffprobe: false } });
    try {
      const { asset } = await uploadAndSettle(plain.mux, mp4);
      const response = await fetch(`${plain.emulator.url}/image/${asset.playback_ids?.[0]?.id}/thumbnail.jpg?width=320`);
      expect(response.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await response.arrayBuffer());
      expect(png.readUInt32BE(16)).toBe(320);
      expect(png.readUInt32BE(20)).toBe(180);
    } finally {
      await plain.emulator.close();
    }
  });
});

describe("signed playback ids", () => {
  let signedId: string;
  let signedAssetId: string;
  let keyId: string;
  let keySecret: string;

  beforeAll(async () => {
    const key = await mux.system.signingKeys.create();
    keyId = key.id;
    keySecret = key.private_key ?? "";
    const { asset } = await uploadAndSettle(mux, mp4, { playback_policies: ["signed"] });
    signedId = asset.playback_ids?.[0]?.id ?? "";
    signedAssetId = asset.id;
    expect(asset.playback_ids?.[0]?.policy).toBe("signed");
  });

  it("refuses the stream without a token (403) and serves it with one", async () => {
    const without = await fetch(streamUrl(signedId));
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ error: { type: "forbidden" } });

    const token = await mux.jwt.signPlaybackId(signedId, { keyId, keySecret, type: "video" });
    const withToken = await fetch(streamUrl(signedId, token));
    expect(withToken.status).toBe(200);
    expect(new Uint8Array(await withToken.arrayBuffer())).toEqual(mp4);
  });

  it("accepts each token of a multi-type signing only on its own URL", async () => {
    const tokens = await mux.jwt.signPlaybackId(signedId, { keyId, keySecret, type: ["video", "thumbnail", "storyboard"] });
    const video = tokens["playback-token"] ?? "";
    const thumbnail = tokens["thumbnail-token"] ?? "";
    const storyboard = tokens["storyboard-token"] ?? "";
    expect((await fetch(`${emulator.url}/image/${signedId}/thumbnail.jpg?token=${thumbnail}`)).status).toBe(200);
    expect((await fetch(`${emulator.url}/image/${signedId}/storyboard.vtt?token=${storyboard}`)).status).toBe(200);
    expect((await fetch(`${emulator.url}/image/${signedId}/thumbnail.jpg?token=${video}`)).status).toBe(403);
    const wrongAudience = await fetch(streamUrl(signedId, thumbnail));
    expect(wrongAudience.status).toBe(403);
    expect((await wrongAudience.json()) as unknown).toMatchObject({ error: { messages: [expect.stringMatching(/audience/)] } });
  });

  it("refuses expired tokens, tokens for another id, tampered tokens and tokens of a deleted key", async () => {
    const expired = await mux.jwt.signPlaybackId(signedId, { keyId, keySecret, type: "video", expiration: "0s" });
    expect((await fetch(streamUrl(signedId, expired))).status).toBe(403);

    const other = await mux.jwt.signPlaybackId(publicId, { keyId, keySecret, type: "video" });
    expect((await fetch(streamUrl(signedId, other))).status).toBe(403);

    const good = await mux.jwt.signPlaybackId(signedId, { keyId, keySecret, type: "video" });
    const [h, p, s = ""] = good.split(".");
    const tampered = `${h}.${p}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`;
    expect((await fetch(streamUrl(signedId, tampered))).status).toBe(403);
    expect((await fetch(streamUrl(signedId, "not-a-jwt"))).status).toBe(403);

    const doomed = await mux.system.signingKeys.create();
    const doomedToken = await mux.jwt.signPlaybackId(signedId, { keyId: doomed.id, keySecret: doomed.private_key ?? "", type: "video" });
    expect((await fetch(streamUrl(signedId, doomedToken))).status).toBe(200);
    await mux.system.signingKeys.delete(doomed.id);
    expect((await fetch(streamUrl(signedId, doomedToken))).status).toBe(403);
  });

  it("accepts tokens signed with its own key (emulator.signingKey) through createMuxBackend, with no key created", async () => {
    const listed: string[] = [];
    for await (const key of mux.system.signingKeys.list()) listed.push(key.id);
    expect(listed).toContain(emulator.signingKey.id);
    const backend = createMuxBackend({
      baseURL: emulator.url,
      tokenId: emulator.tokenId,
      tokenSecret: emulator.tokenSecret,
      signingKey: emulator.signingKey,
      env: {},
    });
    const asset = await backend.getAsset(signedAssetId);
    const signed = await backend.signPlayback(signedId, { expiresInSeconds: 600, thumbnailTime: 1 });
    const playable = withPlaybackTokens(asset, signed.tokens);
    expect((await fetch(playable.playback?.src ?? "", { method: "HEAD" })).status).toBe(200);
    expect((await fetch(playable.playback?.poster ?? "")).status).toBe(200);
    expect((await fetch(playable.playback?.storyboardSrc ?? "")).status).toBe(200);
  });

  it("accepts a token that names its key in the JWT header instead of the payload", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: keyId })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: signedId, aud: "v", exp: Math.floor(Date.now() / 1000) + 600 })).toString("base64url");
    const pem = Buffer.from(keySecret, "base64").toString("utf8");
    const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(pem).toString("base64url");
    const response = await fetch(streamUrl(signedId, `${header}.${payload}.${signature}`), { method: "HEAD" });
    expect(response.status).toBe(200);
  });
});
