// Real audio files, made with ffmpeg, through the browser-side checks: with `limits.audio` each container the kit
// names is accepted on its first bytes; without it (the default) none is, and an M4A is no longer taken for a video.
// Spoofed files (text or an image named and typed as audio) are refused either way.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sniffAudioContainer, sniffVideoContainer, validateVideoFile, type AudioContainer } from "../../src/core/validation.js";

const run = promisify(execFile);

/** How ffmpeg writes each container, the name and type a browser would give it, and what the sniffer should say. */
const formats: { name: string; type: string; args: string[]; container: AudioContainer; videoSniff: string | null }[] = [
  { name: "lecture.mp3", type: "audio/mpeg", args: ["-c:a", "libmp3lame", "-f", "mp3"], container: "mp3", videoSniff: null },
  { name: "bare.mp3", type: "audio/mpeg", args: ["-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0", "-f", "mp3"], container: "mp3", videoSniff: null },
  { name: "lecture.m4a", type: "audio/x-m4a", args: ["-c:a", "aac", "-f", "ipod"], container: "m4a", videoSniff: null },
  { name: "lecture.aac", type: "audio/aac", args: ["-c:a", "aac", "-f", "adts"], container: "aac", videoSniff: null },
  { name: "lecture.wav", type: "audio/wav", args: ["-f", "wav"], container: "wav", videoSniff: null },
  { name: "lecture.flac", type: "audio/flac", args: ["-f", "flac"], container: "flac", videoSniff: null },
  { name: "lecture.ogg", type: "audio/ogg", args: ["-c:a", "libvorbis", "-f", "ogg"], container: "ogg", videoSniff: "ogg" },
  { name: "lecture.opus", type: "audio/opus", args: ["-c:a", "libopus", "-f", "ogg"], container: "ogg", videoSniff: "ogg" },
  { name: "lecture.aiff", type: "audio/aiff", args: ["-f", "aiff"], container: "aiff", videoSniff: null },
];

let dir: string;
const files = new Map<string, File>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvk-audio-"));
  for (const format of formats) {
    const path = join(dir, format.name);
    await run("ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", ...format.args, path]);
    files.set(format.name, new File([readFileSync(path)], format.name, { type: format.type }));
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("audio files", () => {
  it.each(formats)("$name is sniffed as $container, and passes only when audio is allowed", async ({ name, container, videoSniff }) => {
    const file = files.get(name)!;
    const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
    expect(sniffAudioContainer(head)).toBe(container);
    expect(sniffVideoContainer(head)).toBe(videoSniff);
    expect(await validateVideoFile(file, { audio: true })).toBeNull();
    // Without `audio` the declared type and extension are already refused.
    expect((await validateVideoFile(file))?.code).toBe("file_type_not_allowed");
    // And with no type or extension to go by, the bytes decide: an audio container is not a video (Ogg may be either).
    const anonymous = new File([file], "recording", { type: "" });
    expect((await validateVideoFile(anonymous))?.code ?? null).toBe(videoSniff === null ? "file_not_video" : null);
  });

  it("refuses text and an image named and typed as audio, with audio allowed", async () => {
    const text = new File(["These are notes, not a lecture.\n".repeat(50)], "lecture.mp3", { type: "audio/mpeg" });
    expect((await validateVideoFile(text, { audio: true }))?.code).toBe("file_not_video");
    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])], "lecture.m4a", { type: "audio/x-m4a" });
    expect((await validateVideoFile(jpeg, { audio: true }))?.code).toBe("file_not_video");
    const pdf = new File(["%PDF-1.7\n" + "x".repeat(500)], "lecture.wav", { type: "audio/wav" });
    expect((await validateVideoFile(pdf, { audio: true }))?.code).toBe("file_not_video");
  });

  it("keeps videos passing with audio allowed", async () => {
    const mp4 = new File([new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0, ...new TextEncoder().encode("isomiso2")])], "lesson.mp4", { type: "video/mp4" });
    expect(await validateVideoFile(mp4, { audio: true })).toBeNull();
  });
});
