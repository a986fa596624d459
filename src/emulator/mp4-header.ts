/**
 * Reads duration, picture size and track kinds from an ISO-BMFF (MP4/MOV) file's `moov` box, for machines
 * without ffprobe. Only the boxes needed are read: top-level box headers, then the `moov` box itself.
 */
import type { FileHandle } from "node:fs/promises";

export interface ContainerHeaderInfo {
  duration?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  hasVideo: boolean;
  hasAudio: boolean;
  audioChannels?: number | undefined;
  frameRate?: number | undefined;
}

const MAX_MOOV_BYTES = 64 * 1024 * 1024;

interface Box {
  type: string;
  /** Offset of the payload (after the header) within the buffer or file. */
  start: number;
  /** Offset just past the box. */
  end: number;
}

function* boxesIn(buf: Buffer, from: number, to: number): Generator<Box> {
  let offset = from;
  while (offset + 8 <= to) {
    let size = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) return;
      size = Number(buf.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) return;
    yield { type, start: offset + header, end: offset + size };
    offset += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of boxesIn(buf, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

/** Finds the `moov` box among the top-level boxes of the file and reads it. */
async function readMoov(file: FileHandle, fileSize: number): Promise<Buffer | undefined> {
  const header = Buffer.alloc(16);
  let offset = 0;
  while (offset + 8 <= fileSize) {
    const { bytesRead } = await file.read(header, 0, 16, offset);
    if (bytesRead < 8) return undefined;
    let size = header.readUInt32BE(0);
    const type = header.toString("latin1", 4, 8);
    if (size === 1) {
      if (bytesRead < 16) return undefined;
      size = Number(header.readBigUInt64BE(8));
    } else if (size === 0) {
      size = fileSize - offset;
    }
    if (size < 8) return undefined;
    if (type === "moov") {
      if (size > MAX_MOOV_BYTES || offset + size > fileSize) return undefined;
      const moov = Buffer.alloc(size);
      await file.read(moov, 0, size, offset);
      return moov;
    }
    offset += size;
  }
  return undefined;
}

export async function readMp4Header(file: FileHandle, fileSize: number): Promise<ContainerHeaderInfo | undefined> {
  const moov = await readMoov(file, fileSize);
  if (!moov) return undefined;
  const root = [...boxesIn(moov, 0, moov.length)][0];
  if (!root) return undefined;
  const info: ContainerHeaderInfo = { hasVideo: false, hasAudio: false };

  const mvhd = child(moov, root, "mvhd");
  if (mvhd && mvhd.end - mvhd.start >= 32) {
    const version = moov.readUInt8(mvhd.start);
    const timescale = version === 1 ? moov.readUInt32BE(mvhd.start + 20) : moov.readUInt32BE(mvhd.start + 12);
    const duration = version === 1 ? Number(moov.readBigUInt64BE(mvhd.start + 24)) : moov.readUInt32BE(mvhd.start + 16);
    if (timescale > 0 && duration > 0 && duration !== 0xffffffff) info.duration = duration / timescale;
  }

  for (const trak of boxesIn(moov, root.start, root.end)) {
    if (trak.type !== "trak") continue;
    const mdia = child(moov, trak, "mdia");
    const hdlr = mdia && child(moov, mdia, "hdlr");
    const handler = hdlr && hdlr.end - hdlr.start >= 12 ? moov.toString("latin1", hdlr.start + 8, hdlr.start + 12) : "";
    if (handler === "vide") {
      info.hasVideo = true;
      const tkhd = child(moov, trak, "tkhd");
      // Width and height are the last 8 bytes of tkhd, as 16.16 fixed point.
      if (tkhd && tkhd.end - tkhd.start >= 84) {
        const width = moov.readUInt32BE(tkhd.end - 8) / 65536;
        const height = moov.readUInt32BE(tkhd.end - 4) / 65536;
        if (width > 0 && height > 0 && info.width === undefined) {
          info.width = Math.round(width);
          info.height = Math.round(height);
        }
      }
    } else if (handler === "soun") {
      info.hasAudio = true;
      const channels = mdia && readAudioChannels(moov, mdia);
      if (channels) info.audioChannels = channels;
    }
  }
  return info;
}

/** Channel count from the first sample entry of `stsd` (AudioSampleEntry, offset 16 of the entry payload). */
function readAudioChannels(buf: Buffer, mdia: Box): number | undefined {
  const minf = child(buf, mdia, "minf");
  const stbl = minf && child(buf, minf, "stbl");
  const stsd = stbl && child(buf, stbl, "stsd");
  if (!stsd) return undefined;
  // stsd payload: version/flags (4) + entry count (4), then sample entries (boxes).
  const entry = [...boxesIn(buf, stsd.start + 8, stsd.end)][0];
  if (!entry || entry.end - entry.start < 20) return undefined;
  return buf.readUInt16BE(entry.start + 16);
}
