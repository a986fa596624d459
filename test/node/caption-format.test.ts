import { describe, expect, it } from "vitest";
import { parseCaptionBytes, parseCaptionText } from "../../src/server/caption-format.js";
import { captionCorpus, sampleSrt } from "../fixtures/captions-corpus.js";

describe("caption files are checked by content", () => {
  for (const entry of captionCorpus) {
    it(`${entry.expect.kind === "accepted" ? "accepts" : "refuses"} ${entry.key}: ${entry.about}`, () => {
      const result = parseCaptionBytes(entry.bytes);
      if (entry.expect.kind === "accepted") {
        expect(result).toMatchObject({ ok: true, format: entry.expect.format, cues: entry.expect.cues });
      } else {
        expect(result).toMatchObject({ ok: false, problem: entry.expect.problem });
      }
    });
  }

  it("converts SubRip to WebVTT with dotted, two-digit-hour timestamps", () => {
    const result = parseCaptionText(sampleSrt);
    expect(result.ok && result.vtt).toBe("WEBVTT\n\n00:00:00.500 --> 00:00:02.500\nHello\n\n00:00:03.000 --> 00:00:04.000\nSecond cue\n");
    const converted = result.ok ? parseCaptionText(result.vtt) : undefined;
    expect(converted).toMatchObject({ ok: true, format: "vtt", cues: 2 });
  });

  it("names the line of a refusal in the browser check's words", () => {
    expect(parseCaptionText("1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo ms\n")).toEqual({
      ok: false,
      problem: "bad_timing",
      message: "Line 6: “00:00:03 --> 00:00:04” is not a cue timing. Write it like 00:00:01,000 --> 00:00:04,000.",
    });
    expect(parseCaptionBytes(new Uint8Array([0x31, 0x0a, 0xe1, 0x0a]))).toEqual({
      ok: false,
      problem: "not_text",
      message: "Line 2: the text is not UTF-8. Save the file as UTF-8 and choose it again.",
    });
  });

  it("keeps an arrow inside SubRip text from ending the WebVTT cue", () => {
    const result = parseCaptionText("1\n00:00:01,000 --> 00:00:02,000\na --> b\n");
    expect(result.ok && result.vtt).toContain("a -> b");
  });
});
