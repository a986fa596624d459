// The UpChunk bridge against the real UploadController and memory transport, with a fake UpChunk: an EventTarget
// with UpChunk's documented events and members, whose send loop the test plays step by step. What the browser
// does with Mux's real element and the emulator is in test/browser/components/mux-stock-bridge.test.tsx.
import { OnlineManager } from "../../../src/core/online-manager.js";
import { createUpChunkBridge, upChunkError, type UpChunkEventName, type UpChunkHost, type UpChunkLike } from "../../../src/core/upchunk-bridge.js";
import { UploadController } from "../../../src/core/upload-controller.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

// The controller's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

const MiB = 1024 * 1024;

/** UpChunk as its events and public members show it; `emit` plays its send loop. */
class FakeUpChunk implements UpChunkLike {
  readonly #events = new EventTarget();
  readonly #listeners = new Map<(event: CustomEvent) => void, EventListener>();
  paused = false;
  resumes = 0;
  aborted = false;

  constructor(readonly file: File) {}

  on(eventName: UpChunkEventName, listener: (event: CustomEvent) => void): void {
    const wrapped = ((event: Event) => listener(event as CustomEvent)) as EventListener;
    this.#listeners.set(listener, wrapped);
    this.#events.addEventListener(eventName, wrapped);
  }

  off(eventName: UpChunkEventName, listener: (event: CustomEvent) => void): void {
    const wrapped = this.#listeners.get(listener);
    if (wrapped) this.#events.removeEventListener(eventName, wrapped);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumes++;
  }

  abort(): void {
    this.pause();
    this.aborted = true;
  }

  emit(eventName: UpChunkEventName, detail?: unknown): void {
    this.#events.dispatchEvent(new CustomEvent(eventName, { detail }));
  }
}

/** `<mux-uploader>` as the bridge sees it: `paused` goes to its UpChunk and is announced as `pausedchange`. */
class FakeHost extends EventTarget implements UpChunkHost {
  upload: FakeUpChunk | undefined;

  get paused(): boolean {
    return this.upload?.paused ?? false;
  }

  set paused(value: boolean) {
    if (!this.upload || value === this.upload.paused) return;
    if (value) this.upload.pause();
    else this.upload.resume();
    this.dispatchEvent(new CustomEvent("pausedchange", { detail: value }));
  }

  /** What the element does when a file is picked: makes its UpChunk, which asks `endpoint` for the URL. */
  pick(file: File, endpoint: (file?: File) => Promise<string>): Promise<string> {
    const url = endpoint(file);
    this.upload = new FakeUpChunk(file);
    return url;
  }
}

function setup() {
  const transport = createMemoryTransport({ latencyMs: 10, processingMs: 100_000 });
  const online = new OnlineManager();
  const controller = new UploadController({ transport, online });
  const host = new FakeHost();
  const runs = { started: 0, sent: 0, ended: 0 };
  const bridge = createUpChunkBridge({
    controller: () => controller,
    host: () => host,
    lessonId: "lesson-7",
    onRunStart: () => runs.started++,
    onSent: () => runs.sent++,
    onRunEnd: () => runs.ended++,
  });
  const stopFollowing = bridge.followHost(host);
  const sendFile = vi.spyOn(transport, "sendFile");
  const state = () => controller.getSnapshot();
  /** Picks `file` in the host and waits until its UpChunk has the URL and the run is uploading. */
  const uploading = async (file = createFakeVideoFile({ size: 4 * MiB })) => {
    const url = host.pick(file, bridge.endpoint);
    await vi.advanceTimersByTimeAsync(100);
    expect(state().status).toBe("uploading");
    return { url: await url, upChunk: host.upload!, file };
  };
  return { transport, online, controller, host, bridge, runs, sendFile, state, uploading, stopFollowing };
}

