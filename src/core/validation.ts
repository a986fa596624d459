import { createVideoError, type VideoError } from "./errors.js";
import type { GrowingSourceReader } from "./growing-source.js";
import type { UploadLimits } from "./types.js";
import { acceptedFileKinds } from "./audio-kinds.js";
import { resolveUploadLimits } from "./upload-limits.js";

/** Containers recognised by their first bytes. */
export type VideoContainer = "mp4" | "quicktime" | "matroska" | "avi" | "mpeg-ts" | "mpeg-ps" | "flv" | "ogg" | "asf";

/** Audio containers recognised by their first bytes (accepted when `limits.audio` is on). */
export type AudioContainer = "m4a" | "mp3" | "aac" | "wav" | "flac" | "aiff" | "ogg";

export { acceptAttribute, defaultUploadLimits, resolveUploadLimits } from "./upload-limits.js";
export { defaultAudioExtensions, defaultAudioTypes } from "./audio-kinds.js";

/** How many leading bytes `sniffVideoContainer` needs to decide. */
export const SNIFF_BYTES = 1024;

const ascii = (bytes: Uint8Array, offset: number, text: string): boolean => {
  if (bytes.length < offset + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

/** ISO-BMFF brands that are still images (HEIF/AVIF), not video. */
const imageBrands = new Set(["avif", "heic", "heix", "heim", "heis", "mif1", "msf1"]);
/** ISO-BMFF brands of audio files (iTunes audio, audiobooks, protected audio, Flash audio). */
const audioBrands = new Set(["M4A ", "M4B ", "M4P ", "F4A ", "F4B "]);
/** Top-level QuickTime atoms that may open a .mov without `ftyp`. */
const quickTimeAtoms = ["moov", "mdat", "wide", "free", "skip", "pnot"];

/**
 * MPEG transport streams repeat the 0x47 sync byte every 188 bytes (192 with an M2TS timecode). Two sync
 * bytes at least are required: one alone is just a "G" at the start of a text file.
 */
function isTransportStream(bytes: Uint8Array): boolean {
  return ([[0, 188], [4, 192]] as const).some(([start, stride]) => {
    const positions = [start, start + stride, start + 2 * stride].filter((p) => p < bytes.length);
    return positions.length >= 2 && positions.every((p) => bytes[p] === 0x47);
  });
}

/**
 * Names the video container the first bytes belong to, or `null` when they are not a known video
 * container. Reads at most `SNIFF_BYTES`.
 */
export function sniffVideoContainer(bytes: Uint8Array): VideoContainer | null {
  if (ascii(bytes, 4, "ftyp")) {
    const brand = String.fromCharCode(...bytes.slice(8, 12));
    if (imageBrands.has(brand) || audioBrands.has(brand)) return null;
    return brand === "qt  " ? "quicktime" : "mp4";
  }
  if (quickTimeAtoms.some((atom) => ascii(bytes, 4, atom))) return "quicktime";
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return "matroska";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "AVI ")) return "avi";
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0xba]) || startsWith(bytes, [0x00, 0x00, 0x01, 0xb3])) return "mpeg-ps";
  if (ascii(bytes, 0, "FLV") && bytes[3] === 0x01) return "flv";
  if (ascii(bytes, 0, "OggS")) return "ogg";
  if (startsWith(bytes, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return "asf";
  if (isTransportStream(bytes)) return "mpeg-ts";
  return null;
}

/**
 * An MPEG audio frame header: the 11-bit sync, a version and layer that exist (layer 00 is ADTS AAC's), and a
 * bitrate and sample rate index that are not the reserved ones.
 */
function isMpegAudioFrame(bytes: Uint8Array): boolean {
  const [b0, b1 = 0, b2 = 0] = bytes;
  return b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0 && b2 >> 4 !== 0x0f && ((b2 >> 2) & 0x03) !== 0x03;
}

/** ADTS (raw AAC): a 12-bit sync, layer 00, and a sampling frequency index that exists. */
function isAdtsFrame(bytes: Uint8Array): boolean {
  const [b0, b1 = 0, b2 = 0] = bytes;
  return b0 === 0xff && (b1 & 0xf6) === 0xf0 && ((b2 >> 2) & 0x0f) < 13;
}

/**
 * Names the audio container the first bytes belong to, or `null`. MP3 with or without an ID3 tag, raw AAC (ADTS),
 * M4A/M4B (ISO-BMFF audio brands), WAV, FLAC, AIFF and Ogg. Reads at most `SNIFF_BYTES`.
 */
export function sniffAudioContainer(bytes: Uint8Array): AudioContainer | null {
  if (ascii(bytes, 4, "ftyp")) return audioBrands.has(String.fromCharCode(...bytes.slice(8, 12))) ? "m4a" : null;
  if (ascii(bytes, 0, "ID3") && bytes[3] !== undefined && bytes[3] < 0xff) return "mp3";
  if (isAdtsFrame(bytes)) return "aac";
  if (isMpegAudioFrame(bytes)) return "mp3";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return "wav";
  if (ascii(bytes, 0, "fLaC")) return "flac";
  if (ascii(bytes, 0, "FORM") && (ascii(bytes, 8, "AIFF") || ascii(bytes, 8, "AIFC"))) return "aiff";
  if (ascii(bytes, 0, "OggS")) return "ogg";
  return null;
}

/** Whether `head` may be uploaded: a video container, or an audio one when `audio` is on. */
function mediaAccepted(head: Uint8Array, audio: boolean | undefined): boolean {
  return sniffVideoContainer(head) !== null || (audio === true && sniffAudioContainer(head) !== null);
}

/** True when the first bytes are a video container, whatever the file's name or declared type says. */
export function isVideoSignature(bytes: Uint8Array): boolean {
  return sniffVideoContainer(bytes) !== null;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

function typeAllowed(type: string, allowed: readonly string[]): boolean {
  const [essence = ""] = type.toLowerCase().split(";");
  const normalised = essence.trim();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith("/*") ? normalised.startsWith(p.slice(0, -1)) : p === normalised;
  });
}

