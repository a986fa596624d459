import { MediaRecording, mediaAccessError, pickRecordingMimeType, recordingMimeTypes } from "../../../src/core/media-recording.js";

/** A MediaRecorder stand-in driven by the test: `emit` hands over a piece as the browser's `dataavailable` does. */
class FakeRecorder {
  static supported = new Set(["video/webm;codecs=vp8,opus", "video/webm"]);
  static isTypeSupported(type: string): boolean {
    return FakeRecorder.supported.has(type);
  }
  static last: FakeRecorder | undefined;
  state: "inactive" | "recording" | "paused" = "inactive";
  readonly mimeType: string;
  timeslice: number | undefined;
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  requested = 0;
  constructor(_stream: MediaStream, options: { mimeType: string }) {
    this.mimeType = options.mimeType;
    FakeRecorder.last = this;
  }
  start(timeslice?: number) {
    this.state = "recording";
    this.timeslice = timeslice;
  }
  pause() {
    this.state = "paused";
  }
  resume() {
    this.state = "recording";
  }
  requestData() {
    this.requested++;
  }
  stop() {
    this.state = "inactive";
    queueMicrotask(() => this.onstop?.());
  }
  emit(text: string) {
    this.ondataavailable?.({ data: new Blob([text]) });
  }
}

function fakeStream() {
  const track = new EventTarget() as EventTarget & { kind: string };
  track.kind = "video";
  return { stream: { getTracks: () => [track] } as unknown as MediaStream, track };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

describe("pickRecordingMimeType", () => {
  it("takes the first type the browser records, best first", () => {
    expect(pickRecordingMimeType(recordingMimeTypes, (type) => type === "video/mp4" || type === "video/webm")).toBe("video/webm");
    expect(pickRecordingMimeType(recordingMimeTypes, (type) => type.startsWith("video/mp4"))).toBe("video/mp4;codecs=avc1,mp4a");
    expect(pickRecordingMimeType(recordingMimeTypes, () => false)).toBeUndefined();
    expect(pickRecordingMimeType(recordingMimeTypes, undefined)).toBeUndefined();
  });
});

describe("MediaRecording", () => {
  it("streams the recorder's pieces into its source in order, and the stream ends with the recording", async () => {
    const { stream } = fakeStream();
    let clock = 0;
    const recording = new MediaRecording({ stream, MediaRecorder: FakeRecorder as unknown as typeof MediaRecorder, now: () => clock, name: "lesson" });
    expect(recording.source).toMatchObject({ name: "lesson", type: "video/webm" });
    expect(recording.getSnapshot()).toMatchObject({ status: "ready", mimeType: "video/webm;codecs=vp8,opus" });
    const read = readAll(recording.source.stream);
    recording.start();
    expect(FakeRecorder.last!.timeslice).toBe(1000);
    FakeRecorder.last!.emit("one,");
    clock = 1500;
    FakeRecorder.last!.emit("two,");
    expect(recording.getSnapshot()).toMatchObject({ status: "recording", bytes: 8, elapsedMs: 1500 });
    recording.pause();
    expect(FakeRecorder.last!.requested).toBe(1);
    clock = 10_000;
    expect(recording.getSnapshot()).toMatchObject({ status: "paused", elapsedMs: 1500 });
    recording.resume();
    clock = 11_000;
    FakeRecorder.last!.emit("three");
    const blob = await recording.stop();
    expect(await read).toBe("one,two,three");
    expect(await blob.text()).toBe("one,two,three");
    expect(recording.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "user", bytes: 13, elapsedMs: 2500 });
  });

  it("stops by itself at the size cap and when a track ends, keeping what was recorded", async () => {
    const capped = new MediaRecording({ stream: fakeStream().stream, MediaRecorder: FakeRecorder as unknown as typeof MediaRecorder, maxBytes: 6 });
    capped.start();
    FakeRecorder.last!.emit("12345");
    expect(capped.getSnapshot().status).toBe("recording");
    FakeRecorder.last!.emit("678");
    expect(await (await capped.stopped).text()).toBe("12345678");
    expect(capped.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "max_bytes" });

    const { stream, track } = fakeStream();
    const unplugged = new MediaRecording({ stream, MediaRecorder: FakeRecorder as unknown as typeof MediaRecorder });
    unplugged.start();
    FakeRecorder.last!.emit("abc");
    track.dispatchEvent(new Event("ended"));
    expect(await (await unplugged.stopped).text()).toBe("abc");
    expect(unplugged.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "track_ended" });
  });

  it("stops at the duration cap, pauses left out", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const recording = new MediaRecording({ stream: fakeStream().stream, MediaRecorder: FakeRecorder as unknown as typeof MediaRecorder, maxDurationMs: 1000, now: () => clock });
      recording.start();
      clock = 600;
      vi.advanceTimersByTime(600);
      recording.pause();
      clock = 5000;
      vi.advanceTimersByTime(4400);
      expect(recording.getSnapshot().status).toBe("paused");
      recording.resume();
      clock = 5400;
      vi.advanceTimersByTime(400);
      await vi.runAllTimersAsync();
      expect(recording.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "max_duration", elapsedMs: 1000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("throws recording_unsupported without MediaRecorder or a type it records", () => {
    FakeRecorder.supported = new Set();
    try {
      expect(() => new MediaRecording({ stream: fakeStream().stream, MediaRecorder: FakeRecorder as unknown as typeof MediaRecorder })).toThrow(
        expect.objectContaining({ code: "recording_unsupported" }) as Error,
      );
    } finally {
      FakeRecorder.supported = new Set(["video/webm;codecs=vp8,opus", "video/webm"]);
    }
  });
});

describe("mediaAccessError", () => {
  it("names what getUserMedia and getDisplayMedia refuse with", () => {
    expect(mediaAccessError(new DOMException("denied", "NotAllowedError")).code).toBe("media_permission_denied");
    expect(mediaAccessError(new DOMException("none", "NotFoundError")).code).toBe("media_device_missing");
    expect(mediaAccessError(new DOMException("busy", "NotReadableError")).code).toBe("media_device_busy");
    expect(mediaAccessError(new Error("odd")).code).toBe("recording_failed");
  });
});
