/**
 * Checks a caption file in the browser before it is uploaded, so a creator learns at once which line of
 * the file is wrong instead of waiting for the backend's `errored` track. Framework-free: it runs in
 * browsers, workers and Node. These are the only caption rules: the server's check
 * (`src/server/caption-format.ts`) runs them too and adds its cue limit and the SRT → WebVTT conversion,
 * so the browser and the server take the same files.
 */
import { defaultCaptionMessages, type CaptionFormat, type CaptionIssue, type CaptionProblem } from "./caption-messages.js";
import { VideoError } from "./errors.js";
import { formatBytes } from "./format-number.js";

export type { CaptionFormat, CaptionIssue, CaptionProblem } from "./caption-messages.js";
export { defaultCaptionMessages } from "./caption-messages.js";

/** What `validateCaptionFile` found in `details` of its `caption_invalid` error. */
export interface CaptionErrorDetails {
  problem: CaptionProblem;
  reason: CaptionIssue;
  /** 1-based line the problem is on, when it is on one. */
  line?: number | undefined;
  [value: string]: unknown;
}

export interface CaptionValidationOptions {
  /** Largest file accepted, in bytes. Default 512 KiB (`defaultCaptionMaxBytes`). */
  maxBytes?: number | undefined;
  /** The video's duration in seconds; when given, every cue must start and end inside it. */
  durationSeconds?: number | undefined;
  /** Override the English messages (e.g. with the components' `captions.issues`). */
  messages?: { [Issue in CaptionIssue]?: string | undefined } | undefined;
  /** BCP 47 locale of the size in `too_large`'s `{max}` (`524 kB`; default: the runtime's). */
  locale?: string | undefined;
}

/** The outcome of `validateCaptionFile`: the format and cue count, or a `caption_invalid` error. */
export type CaptionValidationResult =
  | { ok: true; format: CaptionFormat; cues: number }
  | { ok: false; error: VideoError };

type CaptionRefusal = Extract<CaptionValidationResult, { ok: false }>;

/**
 * A cue as the check read it: its timing as written in the file (`00:00:01,000` in SRT) and its text lines.
 * Internal: the server's SRT → WebVTT conversion is built from these; not exported from an entry point.
 */
export interface CaptionCue {
  start: string;
  end: string;
  text: string[];
}

/** Default size limit of a caption file: 512 KiB (a three-hour lecture's captions are ~200 KiB). */
export const defaultCaptionMaxBytes = 512 * 1024;

/**
 * A cue may end this many seconds after the video's reported duration: durations are rounded, and
 * a last caption that outlasts the final frame by a moment is harmless.
 */
const durationSlackSeconds = 0.5;

const vttExample = "00:00:01.000 --> 00:00:04.000";
const srtExample = "00:00:01,000 --> 00:00:04,000";

// WebVTT: hours optional (two or more digits when present), minutes and seconds 00-59, a dot, milliseconds.
const vttTimestamp = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
// SubRip: hours always present; a comma before the milliseconds (a dot is common, and accepted).
const srtTimestamp = /^(\d{1,}):([0-5]\d):([0-5]\d)[,.](\d{3})$/;
const vttTimingLine = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;
// SubRip writers sometimes leave out the spaces around the arrow; the server's WebVTT copy has them.
const srtTimingLine = /^(\S+?)[ \t]*-->[ \t]*(\S+?)(?:[ \t]+.*)?$/;
// In SRT text an arrow is only a mistake when the line is a timing (the blank line before a cue is missing).
const srtTimingStart = /^[ \t]*\d[\d:.,]*[ \t]*-->/;
// NUL and other C0 controls (tab, CR, LF and form feed aside) mean a binary file.
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const controlCharacter = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/**
 * Checks a WebVTT or SRT file: UTF-8 (a BOM is fine), the `WEBVTT` header or SRT cue numbers, every cue
 * timing, end after start, cues inside the video's duration and a size limit. Reads the file once; never
 * throws for a bad file. A refusal is a `caption_invalid` `VideoError` whose message names the line
 * ("Line 12: …") and whose `details` are a `CaptionErrorDetails`.
 *
 * @example
 * ```ts
 * const result = await validateCaptionFile(input.files[0], { durationSeconds: asset.duration });
 * if (!result.ok) showError(result.error.message); // "Line 7: “00:00:05 --> 00:00:06” is not a cue timing. …"
 * ```
 */
