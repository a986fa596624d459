import { describe, expect, it } from "vitest";
import { defaultCaptionMessages, validateCaptionFile, type CaptionErrorDetails, type CaptionValidationResult } from "../../../src/core/captions.js";
import { formatChapterTime, normalizeChapters, parseChapterTime, validateChapters } from "../../../src/core/chapters.js";
import { captionCorpus, sampleSrt, sampleVtt } from "../../fixtures/captions-corpus.js";

const file = (text: string | Uint8Array) => new Blob([(typeof text === "string" ? new TextEncoder().encode(text) : text) as Uint8Array<ArrayBuffer>]);

function refusal(result: CaptionValidationResult): { message: string; details: CaptionErrorDetails } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  expect(result.error.code).toBe("caption_invalid");
  expect(result.error.retryable).toBe(false);
  return { message: result.error.message, details: result.error.details as CaptionErrorDetails };
}

describe("validateCaptionFile over the shared caption corpus", () => {
  for (const entry of captionCorpus) {
    it(`${entry.expect.kind === "accepted" ? "accepts" : "refuses"} ${entry.key}: ${entry.about}`, async () => {
      const result = await validateCaptionFile(new Blob([entry.bytes], { type: entry.type }));
      if (entry.expect.kind === "accepted") {
        expect(result).toEqual({ ok: true, format: entry.expect.format, cues: entry.expect.cues });
      } else {
        expect(refusal(result).details.problem).toBe(entry.expect.problem);
      }
    });
  }
});

describe("validateCaptionFile messages name the line", () => {
  it("points at the malformed timing of a later SRT cue", async () => {
    const { message, details } = refusal(await validateCaptionFile(file("1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo ms\n")));
    expect(details).toMatchObject({ reason: "timing_syntax", line: 6 });
    expect(message).toBe("Line 6: “00:00:03 --> 00:00:04” is not a cue timing. Write it like 00:00:01,000 --> 00:00:04,000.");
  });

  it("counts lines the same with CRLF endings and a BOM", async () => {
    const { details } = refusal(await validateCaptionFile(file("\uFEFFWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nA\r\n\r\n00:00:05.000 --> 00:00:04.000\r\nB\r\n")));
    expect(details).toMatchObject({ reason: "timing_order", line: 6, start: "00:00:05.000", end: "00:00:04.000" });
  });

  it("refuses a cue that ends when it starts", async () => {
    const { details } = refusal(await validateCaptionFile(file("WEBVTT\n\n00:01.000 --> 00:01.000\nzero\n")));
    expect(details.reason).toBe("timing_order");
  });

  it("names the line of the first byte that is not UTF-8", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("WEBVTT\n\n00:01.000 --> 00:02.000\nOl"), 0xe1, 0x0a]);
    const { message, details } = refusal(await validateCaptionFile(file(bytes)));
    expect(details).toMatchObject({ problem: "not_text", reason: "not_utf8", line: 4 });
    expect(message).toMatch(/^Line 4: /);
  });

  it("refuses a missing blank line after the WEBVTT header", async () => {
    const { details } = refusal(await validateCaptionFile(file("WEBVTT\n00:00:01.000 --> 00:00:02.000\nHi\n")));
    expect(details).toMatchObject({ reason: "header_not_separated", line: 2 });
  });

  it("refuses SRT cues without numbers and cue text containing an arrow", async () => {
    expect(refusal(await validateCaptionFile(file("00:00:01,000 --> 00:00:02,000\nHi\n"))).details).toMatchObject({ reason: "cue_number", line: 1 });
    expect(refusal(await validateCaptionFile(file("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:03.000 --> 00:04.000\nB\n"))).details).toMatchObject({
      reason: "arrow_in_text",
      line: 5,
    });
  });
});

describe("validateCaptionFile takes what the server converts and refuses what it would garble", () => {
  it("refuses text whose letters were lost to U+FFFD on the way, naming the line", async () => {
    const { message, details } = refusal(await validateCaptionFile(file("1\n00:00:01,000 --> 00:00:02,000\nOl\uFFFD\n")));
    expect(details).toMatchObject({ problem: "not_text", reason: "not_utf8", line: 3 });
    expect(message).toBe("Line 3: the text is not UTF-8. Save the file as UTF-8 and choose it again.");
  });

  it("accepts SubRip without spaces around the arrow and with an arrow in its text", async () => {
    expect(await validateCaptionFile(file("1\n00:00:01,000-->00:00:02,000\nHi\n"))).toEqual({ ok: true, format: "srt", cues: 1 });
    expect(await validateCaptionFile(file("1\n00:00:01,000 --> 00:00:02,000\na --> b\n"))).toEqual({ ok: true, format: "srt", cues: 1 });
  });

  it("refuses SubRip cues with no blank line between them", async () => {
    const result = await validateCaptionFile(file("1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n"));
    expect(refusal(result).details).toMatchObject({ reason: "arrow_in_text", line: 5 });
  });
});

