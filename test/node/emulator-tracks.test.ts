// Text tracks and generated captions (issue 17) through the real @mux/mux-node client: createTrack downloads the
// file from a loopback URL, tracks appear in the asset JSON and at the stream's text URL, deleteTrack removes them,
// generateSubtitles and upload-time generated_subtitles give the WebVTT a test supplied (never an invented
// transcript), and every step sends a signed `video.asset.track.*` webhook.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Mux, { BadRequestError, NotFoundError } from "@mux/mux-node";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { captionCorpus, sampleSrt, sampleVtt } from "../fixtures/captions-corpus.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { putWhole, readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let mp4: Uint8Array<ArrayBuffer>;
let assetId: string;
let playbackId: string;
let files: Server;
let filesUrl: string;
const served = new Map<string, { status: number; body: Uint8Array | string }>();
const webhooks: Array<{ type: string; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  const fx = await ensureFixtures();
  mp4 = await readBytes(fx.mp4.path);
  // One loopback server plays both parts a host app plays: it serves caption files and receives webhooks.
  files = createServer(async (req, res) => {
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const event = (await mux.webhooks.unwrap(body, req.headers, emulator.webhookSecret)) as unknown as {
        type: string;
        data: Record<string, unknown>;
      };
      webhooks.push(event);
      res.writeHead(200).end();
      return;
    }
    const file = served.get(req.url ?? "");
    if (!file) return void res.writeHead(404).end();
    res.writeHead(file.status, { "content-type": "text/plain" }).end(file.body);
  });
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  ({ emulator, mux } = await startTestEmulator({ webhookUrls: [`${filesUrl}/hooks`] }));
  const { asset } = await uploadAndSettle(mux, mp4);
  assetId = asset.id;
  playbackId = asset.playback_ids?.[0]?.id ?? "";
});

afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => files?.close(resolve));
});

const textTracks = async (id = assetId) => (await mux.video.assets.retrieve(id)).tracks?.filter((t) => t.type === "text") ?? [];
const settledTrack = (trackId: string, id = assetId) =>
  waitUntil(
    async () => (await textTracks(id)).find((t) => t.id === trackId),
    (t) => t !== undefined && t.status !== "preparing",
  );
const serve = (path: string, body: Uint8Array | string, status = 200) => {
  served.set(path, { status, body });
  return `${filesUrl}${path}`;
};

