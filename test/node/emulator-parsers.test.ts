// The two header parsers at the emulator's edge: Content-Range of upload requests, Range of playback requests.
import { parseContentRange } from "../../src/emulator/content-range.js";
import { parseRangeHeader } from "../../src/emulator/playback.js";

describe("parseContentRange", () => {
  it("reads chunks, chunks of unknown total and offset queries", () => {
    expect(parseContentRange("bytes 0-99/1000")).toEqual({ ok: true, range: { kind: "chunk", first: 0, last: 99, total: 1000 } });
    expect(parseContentRange("bytes 100-199/*")).toEqual({ ok: true, range: { kind: "chunk", first: 100, last: 199, total: undefined } });
    expect(parseContentRange("bytes */1000")).toEqual({ ok: true, range: { kind: "query", total: 1000 } });
    expect(parseContentRange("bytes */*")).toEqual({ ok: true, range: { kind: "query", total: undefined } });
  });

  it.each(["bytes=0-99/1000", "0-99/1000", "bytes 99-0/1000", "bytes 0-1000/1000", "bytes -1-5/10", "bytes 0-99", "bytes 1e3-2e3/5e3", ""])(
    "refuses %j with a message",
    (header) => {
      const result = parseContentRange(header);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
    },
  );
});

describe("parseRangeHeader", () => {
  it("reads the single ranges media elements send", () => {
    expect(parseRangeHeader("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRangeHeader("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRangeHeader("bytes=990-5000", 1000)).toEqual({ start: 990, end: 999 });
  });

  it("marks ranges past the end unsatisfiable and ignores what it cannot read", () => {
    expect(parseRangeHeader("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseRangeHeader("bytes=-0", 1000)).toBe("unsatisfiable");
    expect(parseRangeHeader(undefined, 1000)).toBeUndefined();
    expect(parseRangeHeader("bytes=0-1,5-9", 1000)).toBeUndefined();
    expect(parseRangeHeader("items=0-5", 1000)).toBeUndefined();
  });
});