export async function validateCaptionFile(file: Blob, opts: CaptionValidationOptions = {}): Promise<CaptionValidationResult> {
  const maxBytes = opts.maxBytes ?? defaultCaptionMaxBytes;
  if (file.size > maxBytes) return failure("too_large", { max: formatBytes(maxBytes, opts.locale) }, opts.messages);
  const text = decodeCaptionFile(new Uint8Array(await file.arrayBuffer()), opts);
  return typeof text === "string" ? checkCaptionText(text, opts) : text;
}

/** `validateCaptionFile` for text already decoded (a leading BOM is ignored). */
export function validateCaptionText(text: string, opts: CaptionValidationOptions = {}): CaptionValidationResult {
  return checkCaptionText(text, opts);
}

/**
 * The bytes of a caption file as text, or the `empty` or `not_utf8` refusal. Internal: the server's check
 * decodes with it too; not exported from an entry point.
 */
export function decodeCaptionFile(bytes: Uint8Array, opts: CaptionValidationOptions = {}): string | CaptionRefusal {
  if (bytes.byteLength === 0) return failure("empty", {}, opts.messages);
  const decoded = decodeStrictUtf8(bytes);
  return typeof decoded === "string" ? decoded : failure("not_utf8", { line: decoded.line }, opts.messages);
}

/**
 * `validateCaptionText` that also hands each accepted cue to `onCue`. Internal: the server's check and its
 * SRT → WebVTT conversion use it; not exported from an entry point.
 */
export function checkCaptionText(text: string, opts: CaptionValidationOptions, onCue?: (cue: CaptionCue) => void): CaptionValidationResult {
  const fail = (reason: CaptionIssue, values: Record<string, string | number> = {}) => failure(reason, values, opts.messages);
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  // U+FFFD is text decoded from another encoding on the way (a Latin-1 file read as UTF-8) that lost its letters.
  const badLine = lines.findIndex((line) => controlCharacter.test(line) || line.includes("\uFFFD"));
  const bad = lines[badLine];
  if (bad !== undefined) return fail(controlCharacter.test(bad) ? "binary" : "not_utf8", { line: badLine + 1 });
  if (lines.every((line) => line.trim() === "")) return fail("empty");

  const first = lines.findIndex((line) => line.trim() !== "");
  const firstLine = lines[first] ?? "";
  if (firstLine.startsWith("WEBVTT")) {
    if (first !== 0 || !/^WEBVTT(?:[ \t].*)?$/.test(firstLine)) return fail("bad_signature", { line: first + 1 });
    return checkCues(lines, "vtt", opts, fail, onCue);
  }
  // An SRT file opens with cue number 1; one that opens with a timing line forgot its numbers.
  if (/^\d+$/.test(firstLine.trim()) || firstLine.includes("-->")) return checkCues(lines, "srt", opts, fail, onCue);
  return fail("no_signature", { line: first + 1 });
}

type Fail = (reason: CaptionIssue, values?: Record<string, string | number>) => CaptionValidationResult;