describe("createUpChunkBridge", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("gives UpChunk the created upload's URL and makes its progress and success the run's", async () => {
    const { uploading, state, runs } = setup();
    const { url, upChunk, file } = await uploading();
    expect(url).toBe(`memory://uploads/${state().uploadId}`);
    expect(runs).toEqual({ started: 1, sent: 0, ended: 0 });
    upChunk.emit("attempt", { chunkNumber: 0 });
    upChunk.emit("progress", 25);
    expect(state().bytesSent).toBe(file.size / 4);
    upChunk.emit("chunkSuccess", { chunk: 0 });
    upChunk.emit("progress", 100);
    upChunk.emit("success");
    await vi.advanceTimersByTimeAsync(0);
    expect(state()).toMatchObject({ status: "processing", bytesSent: file.size });
    expect(runs).toEqual({ started: 1, sent: 1, ended: 0 });
  });

  it("fails the run with the error UpChunk's response status means, and ends the element's run", async () => {
    const { uploading, state, runs, controller, sendFile } = setup();
    const { upChunk } = await uploading();
    upChunk.emit("attempt", { chunkNumber: 0 });
    upChunk.emit("error", { message: "Server responded with 404. Stopping upload.", response: { statusCode: 503 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(state()).toMatchObject({ status: "error", error: { code: "server", status: 503, retryable: true } });
    expect(runs.ended).toBe(1);
    // Retry is the kit's own sender's, from the server's byte.
    expect(controller.retry()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sendFile).toHaveBeenCalledTimes(1);
    expect(sendFile.mock.calls[0]![2].resumeFrom).toBeDefined();
  });

  it.each([
    ["a 5xx", { response: { statusCode: 500 } }, { code: "server", status: 500, retryable: true }],
    ["a 429 with Retry-After", { response: { statusCode: 429, headers: { "retry-after": "7" } } }, { code: "rate_limited", status: 429, retryAfter: 7 }],
    ["a 403", { response: { statusCode: 403 } }, { code: "forbidden", status: 403, retryable: false }],
    ["a failed connection (status 0)", { response: { statusCode: 0 } }, { code: "network", retryable: true }],
    ["no response at all", { message: "Server responded with 500. Stopping upload." }, { code: "network", retryable: true }],
  ])("reads %s from the event's detail, never from its message", (_case, detail, expected) => {
    expect(upChunkError(new CustomEvent("error", { detail }))).toMatchObject(expected);
  });

  it("pauses UpChunk through its element and resumes it only once the chunk in flight has landed", async () => {
    const { uploading, controller, host, state } = setup();
    const { upChunk } = await uploading();
    upChunk.emit("attempt", { chunkNumber: 1 });
    controller.pause();
    expect(host.paused).toBe(true);
    expect(state()).toMatchObject({ status: "paused", pausedReason: "user" });
    controller.resume();
    await vi.advanceTimersByTimeAsync(1000);
    // The chunk is still in flight: a resume now would start a second send loop.
    expect(upChunk.resumes).toBe(0);
    upChunk.emit("chunkSuccess", { chunk: 1 });
    expect(upChunk.resumes).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(upChunk.resumes).toBe(1);
    expect(state().status).toBe("uploading");
  });

  it("keeps an offline pause offline: its own pause of the element is not taken for the user's", async () => {
    const { uploading, online, host, state } = setup();
    await uploading();
    online.setOnline(false);
    expect(host.paused).toBe(true);
    expect(state()).toMatchObject({ status: "paused", pausedReason: "offline" });
  });

  it("follows the element's own Pause and Resume buttons", async () => {
    const { uploading, host, state } = setup();
    const { upChunk } = await uploading();
    upChunk.emit("attempt", { chunkNumber: 0 });
    host.paused = true;
    expect(state()).toMatchObject({ status: "paused", pausedReason: "user" });
    upChunk.emit("chunkSuccess", { chunk: 0 });
    host.paused = false;
    expect(state().status).toBe("uploading");
    await vi.advanceTimersByTimeAsync(0);
    // Its button resumed UpChunk itself; the bridge does not resume it a second time.
    expect(upChunk.resumes).toBe(1);
  });

  it("hands the rest to the kit's sender when paused while UpChunk waited to retry a chunk", async () => {
    const { uploading, controller, state, runs, sendFile, transport } = setup();
    const { upChunk, file } = await uploading();
    upChunk.emit("attempt", { chunkNumber: 2 });
    upChunk.emit("attemptFailure", { chunkNumber: 2, attemptsLeft: 4 });
    controller.pause();
    controller.resume();
    await vi.advanceTimersByTimeAsync(0);
    // UpChunk parks a chunk it was paused over without any event: it is stopped for good instead.
    expect(upChunk.aborted).toBe(true);
    expect(upChunk.resumes).toBe(0);
    expect(runs.ended).toBe(1);
    expect(sendFile).toHaveBeenCalledTimes(1);
    expect(sendFile.mock.calls[0]![2].resumeFrom).toBeDefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state().status).toBe("processing");
    expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
  });

  it("aborts UpChunk and gives the element back on cancel", async () => {
    const { uploading, controller, runs, state } = setup();
    const { upChunk } = await uploading();
    upChunk.emit("attempt", { chunkNumber: 0 });
    controller.cancel();
    expect(upChunk.aborted).toBe(true);
    expect(runs.ended).toBe(1);
    expect(state().status).toBe("idle");
  });

  it("refuses a file that is not a video before UpChunk gets a URL", async () => {
    const { host, bridge, runs, state, transport } = setup();
    const url = host.pick(new File(["<!doctype html><title>x</title>"], "lesson.mp4", { type: "video/mp4" }), bridge.endpoint);
    const refused = expect(url).rejects.toMatchObject({ code: "file_not_video" });
    await vi.advanceTimersByTimeAsync(100);
    await refused;
    expect(state().status).toBe("error");
    expect(runs.ended).toBe(1);
    expect(transport.calls.createUpload).toBe(0);
  });

  it("starts an UpChunk paused before its URL existed, once it has taken the URL", async () => {
    const { host, bridge, state } = setup();
    const file = createFakeVideoFile({ size: 4 * MiB });
    void host.pick(file, bridge.endpoint);
    host.upload!.pause();
    await vi.advanceTimersByTimeAsync(100);
    expect(state().status).toBe("uploading");
    expect(host.upload!.paused).toBe(false);
    expect(host.upload!.resumes).toBe(1);
  });
});
