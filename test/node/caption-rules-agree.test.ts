// The browser's caption check (src/core/captions.ts: validateCaptionFile, validateCaptionText) and the server's
// (src/server/caption-format.ts: parseCaptionBytes, parseCaptionText, used by the routes and the emulator) must
// take and refuse the same files for the same reason, so a creator never sees a file pass in the form and fail on
// upload. Only the server's cue limit is the server's own.
import { describe, expect, it } from "vitest";
import { defaultCaptionMaxBytes, validateCaptionFile, validateCaptionText, type CaptionErrorDetails, type CaptionIssue, type CaptionValidationResult } from "../../src/core/captions.js";
import { maxCaptionCues, parseCaptionBytes, parseCaptionText, type CaptionFormatProblem, type CaptionParseResult } from "../../src/server/caption-format.js";
import { captionCorpus, sampleSrt, sampleVtt } from "../fixtures/captions-corpus.js";

type Expected =
  | { ok: true; format: "vtt" | "srt"; cues: number }
  | { ok: false; problem: CaptionFormatProblem; reason: CaptionIssue; line?: number };

interface Row {
  about: string;
  input: string | Uint8Array<ArrayBuffer>;
  expect: Expected;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytesOf = (input: string | Uint8Array<ArrayBuffer>) => (typeof input === "string" ? utf8(input) : input);

const rows: Row[] = [
  { about: "valid WebVTT", input: sampleVtt, expect: { ok: true, format: "vtt", cues: 2 } },
  { about: "valid SubRip", input: sampleSrt, expect: { ok: true, format: "srt", cues: 2 } },
  { about: "WebVTT with a BOM", input: `\uFEFF${sampleVtt}`, expect: { ok: true, format: "vtt", cues: 2 } },
  { about: "SubRip with a BOM and CRLF line ends", input: `\uFEFF${sampleSrt.replaceAll("\n", "\r\n")}`, expect: { ok: true, format: "srt", cues: 2 } },
  { about: "WebVTT with CR-only line ends", input: sampleVtt.replaceAll("\n", "\r"), expect: { ok: true, format: "vtt", cues: 2 } },
  {
    about: "WebVTT with header text, NOTE, STYLE and REGION blocks, a cue id and cue settings",
    input: "WEBVTT - Lesson 1\n\nNOTE a note\n\nSTYLE\n::cue { color: yellow }\n\nREGION\nid:r1\n\nintro\n00:01.000 --> 00:02.000 align:start\nHi\n",
    expect: { ok: true, format: "vtt", cues: 1 },
  },
  { about: "SubRip with one-digit hours and dotted milliseconds", input: "1\n0:00:01.000 --> 0:00:02.000\nHi\n", expect: { ok: true, format: "srt", cues: 1 } },
  { about: "SubRip without spaces around the arrow", input: "1\n00:00:01,000-->00:00:02,000\nHi\n", expect: { ok: true, format: "srt", cues: 1 } },
  { about: "SubRip text containing an arrow", input: "1\n00:00:01,000 --> 00:00:02,000\na --> b\n", expect: { ok: true, format: "srt", cues: 1 } },
  { about: "a cue with no text", input: "WEBVTT\n\n00:01.000 --> 00:02.000\n", expect: { ok: true, format: "vtt", cues: 1 } },

  { about: "zero bytes", input: "", expect: { ok: false, problem: "empty", reason: "empty" } },
  { about: "blank lines only", input: "\n \r\n\t\n", expect: { ok: false, problem: "empty", reason: "empty" } },
  { about: "a BOM only", input: "\uFEFF", expect: { ok: false, problem: "empty", reason: "empty" } },
  {
    about: "a PNG (bytes that are not UTF-8)",
    input: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    expect: { ok: false, problem: "not_text", reason: "not_utf8", line: 1 },
  },
  {
    about: "Latin-1 text",
    input: new Uint8Array([...utf8("1\n00:00:01,000 --> 00:00:02,000\nOl"), 0xe1, 0x0a]),
    expect: { ok: false, problem: "not_text", reason: "not_utf8", line: 3 },
  },
  {
    about: "text that lost its letters to U+FFFD on the way",
    input: "1\n00:00:01,000 --> 00:00:02,000\nOl\uFFFD\n",
    expect: { ok: false, problem: "not_text", reason: "not_utf8", line: 3 },
  },
  { about: "NUL bytes", input: "WEBVTT\n\n00:01.000 --> 00:02.000\nA\u0000B\n", expect: { ok: false, problem: "not_text", reason: "binary", line: 4 } },
  { about: "an HTML page", input: "<!doctype html><html></html>\n", expect: { ok: false, problem: "not_captions", reason: "no_signature", line: 1 } },
  { about: "a WebVTT file missing its header", input: "\n\nWEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", expect: { ok: false, problem: "not_captions", reason: "bad_signature", line: 3 } },
  { about: "WEBVTT followed by other letters", input: "WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n", expect: { ok: false, problem: "not_captions", reason: "bad_signature", line: 1 } },
  { about: "SubRip cues without numbers", input: "00:00:01,000 --> 00:00:02,000\nHi\n", expect: { ok: false, problem: "not_captions", reason: "cue_number", line: 1 } },
  {
    about: "no blank line after the WEBVTT header",
    input: "WEBVTT\n00:00:01.000 --> 00:00:02.000\nHi\n",
    expect: { ok: false, problem: "bad_timing", reason: "header_not_separated", line: 2 },
  },
  { about: "a WebVTT cue without a timing line", input: "WEBVTT\n\nJust text\nand more text\n", expect: { ok: false, problem: "bad_timing", reason: "timing_missing", line: 4 } },
  { about: "a timing without milliseconds", input: "WEBVTT\n\n00:00:01 --> 00:00:02\nHi\n", expect: { ok: false, problem: "bad_timing", reason: "timing_syntax", line: 3 } },
  { about: "SubRip commas in a WebVTT timing", input: "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHi\n", expect: { ok: false, problem: "bad_timing", reason: "timing_syntax", line: 3 } },
  { about: "minute 60", input: "WEBVTT\n\n00:60:00.000 --> 00:61:00.000\nHi\n", expect: { ok: false, problem: "bad_timing", reason: "timing_syntax", line: 3 } },
  {
    about: "a later SubRip cue with a bad timing",
    input: "1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo ms\n",
    expect: { ok: false, problem: "bad_timing", reason: "timing_syntax", line: 6 },
  },
  { about: "a cue that ends before it starts", input: "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHi\n", expect: { ok: false, problem: "bad_timing", reason: "timing_order", line: 3 } },
  { about: "a cue that ends when it starts", input: "1\n00:00:05,000 --> 00:00:05,000\nHi\n", expect: { ok: false, problem: "bad_timing", reason: "timing_order", line: 2 } },
  {
    about: "no blank line between WebVTT cues",
    input: "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB\n",
    expect: { ok: false, problem: "bad_timing", reason: "arrow_in_text", line: 5 },
  },
  {
    about: "no blank line between SubRip cues",
    input: "1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n",
    expect: { ok: false, problem: "bad_timing", reason: "arrow_in_text", line: 5 },
  },
  { about: "a WebVTT header and nothing else", input: "WEBVTT\n\n", expect: { ok: false, problem: "no_cues", reason: "no_cues" } },
  { about: "a WebVTT file with notes only", input: "WEBVTT\n\nNOTE nothing to say\n", expect: { ok: false, problem: "no_cues", reason: "no_cues" } },
];

function browserRefusal(result: CaptionValidationResult): { message: string; details: CaptionErrorDetails } {
  if (result.ok) throw new Error(`the browser check accepted it: ${JSON.stringify(result)}`);
  return { message: result.error.message, details: result.error.details as CaptionErrorDetails };
}

function expectAgreement(browser: CaptionValidationResult, server: CaptionParseResult, expected: Expected): void {
  if (expected.ok) {
    expect(browser).toEqual(expected);
    expect(server).toMatchObject(expected);
    return;
  }
  const { message, details } = browserRefusal(browser);
  expect(details).toMatchObject({ problem: expected.problem, reason: expected.reason, ...(expected.line === undefined ? {} : { line: expected.line }) });
  // The same message means the same finding on the same line.
  expect(server).toEqual({ ok: false, problem: expected.problem, message });
}

describe("the browser and the server take the same caption files", () => {
  for (const row of rows) {
    it(`${row.expect.ok ? "both accept" : `both refuse (${row.expect.reason})`}: ${row.about}`, async () => {
      const bytes = bytesOf(row.input);
      expectAgreement(await validateCaptionFile(new Blob([bytes])), parseCaptionBytes(bytes), row.expect);
      if (typeof row.input === "string" && row.input !== "") {
        expectAgreement(validateCaptionText(row.input), parseCaptionText(row.input), row.expect);
      }
    });
  }

  for (const entry of captionCorpus) {
    it(`both ${entry.expect.kind === "accepted" ? "accept" : "refuse"} corpus file ${entry.key} for the same reason`, async () => {
      const browser = await validateCaptionFile(new Blob([entry.bytes]));
      const server = parseCaptionBytes(entry.bytes);
      if (browser.ok) expect(server).toMatchObject({ ok: true, format: browser.format, cues: browser.cues });
      else expect(server).toEqual({ ok: false, problem: browserRefusal(browser).details.problem, message: browser.error.message });
    });
  }
});

describe("the server's own limit", () => {
  // The smallest cue there is, so the file stays inside the browser's size limit.
  const cues = (count: number) => `WEBVTT\n\n${"00:00.000 --> 00:01.000\n\n".repeat(count)}`;

  it(`takes ${maxCaptionCues} cues and refuses one more, which the browser lets through`, async () => {
    const atLimit = cues(maxCaptionCues);
    expect(parseCaptionText(atLimit)).toMatchObject({ ok: true, cues: maxCaptionCues });

    const over = utf8(cues(maxCaptionCues + 1));
    expect(over.byteLength).toBeLessThanOrEqual(defaultCaptionMaxBytes);
    expect(await validateCaptionFile(new Blob([over]))).toEqual({ ok: true, format: "vtt", cues: maxCaptionCues + 1 });
    expect(parseCaptionBytes(over)).toEqual({ ok: false, problem: "too_many_cues", message: `A caption file may hold at most ${maxCaptionCues} cues.` });
  });

  it("reports a broken cue before counting cues", () => {
    expect(parseCaptionText(`${cues(maxCaptionCues + 1)}00:02.000 --> 00:01.000\n`)).toMatchObject({ ok: false, problem: "bad_timing" });
  });
});

describe("SubRip → WebVTT", () => {
  it("stores SubRip as WebVTT the browser check accepts, cue for cue", async () => {
    const srt = "\uFEFF1\r\n0:00:00,500 --> 0:00:02,500 X1:10 X2:20 Y1:30 Y2:40\r\nHello\r\nsecond line\r\n\r\n2\r\n00:00:03.000-->00:00:04,000\r\nfrom a --> b\r\n";
    const result = parseCaptionBytes(utf8(srt));
    expect(result).toEqual({
      ok: true,
      format: "srt",
      cues: 2,
      vtt: "WEBVTT\n\n00:00:00.500 --> 00:00:02.500\nHello\nsecond line\n\n00:00:03.000 --> 00:00:04.000\nfrom a -> b\n",
    });
    const vtt = result.ok ? result.vtt : "";
    expect(validateCaptionText(vtt)).toEqual({ ok: true, format: "vtt", cues: 2 });
    expect(parseCaptionText(vtt)).toEqual({ ok: true, format: "vtt", cues: 2, vtt });
  });

  it("stores WebVTT as it came, without its BOM", () => {
    const vtt = "WEBVTT\r\n\r\nNOTE kept\r\n\r\n00:01.000 --> 00:02.000 align:start\r\nHi\r\n";
    expect(parseCaptionText(`\uFEFF${vtt}`)).toEqual({ ok: true, format: "vtt", cues: 1, vtt });
  });
});