async function readHead(file: Blob): Promise<Uint8Array> {
  // Only the head is read: never the whole file.
  const head = file.slice(0, SNIFF_BYTES);
  if (typeof head.arrayBuffer === "function") return new Uint8Array(await head.arrayBuffer());
  return new Uint8Array(await new Response(head).arrayBuffer());
}

/** A file to validate: a `File`, or a `Blob` with a name. */
export type ValidatableFile = Blob & {
  /** The file name; its extension is checked against `allowedExtensions` when present. */
  name?: string | undefined;
};

/**
 * Checks a file before any request: empty, too large, declared type or extension not allowed, and the
 * first bytes not a video container (nor an audio one, when `limits.audio` is on). Resolves to the first problem found, or `null` when the file may go.
 * An empty declared type is allowed (browsers leave it empty for .mkv and others); the bytes decide.
 */
export async function validateVideoFile(
  file: ValidatableFile,
  limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined },
): Promise<VideoError | null> {
  const resolved = resolveUploadLimits(limits);
  const { maxFileSize } = resolved;
  if (file.size === 0) return createVideoError("file_empty");
  if (file.size > maxFileSize) return createVideoError("file_too_large", { details: { maxFileSize, size: file.size } });
  return declaredProblem(file.type, file.name ?? "", resolved) ?? (mediaAccepted(await readHead(file), resolved.audio) ? null : createVideoError("file_not_video"));
}

/** The declared type and the name's extension against the allowed ones. */
function declaredProblem(type: string, name: string, limits: UploadLimits): VideoError | null {
  const { types: allowedTypes, extensions: allowedExtensions } = acceptedFileKinds(limits);
  if (type !== "" && !typeAllowed(type, allowedTypes)) {
    return createVideoError("file_type_not_allowed", { details: { type, allowedTypes } });
  }
  const extension = extensionOf(name);
  if (extension !== "" && !allowedExtensions.map((e) => e.toLowerCase()).includes(extension)) {
    return createVideoError("file_type_not_allowed", { details: { extension, allowedExtensions } });
  }
  return null;
}

/**
 * `validateVideoFile` for a source of unknown length: its `maxSize` against `maxFileSize`, the declared type and
 * extension, then its first bytes (read and kept for the send, not consumed): none at all is `file_empty`.
 */
export async function validateGrowingSource(
  reader: GrowingSourceReader,
  limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined },
): Promise<VideoError | null> {
  const resolved = resolveUploadLimits(limits);
  const { maxFileSize } = resolved;
  if (reader.maxSize > maxFileSize) return createVideoError("file_too_large", { details: { maxFileSize, size: reader.maxSize } });
  const declared = declaredProblem(reader.source.type, reader.source.name, resolved);
  if (declared) return declared;
  const head = await reader.head(SNIFF_BYTES);
  if (head.length === 0) return createVideoError("file_empty");
  return mediaAccepted(head, resolved.audio) ? null : createVideoError("file_not_video");
}
