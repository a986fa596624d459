import { createFakeVideoFile, createMemoryTransport, memoryPlaybackSrc } from "../../../src/testing/index.js";
import { validateVideoFile } from "../../../src/core/validation.js";

const MiB = 1024 * 1024;
const signal = () => new AbortController().signal;


/** Lets a call's fake latency (0 ms) pass under fake timers, then its result. */
async function read<T>(pending: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(0);
  return pending;
}

describe("createMemoryTransport", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  async function upload(transport: ReturnType<typeof createMemoryTransport>, size: number) {
    const pending = transport.createUpload({ file: { name: "a.mp4", size, type: "video/mp4" } }, { signal: signal() });
    await vi.advanceTimersByTimeAsync(100);
    return pending;
  }

  it("sends at the scripted speed, in ticks, and reports progress the same way on every run", async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const transport = createMemoryTransport({ bytesPerSecond: MiB, tickMs: 250, latencyMs: 0 });
      const target = await upload(transport, 2 * MiB);
      const progress: number[] = [];
      const sent = transport.sendFile(createFakeVideoFile({ size: 2 * MiB }), target, { signal: signal(), onProgress: (n) => progress.push(n) });
      await vi.advanceTimersByTimeAsync(1000);
      expect(transport.receivedBytes(target.uploadId)).toBe(MiB);
      await vi.advanceTimersByTimeAsync(1000);
      await sent;
      runs.push(progress);
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2].map((m) => m * MiB));
  });

  it("fails once at the scripted byte, keeps the bytes before it, and resumes from there", async () => {
    const transport = createMemoryTransport({ failAt: { byte: MiB, code: "network" }, latencyMs: 0 });
    const target = await upload(transport, 2 * MiB);
    const file = createFakeVideoFile({ size: 2 * MiB });
    const failed = transport.sendFile(file, target, { signal: signal(), onProgress: () => undefined }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await failed).toMatchObject({ code: "network", retryable: true });
    expect(transport.receivedBytes(target.uploadId)).toBe(MiB);
    const progress: number[] = [];
    const resumed = transport.sendFile(file, target, { signal: signal(), onProgress: (n) => progress.push(n), resumeFrom: MiB });
    await vi.advanceTimersByTimeAsync(5000);
    await resumed;
    expect(progress[0]).toBe(MiB);
    expect(transport.receivedBytes(target.uploadId)).toBe(2 * MiB);
  });

  it("creates the asset after the last byte and makes it ready with a playable embedded video after processingMs", async () => {
    const transport = createMemoryTransport({ processingMs: 3000, latencyMs: 0 });
    const target = await upload(transport, MiB);
    const sent = transport.sendFile(createFakeVideoFile({ size: MiB }), target, { signal: signal(), onProgress: () => undefined });
    await vi.advanceTimersByTimeAsync(1000);
    await sent;
    const info = await (async () => {
      const pending = transport.getUpload(target.uploadId, { signal: signal() });
      await vi.advanceTimersByTimeAsync(0);
      return pending;
    })();
    expect(info).toMatchObject({ status: "asset_created", assetId: "asset-2" });
    const read = async () => {
      const pending = transport.getAsset("asset-2", { signal: signal() });
      await vi.advanceTimersByTimeAsync(0);
      return pending;
    };
    expect((await read()).status).toBe("preparing");
    await vi.advanceTimersByTimeAsync(3000);
    const ready = await read();
    expect(ready).toMatchObject({ status: "ready", playbackId: "playback-2", duration: 4, aspectRatio: "16:9" });
    expect(ready.playback?.src).toBe(memoryPlaybackSrc);
    expect(ready.playback?.poster).toMatch(/^data:image\/svg\+xml,/);
    // The embedded clip is a real WebM (EBML header), so a browser can play it.
    const bytes = Uint8Array.from(atob(memoryPlaybackSrc.split(",")[1]!), (c) => c.charCodeAt(0));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  });

  it("ends processing errored when told to", async () => {
    const transport = createMemoryTransport({ processingMs: 10, latencyMs: 0, assetError: { type: "invalid_input", message: "bad" } });
    const target = await upload(transport, 1000);
    const sent = transport.sendFile(createFakeVideoFile({ size: 1000 }), target, { signal: signal(), onProgress: () => undefined });
    await vi.advanceTimersByTimeAsync(1000);
    await sent;
    const pending = transport.getAsset("asset-2", { signal: signal() });
    await vi.advanceTimersByTimeAsync(0);
    expect(await pending).toMatchObject({ status: "errored", errors: [{ type: "invalid_input", message: "bad" }] });
  });

  it("refuses createUpload with the scripted code, and update() changes the script later", async () => {
    const transport = createMemoryTransport({ createUploadError: "unauthorized", latencyMs: 0 });
    const refused = transport.createUpload({ file: { name: "a.mp4", size: 1, type: "video/mp4" } }, { signal: signal() }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(await refused).toMatchObject({ code: "unauthorized" });
    transport.update({ createUploadError: undefined });
    const accepted = transport.createUpload({ file: { name: "a.mp4", size: 1, type: "video/mp4" } }, { signal: signal() });
    await vi.advanceTimersByTimeAsync(0);
    expect((await accepted).uploadId).toBe("upload-1");
  });

  it("stops at once when the signal aborts", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, bytesPerSecond: MiB });
    const target = await upload(transport, 4 * MiB);
    const controller = new AbortController();
    const sending = transport.sendFile(createFakeVideoFile({ size: 4 * MiB }), target, { signal: controller.signal, onProgress: () => undefined }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    expect(await sending).toMatchObject({ code: "aborted" });
    const held = transport.receivedBytes(target.uploadId);
    await vi.advanceTimersByTimeAsync(5000);
    expect(transport.receivedBytes(target.uploadId)).toBe(held);
  });

  it("pushes asset changes to watchers when push is on, starting with the current state", async () => {
    const transport = createMemoryTransport({ push: true, assets: [{ id: "a1", status: "preparing" }] });
    const seen: string[] = [];
    const stop = transport.watchAsset?.("a1", (asset) => seen.push(asset.status));
    await vi.advanceTimersByTimeAsync(0);
    transport.putAsset({ id: "a1", status: "ready" });
    stop?.();
    transport.putAsset({ id: "a1", status: "errored" });
    expect(seen).toEqual(["preparing", "ready"]);
    expect(createMemoryTransport().watchAsset).toBeUndefined();
  });

  it("makes fake video files that pass the magic-byte check", async () => {
    expect(await validateVideoFile(createFakeVideoFile({ size: 3 * MiB + 5 }))).toBeNull();
    expect(createFakeVideoFile({ size: 3 * MiB + 5 }).size).toBe(3 * MiB + 5);
  });
});

