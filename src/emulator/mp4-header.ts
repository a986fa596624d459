/**
 * Reads duration, picture size and track kinds from an ISO-BMFF (MP4/MOV) file's `moov` box, for machines
 * without ffprobe. Only the boxes needed are read: top-level box headers, then the `moov` box itself, and in a
 * fragmented file (what MediaRecorder writes: a `moov` without duration, then `moof`/`mdat` pairs) each `moof`.
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
/** A `moof` holds a few bytes per sample; one larger than this is skipped (its time counts only through a later `tfdt`). */
const MAX_MOOF_BYTES = 16 * 1024 * 1024;

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

interface TopLevelBox {
  type: string;
  /** Offset of the box in the file. */
  offset: number;
  size: number;
}

/** The file's top-level boxes in order, from their headers only; stops at one that is damaged or runs past the end. */
async function* topLevelBoxes(file: FileHandle, fileSize: number): AsyncGenerator<TopLevelBox> {
  const header = Buffer.alloc(16);
  let offset = 0;
  while (offset + 8 <= fileSize) {
    const { bytesRead } = await file.read(header, 0, 16, offset);
    if (bytesRead < 8) return;
    let size = header.readUInt32BE(0);
    const type = header.toString("latin1", 4, 8);
    if (size === 1) {
      if (bytesRead < 16) return;
      size = Number(header.readBigUInt64BE(8));
    } else if (size === 0) {
      size = fileSize - offset;
    }
    if (size < 8) return;
    yield { type, offset, size };
    offset += size;
  }
}

async function readBox(file: FileHandle, box: TopLevelBox): Promise<Buffer> {
  const buf = Buffer.alloc(box.size);
  await file.read(buf, 0, box.size, box.offset);
  return buf;
}

/** What a fragmented file's duration is counted in, per track of the `moov`. */
interface TrackTiming {
  /** `mdhd` timescale: ticks per second. */
  timescale: number;
  /** Sample duration when neither `trun` nor `tfhd` gives one (`trex` in `mvex`). */
  defaultSampleDuration: number;
  /** Where the samples seen so far end, in ticks: the `moov`'s own samples, then each fragment's. */
  end: number;
}

