import { bubbleInCorner, openRecordingMedia } from "../../../src/core/recording-media.js";
import { isVideoError } from "../../../src/core/errors.js";

/** A stand-in for a MediaStream a device gave: its tracks record whether they were stopped. */
function fakeStream(kinds: ("audio" | "video")[]) {
  const tracks = kinds.map((kind) => ({ kind, stopped: false, stop() { this.stopped = true; } }));
  return { stream: { getTracks: () => tracks, getVideoTracks: () => tracks.filter((t) => t.kind === "video"), getAudioTracks: () => tracks.filter((t) => t.kind === "audio") } as unknown as MediaStream, tracks };
}

describe("openRecordingMedia", () => {
  it("releases the shared screen when the camera is then refused, and rejects with the typed error", async () => {
    const screen = fakeStream(["video", "audio"]);
    const asked: string[] = [];
    const devices = {
      getDisplayMedia: () => (asked.push("screen"), Promise.resolve(screen.stream)),
      getUserMedia: () => (asked.push("camera"), Promise.reject(new DOMException("denied", "NotAllowedError"))),
    };
    const error = await openRecordingMedia({ source: "screen-camera", mediaDevices: devices }).catch((caught: unknown) => caught);
    expect(isVideoError(error) && error.code).toBe("media_permission_denied");
    // The screen is asked first, so the person picks what to share before the camera's light goes on.
    expect(asked).toEqual(["screen", "camera"]);
    expect(screen.tracks.every((track) => track.stopped)).toBe(true);
  });

  it("releases the camera when the microphone is missing", async () => {
    const camera = fakeStream(["video"]);
    const devices = {
      getDisplayMedia: () => Promise.reject(new Error("not asked")),
      getUserMedia: (constraints?: MediaStreamConstraints) =>
        constraints?.video ? Promise.resolve(camera.stream) : Promise.reject(new DOMException("none", "NotFoundError")),
    };
    const error = await openRecordingMedia({ source: "camera", mediaDevices: devices }).catch((caught: unknown) => caught);
    expect(isVideoError(error) && error.code).toBe("media_device_missing");
    expect(camera.tracks[0]!.stopped).toBe(true);
  });

  it("says recording_unsupported where the browser has no getDisplayMedia (phones) for a screen source", async () => {
    const devices = { getUserMedia: () => Promise.reject(new Error("not asked")) };
    const error = await openRecordingMedia({ source: "screen", mediaDevices: devices }).catch((caught: unknown) => caught);
    expect(isVideoError(error) && error.code).toBe("recording_unsupported");
  });
});

describe("bubbleInCorner", () => {
  it("puts the whole bubble inside the picture with a margin, in each corner", () => {
    for (const corner of ["top-left", "top-right", "bottom-left", "bottom-right"] as const) {
      const bubble = bubbleInCorner(corner, 0.3, 16 / 9);
      const radiusX = 0.15 / (16 / 9);
      expect(bubble.x - radiusX).toBeGreaterThan(0);
      expect(bubble.x + radiusX).toBeLessThan(1);
      expect(bubble.y - 0.15).toBeGreaterThan(0);
      expect(bubble.y + 0.15).toBeLessThan(1);
      expect(bubble.x < 0.5).toBe(corner.endsWith("left"));
      expect(bubble.y < 0.5).toBe(corner.startsWith("top"));
    }
  });
});
