import { isVideoSignature, sniffVideoContainer, validateVideoFile } from "../../../src/core/validation.js";

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/** An ISO-BMFF `ftyp` box followed by an empty `mdat`, as ffmpeg writes the head of an MP4/MOV. */
function ftyp(major: string, compatible: string[]): Uint8Array<ArrayBuffer> {
  const box = [...ascii("ftyp"), ...ascii(major), 0, 0, 2, 0, ...compatible.flatMap(ascii)];
  return new Uint8Array([...u32(box.length + 4), ...box, ...u32(8), ...ascii("mdat")]);
}

/** An EBML header with the given DocType, as the first bytes of a WebM/Matroska file. */
function ebml(docType: string): Uint8Array<ArrayBuffer> {
  const doc = [0x42, 0x82, 0x80 | docType.length, ...ascii(docType)];
  return new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80 | (doc.length + 4), 0x42, 0x86, 0x81, 0x01, ...doc]);
}

function riff(form: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array([...ascii("RIFF"), 0x24, 0x10, 0, 0, ...ascii(form), ...ascii("LIST")]);
}

/** Three 188-byte transport-stream packets (PAT on PID 0), optionally with M2TS 4-byte timecodes. */
function transportStream(timecodes = false): Uint8Array<ArrayBuffer> {
  const packet = new Uint8Array(188).fill(0xff);
  packet.set([0x47, 0x40, 0x00, 0x10, 0x00]);
  const parts: number[] = [];
  for (let i = 0; i < 3; i++) parts.push(...(timecodes ? [0, 0, 0, i] : []), ...packet);
  return new Uint8Array(parts);
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...ascii("IHDR")]);
const html = new TextEncoder().encode("<!doctype html><html><head><title>Not a video</title></head><body></body></html>");
const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, ...ascii("video.mp4")]);
const text = new TextEncoder().encode("Good morning, this is a lesson transcript. ".repeat(20));

describe("sniffVideoContainer", () => {
  it.each([
    ["an MP4 ftyp box", ftyp("isom", ["isom", "iso2", "avc1", "mp41"]), "mp4"],
    ["a QuickTime ftyp box", ftyp("qt  ", ["qt  "]), "quicktime"],
    ["a QuickTime file that opens with moov", new Uint8Array([...u32(108), ...ascii("moov"), ...u32(100), ...ascii("mvhd")]), "quicktime"],
    ["a WebM EBML header", ebml("webm"), "matroska"],
    ["a Matroska EBML header", ebml("matroska"), "matroska"],
    ["an AVI RIFF header", riff("AVI "), "avi"],
    ["an MPEG transport stream", transportStream(), "mpeg-ts"],
    ["an M2TS stream with timecodes", transportStream(true), "mpeg-ts"],
    ["an MPEG program stream pack header", new Uint8Array([0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1]), "mpeg-ps"],
    ["an FLV header", new Uint8Array([...ascii("FLV"), 1, 5, 0, 0, 0, 9]), "flv"],
    ["an Ogg page", new Uint8Array([...ascii("OggS"), 0, 2, 0, 0]), "ogg"],
  ])("recognises %s", (_, bytes, container) => {
    expect(sniffVideoContainer(bytes)).toBe(container);
    expect(isVideoSignature(bytes)).toBe(true);
  });

  it.each([
    ["a PNG image", png],
    ["an HTML page", html],
    ["a ZIP archive", zip],
    ["plain text that starts with G (the TS sync byte)", text],
    ["a WAV file (RIFF but not AVI)", riff("WAVE")],
    ["a HEIC still image (ftyp with an image brand)", ftyp("heic", ["mif1", "heic"])],
    ["an AVIF still image", ftyp("avif", ["avif", "mif1"])],
    ["nothing at all", new Uint8Array()],
  ])("refuses %s", (_, bytes) => {
    expect(sniffVideoContainer(bytes)).toBeNull();
  });
});

describe("validateVideoFile", () => {
  const file = (bytes: Uint8Array<ArrayBuffer>, name: string, type: string) => new File([bytes], name, { type });

  it("accepts a real MP4 head named and typed as a video", async () => {
    expect(await validateVideoFile(file(ftyp("isom", ["isom"]), "lesson.mp4", "video/mp4"))).toBeNull();
  });

  it("accepts a .mkv the browser gave no type, on its bytes", async () => {
    expect(await validateVideoFile(file(ebml("matroska"), "lesson.mkv", ""))).toBeNull();
  });

  it.each([
    ["HTML", html],
    ["PNG", png],
    ["ZIP", zip],
    ["text", text],
  ])("refuses %s renamed lesson.mp4 with type video/mp4 as file_not_video", async (_, bytes) => {
    const error = await validateVideoFile(file(bytes, "lesson.mp4", "video/mp4"));
    expect(error?.code).toBe("file_not_video");
    expect(error?.retryable).toBe(false);
  });

  it("refuses an empty file as file_empty", async () => {
    expect((await validateVideoFile(file(new Uint8Array(), "lesson.mp4", "video/mp4")))?.code).toBe("file_empty");
  });

  it("refuses a file over the size limit as file_too_large, with the limit in its details", async () => {
    const error = await validateVideoFile(file(ftyp("isom", []), "lesson.mp4", "video/mp4"), { maxFileSize: 10 });
    expect(error?.code).toBe("file_too_large");
    expect(error?.details).toMatchObject({ maxFileSize: 10 });
  });

  it("refuses a declared type that is not allowed as file_type_not_allowed", async () => {
    expect((await validateVideoFile(file(ftyp("isom", []), "lesson.mp4", "image/png")))?.code).toBe("file_type_not_allowed");
    expect((await validateVideoFile(file(ftyp("isom", []), "lesson.mp4", "video/mp4"), { allowedTypes: ["video/webm"] }))?.code).toBe(
      "file_type_not_allowed",
    );
  });

  it("refuses an extension that is not allowed as file_type_not_allowed", async () => {
    expect((await validateVideoFile(file(ftyp("isom", []), "lesson.exe", "")))?.code).toBe("file_type_not_allowed");
  });

  it("accepts wildcard types such as video/*", async () => {
    expect(await validateVideoFile(file(ftyp("isom", []), "clip.mp4", "video/x-custom"), { allowedTypes: ["video/*"] })).toBeNull();
  });

  it("keeps the default of a limit given as undefined: a 6 GB file and an .exe are still refused", async () => {
    const huge = file(ftyp("isom", []), "lesson.mp4", "video/mp4");
    Object.defineProperty(huge, "size", { value: 6_000_000_000 });
    const unset = { maxFileSize: undefined, allowedTypes: undefined, allowedExtensions: undefined };
    expect((await validateVideoFile(huge, unset))?.code).toBe("file_too_large");
    expect((await validateVideoFile(file(ftyp("isom", []), "lesson.exe", ""), unset))?.code).toBe("file_type_not_allowed");
  });

  it("reads only the head of the file, never the whole file", async () => {
    const big = new File([ftyp("isom", []), new Uint8Array(4 * 1024 * 1024)], "big.mp4", { type: "video/mp4" });
    const slice = vi.spyOn(big, "slice");
    expect(await validateVideoFile(big)).toBeNull();
    expect(slice).toHaveBeenCalledTimes(1);
    expect(slice.mock.calls[0]).toEqual([0, 1024]);
  });
});
