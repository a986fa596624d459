import { fingerprintFile, sameFile } from "../../../src/core/file-fingerprint.js";
import { UploadController } from "../../../src/core/upload-controller.js";
import {
  createLocalStorageUploadRecordStore,
  createMemoryUploadRecordStore,
  type UploadRecord,
} from "../../../src/core/upload-record-store.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;

// The controller's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

function videoFile(size: number, fill: number, name = "lesson.mp4"): File {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set([0, 0, 0, 16, ...Array.from("ftypisom", (c) => c.charCodeAt(0)), 0, 0, 2, 0]);
  return new File([bytes], name, { type: "video/mp4", lastModified: 1_700_000_000_000 });
}

describe("fingerprintFile", () => {
  it("gives the same fingerprint for the same file picked again, and a different one when a byte changed", async () => {
    const a = await fingerprintFile(videoFile(3 * MiB, 7));
    const again = await fingerprintFile(videoFile(3 * MiB, 7));
    const changed = videoFile(3 * MiB, 7);
    const edited = new File([changed.slice(0, changed.size - 1), new Uint8Array([8])], changed.name, { type: changed.type, lastModified: changed.lastModified });
    expect(sameFile(a, again)).toBe(true);
    expect(sameFile(a, await fingerprintFile(edited))).toBe(false);
    expect(sameFile(a, await fingerprintFile(videoFile(3 * MiB, 7, "other.mp4")))).toBe(false);
  });

  it("keeps the values saved by earlier versions (a reload after an upgrade still finds its files)", async () => {
    const bytes = new Uint8Array(3 * MiB + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 9)) & 0xff;
    const big = await fingerprintFile(new File([bytes], "a.mp4", { type: "video/mp4", lastModified: 1 }));
    expect([big.head, big.tail]).toEqual(["1df01dc5", "a9cd1dc5"]);
    const small = await fingerprintFile(new File([new Uint8Array([1, 2, 3])], "b.mp4", { type: "video/mp4", lastModified: 1 }));
    expect([small.head, small.tail]).toEqual(["56cf37ab", "56cf37ab"]);
    const empty = await fingerprintFile(new File([], "c.mp4", { type: "video/mp4", lastModified: 1 }));
    expect([empty.head, empty.tail]).toEqual(["811c9dc5", "811c9dc5"]);
  });

  it("reads the first and last MiB only", async () => {
    const file = videoFile(5 * MiB, 1);
    const slice = vi.spyOn(file, "slice");
    await fingerprintFile(file);
    expect(slice.mock.calls).toEqual([
      [0, MiB],
      [4 * MiB, 5 * MiB],
    ]);
  });

  it("reads a file of a MiB or less once (its head is its tail), and asks for both ranges of a bigger file at once", async () => {
    const small = videoFile(MiB, 2);
    const smallSlice = vi.spyOn(small, "slice");
    const smallPrint = await fingerprintFile(small);
    expect(smallSlice.mock.calls).toEqual([[0, MiB]]);
    expect(smallPrint.tail).toBe(smallPrint.head);
    // Neither read finishes until both were asked for: reading them one after the other would wait forever.
    const big = videoFile(3 * MiB, 3);
    const asked: number[] = [];
    let bothAsked!: () => void;
    const gate = new Promise<void>((resolve) => (bothAsked = resolve));
    const slice = big.slice.bind(big);
    big.slice = (...args: Parameters<Blob["slice"]>) => {
      const part = slice(...args);
      const arrayBuffer = part.arrayBuffer.bind(part);
      asked.push(args[0] ?? 0);
      if (asked.length === 2) bothAsked();
      part.arrayBuffer = async () => (await gate, arrayBuffer());
      return part;
    };
    const print = await fingerprintFile(big);
    expect(asked).toEqual([0, 2 * MiB]);
    expect(sameFile(print, await fingerprintFile(videoFile(3 * MiB, 3)))).toBe(true);
  });
});

describe("upload record stores", () => {
  const record = (uploadId: string, savedAt: number, extra: Partial<UploadRecord> = {}): UploadRecord => ({
    uploadId,
    url: `https://upload.test/${uploadId}`,
    file: { name: "a.mp4", size: 10, type: "video/mp4", head: "00", tail: "00" },
    bytesSent: 0,
    savedAt,
    ...extra,
  });

  it("keeps records in localStorage, newest first, bounded and expiring", () => {
    let now = 1000;
    const store = createLocalStorageUploadRecordStore({ storage: localStorage, maxEntries: 2, maxAgeMs: 10_000, now: () => now });
    store.save(record("u1", 1000));
    store.save(record("u2", 2000));
    store.save(record("u3", 3000));
    expect(store.list().map((r) => r.uploadId)).toEqual(["u3", "u2"]);
    store.save(record("u2", 4000, { bytesSent: 5 }));
    expect(store.list()).toEqual([record("u2", 4000, { bytesSent: 5 }), record("u3", 3000)]);
    now = 13_500;
    expect(store.list().map((r) => r.uploadId)).toEqual(["u2"]);
    store.save(record("u4", 13_500, { expiresAt: 14_000 }));
    now = 14_000;
    expect(store.list().map((r) => r.uploadId)).toEqual(["u2"]);
    store.remove("u2");
    expect(store.list()).toEqual([]);
    expect(localStorage.getItem("lesson-video-kit:uploads")).toBeNull();
  });

  it("treats corrupt or refused storage as empty instead of failing", () => {
    localStorage.setItem("lesson-video-kit:uploads", "{not json");
    expect(createLocalStorageUploadRecordStore().list()).toEqual([]);
    localStorage.setItem("lesson-video-kit:uploads", JSON.stringify([{ uploadId: 1 }, record("ok", Date.now())]));
    expect(createLocalStorageUploadRecordStore().list().map((r) => r.uploadId)).toEqual(["ok"]);
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    const store = createLocalStorageUploadRecordStore({ storage: refusing });
    expect(() => store.save(record("u1", Date.now()))).not.toThrow();
    expect(store.list()).toEqual([]);
    localStorage.clear();
  });
});

