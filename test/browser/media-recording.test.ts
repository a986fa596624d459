// Real Chromium, a real MediaRecorder: a canvas animation with a tone (no devices needed) is recorded and uploaded
// while it records, through the kit's HTTP transport and routes to the emulator, which processes the WebM
// MediaRecorder writes (no duration, no cues) to a ready asset holding exactly the bytes the recorder produced.
import { inject } from "vitest";
import { MediaRecording, UploadController, createHttpTransport, createIndexedDbRecordingStore, type UploadState } from "../../src/index.js";
import { canvasMedia, stopMedia } from "../../stories/support/canvas-media.js";

const routesUrl = inject("videoRoutesUrl");
const testApi = inject("videoRoutesTestApi");
const KiB = 1024;

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
});

/** A busy picture and a tone (stories/support/canvas-media.ts): what a camera and a microphone would give. */
function animatedStream(): { stream: MediaStream; stop: () => void } {
  const stream = canvasMedia({ busy: true });
  return { stream, stop: () => stopMedia(stream) };
}

/** Resolves with the controller's first state for which `done` holds, waiting on its changes. */
function until(controller: UploadController, done: (state: UploadState) => boolean): Promise<UploadState> {
  return new Promise((resolve) => {
    const check = () => {
      const state = controller.getSnapshot();
      if (!done(state)) return;
      unsubscribe();
      resolve(state);
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}

async function sha256(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("MediaRecording in Chromium", { timeout: 120_000 }, () => {
  it("uploads while it records: bytes reach the server before Stop, and the asset holds exactly the recording", async () => {
    const source = animatedStream();
    const recording = new MediaRecording({ stream: source.stream, timesliceMs: 250, videoBitsPerSecond: 4_000_000, name: "recorded lesson" });
    expect(recording.source.type).toBe("video/webm");
    const controller = new UploadController({
      transport: createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false }),
      chunkSize: 256 * KiB,
    });
    void controller.start(recording.source, { lessonId: "recorded-lesson" });
    recording.start();
    // While it records, the upload advances: two chunks at the server, the total still unknown.
    const during = await until(controller, (state) => state.bytesSent >= 512 * KiB);
    expect(recording.getSnapshot().status).toBe("recording");
    expect(during).toMatchObject({ status: "uploading", totalUnknown: true });

    recording.pause();
    expect(recording.getSnapshot().status).toBe("paused");
    const pausedAt = recording.getSnapshot().elapsedMs;
    recording.resume();
    expect(recording.getSnapshot().status).toBe("recording");
    expect(recording.getSnapshot().elapsedMs).toBeGreaterThanOrEqual(pausedAt);

    const recorded = await recording.stop();
    source.stop();
    expect(recording.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "user", bytes: recorded.size });
    const complete = await until(controller, (state) => state.status === "complete" || state.status === "error");
    expect(complete.status).toBe("complete");
    expect(complete).toMatchObject({ bytesSent: recorded.size, totalBytes: recorded.size });
    const asset = controller.getAsset()!;
    expect(asset).toMatchObject({ status: "ready", passthrough: "recorded-lesson" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(played.byteLength).toBe(recorded.size);
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("records fragmented MP4 where asked, uploading while it records, to a ready asset with its duration and exact bytes", async () => {
    expect(MediaRecorder.isTypeSupported("video/mp4")).toBe(true);
    const source = animatedStream();
    const recording = new MediaRecording({ stream: source.stream, mimeType: "video/mp4", timesliceMs: 250, videoBitsPerSecond: 2_000_000 });
    expect(recording.source).toMatchObject({ type: "video/mp4", name: expect.stringMatching(/\.mp4$/) as string });
    const controller = new UploadController({
      transport: createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false }),
      chunkSize: 256 * KiB,
    });
    void controller.start(recording.source, { lessonId: "recorded-mp4" });
    recording.start();
    // Fragments reach the server while it records.
    await until(controller, (state) => state.bytesSent >= 256 * KiB);
    expect(recording.getSnapshot().status).toBe("recording");
    const recorded = await recording.stop();
    source.stop();
    const complete = await until(controller, (state) => state.status === "complete" || state.status === "error");
    expect(complete.status).toBe("complete");
    const asset = controller.getAsset()!;
    expect(asset.status).toBe("ready");
    expect(asset.duration).toBeGreaterThan(0.5);
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("stops by itself when its video track ends (screen sharing stopped from the browser's bar), keeping the recording", async () => {
    const source = animatedStream();
    const recording = new MediaRecording({ stream: source.stream, timesliceMs: 100 });
    recording.start();
    await new Promise<void>((resolve) => {
      const unsubscribe = recording.subscribe(() => {
        if (recording.getSnapshot().bytes === 0) return;
        unsubscribe();
        resolve();
      });
    });
    // What the browser does when sharing stops: the track ends (a track stopped by script fires no "ended", so dispatch it).
    const video = source.stream.getVideoTracks()[0]!;
    video.dispatchEvent(new Event("ended"));
    const recorded = await recording.stopped;
    source.stop();
    expect(recording.getSnapshot()).toMatchObject({ status: "stopped", stopReason: "track_ended" });
    expect(recorded.size).toBe(recording.getSnapshot().bytes);
    expect(recorded.size).toBeGreaterThan(0);
  });

  it("keeps every piece on the device: after the page is gone mid-recording, the recording is still there to upload", async () => {
    const database = `recordings-${crypto.randomUUID()}`;
    const source = animatedStream();
    const produced: Blob[] = [];
    const store = createIndexedDbRecordingStore({ database });
    const recording = new MediaRecording({
      stream: source.stream,
      timesliceMs: 200,
      store,
      lessonId: "interrupted-lesson",
      onData: (piece) => produced.push(piece),
    });
    recording.start();
    await new Promise<void>((resolve) => {
      const unsubscribe = recording.subscribe(() => {
        if (recording.getSnapshot().bytes < 200 * KiB) return;
        unsubscribe();
        resolve();
      });
    });
    // The tab closes: nothing was uploaded. Its tracks end, the recorder hands over its last piece, and the store
    // finishes writing what it was given (a tab that dies loses at most the piece being written).
    source.stop();
    await recording.stopped;
    await store.list();

    const later = createIndexedDbRecordingStore({ database });
    const kept = await later.list();
    expect(kept).toHaveLength(1);
    const saved = kept[0]!;
    expect(saved).toMatchObject({ id: recording.id, type: "video/webm", lessonId: "interrupted-lesson" });
    const recovered = (await later.read(saved.id))!;
    // Every piece the recorder handed over, in order.
    expect(saved.pieces).toBe(produced.length);
    expect(recovered.size).toBe(saved.bytes);
    expect(await sha256(recovered)).toBe(await sha256(new Blob(produced)));

    // Finishing the upload of what was recovered: a ready asset with exactly those bytes.
    const controller = new UploadController({ transport: createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false }) });
    void controller.start(new File([recovered], saved.name, { type: saved.type }), { lessonId: "interrupted-lesson" });
    const complete = await until(controller, (state) => state.status === "complete" || state.status === "error");
    expect(complete.status).toBe("complete");
    const played = await (await fetch(controller.getAsset()!.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(recovered));
    await later.remove(saved.id);
    expect(await later.list()).toEqual([]);
  });
});