describe("createMemoryTransport importFromUrl", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("creates a preparing asset with the lesson id that becomes ready like an upload's", async () => {
    const transport = createMemoryTransport({ latencyMs: 10, processingMs: 500 });
    const pending = transport.importFromUrl?.({ url: "https://media.example/lesson.mp4", lessonId: "l1" }, { signal: signal() });
    await vi.advanceTimersByTimeAsync(10);
    const asset = await pending;
    expect(asset).toEqual({ id: "asset-1", status: "preparing", passthrough: "l1" });
    await vi.advanceTimersByTimeAsync(500);
    const read = transport.getAsset("asset-1", { signal: signal() });
    await vi.advanceTimersByTimeAsync(10);
    await expect(read).resolves.toMatchObject({ status: "ready", playbackId: "playback-1", passthrough: "l1" });
    expect(transport.calls.importFromUrl).toBe(1);
  });

  it.each([
    ["file:///etc/passwd", "scheme"],
    ["http://user:pw@media.example/a.mp4", "credentials"],
    ["http://169.254.169.254/latest", "private_address"],
    ["https://media.example/redirect-private", "redirect"],
    ["nonsense", "malformed"],
  ])("refuses %s with url_refused (%s) and its message", async (url, reason) => {
    const transport = createMemoryTransport({ latencyMs: 0 });
    const refused = transport.importFromUrl?.({ url }, { signal: signal() }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    expect(await refused).toMatchObject({ code: "url_refused", retryable: false, details: { reason } });
  });

  it("ends links naming not-found or not-a-video as errored assets", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, processingMs: 100 });
    const missing = transport.importFromUrl?.({ url: "https://media.example/not-found.mp4" }, { signal: signal() });
    await vi.advanceTimersByTimeAsync(0);
    const { id } = (await missing) ?? { id: "" };
    await vi.advanceTimersByTimeAsync(100);
    const read = transport.getAsset(id, { signal: signal() });
    await vi.advanceTimersByTimeAsync(0);
    const errored = await read;
    expect(errored.status).toBe("errored");
    expect(errored.errors?.[0]?.message).toMatch(/404/);
  });

  it("is absent with imports: false", () => {
    expect(createMemoryTransport({ imports: false }).importFromUrl).toBeUndefined();
  });
});

