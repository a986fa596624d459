/**
 * Reads a caption file by its content, never by its name: WebVTT (`WEBVTT` signature, cue timings with
 * `.`) or SubRip (numbered cues, timings with `,`), UTF-8 only. SRT is converted to WebVTT so one format
 * is stored and served. The rules are the browser check's (`src/core/captions.ts`), so a file the
 * browser accepts is one the server accepts; this module adds only the cue limit and the conversion.
 * Pure (no `node:` imports): the routes run on edge runtimes, and the emulator checks what it downloads
 * with the same rules.
 */
import {
  checkCaptionText,
  decodeCaptionFile,
  type CaptionCue,
  type CaptionErrorDetails,
  type CaptionValidationResult,
} from "../core/captions.js";

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

/**
 * Checks caption text and returns it as WebVTT. The message of a refusal is the browser check's
 * ("Line 6: …").
 *
 * @example
 * const result = parseCaptionText("1\n00:00:01,000 --> 00:00:02,000\nHello\n");
 * if (result.ok) store(result.vtt); // "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n"
 */
export function parseCaptionText(text: string): CaptionParseResult {
  const cues: CaptionCue[] = [];
  const checked = checkCaptionText(text, {}, (cue) => cues.push(cue));
  if (!checked.ok) return refusal(checked);
  if (checked.cues > maxCaptionCues) {
    return { ok: false, problem: "too_many_cues", message: `A caption file may hold at most ${maxCaptionCues} cues.` };
  }
  const vtt = checked.format === "vtt" ? text.replace(/^\uFEFF/, "") : webVttOf(cues);
  return { ok: true, format: checked.format, vtt, cues: checked.cues };
}

/** `parseCaptionText` for raw bytes: refuses anything that is not UTF-8 text first. */
export function parseCaptionBytes(bytes: Uint8Array): CaptionParseResult {
  const text = decodeCaptionFile(bytes);
  return typeof text === "string" ? parseCaptionText(text) : refusal(text);
}

function refusal(result: Exclude<CaptionValidationResult, { ok: true }>): CaptionParseResult {
  // Without a size limit or a video duration the browser check refuses only for problems the server names too.
  const { problem } = result.error.details as CaptionErrorDetails;
  return { ok: false, problem: problem as CaptionFormatProblem, message: result.error.message };
}

/** SubRip cues as WebVTT: dotted timestamps with two-digit hours, and no "-->" left in the text. */
function webVttOf(cues: readonly CaptionCue[]): string {
  const stamp = (time: string) => {
    const [hours = "", minutes, rest] = time.replace(",", ".").split(":");
    return `${hours.padStart(2, "0")}:${minutes}:${rest}`;
  };
  // "-->" inside cue text would end a WebVTT cue early.
  const blocks = cues.map((cue) => [`${stamp(cue.start)} --> ${stamp(cue.end)}`, ...cue.text.map((line) => line.replaceAll("-->", "->")), ""]);
  return ["WEBVTT", "", ...blocks.flat()].join("\n");
}
