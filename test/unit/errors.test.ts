import { defaultErrorMessages, errorCodeForStatus, isVideoError, VideoError, videoErrorCodes } from "../../src/core/errors.js";

describe("VideoError", () => {
  it("carries a code, a message and whether a retry can help", () => {
    const error = new VideoError("network", "lost");
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("network");
    expect(error.retryable).toBe(true);
    expect(new VideoError("file_not_video", "no").retryable).toBe(false);
    expect(JSON.parse(JSON.stringify(new VideoError("forbidden", "x")))).toEqual({
      code: "forbidden",
      message: "x",
      retryable: false,
    });
  });

  it("is recognised by its brand, so another build's or copy's VideoError passes isVideoError and instanceof", () => {
    // What a second copy of the class (the CJS build beside the ESM one) makes: the brand, none of this class.
    const OtherCopy = class VideoError extends Error {};
    Object.defineProperty(OtherCopy.prototype, Symbol.for("lesson-video-kit.VideoError"), { value: true });
    const fromOtherCopy = new OtherCopy("gone");
    expect(isVideoError(fromOtherCopy)).toBe(true);
    expect(fromOtherCopy instanceof VideoError).toBe(true);
    expect(isVideoError(new VideoError("network", "lost"))).toBe(true);
  });

  it("is not claimed by lookalikes, copies or non-objects", () => {
    const error = new VideoError("not_found", "gone", { status: 404 });
    for (const value of [{ ...error }, Object.assign(new Error("gone"), { name: "VideoError", code: "not_found" }), null, undefined, "not_found", 404]) {
      expect(isVideoError(value)).toBe(false);
      expect(value instanceof VideoError).toBe(false);
    }
  });

  it("keeps instanceof a prototype check for a subclass", () => {
    class QuotaError extends VideoError {
      constructor() {
        super("quota_exceeded", "over quota");
      }
    }
    const quota = new QuotaError();
    expect(quota instanceof QuotaError).toBe(true);
    expect(quota instanceof VideoError).toBe(true);
    expect(isVideoError(quota)).toBe(true);
    expect(new VideoError("quota_exceeded", "over quota") instanceof QuotaError).toBe(false);
  });

  it("has a message a person can read for every code", () => {
    for (const code of videoErrorCodes) expect(defaultErrorMessages[code].length).toBeGreaterThan(10);
  });

  it("maps HTTP statuses to the codes a caller acts on", () => {
    expect(errorCodeForStatus(401)).toBe("unauthorized");
    expect(errorCodeForStatus(403)).toBe("forbidden");
    expect(errorCodeForStatus(429)).toBe("rate_limited");
    expect(errorCodeForStatus(410)).toBe("upload_url_expired");
    expect(errorCodeForStatus(503)).toBe("server");
  });
});