describe("text tracks through @mux/mux-node", () => {
  it("downloads an SRT file, reports the track preparing then ready, and serves it as WebVTT at the stream's text URL", async () => {
    const url = serve("/captions/en.srt", sampleSrt);
    const track = await mux.video.assets.createTrack(assetId, {
      url,
      type: "text",
      text_type: "subtitles",
      language_code: "en",
      name: "English CC",
      closed_captions: true,
      passthrough: "from-test",
    });
    expect(track).toMatchObject({
      type: "text",
      text_type: "subtitles",
      text_source: "uploaded",
      language_code: "en",
      name: "English CC",
      closed_captions: true,
      status: "preparing",
      passthrough: "from-test",
    });
    const ready = await settledTrack(track.id ?? "");
    expect(ready?.status).toBe("ready");

    const text = await fetch(`${emulator.url}/stream/${playbackId}/text/${track.id}.vtt`);
    expect(text.status).toBe(200);
    expect(text.headers.get("content-type")).toMatch(/^text\/vtt/);
    expect(await text.text()).toBe(sampleVtt);
  });

  it("names a track after its language when no name is given", async () => {
    const track = await mux.video.assets.createTrack(assetId, { url: serve("/captions/de.vtt", sampleVtt), type: "text", language_code: "de" });
    expect(track.name).toBe("German");
    expect(track.closed_captions).toBe(false);
  });

  it("ends a track errored, with a reason, when the file is not captions or cannot be downloaded", async () => {
    const html = captionCorpus.find((e) => e.key === "html")!;
    const bad = await mux.video.assets.createTrack(assetId, { url: serve("/captions/page.vtt", html.bytes), type: "text", language_code: "fr" });
    const errored = (await settledTrack(bad.id ?? "")) as { status?: string; error?: { type: string; messages: string[] } };
    expect(errored.status).toBe("errored");
    expect(errored.error?.messages[0]).toMatch(/not WebVTT or SRT/);

    const missing = await mux.video.assets.createTrack(assetId, { url: `${filesUrl}/nothing-here.vtt`, type: "text", language_code: "es" });
    const gone = (await settledTrack(missing.id ?? "")) as { status?: string; error?: { messages: string[] } };
    expect(gone.status).toBe("errored");
    expect(gone.error?.messages[0]).toMatch(/answered 404/);
  });

  it("refuses URLs off loopback, bad language codes and audio tracks", async () => {
    await expect(
      mux.video.assets.createTrack(assetId, { url: "http://example.com/en.vtt", type: "text", language_code: "en" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      mux.video.assets.createTrack(assetId, { url: "file:///etc/passwd", type: "text", language_code: "en" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      mux.video.assets.createTrack(assetId, { url: serve("/x.vtt", sampleVtt), type: "text", language_code: "not a language" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      mux.video.assets.createTrack(assetId, { url: serve("/a.m4a", "x"), type: "audio", language_code: "en" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      mux.video.assets.createTrack("NoSuchAsset000000000", { url: serve("/y.vtt", sampleVtt), type: "text", language_code: "en" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes a track: it leaves the asset and its text URL answers 404", async () => {
    const track = await mux.video.assets.createTrack(assetId, { url: serve("/captions/it.vtt", sampleVtt), type: "text", language_code: "it" });
    await settledTrack(track.id ?? "");
    await mux.video.assets.deleteTrack(assetId, track.id ?? "");
    expect((await textTracks()).some((t) => t.id === track.id)).toBe(false);
    expect((await fetch(`${emulator.url}/stream/${playbackId}/text/${track.id}.vtt`)).status).toBe(404);
    await expect(mux.video.assets.deleteTrack(assetId, track.id ?? "")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("sends signed video.asset.track.created, .ready and .deleted webhooks that carry the asset id", async () => {
    const track = await mux.video.assets.createTrack(assetId, { url: serve("/captions/nl.vtt", sampleVtt), type: "text", language_code: "nl" });
    await settledTrack(track.id ?? "");
    await mux.video.assets.deleteTrack(assetId, track.id ?? "");
    await emulator.flushWebhooks();
    const mine = webhooks.filter((w) => w.data.id === track.id);
    expect(mine.map((w) => w.type)).toEqual(["video.asset.track.created", "video.asset.track.ready", "video.asset.track.deleted"]);
    expect(mine.every((w) => w.data.asset_id === assetId)).toBe(true);
  });
});

describe("generated captions", () => {
  const audioTrack = async (id = assetId) => (await mux.video.assets.retrieve(id)).tracks?.find((t) => t.type === "audio")?.id ?? "";

  it("ends a generated track errored saying speech-to-text is not emulated when no captions were supplied", async () => {
    const tracks = await mux.video.assets.generateSubtitles(assetId, await audioTrack(), { generated_subtitles: [{ language_code: "en" }] });
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ type: "text", text_source: "generated_vod", language_code: "en", name: "English (generated)", status: "preparing" });
    const settled = (await settledTrack(tracks[0]?.id ?? "")) as { status?: string; error?: { type: string; messages: string[] } };
    expect(settled.status).toBe("errored");
    expect(settled.error?.messages[0]).toMatch(/speech-to-text is not emulated/);
    expect((await fetch(`${emulator.url}/stream/${playbackId}/text/${tracks[0]?.id}.vtt`)).status).toBe(404);
  });

  it("gives a generated track the WebVTT supplied through POST /_emulator/generated-captions", async () => {
    const supplied = await fetch(`${emulator.url}/_emulator/generated-captions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vtt: sampleVtt, assetId }),
    });
    expect(supplied.status).toBe(200);
    const [track] = await mux.video.assets.generateSubtitles(assetId, await audioTrack(), { generated_subtitles: [{ language_code: "en", name: "Auto EN" }] });
    expect((await settledTrack(track?.id ?? ""))?.status).toBe("ready");
    expect(await (await fetch(`${emulator.url}/stream/${playbackId}/text/${track?.id}.vtt`)).text()).toBe(sampleVtt);
  });

  it("refuses supplied captions that are not WebVTT or SRT, languages Mux does not generate and a wrong track id", async () => {
    const bad = await fetch(`${emulator.url}/_emulator/generated-captions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vtt: "<html></html>" }),
    });
    expect(bad.status).toBe(400);
    await expect(mux.video.assets.generateSubtitles(assetId, await audioTrack(), { generated_subtitles: [{ language_code: "ja" as "en" }] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(mux.video.assets.generateSubtitles(assetId, "NotTheAudioTrack0000", { generated_subtitles: [{ language_code: "en" }] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("starts generated_subtitles asked for on new_asset_settings.inputs[0] once the asset is ready", async () => {
    emulator.setGeneratedCaptions(sampleSrt);
    try {
      const upload = await mux.video.uploads.create({
        cors_origin: "*",
        new_asset_settings: { playback_policies: ["public"], inputs: [{ generated_subtitles: [{ language_code: "en", name: "English (auto)" }] }] },
      });
      expect(upload.new_asset_settings?.inputs?.[0]?.generated_subtitles?.[0]?.language_code).toBe("en");
      expect((await putWhole(upload.url ?? "", mp4)).status).toBe(200);
      const created = await waitUntil(() => mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
      const id = created.asset_id ?? "";
      const withTrack = await waitUntil(() => textTracks(id), (tracks) => tracks.length === 1 && tracks[0]?.status === "ready");
      expect(withTrack[0]).toMatchObject({ text_source: "generated_vod", name: "English (auto)" });
    } finally {
      emulator.setGeneratedCaptions(undefined);
    }
  });

  it("refuses upload inputs the emulator does not emulate", async () => {
    await expect(
      mux.video.uploads.create({
        cors_origin: "*",
        new_asset_settings: { inputs: [{ url: "https://example.com/other.mp4" }] },
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe("text tracks of a signed playback id", () => {
  it("serve their text only with a video token", async () => {
    const key = await mux.system.signingKeys.create();
    const { asset } = await uploadAndSettle(mux, mp4, { playback_policies: ["signed"] });
    const signedId = asset.playback_ids?.[0]?.id ?? "";
    const track = await mux.video.assets.createTrack(asset.id, { url: serve("/captions/signed.vtt", sampleVtt), type: "text", language_code: "en" });
    await settledTrack(track.id ?? "", asset.id);
    const url = `${emulator.url}/stream/${signedId}/text/${track.id}.vtt`;
    expect((await fetch(url)).status).toBe(403);
    const token = await mux.jwt.signPlaybackId(signedId, { keyId: key.id, keySecret: key.private_key ?? "", type: "video" });
    const withToken = await fetch(`${url}?token=${token}`);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toBe(sampleVtt);
  });
});
