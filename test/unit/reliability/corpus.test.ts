// The corpus generator keeps its promises: same bytes every run, the right signatures behind the wrong names, the
// header-only and truncated cuts where they say, names as long as they say. (What the kit does with each file is
// tested in test/browser/reliability/bad-input-corpus.test.ts.)
import { isVideoSignature } from "../../../src/core/validation.js";
import { LONG_NAME, makeCorpus, UNICODE_NAME } from "../../fixtures/corpus.js";

/** A stand-in MP4: a 24-byte ftyp box, then a moov-like box and filler. */
function fakeMp4(): Uint8Array {
  const bytes = new Uint8Array(5000).fill(1);
  bytes.set([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x69, 0x73, 0x6f, 0x32]);
  bytes.set([0, 0, 0x10, 0, 0x6d, 0x6f, 0x6f, 0x76], 24);
  return bytes;
}

const sources = { mp4: fakeMp4(), audio: new Uint8Array(300).fill(2) };

describe("the bad-input corpus generator", () => {
  it("makes the same bytes on every run", () => {
    const first = makeCorpus(sources);
    const second = makeCorpus(sources);
    expect(second.map((e) => [e.key, e.name, Array.from(e.bytes)])).toEqual(first.map((e) => [e.key, e.name, Array.from(e.bytes)]));
  });

  it("gives every renamed file the signature of what it really is, which no video sniffer accepts", () => {
    const byKey = Object.fromEntries(makeCorpus(sources).map((e) => [e.key, e]));
    expect(new TextDecoder().decode(byKey["html-as-mp4"]!.bytes.slice(0, 15))).toBe("<!doctype html>");
    expect(Array.from(byKey["png-as-mov"]!.bytes.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(Array.from(byKey["zip-as-webm"]!.bytes.slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
    for (const key of ["html-as-mp4", "png-as-mov", "zip-as-webm", "text-as-mp4"]) {
      expect(byKey[key]!.name).toMatch(/\.(mp4|mov|webm)$/);
      expect(isVideoSignature(byKey[key]!.bytes.slice(0, 1024))).toBe(false);
    }
  });

  it("cuts the header-only file at the ftyp box and the truncated one 300 bytes after it", () => {
    const byKey = Object.fromEntries(makeCorpus(sources).map((e) => [e.key, e]));
    expect(byKey["empty"]!.bytes.length).toBe(0);
    expect(Array.from(byKey["header-only-mp4"]!.bytes)).toEqual(Array.from(sources.mp4.slice(0, 24)));
    expect(byKey["truncated-mp4"]!.bytes.length).toBe(324);
    expect(byKey["tail-cut-mp4"]!.bytes.length).toBe(3000);
    expect(byKey["audio-only"]!.bytes).toBe(sources.audio);
  });

  it("names files with 301 characters and with several scripts", () => {
    expect(LONG_NAME).toHaveLength(301);
    expect(UNICODE_NAME).toMatch(/日本語/);
    expect(UNICODE_NAME).toMatch(/\p{Extended_Pictographic}/u);
  });
});
