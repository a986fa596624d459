// Fragmented MP4, what MediaRecorder writes in Safari and in Chromium for "video/mp4": a moov that does not know the
// duration, then moof/mdat fragments. Processing reads its duration from the fragments, with ffprobe and from the
// boxes when ffprobe is missing: on real Chromium recordings, and on small files built here box by box for the cases
// a recorder may write (defaults in tfhd or trex, with or without tfdt, a cut-off last fragment).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordedFixtures, type RecordedFixtures } from "../fixtures/recorded-fixtures.js";
import { probeMedia, sniffContainer } from "../../src/emulator/probe.js";
import { sniffVideoContainer } from "../../src/core/validation.js";
import { defaultServerUploadLimits, validateUploadRequest } from "../../src/server/validation.js";

let rec: RecordedFixtures;
let scratch: string;

beforeAll(() => {
  rec = recordedFixtures();
  scratch = mkdtempSync(join(tmpdir(), "lvk-fmp4-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

// ISO-BMFF boxes, just the fields the emulator reads.
const u32 = (...values: number[]): Buffer => {
  const buf = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => buf.writeUInt32BE(value, 4 * i));
  return buf;
};
const u64 = (value: number): Buffer => {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(value));
  return buf;
};
const box = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
};
const fullBox = (type: string, version: number, flags: number, ...payload: Buffer[]): Buffer => box(type, u32(version * 2 ** 24 + flags), ...payload);

interface TrackSpec {
  id: number;
  handler: "vide" | "soun" | "meta";
  timescale: number;
  /** trex default_sample_duration. */
  defaultDuration?: number;
}

function initSegment(brand: string, tracks: TrackSpec[], options: { mehd?: { version: 0 | 1; duration: number } } = {}): Buffer {
  const trak = (track: TrackSpec) =>
    box(
      "trak",
      // tkhd v0: times, track_ID, reserved, duration, reserved, layer…matrix, then width and height in 16.16.
      fullBox("tkhd", 0, 3, u32(0, 0, track.id, 0, 0), Buffer.alloc(52), track.handler === "vide" ? u32(320 * 65536, 240 * 65536) : u32(0, 0)),
      box(
        "mdia",
        // A duration in mdhd that is not the track's, as Chromium writes: the fragments decide.
        fullBox("mdhd", 0, 0, u32(0, 0, track.timescale, 7), Buffer.alloc(4)),
        fullBox("hdlr", 0, 0, u32(0), Buffer.from(track.handler, "latin1"), Buffer.alloc(12), Buffer.from("recorder\0")),
      ),
    );
  const mehd = options.mehd
    ? [options.mehd.version === 1 ? fullBox("mehd", 1, 0, u64(options.mehd.duration)) : fullBox("mehd", 0, 0, u32(options.mehd.duration))]
    : [];
  return Buffer.concat([
    box("ftyp", Buffer.from(brand, "latin1"), u32(0), Buffer.from(`${brand}isomiso6`, "latin1")),
    box(
      "moov",
      // mvhd v0 with duration 0, timescale 1000.
      fullBox("mvhd", 0, 0, u32(0, 0, 1000, 0), Buffer.alloc(80)),
      ...tracks.map(trak),
      box("mvex", ...mehd, ...tracks.map((track) => fullBox("trex", 0, 0, u32(track.id, 1, track.defaultDuration ?? 0, 0, 0)))),
    ),
  ]);
}

interface TrafSpec {
  track: number;
  /** baseMediaDecodeTime; no tfdt box without it. */
  tfdt?: number;
  tfdtVersion?: 0 | 1;
  /** tfhd default_sample_duration (written after a base data offset and a sample description index). */
  defaultDuration?: number;
  /** Per-sample durations in trun; without them `count` samples of the default duration. */
  durations?: number[];
  count?: number;
}

function fragment(sequence: number, trafs: TrafSpec[]): Buffer {
  const traf = (spec: TrafSpec) => {
    const withDefault = spec.defaultDuration !== undefined;
    const tfhd = withDefault
      ? fullBox("tfhd", 0, 0x1 | 0x2 | 0x8, u32(spec.track), u64(0), u32(1), u32(spec.defaultDuration ?? 0))
      : fullBox("tfhd", 0, 0x20000, u32(spec.track));
    const tfdt =
      spec.tfdt === undefined ? [] : [spec.tfdtVersion === 0 ? fullBox("tfdt", 0, 0, u32(spec.tfdt)) : fullBox("tfdt", 1, 0, u64(spec.tfdt))];
    const trun = spec.durations
      ? fullBox("trun", 0, 0x1 | 0x100 | 0x200, u32(spec.durations.length, 0), ...spec.durations.map((d) => u32(d, 100)))
      : fullBox("trun", 0, 0x1 | 0x200, u32(spec.count ?? 0, 0), ...Array.from({ length: spec.count ?? 0 }, () => u32(100)));
    return box("traf", tfhd, ...tfdt, trun);
  };
  return Buffer.concat([box("moof", fullBox("mfhd", 0, 0, u32(sequence)), ...trafs.map(traf)), box("mdat", Buffer.alloc(64))]);
}

let files = 0;
async function probeBytes(bytes: Buffer) {
  const path = join(scratch, `built-${++files}.mp4`);
  writeFileSync(path, bytes);
  const result = await probeMedia(path, { ffprobe: false });
  if (!result.ok) throw new Error(result.message);
  return result.media;
}

const video: TrackSpec = { id: 1, handler: "vide", timescale: 90_000 };
const audio: TrackSpec = { id: 2, handler: "soun", timescale: 48_000, defaultDuration: 1024 };

describe("the duration of a fragmented MP4, read from its boxes (no ffprobe)", () => {
  it("adds up fragments without tfdt, each sample at tfhd's default duration, one after another", async () => {
    // Four fragments of 15 samples at 6000/90000 s: 4 s, with the moov saying 0.
    const fragments = [1, 2, 3, 4].map((n) => fragment(n, [{ track: 1, defaultDuration: 6000, count: 15 }]));
    const media = await probeBytes(Buffer.concat([initSegment("iso5", [video]), ...fragments]));
    expect(media).toMatchObject({ container: "mp4", mimeType: "video/mp4", hasVideo: true, hasAudio: false, width: 320, height: 240, duration: 4 });
  });

  it("uses trex's default sample duration when neither trun nor tfhd gives one", async () => {
    const fragments = [0, 1, 2].map((n) => fragment(n + 1, [{ track: 2, tfdt: n * 47 * 1024, tfdtVersion: 0, count: 47 }]));
    const media = await probeBytes(Buffer.concat([initSegment("mp42", [audio]), ...fragments]));
    expect(media).toMatchObject({ container: "mp4", mimeType: "audio/mp4", hasVideo: false, hasAudio: true });
    expect(media.duration).toBeCloseTo((3 * 47 * 1024) / 48_000, 6);
  });

  it("starts each fragment at its tfdt, so the short last sample a recorder guesses does not shorten the recording", async () => {
    // Like Chromium: ten samples of 1000 ticks, the last one written as 400 because the next had not arrived yet.
    const samples = [...Array<number>(9).fill(1000), 400];
    const fragments = [0, 1, 2].map((n) => fragment(n + 1, [{ track: 1, tfdt: n * 10_000, durations: samples }]));
    const media = await probeBytes(Buffer.concat([initSegment("isom", [{ ...video, timescale: 10_000 }]), ...fragments]));
    // The last fragment starts at 2 s and holds 0.94 s: 2.94 s, where adding up every sample would say 2.82 s.
    expect(media.duration).toBeCloseTo(2.94, 6);
  });

  it("is the longer of picture and sound; other tracks do not count", async () => {
    const metadata: TrackSpec = { id: 3, handler: "meta", timescale: 1000 };
    const fragments = [0, 1].map((n) =>
      fragment(n + 1, [
        { track: 1, tfdt: n * 90_000, defaultDuration: 3000, count: 30 },
        { track: 2, tfdt: n * 48_000, durations: Array<number>(50).fill(1008) },
        { track: 3, tfdt: n * 5000, defaultDuration: 5000, count: 1 },
      ]),
    );
    const media = await probeBytes(Buffer.concat([initSegment("iso5", [video, audio, metadata]), ...fragments]));
    expect(media).toMatchObject({ hasVideo: true, hasAudio: true });
    // Picture ends at 2 s, sound at 1 s + 50 × 1008 / 48000 = 2.05 s; the metadata track's 10 s is not the recording's.
    expect(media.duration).toBeCloseTo(2.05, 6);
  });

  it("counts the whole fragments of a recording cut off in the middle of its last one", async () => {
    const fragments = [0, 1, 2].map((n) => fragment(n + 1, [{ track: 1, tfdt: n * 45_000, defaultDuration: 3000, count: 15 }]));
    const cut = Buffer.concat([initSegment("iso5", [video]), fragments[0] ?? Buffer.alloc(0), fragments[1] ?? Buffer.alloc(0), (fragments[2] ?? Buffer.alloc(0)).subarray(0, 40)]);
    expect((await probeBytes(cut)).duration).toBeCloseTo(1, 6);
  });

  it("takes mehd's duration when there are no fragments, and has none when the moov alone says nothing", async () => {
    expect((await probeBytes(initSegment("iso5", [video], { mehd: { version: 1, duration: 2500 } }))).duration).toBe(2.5);
    expect((await probeBytes(initSegment("iso5", [video], { mehd: { version: 0, duration: 1250 } }))).duration).toBe(1.25);
    const bare = await probeBytes(initSegment("iso5", [video]));
    expect(bare).toMatchObject({ container: "mp4", width: 320, height: 240 });
    expect(bare.duration).toBeUndefined();
  });
});

describe("Chromium's MediaRecorder recordings", () => {
  for (const tool of ["ffprobe", false] as const) {
    const label = tool ? "with ffprobe" : "from the boxes";
    it(`reads container, picture size, tracks and the recorded length of both MP4 recordings ${label}`, async () => {
      for (const fixture of [rec.fragmentedMp4, rec.defaultMp4]) {
        const result = await probeMedia(fixture.path, { ffprobe: tool });
        expect(result.ok, fixture.path).toBe(true);
        if (!result.ok) continue;
        expect(result.media, fixture.path).toMatchObject({ container: "mp4", mimeType: "video/mp4", hasVideo: true, hasAudio: true, width: 320, height: 240 });
        expect(Math.abs((result.media.duration ?? 0) - fixture.recordedSeconds), fixture.path).toBeLessThan(0.3);
      }
    });
  }

  it("reads the same duration from the boxes as ffprobe does", async () => {
    for (const fixture of [rec.fragmentedMp4, rec.defaultMp4]) {
      const [withFfprobe, fromBoxes] = await Promise.all([probeMedia(fixture.path, { ffprobe: "ffprobe" }), probeMedia(fixture.path, { ffprobe: false })]);
      if (!withFfprobe.ok || !fromBoxes.ok) throw new Error(`${fixture.path} was not read`);
      expect(fromBoxes.media.duration, fixture.path).toBeCloseTo(withFfprobe.media.duration ?? 0, 3);
    }
  });

  it("reads the WebM recording's length from its packets (ffprobe) and its picture size from its headers", async () => {
    const withFfprobe = await probeMedia(rec.webm.path, { ffprobe: "ffprobe" });
    const fromHeaders = await probeMedia(rec.webm.path, { ffprobe: false });
    for (const result of [withFfprobe, fromHeaders]) {
      expect(result).toMatchObject({ ok: true, media: { container: "webm", mimeType: "video/webm", hasVideo: true, hasAudio: true, width: 320, height: 240 } });
    }
    if (!withFfprobe.ok) return;
    expect(Math.abs((withFfprobe.media.duration ?? 0) - rec.webm.recordedSeconds)).toBeLessThan(0.3);
  });
});

describe("fragmented MP4 passes the container checks", () => {
  it("is an MP4 to the emulator whatever its brand", async () => {
    for (const brand of ["iso5", "iso6", "isom", "mp42", "dash"]) expect(sniffContainer(initSegment(brand, [video]))).toBe("mp4");
    expect(sniffContainer(await readFile(rec.fragmentedMp4.path))).toBe("mp4");
    expect(sniffContainer(await readFile(rec.webm.path))).toBe("webm");
  });

  it("is a video to the kit's byte check, and the server takes the upload request a recording makes", async () => {
    for (const brand of ["iso5", "isom", "mp42"]) expect(sniffVideoContainer(initSegment(brand, [video]))).toBe("mp4");
    expect(sniffVideoContainer(await readFile(rec.fragmentedMp4.path))).toBe("mp4");
    expect(sniffVideoContainer(await readFile(rec.webm.path))).toBe("matroska");
    // What MediaRecording declares: the container without codecs, a name ending in .mp4, size 0 and a cap.
    for (const [name, type] of [["recording-2026-12-07T10-00-00-000Z.mp4", "video/mp4"], ["recording-2026-12-07T10-00-00-000Z.webm", "video/webm"]]) {
      const check = validateUploadRequest({ file: { name, size: 0, maxSize: 1_000_000_000, type } }, defaultServerUploadLimits);
      expect(check.ok, name).toBe(true);
    }
  });
});
