// Instant clipping in the emulator, as Mux's: asset_start_time/asset_end_time on /stream/… serve the asset cut with
// ffmpeg (times from 0), cached per (asset, start, end); on a signed playback id only the token's claims count.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Mux from "@mux/mux-node";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { clipVtt } from "../../src/emulator/playback.js";
import { readBytes, startTestEmulator, uploadAndSettle } from "./emulator-helpers.js";

let emulator: MuxEmulator;
let mux: Mux;
let mp4: Uint8Array<ArrayBuffer>;
let publicId: string;
const dir = mkdtempSync(join(tmpdir(), "lvk-clip-"));

beforeAll(async () => {
  const fx = await ensureFixtures();
  mp4 = await readBytes(fx.mp4.path);
  ({ emulator, mux } = await startTestEmulator());
  const { asset } = await uploadAndSettle(mux, mp4);
  publicId = asset.playback_ids?.[0]?.id ?? "";
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The duration ffprobe reads from the bytes of a response. */
async function durationOf(response: Response, name: string): Promise<number> {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  return new Promise((resolve, reject) => {
    execFile("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], (error, stdout) =>
      error ? reject(error) : resolve(Number(stdout.trim())),
    );
  });
}

describe("clipped streams", () => {
  it("serves the part between asset_start_time and asset_end_time, starting at 0, and caches it", async () => {
    const url = `${emulator.url}/stream/${publicId}.mp4?asset_start_time=1&asset_end_time=2.5`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("video/mp4");
    const length = Number(first.headers.get("content-length"));
    expect(length).toBeGreaterThan(0);
    expect(length).not.toBe(mp4.length);
    expect(await durationOf(first, "clip.mp4")).toBeCloseTo(1.5, 1);

    // The same clip again: the cached file, with byte ranges for seeking.
    const range = await fetch(url, { headers: { range: "bytes=0-99" } });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toBe(`bytes 0-99/${length}`);
    await range.arrayBuffer();
  });

  it("reads a missing end as the asset's end, and a clip of the whole asset as no clip", async () => {
    expect(await durationOf(await fetch(`${emulator.url}/stream/${publicId}.mp4?asset_start_time=2`), "tail.mp4")).toBeCloseTo(1, 1);
    const whole = await fetch(`${emulator.url}/stream/${publicId}.mp4?asset_start_time=0&asset_end_time=10`);
    expect(Number(whole.headers.get("content-length"))).toBe(mp4.length);
    await whole.arrayBuffer();
  });

  it("refuses times that are not a clip", async () => {
    for (const query of ["asset_start_time=-1", "asset_start_time=abc", "asset_start_time=2&asset_end_time=1", "asset_start_time=5"]) {
      const response = await fetch(`${emulator.url}/stream/${publicId}.mp4?${query}`);
      expect(response.status, query).toBe(400);
      await response.arrayBuffer();
    }
  });

  it("on a signed playback id takes the clip from the token's claims, never from the query", async () => {
    const key = await mux.system.signingKeys.create();
    const { asset } = await uploadAndSettle(mux, mp4, { playback_policies: ["signed"] });
    const signedId = asset.playback_ids?.[0]?.id ?? "";
    const sign = { keyId: key.id, keySecret: key.private_key ?? "", type: "video" as const };
    const clipped = await mux.jwt.signPlaybackId(signedId, { ...sign, params: { asset_start_time: "0.5", asset_end_time: "1.5" } });
    const response = await fetch(`${emulator.url}/stream/${signedId}.mp4?token=${clipped}`);
    expect(response.status).toBe(200);
    expect(await durationOf(response, "signed.mp4")).toBeCloseTo(1, 1);

    // A viewer who edits the URL cannot lift or widen the clip the token sets, nor add one to a token without it.
    const widened = await fetch(`${emulator.url}/stream/${signedId}.mp4?token=${clipped}&asset_start_time=0&asset_end_time=3`);
    expect(await durationOf(widened, "widened.mp4")).toBeCloseTo(1, 1);
    const plain = await mux.jwt.signPlaybackId(signedId, sign);
    const ignored = await fetch(`${emulator.url}/stream/${signedId}.mp4?token=${plain}&asset_start_time=1`);
    expect(Number(ignored.headers.get("content-length"))).toBe(mp4.length);
    await ignored.arrayBuffer();
  });
});

describe("clipped text tracks", () => {
  it("drops cues outside the clip, shifts the others and cuts those across its edges", () => {
    const vtt = [
      "WEBVTT",
      "",
      "1",
      "00:00:00.000 --> 00:00:01.000",
      "Before",
      "",
      "2",
      "00:00:01.500 --> 00:00:03.000 align:start",
      "Across the start",
      "",
      "00:00:05.000 --> 00:00:06.000",
      "<v Ana>Inside</v>",
      "",
      "00:00:09.000 --> 00:00:12.000",
      "Across the end",
      "",
      "00:00:12.000 --> 00:00:13.000",
      "After",
      "",
    ].join("\n");
    expect(clipVtt(vtt, { startTime: 2, endTime: 10 })).toBe(
      [
        "WEBVTT",
        "",
        "2",
        "00:00:00.000 --> 00:00:01.000 align:start",
        "Across the start",
        "",
        "00:00:03.000 --> 00:00:04.000",
        "<v Ana>Inside</v>",
        "",
        "00:00:07.000 --> 00:00:08.000",
        "Across the end",
        "",
      ].join("\n"),
    );
  });
});

describe("closing the emulator", () => {
  it("kills a clip still being cut: no clip file lands in its data dir after close()", async () => {
    const dataDir = join(dir, "closing");
    const { emulator: closing, mux: closingMux } = await startTestEmulator({ dataDir });
    const { asset } = await uploadAndSettle(closingMux, mp4);
    const thumbs = join(dataDir, "files", `${asset.id}.thumbs`);
    const inThumbs = () => {
      try {
        return readdirSync(thumbs);
      } catch {
        return [];
      }
    };
    const answered = fetch(`${closing.url}/stream/${asset.playback_ids?.[0]?.id ?? ""}.mp4?asset_start_time=0.5&asset_end_time=2.5`).then(
      (response) => response.status,
      () => "no answer",
    );
    // ffmpeg is cutting: its partial output exists.
    await vi.waitFor(() => expect(inThumbs().some((name) => name.endsWith(".part.mp4"))).toBe(true), { timeout: 30_000, interval: 2 });
    await closing.close();
    await answered;
    // The killed run removes its partial output; the clip it was making never appears.
    await vi.waitFor(() => expect(inThumbs().filter((name) => name.endsWith(".part.mp4"))).toEqual([]), { timeout: 30_000, interval: 20 });
    expect(inThumbs().filter((name) => name.startsWith("clip-"))).toEqual([]);
  });
});
