/**
 * Reads a caption file by its content, never by its name: WebVTT (`WEBVTT` signature, cue timings with
 * `.`) or SubRip (numbered cues, timings with `,`), UTF-8 only. SRT is converted to WebVTT so one format
 * is stored and served. Pure (no `node:` imports): the routes run on edge runtimes, and the emulator
 * checks what it downloads with the same rules.
 */

/** Why a caption file was refused; `message` is for people. */
export type CaptionFormatProblem = "empty" | "not_text" | "not_captions" | "bad_timing" | "no_cues" | "too_many_cues";

/**
 * What `parseCaptionText` and `parseCaptionBytes` return: the file as WebVTT with its original format
 * and cue count, or why it was refused.
 */
export type CaptionParseResult =
  | {
      ok: true;
      /** The format the file came in. */
      format: "vtt" | "srt";
      /** The file as WebVTT. */
      vtt: string;
      /** Number of cues in the file. */
      cues: number;
    }
  | {
      ok: false;
      /** Why the file was refused, for code. */
      problem: CaptionFormatProblem;
      /** Why the file was refused, for people. */
      message: string;
    };

/** Most cues a file may hold (a three-hour lesson with a cue a second is ~11 000). */
export const maxCaptionCues = 20_000;

const vttTiming = /^((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})[ \t]+-->[ \t]+((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})(?:[ \t]+.*)?$/;
const srtTiming = /^(\d{1,}:[0-5]\d:[0-5]\d[,.]\d{3})[ \t]*-->[ \t]*(\d{1,}:[0-5]\d:[0-5]\d[,.]\d{3})(?:[ \t]+.*)?$/;

function seconds(stamp: string): number {
  const parts = stamp.replace(",", ".").split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function fail(problem: CaptionFormatProblem, message: string): CaptionParseResult {
  return { ok: false, problem, message };
}

/** Decodes bytes as strict UTF-8; `undefined` for anything that is not text. */
export function decodeCaptionBytes(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // NUL and other C0 controls (tab, CR, LF and form feed aside) mean a binary file; U+FFFD means text that was
  // decoded from another encoding on the way (a Latin-1 file read as UTF-8) and lost its letters.
  return /[\u0000-\u0008\u000B\u000E-\u001F\u007F\uFFFD]/.test(text) ? undefined : text;
}

function blocksOf(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function parseVtt(text: string): CaptionParseResult {
  const blocks = blocksOf(text);
  const [header, ...rest] = blocks;
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header[0] ?? "")) return fail("not_captions", "A WebVTT file starts with the line WEBVTT.");
  let cues = 0;
  for (const block of rest) {
    const first = block[0] ?? "";
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first)) continue;
    const timingIndex = block.findIndex((line) => line.includes("-->"));
    // An optional cue identifier, then the timing line.
    if (timingIndex !== 0 && timingIndex !== 1) return fail("bad_timing", `Cue ${cues + 1} has no timing line ("00:00:01.000 --> 00:00:02.000").`);
    const match = vttTiming.exec(block[timingIndex]!.trim());
    if (!match) return fail("bad_timing", `Cue ${cues + 1} has a malformed timing line: "${block[timingIndex]!.slice(0, 80)}".`);
    if (seconds(match[2]!) < seconds(match[1]!)) return fail("bad_timing", `Cue ${cues + 1} ends before it starts.`);
    cues++;
    if (cues > maxCaptionCues) return fail("too_many_cues", `A caption file may hold at most ${maxCaptionCues} cues.`);
  }
  if (cues === 0) return fail("no_cues", "The caption file has no cues.");
  return { ok: true, format: "vtt", vtt: text.replace(/^\uFEFF/, ""), cues };
}

function parseSrt(text: string): CaptionParseResult {
  const blocks = blocksOf(text);
  const out: string[] = ["WEBVTT", ""];
  let cues = 0;
  for (const block of blocks) {
    let index = 0;
    if (/^\d+$/.test(block[0]?.trim() ?? "")) index = 1;
    const timing = block[index];
    const match = timing === undefined ? null : srtTiming.exec(timing.trim());
    if (!match) {
      return cues === 0
        ? fail("not_captions", "This is neither WebVTT (starts with WEBVTT) nor SubRip (numbered cues with 00:00:01,000 --> 00:00:02,000).")
        : fail("bad_timing", `Cue ${cues + 1} has a malformed timing line.`);
    }
    if (seconds(match[2]!) < seconds(match[1]!)) return fail("bad_timing", `Cue ${cues + 1} ends before it starts.`);
    const stamp = (s: string) => {
      const [h, m, rest] = s.replace(",", ".").split(":");
      return `${h!.padStart(2, "0")}:${m}:${rest}`;
    };
    // "-->" inside cue text would end a WebVTT cue early.
    const body = block.slice(index + 1).map((line) => line.replaceAll("-->", "->"));
    out.push(`${stamp(match[1]!)} --> ${stamp(match[2]!)}`, ...body, "");
    cues++;
    if (cues > maxCaptionCues) return fail("too_many_cues", `A caption file may hold at most ${maxCaptionCues} cues.`);
  }
  if (cues === 0) return fail("no_cues", "The caption file has no cues.");
  return { ok: true, format: "srt", vtt: out.join("\n"), cues };
}

/**
 * Checks caption text and returns it as WebVTT.
 *
 * @example
 * const result = parseCaptionText("1\n00:00:01,000 --> 00:00:02,000\nHello\n");
 * if (result.ok) store(result.vtt); // "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n"
 */
export function parseCaptionText(text: string): CaptionParseResult {
  if (text.trim() === "") return fail("empty", "The caption file is empty.");
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("WEBVTT")) return parseVtt(text);
  return parseSrt(text);
}

/** `parseCaptionText` for raw bytes: refuses anything that is not UTF-8 text first. */
export function parseCaptionBytes(bytes: Uint8Array): CaptionParseResult {
  if (bytes.byteLength === 0) return fail("empty", "The caption file is empty.");
  const text = decodeCaptionBytes(bytes);
  if (text === undefined) return fail("not_text", "The caption file is not UTF-8 text.");
  return parseCaptionText(text);
}
