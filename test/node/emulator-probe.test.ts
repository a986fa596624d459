// Processing reads duration, size and tracks from the bytes: with ffprobe, and from the MP4/WebM headers when
// ffprobe is missing; both agree on the generated fixtures. Text and broken files are refused with a message.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFixtures, type Fixture, type Fixtures } from "../fixtures/make-fixtures.js";
import { probeMedia, sniffContainer } from "../../src/emulator/probe.js";

let fx: Fixtures;
let scratch: string;

beforeAll(async () => {
  fx = await ensureFixtures();
  scratch = mkdtempSync(join(tmpdir(), "lvk-probe-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const media = (): Array<[string, Fixture, string, string]> => [
  ["H.264 MP4 (moov first)", fx.mp4, "mp4", "video/mp4"],
  ["VP9 WebM", fx.webm, "webm", "video/webm"],
  ["AAC audio in MP4 (moov last)", fx.audio, "mp4", "audio/mp4"],
];

describe("probing media", () => {
  for (const tool of ["ffprobe", false] as const) {
    const label = tool ? "with ffprobe" : "from the container headers";
    it(`reads duration, picture size and tracks ${label}`, async () => {
      for (const [name, fixture, container, mimeType] of media()) {
        const result = await probeMedia(fixture.path, { ffprobe: tool });
        expect(result.ok, name).toBe(true);
        if (!result.ok) continue;
        expect(result.media.container, name).toBe(container);
        expect(result.media.mimeType, name).toBe(mimeType);
        expect(result.media.hasVideo, name).toBe(fixture.hasVideo);
        expect(result.media.hasAudio, name).toBe(fixture.hasAudio);
        expect(result.media.width, name).toBe(fixture.width);
        expect(result.media.height, name).toBe(fixture.height);
        expect(Math.abs((result.media.duration ?? 0) - (fixture.duration ?? 0)), name).toBeLessThan(0.15);
      }
    });

    it(`refuses text, empty and truncated files ${label}`, async () => {
      for (const fixture of [fx.notVideo, fx.fakeMp4]) {
        const result = await probeMedia(fixture.path, { ffprobe: tool });
        expect(result).toEqual({ ok: false, message: expect.stringMatching(/not a video/) });
      }
      const empty = join(scratch, "empty.bin");
      writeFileSync(empty, "");
      expect(await probeMedia(empty, { ffprobe: tool })).toEqual({ ok: false, message: "The uploaded file is empty." });
      const truncated = join(scratch, "truncated.mp4");
      writeFileSync(truncated, (await readFile(fx.mp4.path)).subarray(0, 600));
      expect(await probeMedia(truncated, { ffprobe: tool })).toEqual({ ok: false, message: expect.stringMatching(/could not be read/) });
    });
  }

  it("reads the duration of a WebM without one in its header from its packets (ffprobe)", async () => {
    const result = await probeMedia(fx.recordedWebm.path, { ffprobe: "ffprobe" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.media).toMatchObject({ container: "webm", width: 320, height: 240, hasVideo: true, hasAudio: true });
    expect(Math.abs((result.media.duration ?? 0) - 2)).toBeLessThan(0.15);
  });

  it("still reads size and tracks of such a WebM from its headers, without a duration", async () => {
    const result = await probeMedia(fx.recordedWebm.path, { ffprobe: false });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.media).toMatchObject({ container: "webm", width: 320, height: 240, hasVideo: true, hasAudio: true });
    expect(result.media.duration).toBeUndefined();
  });

  it("sniffs the container from the first bytes, not the name", async () => {
    expect(sniffContainer(await readFile(fx.mp4.path))).toBe("mp4");
    expect(sniffContainer(await readFile(fx.webm.path))).toBe("webm");
    expect(sniffContainer(await readFile(fx.fakeMp4.path))).toBe("unknown");
    expect(sniffContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80]))).toBe("matroska");
  });
});
