/**
 * "Processing" input check: what container the bytes are (read from the bytes, never from a name or a
 * Content-Type), and its duration and picture size — from ffprobe when it runs, from the MP4/WebM
 * headers otherwise (a fragmented MP4's duration, as MediaRecorder writes them, from where its last fragment
 * ends). Anything that is not audio or video is refused with a message a person can read.
 */
import { execFile } from "node:child_process";
import { open } from "node:fs/promises";
import { readMp4Header, type ContainerHeaderInfo } from "./mp4-header.js";
import type { MediaInfo } from "./types.js";
import { readEbmlDocType, readWebmHeader } from "./webm-header.js";

export type ProbeResult = { ok: true; media: MediaInfo } | { ok: false; message: string };

type Container = MediaInfo["container"];

const MIME: Record<Container, string> = {
  mp4: "video/mp4",
  quicktime: "video/quicktime",
  webm: "video/webm",
  matroska: "video/x-matroska",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  flac: "audio/flac",
  unknown: "application/octet-stream",
};

/** Containers that hold audio only, which only ffprobe reads here. */
const audioContainers: ReadonlySet<Container> = new Set(["mp3", "wav", "ogg", "flac"]);

/** Container from the first bytes of a file. */
export function sniffContainer(head: Buffer): Container {
  if (head.length >= 12 && head.toString("latin1", 4, 8) === "ftyp") {
    const brand = head.toString("latin1", 8, 12);
    return brand === "qt  " ? "quicktime" : "mp4";
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    return readEbmlDocType(head) === "webm" ? "webm" : "matroska";
  }
  if (head.length >= 12 && head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WAVE") return "wav";
  if (head.length >= 4 && head.toString("latin1", 0, 4) === "OggS") return "ogg";
  if (head.length >= 4 && head.toString("latin1", 0, 4) === "fLaC") return "flac";
  // An ID3 tag, or an MPEG audio frame sync (11 set bits, layer III).
  if (head.length >= 3 && head.toString("latin1", 0, 3) === "ID3") return "mp3";
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe6) === 0xe2) return "mp3";
  return "unknown";
}

/** MIME type to serve a stored file with, audio-only files included. */
export function mimeTypeFor(media: Pick<MediaInfo, "container" | "hasVideo">): string {
  if (!media.hasVideo) {
    if (media.container === "mp4" || media.container === "quicktime") return "audio/mp4";
    if (media.container === "webm") return "audio/webm";
  }
  return MIME[media.container];
}

export interface ProbeTools {
  /** Path of ffprobe, or false to use header parsing only. */
  ffprobe: string | false;
  /** What the messages call the file. Default "uploaded file"; a link import's is the "input file". */
  subject?: string | undefined;
}

export async function probeMedia(path: string, tools: ProbeTools): Promise<ProbeResult> {
  const subject = tools.subject ?? "uploaded file";
  const file = await open(path, "r");
  let header: ContainerHeaderInfo | undefined;
  let container: Container;
  try {
    const { size } = await file.stat();
    if (size === 0) return { ok: false, message: `The ${subject} is empty.` };
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await file.read(head, 0, head.length, 0);
    container = sniffContainer(head);
    if (container === "unknown") {
      return { ok: false, message: `The ${subject} is not a video: its bytes are not an MP4, MOV, WebM or Matroska container.` };
    }
    if (tools.ffprobe === false && audioContainers.has(container)) {
      return { ok: false, message: `The ${subject} is ${container.toUpperCase()} audio, which the emulator reads with ffprobe only.` };
    }
    if (tools.ffprobe === false) {
      header = container === "mp4" || container === "quicktime" ? await readMp4Header(file, size) : await readWebmHeader(file, size);
    }
  } finally {
    await file.close();
  }

  const info = tools.ffprobe === false ? header : await runFfprobe(tools.ffprobe, path);
  // Recorded or live-muxed WebM (what MediaRecorder writes) has no duration in its header: read it from the packets.
  if (info && info.duration === undefined && tools.ffprobe !== false) {
    const end = await lastPacketEnd(tools.ffprobe, path);
    if (end !== undefined) info.duration = end;
  }
  if (!info) return { ok: false, message: `The ${subject.replace(/ file$/, "")} ${container.toUpperCase()} file could not be read; it may be truncated or damaged.` };
  if (!info.hasVideo && !info.hasAudio) return { ok: false, message: `The ${subject} has no video or audio track.` };
  const media: MediaInfo = {
    container,
    mimeType: mimeTypeFor({ container, hasVideo: info.hasVideo }),
    hasVideo: info.hasVideo,
    hasAudio: info.hasAudio,
    ...(info.duration !== undefined ? { duration: round(info.duration, 6) } : {}),
    ...(info.width !== undefined && info.height !== undefined ? { width: info.width, height: info.height } : {}),
    ...(info.audioChannels !== undefined ? { audioChannels: info.audioChannels } : {}),
    ...(info.frameRate !== undefined ? { frameRate: info.frameRate } : {}),
  };
  return { ok: true, media };
}

interface FfprobeStream {
  codec_type?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  channels?: number | undefined;
  avg_frame_rate?: string | undefined;
  duration?: string | undefined;
  disposition?: { attached_pic?: number } | undefined;
}

interface FfprobeOutput {
  streams?: FfprobeStream[] | undefined;
  format?: { duration?: string } | undefined;
}

type ProbedInfo = ContainerHeaderInfo;

/** ffprobe's view of the file; undefined when ffprobe cannot decode it. */
function runFfprobe(ffprobe: string, path: string): Promise<ProbedInfo | undefined> {
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path];
  return new Promise((resolve) => {
    execFile(ffprobe, args, { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(undefined);
      let output: FfprobeOutput;
      try {
        output = JSON.parse(stdout) as FfprobeOutput;
      } catch {
        return resolve(undefined);
      }
      const streams = output.streams ?? [];
      const video = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
      const audio = streams.find((s) => s.codec_type === "audio");
      const duration = Number(output.format?.duration ?? video?.duration ?? audio?.duration);
      const info: ProbedInfo = { hasVideo: Boolean(video), hasAudio: Boolean(audio) };
      if (Number.isFinite(duration) && duration > 0) info.duration = duration;
      if (video?.width && video.height) {
        info.width = video.width;
        info.height = video.height;
      }
      const fps = parseRate(video?.avg_frame_rate);
      if (fps) info.frameRate = fps;
      if (audio?.channels) info.audioChannels = audio.channels;
      resolve(info);
    });
  });
}

/** End time (pts + duration) of the last packet, in seconds; reads every packet header, so only used as a fallback. */
function lastPacketEnd(ffprobe: string, path: string): Promise<number | undefined> {
  const args = ["-v", "error", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path];
  return new Promise((resolve) => {
    execFile(ffprobe, args, { timeout: 120_000, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(undefined);
      let end = 0;
      for (const line of stdout.split("\n")) {
        const [pts, duration] = line.split(",").map(Number);
        if (pts !== undefined && Number.isFinite(pts)) end = Math.max(end, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
      }
      resolve(end > 0 ? end : undefined);
    });
  });
}

function parseRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [num, den] = rate.split("/").map(Number);
  if (!num || !den) return undefined;
  return round(num / den, 3);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "16:9" from 1920×1080, "4:3" from 320×240 — Mux's `aspect_ratio` format. */
export function aspectRatio(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(width, height);
  return `${width / d}:${height / d}`;
}