describe("validateCaptionFile limits", () => {
  it("refuses a file larger than maxBytes before reading it", async () => {
    const { message, details } = refusal(await validateCaptionFile(file(sampleVtt), { maxBytes: 10 }));
    expect(details.problem).toBe("too_large");
    expect(message).toBe("The caption file is larger than 10 bytes.");
    expect(refusal(await validateCaptionFile(new Blob([new Uint8Array(512 * 1024 + 1)]))).details.problem).toBe("too_large");
    // The limit in the reader's locale, in the same units as the file input's hint (Intl's SI units).
    expect(refusal(await validateCaptionFile(new Blob([new Uint8Array(1_500_001)]), { maxBytes: 1_500_000, locale: "en" })).message).toBe("The caption file is larger than 1.5 MB.");
    expect(refusal(await validateCaptionFile(new Blob([new Uint8Array(1_500_001)]), { maxBytes: 1_500_000, locale: "de" })).message).toBe("The caption file is larger than 1,5 MB.");
  });

  it("accepts cues inside the duration and refuses one that starts after the video ends", async () => {
    expect(await validateCaptionFile(file(sampleVtt), { durationSeconds: 4 })).toEqual({ ok: true, format: "vtt", cues: 2 });
    const { message, details } = refusal(await validateCaptionFile(file(sampleSrt), { durationSeconds: 2.9 }));
    expect(details).toMatchObject({ problem: "past_end", line: 6, time: "00:00:03,000" });
    expect(message).toBe("Line 6: 00:00:03,000 is after the end of the video (00:00:02,900).");
  });

  it("takes translated messages", async () => {
    const result = await validateCaptionFile(file(""), { messages: { empty: "Leer." } });
    expect(refusal(result).message).toBe("Leer.");
    expect(Object.keys(defaultCaptionMessages).length).toBeGreaterThan(10);
  });
});

describe("chapters", () => {
  it("reads and writes start times as people type them", () => {
    expect(parseChapterTime("75")).toBe(75);
    expect(parseChapterTime("1:15")).toBe(75);
    expect(parseChapterTime(" 1:02:03.5 ")).toBe(3723.5);
    expect(parseChapterTime("1:75")).toBeNull();
    expect(parseChapterTime("1:60:00")).toBeNull();
    expect(parseChapterTime("abc")).toBeNull();
    expect(parseChapterTime("")).toBeNull();
    expect(formatChapterTime(75)).toBe("1:15");
    expect(formatChapterTime(3723.5)).toBe("1:02:03.5");
    expect(formatChapterTime(0)).toBe("0:00");
    for (const seconds of [0, 7.5, 59.9, 61, 3599, 3600, 7322.4]) expect(parseChapterTime(formatChapterTime(seconds))).toBeCloseTo(seconds, 5);
  });

  it("reports empty titles, bad, duplicate and late start times", () => {
    const issues = validateChapters(
      [
        { startTime: 0, title: "Intro" },
        { startTime: Number.NaN, title: "Broken" },
        { startTime: 0, title: "  " },
        { startTime: 30, title: "After the end" },
      ],
      { durationSeconds: 20 },
    );
    expect(issues).toEqual([
      { index: 1, field: "startTime", problem: "time_invalid" },
      { index: 2, field: "startTime", problem: "time_duplicate" },
      { index: 2, field: "title", problem: "title_empty" },
      { index: 3, field: "startTime", problem: "time_past_end" },
    ]);
    expect(validateChapters([{ startTime: 0, title: "x".repeat(101) }])).toEqual([{ index: 0, field: "title", problem: "title_too_long" }]);
    expect(validateChapters([{ startTime: 0, title: "Intro" }, { startTime: 12.5, title: "Setup" }], { durationSeconds: 20 })).toEqual([]);
  });

  it("stores chapters trimmed and ordered by start time", () => {
    expect(normalizeChapters([{ startTime: 30, title: " B " }, { startTime: 0, title: "A" }])).toEqual([
      { startTime: 0, title: "A" },
      { startTime: 30, title: "B" },
    ]);
  });
});
