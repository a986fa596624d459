import { formatBytes, formatDuration, formatList, formatPercent, formatSpeed } from "../../../src/components/shared/format.js";
import { formatMessage } from "../../../src/components/messages.js";
import { defaultMessages } from "../../../src/components/default-messages.js";
import { timeLeftLabel, uploadStatusLabel } from "../../../src/components/video/molecules/UploadStatus.js";
import { VideoError } from "../../../src/core/errors.js";
import type { UploadState } from "../../../src/core/types.js";

describe("formatBytes", () => {
  it("labels sizes in SI units, so the number matches its MB (108,053,826 bytes is 108 MB, not 103)", () => {
    expect(formatBytes(108_053_826, "en")).toBe("108 MB");
    expect(formatBytes(1_500_000, "en")).toBe("1.5 MB");
    expect(formatBytes(2 * 1024 * 1024, "en")).toBe("2.1 MB");
    expect(formatBytes(1000, "en")).toBe("1 kB");
    expect(formatBytes(5_000_000_000, "en")).toBe("5 GB");
  });

  it("says bytes for small sizes and moves up a unit instead of showing 1,000 of one", () => {
    expect(formatBytes(0, "en")).toBe("0 bytes");
    expect(formatBytes(1, "en")).toBe("1 byte");
    expect(formatBytes(999, "en")).toBe("999 bytes");
    expect(formatBytes(999_950, "en")).toBe("1 MB");
    expect(formatBytes(999_499, "en")).toBe("999 kB");
  });

  it("follows the locale's number format and never shows a negative or non-finite size", () => {
    expect(formatBytes(1_500_000, "de")).toBe("1,5 MB");
    expect(formatBytes(-5, "en")).toBe("0 bytes");
    expect(formatBytes(Number.NaN, "en")).toBe("0 bytes");
  });
});

describe("formatDuration", () => {
  it("reads minutes and seconds, rounded", () => {
    expect(formatDuration(75, "en")).toBe("1 min 15 sec");
    expect(formatDuration(3600 + 120, "en")).toBe("1 hr 2 min");
  });

  it("writes the units in the locale's words", () => {
    expect(formatDuration(75, "de")).toBe("1 Min., 15 Sek.");
    expect(formatDuration(40, "fr")).toMatch(/^40\ss$/);
  });
});

describe("speeds, percents and lists in the locale", () => {
  it("formats a speed as a unit per second, never a hand-built /s", () => {
    expect(formatSpeed(2_500_000, "en")).toBe("2.5 MB/s");
    expect(formatSpeed(2_500_000, "de")).toBe("2,5 MB/s");
    expect(formatSpeed(800, "en")).toBe("800 byte/s");
  });

  it("formats a percent the locale's way, clamped to 0–100", () => {
    expect(formatPercent(42, "en")).toBe("42%");
    expect(formatPercent(42, "fr")).toBe("42\u00a0%");
    expect(formatPercent(42, "tr")).toBe("%42");
    expect(formatPercent(130, "en")).toBe("100%");
  });

  it("joins names with the locale's conjunction", () => {
    expect(formatList(["a.mp4", "b.mp4", "c.mp4"], "en")).toBe("a.mp4, b.mp4, and c.mp4");
    expect(formatList(["a.mp4", "b.mp4"], "de")).toBe("a.mp4 und b.mp4");
  });
});

describe("formatMessage", () => {
  const added = { one: "{count} video added.", other: "{count} videos added." };

  it("picks the plural form by {count} with the locale's rules", () => {
    expect(formatMessage(added, { count: 1 }, "en")).toBe("1 video added.");
    expect(formatMessage(added, { count: 2 }, "en")).toBe("2 videos added.");
    expect(formatMessage(added, { count: 0 }, "en")).toBe("0 videos added.");
    const polish = { one: "{count} plik", few: "{count} pliki", many: "{count} plików", other: "{count} pliku" };
    expect([1, 2, 5, 22, 25].map((count) => formatMessage(polish, { count }, "pl"))).toEqual(["1 plik", "2 pliki", "5 plików", "22 pliki", "25 plików"]);
    const arabic = { zero: "z", one: "o", two: "t", few: "f", many: "m", other: "x" };
    expect([0, 1, 2, 3, 11, 100].map((count) => formatMessage(arabic, { count }, "ar"))).toEqual(["z", "o", "t", "f", "m", "x"]);
  });

  it("falls back to other for a category the message lacks, and without a number", () => {
    expect(formatMessage({ other: "{count} items" }, { count: 1 }, "en")).toBe("1 items");
    expect(formatMessage(added, {}, "en")).toBe("{count} videos added.");
  });

  it("writes numbers with the locale's grouping and digits; strings stay as given", () => {
    expect(formatMessage("{count} of {max}", { count: 1234, max: "5000" }, "en")).toBe("1,234 of 5000");
    expect(formatMessage("{count}", { count: 1234 }, "de")).toBe("1.234");
    expect(formatMessage("{count}", { count: 12 }, "ar-EG")).toBe("١٢");
  });

  it("takes a locale code Intl refuses as no locale", () => {
    expect(formatMessage(added, { count: 1 }, "not a locale!")).toBe("1 video added.");
  });
});

const uploading: UploadState = { progress: 99, status: "uploading", bytesSent: 99, totalBytes: 100, speed: 100, attempt: 1, file: { name: "a.mp4", size: 100, type: "video/mp4" }, uploadId: "u1" };

describe("time left", () => {
  it("says Almost done instead of About 0 sec left", () => {
    expect(timeLeftLabel(0, defaultMessages)).toBe("Almost done");
    expect(timeLeftLabel(0.4, defaultMessages)).toBe("Almost done");
    expect(timeLeftLabel(6, { ...defaultMessages, locale: "en" })).toBe("About 6 sec left");
  });
});

describe("upload status label", () => {
  const failed = (code: ConstructorParameters<typeof VideoError>[0], bytesSent = 0): UploadState => ({
    ...uploading,
    status: "error",
    bytesSent,
    error: new VideoError(code, "x"),
  });

  it("calls a file refused before any byte was sent not accepted, not a failed upload", () => {
    expect(uploadStatusLabel(failed("file_not_video"), defaultMessages)).toBe("File not accepted");
    expect(uploadStatusLabel(failed("file_too_large"), defaultMessages)).toBe("File not accepted");
    expect(uploadStatusLabel(failed("file_empty"), defaultMessages)).toBe("File not accepted");
  });

  it("still calls a lost connection or a server error a failed upload", () => {
    expect(uploadStatusLabel(failed("network"), defaultMessages)).toBe("Upload failed");
    expect(uploadStatusLabel(failed("server", 50), defaultMessages)).toBe("Upload failed");
    expect(uploadStatusLabel(uploading, defaultMessages)).toBe("Uploading");
  });
});
