/**
 * Reads duration, picture size and track kinds from a Matroska/WebM file's `Info` and `Tracks` elements, for
 * machines without ffprobe. Both sit before the first `Cluster` in files muxers write, so the first
 * few MiB are enough.
 */
import type { FileHandle } from "node:fs/promises";
import type { ContainerHeaderInfo } from "./mp4-header.js";

const HEAD_BYTES = 4 * 1024 * 1024;

const ID = {
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  audio: 0xe1,
  channels: 0x9f,
  cluster: 0x1f43b675,
  docType: 0x4282,
  ebml: 0x1a45dfa3,
} as const;

interface Element {
  id: number;
  start: number;
  end: number;
}

/** Variable-length integer; for ids the marker bit is kept, for sizes it is removed. */
function readVint(buf: Buffer, offset: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | undefined {
  const first = buf[offset];
  if (first === undefined || first === 0) return undefined;
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
  if (length > 8 || offset + length > buf.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buf[offset + i] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function* elementsIn(buf: Buffer, from: number, to: number): Generator<Element, void> {
  let offset = from;
  while (offset < to) {
    const id = readVint(buf, offset, true);
    if (!id) return;
    const size = readVint(buf, offset + id.length, false);
    if (!size) return;
    const start = offset + id.length + size.length;
    const end = size.unknown ? to : Math.min(start + size.value, to);
    yield { id: id.value, start, end };
    if (id.value === ID.cluster) return;
    offset = end;
  }
}

function readUint(buf: Buffer, el: Element): number {
  let value = 0;
  for (let i = el.start; i < el.end; i++) value = value * 256 + (buf[i] ?? 0);
  return value;
}

function readFloat(buf: Buffer, el: Element): number | undefined {
  const size = el.end - el.start;
  if (size === 4) return buf.readFloatBE(el.start);
  if (size === 8) return buf.readDoubleBE(el.start);
  return undefined;
}

/** DocType of the EBML header ("webm" or "matroska"), if the buffer starts with one. */
export function readEbmlDocType(buf: Buffer): string | undefined {
  const header = elementsIn(buf, 0, buf.length).next().value;
  if (!header || header.id !== ID.ebml) return undefined;
  for (const el of elementsIn(buf, header.start, header.end)) {
    if (el.id === ID.docType) return buf.toString("latin1", el.start, el.end).replace(/\0+$/, "");
  }
  return undefined;
}

export async function readWebmHeader(file: FileHandle, fileSize: number): Promise<ContainerHeaderInfo | undefined> {
  const head = Buffer.alloc(Math.min(fileSize, HEAD_BYTES));
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  const buf = head.subarray(0, bytesRead);
  const segment = [...elementsIn(buf, 0, buf.length)].find((el) => el.id === ID.segment);
  if (!segment) return undefined;

  const info: ContainerHeaderInfo = { hasVideo: false, hasAudio: false };
  let timecodeScale = 1_000_000;
  let rawDuration: number | undefined;
  for (const el of elementsIn(buf, segment.start, segment.end)) {
    if (el.id === ID.info) {
      for (const field of elementsIn(buf, el.start, el.end)) {
        if (field.id === ID.timecodeScale) timecodeScale = readUint(buf, field);
        if (field.id === ID.duration) rawDuration = readFloat(buf, field);
      }
    } else if (el.id === ID.tracks) {
      for (const entry of elementsIn(buf, el.start, el.end)) {
        if (entry.id === ID.trackEntry) readTrackEntry(buf, entry, info);
      }
    }
  }
  if (rawDuration !== undefined && rawDuration > 0) info.duration = (rawDuration * timecodeScale) / 1e9;
  return info;
}

function readTrackEntry(buf: Buffer, entry: Element, info: ContainerHeaderInfo): void {
  let type = 0;
  let width: number | undefined;
  let height: number | undefined;
  let channels: number | undefined;
  for (const field of elementsIn(buf, entry.start, entry.end)) {
    if (field.id === ID.trackType) type = readUint(buf, field);
    if (field.id === ID.video) {
      for (const v of elementsIn(buf, field.start, field.end)) {
        if (v.id === ID.pixelWidth) width = readUint(buf, v);
        if (v.id === ID.pixelHeight) height = readUint(buf, v);
      }
    }
    if (field.id === ID.audio) {
      for (const a of elementsIn(buf, field.start, field.end)) if (a.id === ID.channels) channels = readUint(buf, a);
    }
  }
  if (type === 1) {
    info.hasVideo = true;
    if (info.width === undefined && width && height) {
      info.width = width;
      info.height = height;
    }
  } else if (type === 2) {
    info.hasAudio = true;
    if (channels) info.audioChannels = channels;
  }
}