describe("createMemoryTransport getDownloads", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("lists the fake renditions preparing while the asset processes, then ready with a URL", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, processingMs: 500 });
    const asset = await read(transport.importFromUrl!({ url: "https://media.example/lesson.mp4" }, { signal: signal() }));
    expect(await read(transport.getDownloads!(asset.id, { signal: signal() }))).toEqual([
      { name: "highest.mp4", kind: "video", resolution: "highest", status: "preparing" },
      { name: "audio.m4a", kind: "audio", resolution: "audio-only", status: "preparing" },
    ]);
    await vi.advanceTimersByTimeAsync(500);
    const ready = await read(transport.getDownloads!(asset.id, { signal: signal() }));
    expect(ready.map((d) => [d.name, d.status, d.url])).toEqual([
      ["highest.mp4", "ready", memoryPlaybackSrc],
      ["audio.m4a", "ready", memoryPlaybackSrc],
    ]);
    expect(transport.calls.getDownloads).toBe(2);
  });

  it("answers not_found for an unknown asset and has no getDownloads with downloads: false", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, downloads: ["720p"] });
    await expect(read(transport.getDownloads!("nope", { signal: signal() }).catch((error: unknown) => error))).resolves.toMatchObject({ code: "not_found" });
    expect(createMemoryTransport({ downloads: false }).getDownloads).toBeUndefined();
  });
});

describe("createMemoryTransport createClip", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("makes a new asset of the clip's length, preparing then ready, carrying the source's lesson", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, processingMs: 500, duration: 60 });
    const source = await read(transport.importFromUrl!({ url: "https://media.example/lesson.mp4", lessonId: "lesson-1" }, { signal: signal() }));
    await vi.advanceTimersByTimeAsync(500);
    const clip = await read(transport.createClip!(source.id, { startTime: 20, endTime: 45.5 }, { signal: signal() }));
    expect(clip).toMatchObject({ status: "preparing", passthrough: "lesson-1" });
    expect(clip.id).not.toBe(source.id);
    await vi.advanceTimersByTimeAsync(500);
    expect(await read(transport.getAsset(clip.id, { signal: signal() }))).toMatchObject({ status: "ready", duration: 25.5 });
    expect(await read(transport.getAsset(source.id, { signal: signal() }))).toMatchObject({ status: "ready", duration: 60 });
    expect(transport.calls.createClip).toBe(1);
  });

  it("refuses times outside the source, a source still processing, an unknown asset; absent with clips: false", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, processingMs: 500, duration: 60 });
    const source = await read(transport.importFromUrl!({ url: "https://media.example/lesson.mp4" }, { signal: signal() }));
    const failure = (pending: Promise<unknown>) => read(pending.catch((error: unknown) => error));
    await expect(failure(transport.createClip!(source.id, { startTime: 0, endTime: 10 }, { signal: signal() }))).resolves.toMatchObject({ code: "bad_request", status: 409 });
    await vi.advanceTimersByTimeAsync(500);
    await expect(failure(transport.createClip!(source.id, { startTime: 10, endTime: 61 }, { signal: signal() }))).resolves.toMatchObject({ code: "bad_request", status: 400 });
    await expect(failure(transport.createClip!(source.id, { startTime: 10, endTime: 5 }, { signal: signal() }))).resolves.toMatchObject({ code: "bad_request" });
    await expect(failure(transport.createClip!("nope", { startTime: 0, endTime: 1 }, { signal: signal() }))).resolves.toMatchObject({ code: "not_found" });
    expect(createMemoryTransport({ clips: false }).createClip).toBeUndefined();
  });
});
