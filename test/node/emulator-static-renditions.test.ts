// Static renditions in the emulator with the real @mux/mux-node client over HTTP: asked for at upload or later,
// made with ffmpeg once the asset is ready, downloadable at /stream/<playback id>/<name> as real MP4/M4A files
// (checked with ffprobe), skipped where the asset cannot give them, removed on delete, signed ids need a token,
// and the static_rendition webhooks Mux sends.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Mux from "@mux/mux-node";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { readBytes, startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";

interface Probed {
  streams: Array<{ codec_type: string; codec_name: string; height?: number }>;
  format: { duration: string; format_name: string };
}

function ffprobe(path: string): Promise<Probed> {
  return new Promise((resolve, reject) => {
    execFile("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Probed),
    );
  });
}

/** Downloads `url` to a temp file and probes it. */
async function download(url: string): Promise<{ status: number; type: string | null; probed?: Probed }> {
  const response = await fetch(url);
  if (response.status !== 200) return { status: response.status, type: response.headers.get("content-type") };
  const path = join(tmpdir(), `rendition-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, new Uint8Array(await response.arrayBuffer()));
  return { status: 200, type: response.headers.get("content-type"), probed: await ffprobe(path) };
}

let mp4: Fixture;
let mp4Bytes: Uint8Array<ArrayBuffer>;
let emulator: MuxEmulator;
let mux: Mux;
const webhookTypes: string[] = [];
let receiver: Server;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = await readBytes(mp4.path);
  receiver = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const event = JSON.parse(body) as { type: string; data: { asset_id?: string; name?: string } };
    webhookTypes.push(`${event.type} ${event.data.name ?? ""}`.trim());
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  ({ emulator, mux } = await startTestEmulator({ webhookUrls: [`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`] }));
});

afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const files = (asset: Mux.Video.Asset) => asset.static_renditions?.files ?? [];

describe("static renditions", () => {
  it("makes highest.mp4 and audio.m4a of an upload, skips a resolution above the source, and serves real files", async () => {
    const { asset: settled } = await uploadAndSettle(mux, mp4Bytes, {
      playback_policies: ["public"],
      static_renditions: [{ resolution: "highest" }, { resolution: "audio-only" }, { resolution: "1080p" }],
    });
    const asset = await waitUntil(() => mux.video.assets.retrieve(settled.id), (a) => files(a).every((f) => f.status !== "preparing"));
    expect(files(asset).map((f) => [f.name, f.ext, f.resolution, f.status])).toEqual([
      ["highest.mp4", "mp4", "highest", "ready"],
      ["audio.m4a", "m4a", "audio-only", "ready"],
      ["1080p.mp4", "mp4", "1080p", "skipped"],
    ]);
    expect(files(asset)[0]).toMatchObject({ id: expect.any(String), height: 360, width: 640, resolution_tier: "720p", filesize: expect.stringMatching(/^\d+$/) });
    expect(files(asset)[1]).toMatchObject({ resolution_tier: "audio-only" });

    const playbackId = asset.playback_ids?.[0]?.id ?? "";
    const highest = await download(`${emulator.url}/stream/${playbackId}/highest.mp4`);
    expect(highest.type).toBe("video/mp4");
    expect(highest.probed?.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(["audio:aac", "video:h264"]);
    expect(Number(highest.probed?.format.duration)).toBeCloseTo(mp4.duration ?? 0, 0);
    const audio = await download(`${emulator.url}/stream/${playbackId}/audio.m4a`);
    expect(audio.type).toBe("audio/mp4");
    expect(audio.probed?.streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(["audio:aac"]);
    expect(Number(audio.probed?.format.duration)).toBeCloseTo(mp4.duration ?? 0, 0);
    expect((await download(`${emulator.url}/stream/${playbackId}/1080p.mp4`)).status).toBe(404);

    await emulator.flushWebhooks();
    expect(webhookTypes).toEqual(
      expect.arrayContaining([
        "video.asset.static_rendition.created highest.mp4",
        "video.asset.static_rendition.ready highest.mp4",
        "video.asset.static_rendition.ready audio.m4a",
        "video.asset.static_rendition.skipped 1080p.mp4",
      ]),
    );
  });

  it("adds a rendition to a ready asset with createStaticRendition and removes one with deleteStaticRendition", async () => {
    const { asset } = await uploadAndSettle(mux, mp4Bytes);
    const created = await mux.video.assets.createStaticRendition(asset.id, { resolution: "270p" });
    expect(created).toMatchObject({ name: "270p.mp4", ext: "mp4", resolution: "270p", status: "preparing" });
    const ready = await waitUntil(() => mux.video.assets.retrieve(asset.id), (a) => files(a)[0]?.status === "ready");
    const playbackId = ready.playback_ids?.[0]?.id ?? "";
    const small = await download(`${emulator.url}/stream/${playbackId}/270p.mp4`);
    expect(small.probed?.streams.find((s) => s.codec_type === "video")?.height).toBe(270);

    await expect(mux.video.assets.createStaticRendition(asset.id, { resolution: "270p" })).rejects.toMatchObject({ status: 400 });
    await mux.video.assets.deleteStaticRendition(asset.id, created.id ?? "");
    expect(files(await mux.video.assets.retrieve(asset.id))).toEqual([]);
    expect((await download(`${emulator.url}/stream/${playbackId}/270p.mp4`)).status).toBe(404);
    await expect(mux.video.assets.deleteStaticRendition(asset.id, created.id ?? "")).rejects.toMatchObject({ status: 404 });
  });

  it("serves a signed asset's rendition only with a playback token", async () => {
    const key = await mux.system.signingKeys.create();
    const { asset: settled } = await uploadAndSettle(mux, mp4Bytes, { playback_policies: ["signed"], static_renditions: [{ resolution: "audio-only" }] });
    await waitUntil(() => mux.video.assets.retrieve(settled.id), (a) => files(a)[0]?.status === "ready");
    const playbackId = settled.playback_ids?.[0]?.id ?? "";
    expect((await download(`${emulator.url}/stream/${playbackId}/audio.m4a`)).status).toBe(403);
    const token = await mux.jwt.signPlaybackId(playbackId, { keyId: key.id, keySecret: key.private_key ?? "", type: "video" });
    const withToken = await download(`${emulator.url}/stream/${playbackId}/audio.m4a?token=${token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.probed?.streams.map((s) => s.codec_type)).toEqual(["audio"]);
  });

  it("refuses an unknown resolution or one named twice with Mux's 400", async () => {
    const bad = (static_renditions: unknown) =>
      mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { static_renditions } as Mux.Video.AssetOptions }).catch((error: unknown) => error);
    expect(await bad([{ resolution: "8k" }])).toMatchObject({ status: 400 });
    expect(await bad([{ resolution: "highest" }, { resolution: "highest" }])).toMatchObject({ status: 400 });
  });
});

describe("without ffmpeg", () => {
  it("ends a rendition errored with a reason, and the asset is still ready", async () => {
    const { emulator: bare, mux: client } = await startTestEmulator({ tools: { ffmpeg: false } });
    try {
      const { asset } = await uploadAndSettle(client, mp4Bytes, { playback_policies: ["public"], static_renditions: [{ resolution: "highest" }] });
      expect(asset.status).toBe("ready");
      const settled = await waitUntil(() => client.video.assets.retrieve(asset.id), (a) => files(a)[0]?.status !== "preparing");
      expect(files(settled)[0]).toMatchObject({ status: "errored", error: { messages: [expect.stringMatching(/ffmpeg/)] } });
    } finally {
      await bare.close();
    }
  });
});