export async function readMp4Header(file: FileHandle, fileSize: number): Promise<ContainerHeaderInfo | undefined> {
  let moovBox: TopLevelBox | undefined;
  for await (const box of topLevelBoxes(file, fileSize)) {
    if (box.type !== "moov") continue;
    if (box.size <= MAX_MOOV_BYTES && box.offset + box.size <= fileSize) moovBox = box;
    break;
  }
  if (!moovBox) return undefined;
  const moov = await readBox(file, moovBox);
  const root = [...boxesIn(moov, 0, moov.length)][0];
  if (!root) return undefined;
  const info: ContainerHeaderInfo = { hasVideo: false, hasAudio: false };

  let movieTimescale = 0;
  const mvhd = child(moov, root, "mvhd");
  if (mvhd && mvhd.end - mvhd.start >= 32) {
    const version = moov.readUInt8(mvhd.start);
    movieTimescale = version === 1 ? moov.readUInt32BE(mvhd.start + 20) : moov.readUInt32BE(mvhd.start + 12);
    const duration = version === 1 ? Number(moov.readBigUInt64BE(mvhd.start + 24)) : moov.readUInt32BE(mvhd.start + 16);
    if (movieTimescale > 0 && duration > 0 && duration !== 0xffffffff) info.duration = duration / movieTimescale;
  }

  const tracks = new Map<number, TrackTiming>();
  for (const trak of boxesIn(moov, root.start, root.end)) {
    if (trak.type !== "trak") continue;
    const mdia = child(moov, trak, "mdia");
    const hdlr = mdia && child(moov, mdia, "hdlr");
    const handler = hdlr && hdlr.end - hdlr.start >= 12 ? moov.toString("latin1", hdlr.start + 8, hdlr.start + 12) : "";
    const tkhd = child(moov, trak, "tkhd");
    if (handler === "vide") {
      info.hasVideo = true;
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
    // Only picture and sound count towards a fragmented file's duration: a timed-metadata track may run past them.
    const trackId = tkhd && readTrackId(moov, tkhd);
    const timescale = mdia && readMediaTimescale(moov, mdia);
    if ((handler === "vide" || handler === "soun") && mdia && trackId !== undefined && timescale) {
      tracks.set(trackId, { timescale, defaultSampleDuration: 0, end: sampleTableDuration(moov, mdia) });
    }
  }

  const mvex = child(moov, root, "mvex");
  if (mvex) {
    // A fragmented file: the moov's durations cover at most its own samples (MediaRecorder writes 0, or a guess),
    // so the duration is where the last fragment ends, else mehd's, else mvhd's.
    readTrackDefaults(moov, mvex, tracks);
    for await (const box of topLevelBoxes(file, fileSize)) {
      if (box.offset <= moovBox.offset || box.type !== "moof") continue;
      // A recording cut off in its last moof counts up to the fragment before.
      if (box.offset + box.size > fileSize) break;
      if (box.size > MAX_MOOF_BYTES) continue;
      const moof = await readBox(file, box);
      for (const traf of boxesIn(moof, 8, moof.length)) if (traf.type === "traf") readTrackFragment(moof, traf, tracks);
    }
    const fragmentsEnd = Math.max(0, ...[...tracks.values()].map((track) => track.end / track.timescale));
    const declared = movieTimescale > 0 ? readMovieExtendsDuration(moov, mvex) / movieTimescale : 0;
    if (fragmentsEnd > 0) info.duration = fragmentsEnd;
    else if (declared > 0) info.duration = declared;
  }
  return info;
}

/** `track_ID` of a `tkhd` (after version, flags and the creation and modification times). */
function readTrackId(buf: Buffer, tkhd: Box): number | undefined {
  const offset = tkhd.start + (buf.readUInt8(tkhd.start) === 1 ? 20 : 12);
  return offset + 4 <= tkhd.end ? buf.readUInt32BE(offset) : undefined;
}

function readMediaTimescale(buf: Buffer, mdia: Box): number | undefined {
  const mdhd = child(buf, mdia, "mdhd");
  if (!mdhd) return undefined;
  const offset = mdhd.start + (buf.readUInt8(mdhd.start) === 1 ? 20 : 12);
  return offset + 4 <= mdhd.end ? buf.readUInt32BE(offset) : undefined;
}

/** Ticks covered by the samples in the `moov` itself (`stts`); none in what MediaRecorder writes. */
function sampleTableDuration(buf: Buffer, mdia: Box): number {
  const minf = child(buf, mdia, "minf");
  const stbl = minf && child(buf, minf, "stbl");
  const stts = stbl && child(buf, stbl, "stts");
  if (!stts || stts.end - stts.start < 8) return 0;
  const count = buf.readUInt32BE(stts.start + 4);
  let total = 0;
  for (let i = 0, offset = stts.start + 8; i < count && offset + 8 <= stts.end; i++, offset += 8) {
    total += buf.readUInt32BE(offset) * buf.readUInt32BE(offset + 4);
  }
  return total;
}

/** Each track's `default_sample_duration` from its `trex`. */
function readTrackDefaults(buf: Buffer, mvex: Box, tracks: Map<number, TrackTiming>): void {
  for (const trex of boxesIn(buf, mvex.start, mvex.end)) {
    if (trex.type !== "trex" || trex.end - trex.start < 24) continue;
    const track = tracks.get(buf.readUInt32BE(trex.start + 4));
    if (track) track.defaultSampleDuration = buf.readUInt32BE(trex.start + 12);
  }
}

/** `fragment_duration` of `mehd` (the whole movie's, in the movie timescale), or 0. */
function readMovieExtendsDuration(buf: Buffer, mvex: Box): number {
  const mehd = child(buf, mvex, "mehd");
  if (!mehd || mehd.end - mehd.start < 8) return 0;
  if (buf.readUInt8(mehd.start) === 1) return mehd.end - mehd.start >= 12 ? Number(buf.readBigUInt64BE(mehd.start + 4)) : 0;
  return buf.readUInt32BE(mehd.start + 4);
}

const TFHD = { baseDataOffset: 0x1, sampleDescriptionIndex: 0x2, defaultSampleDuration: 0x8, durationIsEmpty: 0x10000 } as const;
const TRUN = { dataOffset: 0x1, firstSampleFlags: 0x4, sampleDuration: 0x100 } as const;

/**
 * Moves its track's end to where this `traf` ends: from its `tfdt` (the decode time of its first sample) or, without
 * one, from where the track's previous fragment ended, plus the durations of its samples. The last sample of a
 * MediaRecorder fragment often has a short guessed duration that the next `tfdt` corrects, which is why the start
 * comes from `tfdt` rather than from adding up every sample.
 */
function readTrackFragment(buf: Buffer, traf: Box, tracks: Map<number, TrackTiming>): void {
  const tfhd = child(buf, traf, "tfhd");
  if (!tfhd || tfhd.end - tfhd.start < 8) return;
  const flags = buf.readUIntBE(tfhd.start + 1, 3);
  const track = tracks.get(buf.readUInt32BE(tfhd.start + 4));
  if (!track) return;
  let defaultDuration = track.defaultSampleDuration;
  if (flags & TFHD.defaultSampleDuration) {
    const offset = tfhd.start + 8 + (flags & TFHD.baseDataOffset ? 8 : 0) + (flags & TFHD.sampleDescriptionIndex ? 4 : 0);
    if (offset + 4 > tfhd.end) return;
    defaultDuration = buf.readUInt32BE(offset);
  }
  const tfdt = child(buf, traf, "tfdt");
  let time = track.end;
  if (tfdt && tfdt.end - tfdt.start >= 8) {
    const version = buf.readUInt8(tfdt.start);
    if (version === 1 && tfdt.end - tfdt.start >= 12) time = Number(buf.readBigUInt64BE(tfdt.start + 4));
    else if (version === 0) time = buf.readUInt32BE(tfdt.start + 4);
  }
  // An empty fragment: no samples, only time passing.
  if (flags & TFHD.durationIsEmpty) time += defaultDuration;
  for (const trun of boxesIn(buf, traf.start, traf.end)) if (trun.type === "trun") time += trackRunDuration(buf, trun, defaultDuration);
  track.end = Math.max(track.end, time);
}

/** Sum of a `trun`'s sample durations: each sample's own when present, else the fragment's default. */
function trackRunDuration(buf: Buffer, trun: Box, defaultDuration: number): number {
  if (trun.end - trun.start < 8) return 0;
  const flags = buf.readUIntBE(trun.start + 1, 3);
  const count = buf.readUInt32BE(trun.start + 4);
  if (!(flags & TRUN.sampleDuration)) return count * defaultDuration;
  // Each sample's record holds duration, size, flags and composition offset, each 4 bytes when its flag is set.
  const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length;
  let offset = trun.start + 8 + (flags & TRUN.dataOffset ? 4 : 0) + (flags & TRUN.firstSampleFlags ? 4 : 0);
  let total = 0;
  for (let i = 0; i < count && offset + 4 <= trun.end; i++, offset += stride) total += buf.readUInt32BE(offset);
  return total;
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
