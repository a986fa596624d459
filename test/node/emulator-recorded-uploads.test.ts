// Issue 29, recording in the browser: what Chromium's MediaRecorder wrote (test/fixtures/recorded/) goes to the
// emulator as a direct upload through the real @mux/mux-node client, like any other file, and comes back a ready
// asset whose duration is the recorded length, read from the media: fragmented MP4 with ffprobe and without it,
// WebM without duration or cues with ffprobe. The player's URL serves the bytes and a thumbnail is a real frame.
import Mux from "@mux/mux-node";
import { recordedFixtures, type RecordedFixture, type RecordedFixtures } from "../fixtures/recorded-fixtures.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import { readBytes, startTestEmulator, uploadAndSettle } from "./emulator-helpers.js";

let rec: RecordedFixtures;
/** With ffprobe and ffmpeg (the default), and with header parsing only (`ffprobe: false`). */
const emulators: Record<"ffprobe" | "headers", { emulator: MuxEmulator; mux: Mux } | undefined> = { ffprobe: undefined, headers: undefined };

beforeAll(async () => {
  rec = recordedFixtures();
  [emulators.ffprobe, emulators.headers] = await Promise.all([startTestEmulator(), startTestEmulator({ tools: { ffprobe: false } })]);
});

afterAll(async () => {
  await Promise.all([emulators.ffprobe?.emulator.close(), emulators.headers?.emulator.close()]);
});

function emulator(kind: "ffprobe" | "headers"): { emulator: MuxEmulator; mux: Mux } {
  const started = emulators[kind];
  if (!started) throw new Error(`the ${kind} emulator did not start`);
  return started;
}

/** Uploads `fixture` in one PUT and checks the ready asset a Mux user reads: status, duration, picture, tracks. */
async function uploadRecording(kind: "ffprobe" | "headers", fixture: RecordedFixture) {
  const { mux } = emulator(kind);
  const bytes = await readBytes(fixture.path);
  const { asset } = await uploadAndSettle(mux, bytes, { playback_policies: ["public"], passthrough: "recorded-lesson" });
  expect(asset.errors).toBeUndefined();
  expect(asset).toMatchObject({ status: "ready", passthrough: "recorded-lesson", aspect_ratio: "4:3" });
  expect(Math.abs((asset.duration ?? 0) - fixture.recordedSeconds)).toBeLessThan(0.3);
  expect(asset.tracks?.find((track) => track.type === "video")).toMatchObject({ max_width: 320, max_height: 240 });
  expect(asset.tracks?.some((track) => track.type === "audio")).toBe(true);
  return { asset, bytes };
}

describe("a MediaRecorder recording uploaded to the emulator", () => {
  for (const kind of ["ffprobe", "headers"] as const) {
    const label = kind === "ffprobe" ? "with ffprobe" : "without ffprobe";

    it(`makes a fragmented MP4 (moov without duration, 500 ms fragments) a ready asset of the recorded length ${label}`, async () => {
      await uploadRecording(kind, rec.fragmentedMp4);
    });

    it(`makes Chromium's default MP4 (one fragment written at stop) a ready asset of the recorded length ${label}`, async () => {
      await uploadRecording(kind, rec.defaultMp4);
    });
  }

  it("makes a WebM recording without duration or cues a ready asset of the recorded length (ffprobe)", async () => {
    await uploadRecording("ffprobe", rec.webm);
  });

  it("plays the fragmented MP4 back byte for byte, and grabs a thumbnail frame from it with ffmpeg", async () => {
    const { emulator: running } = emulator("ffprobe");
    const { asset, bytes } = await uploadRecording("ffprobe", rec.fragmentedMp4);
    const playbackId = asset.playback_ids?.[0]?.id ?? "";
    const stream = await fetch(`${running.url}/stream/${playbackId}.mp4`);
    expect(stream.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await stream.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    // ffmpeg's frame, not the placeholder PNG the emulator answers with when it cannot grab one.
    const thumbnail = await fetch(`${running.url}/image/${playbackId}/thumbnail.jpg?width=160`);
    expect(thumbnail.headers.get("content-type")).toBe("image/jpeg");
    expect([...new Uint8Array(await thumbnail.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });
});
