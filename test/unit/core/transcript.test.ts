import { cueIndexAt, cueText, searchTranscript, type TranscriptCue } from "../../../src/core/transcript.js";

const cues: TranscriptCue[] = [
  { id: "1", start: 0, end: 4, text: "Welcome to the course." },
  { id: "2", start: 4, end: 9, text: "Today: closures in JavaScript." },
  { id: "3", start: 12, end: 15, text: "Un résumé des fermetures." },
];

describe("transcript", () => {
  it("finds the cue being spoken, and none between cues", () => {
    expect(cueIndexAt(cues, 0)).toBe(0);
    expect(cueIndexAt(cues, 4)).toBe(1);
    expect(cueIndexAt(cues, 10)).toBe(-1);
    expect(cueIndexAt(cues, 14.9)).toBe(2);
    expect(cueIndexAt(cues, 20)).toBe(-1);
    expect(cueIndexAt([], 3)).toBe(-1);
  });

  it("searches ignoring case and accents, every word in any order", () => {
    expect(searchTranscript(cues, "CLOSURES")).toEqual([1]);
    expect(searchTranscript(cues, "resume")).toEqual([2]);
    expect(searchTranscript(cues, "javascript today")).toEqual([1]);
    expect(searchTranscript(cues, "  ")).toEqual([]);
    expect(searchTranscript(cues, "python")).toEqual([]);
  });

  it("flattens WebVTT tags and lines", () => {
    expect(cueText("<v Maya>Hello\n<b>there</b> &amp; welcome</v>")).toBe("Hello there & welcome");
  });
});