describe("resuming an upload after a reload", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  it("records the upload in flight and resumes it from the server's offset with the file picked again", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB, latencyMs: 10 });
    const records = createMemoryUploadRecordStore();
    const before = new UploadController({ transport, records });
    void before.start(videoFile(4 * MiB, 3), { lessonId: "lesson-7" });
    await advance(2500);
    const [saved] = records.list();
    expect(saved).toMatchObject({ uploadId: "upload-1", lessonId: "lesson-7", file: { name: "lesson.mp4", size: 4 * MiB } });
    expect(saved!.bytesSent).toBeGreaterThan(0);
    // The page goes away: requests stop, nothing is cancelled on the server, and the record keeps the
    // bytes sent until then.
    before.dispose();
    const held = transport.receivedBytes("upload-1");
    const atDispose = records.list()[0]!;
    expect(atDispose.bytesSent).toBeGreaterThanOrEqual(saved!.bytesSent);

    const after = new UploadController({ transport, records });
    const sendFile = vi.spyOn(transport, "sendFile");
    const progress: number[] = [];
    after.subscribe(() => progress.push(after.getSnapshot().bytesSent));
    void after.resumeFromRecord(videoFile(4 * MiB, 3), atDispose);
    await advance(10_000);
    expect(after.getSnapshot()).toMatchObject({ status: "complete", uploadId: "upload-1", bytesSent: 4 * MiB });
    expect(sendFile).toHaveBeenCalledTimes(1);
    expect(sendFile.mock.calls[0]![2].resumeFrom).toBe(atDispose.bytesSent);
    expect(Math.min(...progress.filter((n) => n > 0))).toBeGreaterThanOrEqual(Math.min(held, atDispose.bytesSent));
    expect(transport.calls.createUpload).toBe(1);
    expect(records.list()).toEqual([]);
  });

  it("refuses a different file with file_changed and keeps the record", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB, latencyMs: 10 });
    const records = createMemoryUploadRecordStore();
    const before = new UploadController({ transport, records });
    void before.start(videoFile(4 * MiB, 3));
    await advance(1500);
    before.dispose();
    const after = new UploadController({ transport, records });
    await after.resumeFromRecord(videoFile(4 * MiB, 9), records.list()[0]!);
    expect(after.getSnapshot().error).toMatchObject({ code: "file_changed", retryable: false });
    expect(records.list()).toHaveLength(1);
    expect(transport.calls.sendFile).toBe(1);
  });

  it("starts a fresh upload when the recorded URL has expired", async () => {
    const transport = createMemoryTransport({ latencyMs: 10 });
    const file = createFakeVideoFile({ size: MiB });
    const record: UploadRecord = {
      uploadId: "old",
      url: "memory://uploads/old",
      expiresAt: 5,
      file: await fingerprintFile(file),
      bytesSent: 100,
      savedAt: 0,
    };
    await advance(10);
    const controller = new UploadController({ transport, records: createMemoryUploadRecordStore() });
    void controller.resumeFromRecord(file, record);
    await advance(10_000);
    expect(controller.getSnapshot()).toMatchObject({ status: "complete", uploadId: "upload-1" });
    expect(transport.calls.createUpload).toBe(1);
  });

  it("clears the record when the upload is cancelled or fails for good, keeps it on a retryable failure", async () => {
    const records = createMemoryUploadRecordStore();
    const transport = createMemoryTransport({ bytesPerSecond: MiB, latencyMs: 10, failAt: { byte: MiB, code: "network" } });
    const controller = new UploadController({ transport, records });
    void controller.start(videoFile(3 * MiB, 1));
    await advance(3000);
    expect(controller.getSnapshot().error?.code).toBe("network");
    expect(records.list()).toMatchObject([{ uploadId: "upload-1", bytesSent: MiB }]);
    controller.cancel();
    expect(records.list()).toEqual([]);
    transport.update({ failAt: { byte: MiB, code: "forbidden" } });
    void controller.start(videoFile(3 * MiB, 1));
    await advance(3000);
    expect(controller.getSnapshot().error?.code).toBe("forbidden");
    expect(records.list()).toEqual([]);
  });
});
