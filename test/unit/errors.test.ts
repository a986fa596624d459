import { errorCodeForStatus, VideoError, videoErrorCodes } from "../../src/core/errors.js";
import { defaultErrorMessages } from "../../src/core/messages.js";

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
