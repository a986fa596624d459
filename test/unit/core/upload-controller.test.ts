import { createFetchRequester } from "../../../src/core/chunk-requester.js";
import type { VideoEvent } from "../../../src/core/events.js";
import { AssetWatcher } from "../../../src/core/asset-watcher.js";
import { OnlineManager } from "../../../src/core/online-manager.js";
import type { UploadTarget, VideoTransport } from "../../../src/core/types.js";
import { type ExternalSendFile, UploadController, type UploadControllerOptions } from "../../../src/core/upload-controller.js";
import { createVideoError } from "../../../src/core/errors.js";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";
import { KiB, randomBytes, ResumableServer } from "./resumable-server.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

// The controller's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

const MiB = 1024 * KiB;

function setup(script: MemoryTransportOptions = {}, options: Partial<UploadControllerOptions> = {}) {
  const transport = createMemoryTransport({ bytesPerSecond: MiB, processingMs: 2000, latencyMs: 10, ...script });
  const events: VideoEvent[] = [];
  const controller = new UploadController({ transport, onEvent: (e) => events.push(e), ...options });
  const statuses: string[] = [];
  controller.subscribe(() => {
    const status = controller.getSnapshot().status;
    if (statuses.at(-1) !== status) statuses.push(status);
  });
  const sendFile = vi.spyOn(transport, "sendFile");
  return { transport, controller, events, statuses, sendFile, state: () => controller.getSnapshot() };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The asset as the transport's fake backend has it now (its latency passes on the fake clock). */
async function assetAt(transport: VideoTransport, assetId: string) {
  const read = transport.getAsset(assetId, { signal: new AbortController().signal });
  read.catch(() => undefined);
  await advance(100);
  return read;
}
const htmlFile = () => new File(["<!doctype html><title>not a video</title>"], "lesson.mp4", { type: "video/mp4" });

describe("UploadController", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("goes idle → validating → requesting → uploading → processing → complete and ends with a ready asset", async () => {
    const { controller, statuses, events, state, transport } = setup();
    expect(state().status).toBe("idle");
    const file = createFakeVideoFile({ size: 3 * MiB });
    const done = controller.start(file, { lessonId: "lesson-1" });
    await advance(10_000);
    await done;
    expect(statuses).toEqual(["validating", "requesting", "uploading", "processing", "complete"]);
    expect(state()).toMatchObject({ bytesSent: file.size, totalBytes: file.size, progress: 100, attempt: 1 });
    expect(state().uploadId).toBe("upload-1");
    expect(controller.getAsset()).toMatchObject({ status: "ready", id: state().assetId });
    expect(transport.receivedBytes("upload-1")).toBe(file.size);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("upload_started");
    expect(types).toContain("upload_progress");
    expect(types.slice(-2)).toEqual(["upload_succeeded", "processing_ready"]);
    const progressTimes = events.filter((e) => e.type === "upload_progress").map((e) => e.at);
    expect(progressTimes.length).toBeGreaterThan(1);
    for (let i = 1; i < progressTimes.length; i++) expect(progressTimes[i]! - progressTimes[i - 1]!).toBeGreaterThanOrEqual(1000);
    const succeeded = events.find((e) => e.type === "upload_succeeded");
    expect(succeeded).toMatchObject({ totalBytes: file.size });
    expect(succeeded && "durationMs" in succeeded && succeeded.durationMs).toBeGreaterThan(2900);
  });

  it("smooths the speed and computes the time left from it", async () => {
    const { controller, state } = setup({ bytesPerSecond: MiB });
    void controller.start(createFakeVideoFile({ size: 10 * MiB }));
    await advance(4000);
    const { speed, eta, bytesSent, totalBytes } = state();
    expect(speed).toBeGreaterThan(0.95 * MiB);
    expect(speed).toBeLessThan(1.05 * MiB);
    expect(eta).toBeCloseTo((totalBytes - bytesSent) / speed, 5);
  });

  describe("validation", () => {
    it.each([
      ["an HTML page renamed lesson.mp4", "file_not_video", htmlFile, {}],
      ["an empty file", "file_empty", () => new File([], "lesson.mp4", { type: "video/mp4" }), {}],
      ["a file over the limit", "file_too_large", () => createFakeVideoFile({ size: 2 * MiB }), { maxFileSize: MiB }],
      ["a PDF", "file_type_not_allowed", () => createFakeVideoFile({ name: "notes.pdf", type: "application/pdf" }), {}],
    ])("refuses %s before any request, with %s", async (_, code, makeFile, limits) => {
      const { controller, statuses, transport, events } = setup({}, { limits });
      await controller.start(makeFile());
      expect(statuses).toEqual(["validating", "error"]);
      expect(controller.getSnapshot().error).toMatchObject({ code, retryable: false });
      expect(transport.calls.createUpload).toBe(0);
      expect(controller.retry()).toBe(false);
      expect(events).toEqual([expect.objectContaining({ type: "upload_failed", code })]);
    });
  });

  describe("creating the upload", () => {
    it.each([
      ["unauthorized", false],
      ["forbidden", false],
      ["bad_request", false],
      ["quota_exceeded", false],
      ["rate_limited", true],
      ["server", true],
      ["network", true],
    ] as const)("fails with %s when the backend refuses (retryable: %s)", async (code, retryable) => {
      const { controller, statuses } = setup({ createUploadError: code });
      const done = controller.start(createFakeVideoFile({ size: MiB }));
      await advance(100);
      await done;
      expect(statuses).toEqual(["validating", "requesting", "error"]);
      expect(controller.getSnapshot().error).toMatchObject({ code, retryable });
    });

    it("retries the request after a retryable refusal and completes", async () => {
      const { controller, transport, statuses, state } = setup({ createUploadError: "rate_limited" });
      void controller.start(createFakeVideoFile({ size: MiB }));
      await advance(100);
      transport.update({ createUploadError: undefined });
      expect(controller.retry()).toBe(true);
      await advance(10_000);
      expect(statuses).toEqual(["validating", "requesting", "error", "requesting", "uploading", "processing", "complete"]);
      expect(state().attempt).toBe(2);
      expect(transport.calls.createUpload).toBe(2);
    });
  });

  describe("pause and resume", () => {
    it("pauses, sends nothing while paused, and resumes from the committed byte", async () => {
      const { controller, transport, statuses, state, sendFile, events } = setup();
      void controller.start(createFakeVideoFile({ size: 4 * MiB }));
      await advance(1500);
      controller.pause();
      const held = transport.receivedBytes("upload-1");
      expect(held).toBeGreaterThan(0);
      expect(state()).toMatchObject({ status: "paused", pausedReason: "user", speed: 0 });
      await advance(10_000);
      expect(transport.receivedBytes("upload-1")).toBe(held);
      controller.resume();
      expect(sendFile.mock.calls.at(-1)?.[2].resumeFrom).toBe(state().bytesSent);
      await advance(20);
      expect(state().bytesSent).toBeGreaterThanOrEqual(held);
      await advance(10_000);
      expect(statuses).toEqual(["validating", "requesting", "uploading", "paused", "uploading", "processing", "complete"]);
      expect(events.filter((e) => e.type === "upload_paused")).toEqual([expect.objectContaining({ reason: "user", bytesSent: held })]);
    });

    it("ignores pause outside uploading and resume outside paused", async () => {
      const { controller, state } = setup();
      controller.pause();
      controller.resume();
      expect(state().status).toBe("idle");
    });
  });

  describe("offline", () => {
    it("once disposed mid-upload sends nothing more, ignores offline → online, and stops following the online source", async () => {
      const online = new OnlineManager();
      const { controller, state, transport, sendFile } = setup({}, { online });
      void controller.start(createFakeVideoFile({ size: 8 * MiB }));
      await advance(1500);
      controller.dispose();
      expect(state()).toMatchObject({ status: "paused", pausedReason: "disposed" });
      expect(online.hasListeners()).toBe(false);
      const held = transport.receivedBytes("upload-1");
      online.setOnline(false);
      online.setOnline(true);
      await advance(60_000);
      expect(transport.receivedBytes("upload-1")).toBe(held);
      expect(sendFile).toHaveBeenCalledTimes(1);
      expect(state().status).toBe("paused");
      expect(transport.calls.cancelUpload).toBe(0);
    });

    it("a disposed controller continues only when asked: resume() sends the rest from the committed byte", async () => {
      const { controller, state, transport, sendFile } = setup();
      const file = createFakeVideoFile({ size: 4 * MiB });
      void controller.start(file);
      await advance(1500);
      controller.dispose();
      await advance(5000);
      controller.resume();
      await advance(20_000);
      expect(state()).toMatchObject({ status: "complete", bytesSent: file.size });
      expect(transport.receivedBytes("upload-1")).toBe(file.size);
      expect(sendFile.mock.calls[1]![2].resumeFrom).toBeGreaterThan(0);
    });

    it("a disposed controller revives for a new file: start() uploads it and tells the listeners that subscribe again", async () => {
      const { controller, transport } = setup();
      controller.dispose();
      const seen: string[] = [];
      controller.subscribe(() => seen.push(controller.getSnapshot().status));
      const file = createFakeVideoFile({ size: MiB });
      void controller.start(file);
      await advance(20_000);
      expect(controller.getSnapshot()).toMatchObject({ status: "complete", asset: { status: "ready" } });
      expect(controller.getAsset()).toBe(controller.getSnapshot().asset);
      expect(seen).toContain("uploading");
      expect(transport.receivedBytes("upload-1")).toBe(file.size);
    });

    it("an online change does not wake a controller disposed while paused offline", async () => {
      const online = new OnlineManager();
      const { controller, state, transport } = setup({}, { online });
      void controller.start(createFakeVideoFile({ size: 3 * MiB }));
      await advance(1000);
      online.setOnline(false);
      controller.dispose();
      expect(state()).toMatchObject({ status: "paused", pausedReason: "disposed" });
      const held = transport.receivedBytes("upload-1");
      online.setOnline(true);
      await advance(10_000);
      expect(state()).toMatchObject({ status: "paused", pausedReason: "disposed" });
      expect(transport.receivedBytes("upload-1")).toBe(held);
    });

    it("pauses when the browser goes offline and resumes when it is back", async () => {
      const online = new OnlineManager();
      const { controller, state, statuses, events } = setup({}, { online });
      void controller.start(createFakeVideoFile({ size: 3 * MiB }));
      await advance(1000);
      online.setOnline(false);
      expect(state()).toMatchObject({ status: "paused", pausedReason: "offline" });
      const held = state().bytesSent;
      await advance(5000);
      expect(state().bytesSent).toBe(held);
      online.setOnline(true);
      expect(state().status).toBe("uploading");
      await advance(10_000);
      expect(statuses).toEqual(["validating", "requesting", "uploading", "paused", "uploading", "processing", "complete"]);
      expect(events.find((e) => e.type === "upload_paused")).toMatchObject({ reason: "offline" });
    });

    it("sends nothing while the browser is offline when the bytes would start, and starts once it is back", async () => {
      const online = new OnlineManager();
      online.setOnline(false);
      const { controller, state, sendFile, transport } = setup({}, { online });
      const file = createFakeVideoFile({ size: 2 * MiB });
      void controller.start(file);
      await advance(1000);
      expect(state()).toMatchObject({ status: "paused", pausedReason: "offline" });
      expect(sendFile).not.toHaveBeenCalled();
      online.setOnline(true);
      await advance(10_000);
      expect(state().status).toBe("complete");
      expect(sendFile).toHaveBeenCalledTimes(1);
      expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
    });

    it("does not resume on its own an upload the user paused", async () => {
      const online = new OnlineManager();
      const { controller, state } = setup({}, { online });
      void controller.start(createFakeVideoFile({ size: 3 * MiB }));
      await advance(1000);
      controller.pause();
      online.setOnline(false);
      online.setOnline(true);
      expect(state()).toMatchObject({ status: "paused", pausedReason: "user" });
    });
  });

  describe("errors while uploading", () => {
    it("retries a dropped upload from the byte the server committed, not from zero", async () => {
      const { controller, state, sendFile, events, transport } = setup({ failAt: { byte: 1.5 * MiB, code: "network" } });
      void controller.start(createFakeVideoFile({ size: 3 * MiB }));
      await advance(3000);
      expect(state()).toMatchObject({ status: "error", bytesSent: 1.5 * MiB });
      expect(state().error).toMatchObject({ code: "network", retryable: true });
      expect(controller.retry()).toBe(true);
      expect(sendFile.mock.calls.at(-1)?.[2].resumeFrom).toBe(1.5 * MiB);
      await advance(10_000);
      expect(state()).toMatchObject({ status: "complete", attempt: 2 });
      expect(transport.calls.createUpload).toBe(1);
      expect(events.find((e) => e.type === "upload_retried")).toMatchObject({ attempt: 2, fromByte: 1.5 * MiB });
      expect(events.find((e) => e.type === "upload_failed")).toMatchObject({ code: "network", bytesSent: 1.5 * MiB });
    });

    it("asks for a fresh upload when the upload URL expired", async () => {
      const { controller, state, transport } = setup({ failAt: { byte: MiB, code: "upload_url_expired" } });
      void controller.start(createFakeVideoFile({ size: 2 * MiB }));
      await advance(2000);
      expect(state().error?.code).toBe("upload_url_expired");
      controller.retry();
      await advance(10_000);
      expect(state()).toMatchObject({ status: "complete", uploadId: "upload-2" });
      expect(transport.calls.createUpload).toBe(2);
      expect(transport.receivedBytes("upload-2")).toBe(2 * MiB);
    });

    it("fails with server on a 5xx from a custom sender and can be retried", async () => {
      const { controller, state } = setup({ failAt: { byte: MiB, code: "server" } });
      void controller.start(createFakeVideoFile({ size: 2 * MiB }));
      await advance(2000);
      expect(state().error).toMatchObject({ code: "server", retryable: true });
    });
  });

  describe("processing", () => {
    it("fails with processing_failed when the asset errors, and that is not retryable", async () => {
      const { controller, state, statuses, events } = setup({ assetError: { type: "invalid_input", message: "no video track" } });
      void controller.start(createFakeVideoFile({ size: MiB }));
      await advance(10_000);
      expect(statuses.slice(-2)).toEqual(["processing", "error"]);
      expect(state().error).toMatchObject({ code: "processing_failed", retryable: false });
      expect(controller.getAsset()?.status).toBe("errored");
      expect(controller.retry()).toBe(false);
      expect(events.at(-1)).toMatchObject({ type: "processing_failed", code: "processing_failed", assetId: state().assetId });
    });

    it("gives up with timeout when processing takes too long, and a retry watches again", async () => {
      const transport = createMemoryTransport({ bytesPerSecond: MiB, processingMs: 30_000, latencyMs: 10 });
      const watcher = new AssetWatcher({ transport, timeoutMs: 20_000 });
      const controller = new UploadController({ transport, watcher });
      void controller.start(createFakeVideoFile({ size: MiB }));
      await advance(25_000);
      expect(controller.getSnapshot().error).toMatchObject({ code: "timeout", retryable: true });
      expect(controller.retry()).toBe(true);
      expect(controller.getSnapshot().status).toBe("processing");
      await advance(40_000);
      expect(controller.getSnapshot().status).toBe("complete");
    });

    it("fails with not_found when the backend lost the upload", async () => {
      const transport = createMemoryTransport({ latencyMs: 10 });
      const controller = new UploadController({
        transport: { ...transport, getUpload: () => Promise.reject(createVideoError("not_found", { status: 404 })) },
      });
      void controller.start(createFakeVideoFile({ size: 256 * KiB }));
      await advance(5000);
      expect(controller.getSnapshot().error?.code).toBe("not_found");
    });
  });

  describe("cancel and reset", () => {
    it("cancels a running upload: back to idle, the backend is told, and an aborted event is sent", async () => {
      const { controller, state, transport, events } = setup();
      void controller.start(createFakeVideoFile({ size: 4 * MiB }));
      await advance(1000);
      controller.cancel();
      expect(state()).toMatchObject({ status: "idle", bytesSent: 0, attempt: 0 });
      await advance(100);
      expect(transport.calls.cancelUpload).toBe(1);
      expect(transport.uploadInfo("upload-1")?.status).toBe("cancelled");
      expect(events.at(-1)).toMatchObject({ type: "upload_failed", code: "aborted" });
      const held = transport.receivedBytes("upload-1");
      await advance(10_000);
      expect(transport.receivedBytes("upload-1")).toBe(held);
      expect(state().status).toBe("idle");
    });

    it("clears an ended run with cancel, complete or failed, without a failure event", async () => {
      const { controller, state, events } = setup();
      const done = controller.start(createFakeVideoFile({ size: MiB }));
      await advance(10_000);
      await done;
      expect(state().status).toBe("complete");
      const afterComplete = events.length;
      controller.cancel();
      expect(state().status).toBe("idle");
      expect(events.slice(afterComplete).map((e) => e.type)).toEqual([]);

      await controller.start(htmlFile());
      expect(state().status).toBe("error");
      const afterError = events.length;
      controller.cancel();
      expect(state().status).toBe("idle");
      expect(events.slice(afterError).map((e) => e.type)).toEqual([]);
    });

    it.each([
      ["validating", null],
      ["requesting", 5],
      ["uploading", 1000],
      ["paused", 1000],
      ["processing", 2500],
    ] as const)("cancels from %s back to idle and makes no request after", async (status, after) => {
      const { controller, state, transport } = setup({ processingMs: 60_000 });
      void controller.start(createFakeVideoFile({ size: MiB }));
      // Validation reads the file asynchronously: it is still running right after start().
      if (after !== null) await advance(after);
      if (status === "paused") controller.pause();
      expect(state().status).toBe(status);
      controller.cancel();
      expect(state().status).toBe("idle");
      await advance(100);
      const calls = { ...transport.calls };
      await advance(120_000);
      expect(transport.calls).toEqual(calls);
      expect(state().status).toBe("idle");
    });

    it("resets a completed upload to idle without cancelling anything", async () => {
      const { controller, transport, state } = setup();
      void controller.start(createFakeVideoFile({ size: MiB }));
      await advance(10_000);
      const assetId = state().assetId!;
      controller.cancel();
      expect(state().status).toBe("idle");
      expect(controller.getAsset()).toBeNull();
      await advance(100);
      expect(transport.calls).toMatchObject({ cancelUpload: 0, discardUpload: 0 });
      // The video may be the one a lesson keeps: it is still there.
      await expect(assetAt(transport, assetId)).resolves.toMatchObject({ status: "ready" });
    });

    describe("cancel({ discardAsset: true }): an abandoned take", () => {
      it.each([
        ["complete", 10_000],
        ["processing", 3500],
      ] as const)("asks the transport to discard a %s upload, and its asset is gone", async (status, after) => {
        const { controller, transport, state } = setup({ processingMs: 5000 });
        void controller.start(createFakeVideoFile({ size: MiB }));
        await advance(after);
        expect(state().status).toBe(status);
        const { uploadId, assetId } = state();
        expect(assetId).toEqual(expect.any(String));
        const discard = vi.spyOn(transport, "discardUpload");
        controller.cancel({ discardAsset: true });
        expect(state().status).toBe("idle");
        expect(discard).toHaveBeenCalledExactlyOnceWith(uploadId);
        await advance(100);
        expect(transport.calls.cancelUpload).toBe(0);
        await expect(assetAt(transport, assetId!)).rejects.toMatchObject({ code: "not_found" });
        await advance(10_000);
        expect(state().status).toBe("idle");
      });

      it("discards an upload still sending: cancelled at the backend, no asset made", async () => {
        const { controller, transport, state } = setup();
        void controller.start(createFakeVideoFile({ size: 4 * MiB }));
        await advance(1000);
        expect(state().status).toBe("uploading");
        controller.cancel({ discardAsset: true });
        await advance(100);
        expect(transport.calls).toMatchObject({ discardUpload: 1, cancelUpload: 0 });
        expect(transport.uploadInfo("upload-1")).toEqual({ uploadId: "upload-1", status: "cancelled" });
      });

      it("with a transport without discardUpload, cancels an upload still sending as before and only forgets a finished one", async () => {
        const { transport } = setup();
        const { discardUpload: _discard, ...rest } = transport;
        const plain: VideoTransport = { ...rest, discardUpload: undefined };
        const sending = new UploadController({ transport: plain });
        void sending.start(createFakeVideoFile({ size: 4 * MiB }));
        await advance(1000);
        sending.cancel({ discardAsset: true });
        await advance(100);
        expect(transport.calls).toMatchObject({ cancelUpload: 1, discardUpload: 0 });

        const finished = new UploadController({ transport: plain });
        void finished.start(createFakeVideoFile({ size: MiB }));
        await advance(10_000);
        const assetId = finished.getSnapshot().assetId!;
        finished.cancel({ discardAsset: true });
        await advance(100);
        expect(transport.calls).toMatchObject({ cancelUpload: 1, discardUpload: 0 });
        await expect(assetAt(transport, assetId)).resolves.toMatchObject({ status: "ready" });
      });

      it("a new start() that replaces a finished run never discards its asset", async () => {
        const { controller, transport, state } = setup();
        void controller.start(createFakeVideoFile({ size: MiB, name: "first.mp4" }));
        await advance(10_000);
        const first = state().assetId!;
        void controller.start(createFakeVideoFile({ size: MiB, name: "second.mp4" }));
        await advance(10_000);
        expect(transport.calls).toMatchObject({ cancelUpload: 0, discardUpload: 0 });
        await expect(assetAt(transport, first)).resolves.toMatchObject({ status: "ready" });
      });

      it("a failed discard is swallowed: the controller stays idle and ready for another file", async () => {
        const { controller, transport, state } = setup();
        void controller.start(createFakeVideoFile({ size: MiB }));
        await advance(10_000);
        vi.spyOn(transport, "discardUpload").mockRejectedValue(createVideoError("server"));
        controller.cancel({ discardAsset: true });
        await advance(100);
        expect(state().status).toBe("idle");
        void controller.start(createFakeVideoFile({ size: MiB }));
        await advance(10_000);
        expect(state().status).toBe("complete");
      });
    });

    it("a new start supersedes the running upload: it is cancelled and its progress never leaks into the new one", async () => {
      const { controller, state, transport } = setup();
      void controller.start(createFakeVideoFile({ size: 8 * MiB, name: "first.mp4" }));
      await advance(2000);
      void controller.start(createFakeVideoFile({ size: MiB, name: "second.mp4" }));
      await advance(10_000);
      expect(state()).toMatchObject({ status: "complete", totalBytes: MiB, bytesSent: MiB, file: { name: "second.mp4" } });
      expect(transport.uploadInfo("upload-1")?.status).toBe("cancelled");
    });
  });

  describe("with the chunked-PUT sender (transport without sendFile)", () => {
    it("retries after the sender gave up, resuming from the server's offset, and the server holds the file", async () => {
      const content = randomBytes(1024 * KiB);
      // An MP4 ftyp box in front, so validation lets the random bytes through.
      content.set([0, 0, 0, 16, ...Array.from("ftypisom", (c) => c.charCodeAt(0)), 0, 0, 2, 0]);
      const server = new ResumableServer(content.length);
      const memory = createMemoryTransport({ latencyMs: 10 });
      const transport: VideoTransport = {
        createUpload: async (req, opts) => ({ ...(await memory.createUpload(req, opts)), url: "https://upload.test/u" }),
        getUpload: async () => ({ uploadId: "upload-1", status: "asset_created", assetId: "a1" }),
        getAsset: async () => ({ id: "a1", status: "ready", playbackId: "p1" }),
      };
      const controller = new UploadController({
        transport,
        request: createFetchRequester(server.fetch),
        chunkSize: 256 * KiB,
        retry: { retries: 1, baseDelayMs: 100, jitter: 0 },
      });
      const fail = () => new Response(null, { status: 503 });
      server.faults = [() => undefined, () => "drop-after-half", fail];
      void controller.start(new File([content], "lesson.mp4", { type: "video/mp4" }));
      await advance(1000);
      expect(controller.getSnapshot().error?.code).toBe("server");
      expect(server.committed).toBe(384 * KiB);
      controller.retry();
      await advance(1000);
      expect(server.seen.at(-4)?.contentRange).toBe(`bytes */${content.length}`);
      expect(server.seen.at(-3)?.contentRange).toBe(`bytes 393216-655359/${content.length}`);
      expect(controller.getSnapshot().status).toBe("complete");
      expect(server.holds(content)).toBe(true);
    });
  });

  describe("with an outside sender (start's sendFile)", () => {
    /** An outside uploader that moves the bytes through the memory backend and reports only through `onProgress`. */
    function outsideSender(transport: ReturnType<typeof setup>["transport"]) {
      const calls: { target: UploadTarget; resumeFrom: number | undefined; aborted: () => boolean }[] = [];
      const send: ExternalSendFile = (file, target, options) => {
        calls.push({ target, resumeFrom: options.resumeFrom, aborted: () => options.signal.aborted });
        return transport.sendFile(file, target, options);
      };
      return { send, calls };
    }

    it("gives the outside sender the created upload and keeps progress, processing and the ready asset", async () => {
      const { controller, statuses, state, transport, events } = setup();
      const outside = outsideSender(transport);
      const file = createFakeVideoFile({ size: 3 * MiB });
      const done = controller.start(file, { lessonId: "lesson-9", sendFile: outside.send });
      await advance(10_000);
      await done;
      expect(outside.calls).toHaveLength(1);
      expect(outside.calls[0]!.target.uploadId).toBe(state().uploadId);
      expect(outside.calls[0]!.resumeFrom).toBeUndefined();
      expect(statuses).toEqual(["validating", "requesting", "uploading", "processing", "complete"]);
      expect(state()).toMatchObject({ bytesSent: file.size, progress: 100 });
      expect(controller.getAsset()).toMatchObject({ status: "ready", id: state().assetId });
      expect(events.map((e) => e.type)).toContain("upload_progress");
    });

    it("never calls the outside sender for a file that is not a video", async () => {
      const { controller, state, transport } = setup();
      const outside = outsideSender(transport);
      await controller.start(htmlFile(), { sendFile: outside.send });
      expect(state()).toMatchObject({ status: "error", error: { code: "file_not_video" } });
      expect(outside.calls).toHaveLength(0);
      expect(transport.calls.createUpload).toBe(0);
    });

    it("aborts the outside sender's signal on pause and calls it again with resumeFrom on resume", async () => {
      const { controller, state, transport } = setup();
      const outside = outsideSender(transport);
      const file = createFakeVideoFile({ size: 4 * MiB });
      void controller.start(file, { sendFile: outside.send });
      await advance(1500);
      controller.pause();
      expect(state().status).toBe("paused");
      expect(outside.calls[0]!.aborted()).toBe(true);
      const pausedAt = state().bytesSent;
      expect(pausedAt).toBeGreaterThan(0);
      controller.resume();
      expect(outside.calls).toHaveLength(2);
      expect(outside.calls[1]!.resumeFrom).toBe(pausedAt);
      await advance(10_000);
      expect(state().status).toBe("complete");
      expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
    });

    it("after the outside sender gave up, retry sends the rest with the controller's own sender", async () => {
      const { controller, state, transport, sendFile } = setup({ failAt: { byte: 2 * MiB, code: "network" } });
      const outside = outsideSender(transport);
      const file = createFakeVideoFile({ size: 3 * MiB });
      void controller.start(file, { sendFile: outside.send });
      await advance(5000);
      expect(state()).toMatchObject({ status: "error", error: { code: "network", retryable: true }, bytesSent: 2 * MiB });
      const callsBeforeRetry = sendFile.mock.calls.length;
      expect(controller.retry()).toBe(true);
      await advance(10_000);
      expect(state().status).toBe("complete");
      expect(outside.calls).toHaveLength(1);
      expect(sendFile.mock.calls.length).toBe(callsBeforeRetry + 1);
      expect(sendFile.mock.calls.at(-1)![2].resumeFrom).toBe(2 * MiB);
      expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
    });

    it("uses it for its own run only: a later start without one sends with the transport", async () => {
      const { controller, state, transport, sendFile } = setup();
      const outside = outsideSender(transport);
      void controller.start(createFakeVideoFile({ size: 2 * MiB }), { sendFile: outside.send });
      await advance(10_000);
      expect(state().status).toBe("complete");
      const callsAfterFirst = sendFile.mock.calls.length;
      void controller.start(createFakeVideoFile({ name: "second.mp4", size: 2 * MiB }));
      await advance(10_000);
      expect(state()).toMatchObject({ status: "complete", file: { name: "second.mp4" } });
      expect(outside.calls).toHaveLength(1);
      expect(sendFile.mock.calls.length).toBe(callsAfterFirst + 1);
    });

    it("after createUpload failed, retry creates the upload and sends with the transport, not the outside sender", async () => {
      const { controller, state, transport } = setup({ createUploadError: "server" });
      const outside = outsideSender(transport);
      const file = createFakeVideoFile({ size: 2 * MiB });
      void controller.start(file, { sendFile: outside.send });
      await advance(1000);
      expect(state()).toMatchObject({ status: "error", error: { code: "server" } });
      transport.update({ createUploadError: undefined });
      expect(controller.retry()).toBe(true);
      await advance(10_000);
      expect(state().status).toBe("complete");
      expect(outside.calls).toHaveLength(0);
      expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
    });

    it("tells the outside sender why it stopped in its signal's reason", async () => {
      const { controller, transport } = setup();
      const outside = outsideSender(transport);
      const reasons: unknown[] = [];
      const send: ExternalSendFile = (file, target, options) => {
        options.signal.addEventListener("abort", () => reasons.push(options.signal.reason));
        return outside.send(file, target, options);
      };
      void controller.start(createFakeVideoFile({ size: 8 * MiB }), { sendFile: send });
      await advance(1000);
      controller.pause();
      controller.resume();
      await advance(1000);
      controller.dispose();
      controller.resume();
      await advance(1000);
      void controller.start(createFakeVideoFile({ name: "next.mp4", size: 8 * MiB }), { sendFile: send });
      await advance(1000);
      controller.cancel();
      expect(reasons).toEqual(["paused", "disposed", "superseded", "cancelled"]);
    });

    it("lets the outside sender hand the rest of the run to its own sender, from the server's byte", async () => {
      const { controller, state, transport, sendFile } = setup();
      const calls: number[] = [];
      const handingOver: ExternalSendFile = (_file, _target, options) => {
        calls.push(options.resumeFrom ?? -1);
        return options.handOver();
      };
      const file = createFakeVideoFile({ size: 3 * MiB });
      void controller.start(file, { sendFile: handingOver });
      await advance(1500);
      expect(sendFile).toHaveBeenCalledTimes(1);
      expect(sendFile.mock.calls[0]![2].resumeFrom).toBeDefined();
      // Later sends of the run are the controller's own too.
      controller.pause();
      controller.resume();
      await advance(10_000);
      expect(state().status).toBe("complete");
      expect(calls).toEqual([-1]);
      expect(sendFile).toHaveBeenCalledTimes(2);
      expect(transport.receivedBytes(state().uploadId!)).toBe(file.size);
    });

    it("stops the outside sender when the upload is cancelled", async () => {
      const { controller, state, transport } = setup();
      const outside = outsideSender(transport);
      void controller.start(createFakeVideoFile({ size: 4 * MiB }), { sendFile: outside.send });
      await advance(1000);
      const uploadId = state().uploadId!;
      controller.cancel();
      expect(outside.calls[0]!.aborted()).toBe(true);
      expect(state().status).toBe("idle");
      await advance(1000);
      expect(transport.uploadInfo(uploadId)?.status).toBe("cancelled");
    });
  });
});
