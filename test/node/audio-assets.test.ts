// Audio-only assets: audio files (M4A, MP3, WAV, FLAC, made with ffmpeg here) become ready assets with only an audio
// track in the emulator (real @mux/mux-node client over HTTP), play at /stream/<playback id> with an audio type; the
// routes take them only with `allowAudio` and answer the asset with `audioOnly: true`.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Mux from "@mux/mux-node";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { startTestEmulator, uploadAndSettle, waitUntil } from "./emulator-helpers.js";
import { startStack } from "./server-harness.js";

const dir = mkdtempSync(join(tmpdir(), "lvk-audio-"));

/** A 2 s sine tone in `file` (its extension picks the container), with `codec`. */
function makeAudio(file: string, codec: string[]): Promise<Uint8Array<ArrayBuffer>> {
  const path = join(dir, file);
  return new Promise((resolve, reject) => {
    execFile("ffmpeg", ["-y", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", ...codec, path], (error) =>
      error ? reject(error) : resolve(new Uint8Array(readFileSync(path))),
    );
  });
}

const formats: Array<[string, string[], string]> = [
  ["tone.m4a", ["-c:a", "aac"], "audio/mp4"],
  ["tone.mp3", ["-c:a", "libmp3lame"], "audio/mpeg"],
  ["tone.wav", ["-c:a", "pcm_s16le"], "audio/wav"],
  ["tone.flac", ["-c:a", "flac"], "audio/flac"],
];
const files = new Map<string, Uint8Array<ArrayBuffer>>();

beforeAll(async () => {
  for (const [file, codec] of formats) files.set(file, await makeAudio(file, codec));
});

describe("audio files in the emulator", () => {
  let emulator: MuxEmulator;
  let mux: Mux;
  beforeAll(async () => {
    ({ emulator, mux } = await startTestEmulator());
  });
  afterAll(() => emulator.close());

  it.each(formats)("makes %s a ready audio-only asset that plays with an audio type", async (file, _codec, type) => {
    const { asset } = await uploadAndSettle(mux, files.get(file)!);
    expect(asset.status).toBe("ready");
    expect(asset.resolution_tier).toBe("audio-only");
    expect(asset.aspect_ratio).toBeUndefined();
    expect(asset.tracks?.map((t) => t.type)).toEqual(["audio"]);
    expect(asset.duration).toBeCloseTo(2, 0);
    const playbackId = asset.playback_ids?.[0]?.id ?? "";
    const stream = await fetch(`${emulator.url}/stream/${playbackId}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe(type);
    expect(new Uint8Array(await stream.arrayBuffer()).length).toBe(files.get(file)!.length);
    // Mux has no picture to show; the emulator answers its placeholder rather than failing.
    const thumbnail = await fetch(`${emulator.url}/image/${playbackId}/thumbnail.jpg`);
    expect(thumbnail.status).toBe(200);
    await thumbnail.arrayBuffer();
  });

  it("makes audio.m4a of an audio-only asset and skips highest.mp4", async () => {
    const { asset } = await uploadAndSettle(mux, files.get("tone.mp3")!, { playback_policies: ["public"], static_renditions: [{ resolution: "highest" }, { resolution: "audio-only" }] });
    const settled = await waitUntil(() => mux.video.assets.retrieve(asset.id), (a) => (a.static_renditions?.files ?? []).every((f) => f.status !== "preparing"));
    expect(settled.static_renditions?.files?.map((f) => [f.name, f.status])).toEqual([
      ["highest.mp4", "skipped"],
      ["audio.m4a", "ready"],
    ]);
  });
});

describe("audio uploads through the routes", () => {
  const m4a = () => files.get("tone.m4a")!;
  const body = () => JSON.stringify({ file: { name: "tone.m4a", size: m4a().length, type: "audio/mp4" }, lessonId: "lesson-alice" });

  it("takes an audio file with allowAudio and answers its asset audioOnly", async () => {
    const stack = await startStack({ routes: { allowAudio: true } });
    try {
      const response = await stack.call("/uploads", { method: "POST", user: "alice", headers: { "content-type": "application/json" }, body: body() });
      expect(response.status).toBe(201);
      const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
      await sendChunks(new Blob([m4a()], { type: "audio/mp4" }), url, { signal: new AbortController().signal, onProgress() {}, chunkSize: 256 * 1024 });
      const { asset_id: assetId } = await waitUntil(() => stack.mux.video.uploads.retrieve(uploadId), (u) => u.asset_id !== undefined);
      const asset = await waitUntil(
        async () => (await (await stack.call(`/assets/${assetId}`, { user: "alice" })).json()) as { status: string; audioOnly?: boolean; aspectRatio?: string },
        (a) => a.status === "ready",
      );
      expect(asset.audioOnly).toBe(true);
      expect(asset.aspectRatio).toBeUndefined();
    } finally {
      await stack.close();
    }
  });

  it("refuses the same file with 415 file_type_not_allowed by default", async () => {
    const stack = await startStack();
    try {
      const response = await stack.call("/uploads", { method: "POST", user: "alice", headers: { "content-type": "application/json" }, body: body() });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("file_type_not_allowed");
    } finally {
      await stack.close();
    }
  });
});
