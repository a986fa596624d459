import { describe, expect, it } from "vitest";
import { clippedSrc, effectiveTrim, isWholeVideo, trimChapters, trimClipping, trimCues, trimPosterTime, trimShiftsTimes, trimTime, trimmedDuration, validateTrim } from "../../../src/core/trim.js";

describe("validateTrim", () => {
  it("accepts a trim inside the video of at least a second", () => {
    expect(validateTrim({ startTime: 20, endTime: 60 }, { durationSeconds: 60 })).toEqual([]);
    expect(validateTrim({ startTime: 0, endTime: 1 })).toEqual([]);
  });
  it("refuses a start that is not a time, and an end that is not one", () => {
    expect(validateTrim({ startTime: -1, endTime: 10 })).toEqual([{ field: "startTime", problem: "start_invalid" }]);
    expect(validateTrim({ startTime: Number.NaN, endTime: Number.POSITIVE_INFINITY })).toEqual([
      { field: "startTime", problem: "start_invalid" },
      { field: "endTime", problem: "end_invalid" },
    ]);
  });
  it("refuses an end at or before the start, a trim under the shortest length, and an end past the video", () => {
    expect(validateTrim({ startTime: 10, endTime: 10 })).toEqual([{ field: "endTime", problem: "end_before_start" }]);
    expect(validateTrim({ startTime: 10, endTime: 5 })).toEqual([{ field: "endTime", problem: "end_before_start" }]);
    expect(validateTrim({ startTime: 10, endTime: 10.5 })).toEqual([{ field: "endTime", problem: "too_short" }]);
    expect(validateTrim({ startTime: 10, endTime: 12 }, { minLengthSeconds: 5 })).toEqual([{ field: "endTime", problem: "too_short" }]);
    expect(validateTrim({ startTime: 10, endTime: 61 }, { durationSeconds: 60 })).toEqual([{ field: "endTime", problem: "past_end" }]);
  });
});

describe("times on the trimmed video", () => {
  const trim = { startTime: 20, endTime: 80 };
  it("shifts a time by the start and leaves out times outside the trim", () => {
    expect(trimTime(20, trim)).toBe(0);
    expect(trimTime(50, trim)).toBe(30);
    expect(trimTime(10, trim)).toBeUndefined();
    expect(trimTime(80, trim)).toBeUndefined();
    expect(trimTime(10, undefined)).toBe(10);
    expect(trimmedDuration(trim)).toBe(60);
  });
  it("moves the poster frame, and a frame outside the trim to the first frame", () => {
    expect(trimPosterTime(30, trim)).toBe(10);
    expect(trimPosterTime(5, trim)).toBe(0);
    expect(trimPosterTime(90, trim)).toBe(0);
    expect(trimPosterTime(undefined, trim)).toBeUndefined();
    expect(trimPosterTime(5, undefined)).toBe(5);
  });
  it("drops chapters before the start (the running one starts at 0) and at or after the end", () => {
    const chapters = [
      { startTime: 90, title: "Outro" },
      { startTime: 0, title: "Welcome" },
      { startTime: 10, title: "Intro" },
      { startTime: 45.5, title: "Setup" },
      { startTime: 80, title: "Credits" },
    ];
    expect(trimChapters(chapters, trim)).toEqual([
      { startTime: 0, title: "Intro" },
      { startTime: 25.5, title: "Setup" },
    ]);
    // A chapter at the start itself wins over the one running into it.
    expect(trimChapters([{ startTime: 0, title: "A" }, { startTime: 20, title: "B" }], trim)).toEqual([{ startTime: 0, title: "B" }]);
    expect(trimChapters(chapters, undefined).map((c) => c.title)).toEqual(["Welcome", "Intro", "Setup", "Credits", "Outro"]);
  });
  it("drops cues outside the trim and cuts the ones across its edges", () => {
    const cues = [
      { id: "0", start: 0, end: 5, text: "cut" },
      { id: "1", start: 18, end: 22, text: "across the start" },
      { id: "2", start: 40, end: 42.25, text: "inside" },
      { id: "3", start: 79, end: 83, text: "across the end" },
      { id: "4", start: 80, end: 82, text: "after" },
    ];
    expect(trimCues(cues, trim)).toEqual([
      { id: "1", start: 0, end: 2, text: "across the start" },
      { id: "2", start: 20, end: 22.25, text: "inside" },
      { id: "3", start: 59, end: 60, text: "across the end" },
    ]);
    expect(trimCues(cues, undefined)).toEqual(cues);
  });
  it("a trim that keeps the whole video clips nothing", () => {
    expect(isWholeVideo({ startTime: 0, endTime: 60 }, 60)).toBe(true);
    expect(effectiveTrim({ startTime: 0, endTime: 60 }, 60)).toBeUndefined();
    expect(effectiveTrim({ startTime: 0, endTime: 59 }, 60)).toEqual({ startTime: 0, endTime: 59 });
    expect(effectiveTrim(undefined, 60)).toBeUndefined();
    // Without a known duration, a trim ending anywhere is applied.
    expect(effectiveTrim({ startTime: 0, endTime: 60 }, undefined)).toEqual({ startTime: 0, endTime: 60 });
  });
});

describe("clipping a source", () => {
  it("tells Mux playback ids, Mux-shaped stream URLs and other sources apart", () => {
    expect(trimClipping(undefined)).toBe("mux");
    expect(trimClipping("http://127.0.0.1:4000/stream/abc123.mp4?token=t")).toBe("query");
    expect(trimClipping("https://stream.mux.com/abc123.m3u8")).toBe("query");
    expect(trimClipping("https://cdn.example.com/lessons/intro.mp4")).toBe("fragment");
    expect(trimClipping("https://cdn.example.com/lessons/intro.mp4", "query")).toBe("query");
    expect(trimClipping("http://127.0.0.1:4000/stream/abc123.mp4", "fragment")).toBe("fragment");
  });
  it("adds Mux's query parameters, keeping a token, or a media fragment", () => {
    const trim = { startTime: 20, endTime: 80.5 };
    expect(clippedSrc("http://h/stream/a.mp4?token=t", trim, "query")).toBe("http://h/stream/a.mp4?token=t&asset_start_time=20&asset_end_time=80.5");
    expect(clippedSrc("http://h/stream/a.mp4", trim, "query")).toBe("http://h/stream/a.mp4?asset_start_time=20&asset_end_time=80.5");
    expect(clippedSrc("https://cdn/x.mp4#t=5", trim, "fragment")).toBe("https://cdn/x.mp4#t=20,80.5");
    expect(clippedSrc("https://cdn/x.mp4", trim, "mux")).toBe("https://cdn/x.mp4");
    expect(trimShiftsTimes("query")).toBe(true);
    expect(trimShiftsTimes("fragment")).toBe(false);
  });
});
