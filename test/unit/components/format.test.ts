import { formatBytes, formatDuration } from "../../../src/components/shared/format.js";
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