/** Walks the blocks (runs of non-blank lines) of a file whose format is known. */
function checkCues(
  lines: string[],
  format: CaptionFormat,
  opts: CaptionValidationOptions,
  fail: Fail,
  onCue: ((cue: CaptionCue) => void) | undefined,
): CaptionValidationResult {
  const example = format === "vtt" ? vttExample : srtExample;
  const stampPattern = format === "vtt" ? vttTimestamp : srtTimestamp;
  const duration = opts.durationSeconds;
  let cues = 0;
  let index = 0;
  let headerSeen = format === "srt";

  while (index < lines.length) {
    while (index < lines.length && lines[index]?.trim() === "") index++;
    if (index >= lines.length) break;
    const start = index;
    while (index < lines.length && lines[index]?.trim() !== "") index++;
    const block = lines.slice(start, index);
    const head = block[0] ?? "";
    const lineOf = (offset: number) => start + offset + 1;

    if (!headerSeen) {
      // The WEBVTT header block: free text, but a timing line in it means the blank line is missing.
      headerSeen = true;
      const arrow = block.findIndex((line) => line.includes("-->"));
      if (arrow !== -1) return fail("header_not_separated", { line: lineOf(arrow) });
      continue;
    }
    if (format === "vtt" && /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) continue;

    let timingOffset: number;
    if (format === "srt") {
      if (!/^\d+$/.test(head.trim())) return fail("cue_number", { line: lineOf(0), text: clip(head) });
      timingOffset = 1;
    } else {
      // An optional cue identifier (which cannot contain "-->") comes before the timing line.
      timingOffset = head.includes("-->") ? 0 : 1;
    }
    const timing = block[timingOffset];
    // "00:01.000 -> 00:02.000" reads as a cue identifier without an arrow: name the line that meant to be a timing.
    if (format === "vtt" && timingOffset === 1 && !timing?.includes("-->") && /^\d[\d:.,]*[ \t]/.test(head)) {
      return fail("timing_syntax", { line: lineOf(0), text: clip(head.trim()), example });
    }
    if (timing === undefined || !timing.includes("-->")) {
      return fail("timing_missing", { line: lineOf(Math.min(timingOffset, block.length)), example });
    }
    const [, startStamp, endStamp] = (format === "vtt" ? vttTimingLine : srtTimingLine).exec(timing.trim()) ?? [];
    const startMatch = startStamp === undefined ? null : stampPattern.exec(startStamp);
    const endMatch = endStamp === undefined ? null : stampPattern.exec(endStamp);
    if (startStamp === undefined || endStamp === undefined || !startMatch || !endMatch) {
      return fail("timing_syntax", { line: lineOf(timingOffset), text: clip(timing.trim()), example });
    }
    const startTime = secondsOf(startMatch);
    const endTime = secondsOf(endMatch);
    if (endTime <= startTime) return fail("timing_order", { line: lineOf(timingOffset), start: startStamp, end: endStamp });
    if (duration !== undefined && Number.isFinite(duration)) {
      const late = startTime >= duration ? startStamp : endTime > duration + durationSlackSeconds ? endStamp : null;
      if (late !== null) return fail("past_end", { line: lineOf(timingOffset), time: late, duration: formatTimestamp(duration, format) });
    }
    const arrow = block.findIndex((line, offset) => offset > timingOffset && (format === "vtt" ? line.includes("-->") : srtTimingStart.test(line)));
    if (arrow !== -1) return fail("arrow_in_text", { line: lineOf(arrow) });
    onCue?.({ start: startStamp, end: endStamp, text: block.slice(timingOffset + 1) });
    cues++;
  }
  if (cues === 0) return fail("no_cues", { line: lines.length });
  return { ok: true, format, cues };
}

const problemOf: Record<CaptionIssue, CaptionProblem> = {
  too_large: "too_large",
  empty: "empty",
  not_utf8: "not_text",
  binary: "not_text",
  no_signature: "not_captions",
  bad_signature: "not_captions",
  header_not_separated: "bad_timing",
  cue_number: "not_captions",
  timing_missing: "bad_timing",
  timing_syntax: "bad_timing",
  timing_order: "bad_timing",
  past_end: "past_end",
  arrow_in_text: "bad_timing",
  no_cues: "no_cues",
};

function failure(
  reason: CaptionIssue,
  values: Record<string, string | number>,
  messages: { [Issue in CaptionIssue]?: string | undefined } | undefined,
): CaptionRefusal {
  const template = messages?.[reason] ?? defaultCaptionMessages[reason];
  const message = template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
  const details: CaptionErrorDetails = { ...values, problem: problemOf[reason], reason };
  return { ok: false, error: new VideoError("caption_invalid", message, { details, retryable: false }) };
}

/** Decodes UTF-8 strictly; on failure names the line of the first bad byte. */
function decodeStrictUtf8(bytes: Uint8Array): string | { line: number } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    // Find the first line that does not decode: lines end at LF, which never occurs inside a UTF-8 sequence.
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(lineStart, i));
        } catch {
          return { line };
        }
        line++;
        lineStart = i + 1;
      }
    }
    return { line: Math.max(1, line - 1) };
  }
}

function secondsOf(match: RegExpExecArray): number {
  const [, hours, minutes, seconds, millis] = match;
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(millis) / 1000;
}

/**
 * `75.5` → `00:01:15.500` (WebVTT) or `00:01:15,500` (SRT), to match what the file says. Internal: the
 * emulator's storyboard cues use it too; not exported from an entry point.
 */
export function formatTimestamp(totalSeconds: number, format: CaptionFormat): string {
  const millis = Math.round(totalSeconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(millis / 3_600_000);
  const m = Math.floor((millis % 3_600_000) / 60_000);
  const s = Math.floor((millis % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${format === "vtt" ? "." : ","}${pad(millis % 1000, 3)}`;
}

/** Keeps a quoted line short enough for a message. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
