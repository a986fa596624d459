import { AssetWatcher } from "../../../src/core/asset-watcher.js";
import { OnlineManager } from "../../../src/core/online-manager.js";
import { createMemoryQueueManifestStore } from "../../../src/core/queue-manifest.js";
import type { VideoTransport } from "../../../src/core/types.js";
import { UploadQueue, type UploadQueueOptions, type UploadQueueSnapshot } from "../../../src/core/upload-queue.js";
import { createVideoError } from "../../../src/core/errors.js";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";

const KiB = 1024;

/** Resolves with the first snapshot for which `done` holds (now or after a change): waits on the queue's events. */
function until<T>(queue: UploadQueue<T>, done: (snapshot: UploadQueueSnapshot<T>) => boolean): Promise<UploadQueueSnapshot<T>> {
  return new Promise((resolve) => {
    const check = () => {
      const snapshot = queue.getSnapshot();
      if (!done(snapshot)) return false;
      unsubscribe();
      resolve(snapshot);
      return true;
    };
    const unsubscribe = queue.subscribe(() => void check());
    check();
  });
}

const allSettled = (s: UploadQueueSnapshot<unknown>) =>
  s.items.length > 0 && s.items.every((item) => ["complete", "error", "refused", "cancelled", "needs_file"].includes(item.status));

/** The memory transport, counting how many sends are in flight at once. */
function countingTransport(script: MemoryTransportOptions = {}) {
  const transport = createMemoryTransport({ bytesPerSecond: 4096 * KiB, tickMs: 5, latencyMs: 2, processingMs: 20, ...script });
  let inFlight = 0;
  let most = 0;
  const started: string[] = [];
  const sendFile = transport.sendFile;
  transport.sendFile = async (file, target, options) => {
    started.push((file as File).name);
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      await sendFile(file, target, options);
    } finally {
      inFlight--;
    }
  };
  return { transport, started, most: () => most };
}

function makeQueue<T = unknown>(transport: VideoTransport, options: Partial<UploadQueueOptions<T>> = {}) {
  let id = 0;
  return new UploadQueue<T>({
    transport,
    concurrency: 2,
    createId: () => `item-${++id}`,
    controller: {
      watcher: new AssetWatcher({ transport, initialIntervalMs: 5, maxIntervalMs: 10, jitter: 0 }),
      online: new OnlineManager(),
    },
    ...options,
  });
}

const videos = (count: number, size = 200 * KiB) => Array.from({ length: count }, (_, i) => createFakeVideoFile({ name: `lesson-${i + 1}.mp4`, size: size + i }));

describe("UploadQueue", () => {
  it("lists each file, and starts the first, as soon as it is checked: a big batch does not wait for its last file", async () => {
    const { transport, started } = countingTransport();
    const queue = makeQueue(transport);
    const files = [...videos(5), new File(["notes"], "notes.txt", { type: "text/plain" }), createFakeVideoFile({ name: "last.mp4", size: 300 * KiB })];
    // The last file's bytes are read only when the batch gets to it; hold that read until the queue shows the rest.
    let releaseLast!: () => void;
    const lastRead = new Promise<void>((resolve) => (releaseLast = resolve));
    const last = files[6]!;
    const slice = last.slice.bind(last);
    last.slice = (...args: Parameters<Blob["slice"]>) => {
      const part = slice(...args);
      const arrayBuffer = part.arrayBuffer.bind(part);
      part.arrayBuffer = async () => (await lastRead, arrayBuffer());
      return part;
    };
    const adding = queue.addFiles(files);
    const shown = await until(queue, (s) => s.items.length === 6 && started.length > 0);
    expect(shown.items.map((item) => [item.name, item.status === "refused"])).toEqual([...files.slice(0, 5).map((file) => [file.name, false]), ["notes.txt", true]]);
    expect(started[0]).toBe(files[0]!.name);
    releaseLast();
    expect((await adding).added).toHaveLength(6);
    expect(queue.getSnapshot().items.map((item) => item.name)).toEqual(files.map((file) => file.name));
    queue.dispose();
  });

  it("reads a few files of a batch at once and still lists them in the order given", async () => {
    const queue = makeQueue(createMemoryTransport());
    queue.pauseAll();
    const files = videos(4);
    // The first file's read is held until the second's was asked for: read one at a time, the batch would never end.
    let secondAsked!: () => void;
    const gate = new Promise<void>((resolve) => (secondAsked = resolve));
    const hold = (file: File, onSlice: () => void, wait?: Promise<void>) => {
      const slice = file.slice.bind(file);
      file.slice = (...args: Parameters<Blob["slice"]>) => {
        const part = slice(...args);
        onSlice();
        if (wait) {
          const arrayBuffer = part.arrayBuffer.bind(part);
          part.arrayBuffer = async () => (await wait, arrayBuffer());
        }
        return part;
      };
    };
    hold(files[0]!, () => undefined, gate);
    hold(files[1]!, secondAsked);
    const added = await queue.addFiles(files);
    expect(added.added).toHaveLength(4);
    expect(queue.getSnapshot().items.map((item) => item.name)).toEqual(files.map((file) => file.name));
    queue.dispose();
  });

  it("tells its listeners about a batch read within a frame once, before addFiles resolves", async () => {
    // The frame's timer is held, so the whole batch is read within one frame (the test above lets it run).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const queue = makeQueue(createMemoryTransport());
      queue.pauseAll();
      const heard: number[] = [];
      queue.subscribe(() => heard.push(queue.getSnapshot().items.length));
      await queue.addFiles(videos(60, 4 * KiB));
      // One render for sixty files, not sixty.
      expect(heard).toEqual([60]);
      queue.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends at most `concurrency` files at once, in list order, and every file ends complete with its asset", async () => {
    const { transport, started, most } = countingTransport();
    const queue = makeQueue(transport);
    const files = videos(5);
    const added = await queue.addFiles(files);
    expect(added.added).toHaveLength(5);
    const done = await until(queue, allSettled);
    expect(done.items.map((item) => item.status)).toEqual(Array(5).fill("complete"));
    expect(most()).toBe(2);
    expect(started).toEqual(files.map((file) => file.name));
    for (const [i, item] of done.items.entries()) {
      expect(transport.receivedBytes(item.uploadId!)).toBe(files[i]!.size);
      expect(item.asset).toMatchObject({ status: "ready" });
    }
    expect(done.totals).toMatchObject({ bytesSent: done.totals.totalBytes, progress: 100, speed: 0 });
    expect(done.totals.counts.complete).toBe(5);
  });

  it("refuses what is not a video type, empty or a duplicate, each with its reason, and sends the rest", async () => {
    const { transport } = countingTransport();
    const queue = makeQueue(transport);
    const [first] = videos(1);
    const result = await queue.addFiles([
      first!,
      new File(["notes"], "notes.txt", { type: "text/plain" }),
      new File([], "empty.mp4", { type: "video/mp4" }),
      { file: first!, path: "Week 1/lesson-1.mp4" },
    ]);
    expect(result.refused.map(({ path, error }) => [path, error.code])).toEqual([
      ["notes.txt", "file_type_not_allowed"],
      ["empty.mp4", "file_empty"],
      ["Week 1/lesson-1.mp4", "file_duplicate"],
    ]);
    const done = await until(queue, allSettled);
    expect(done.items.map((item) => [item.name, item.status, item.error?.code])).toEqual([
      ["lesson-1.mp4", "complete", undefined],
      ["notes.txt", "refused", "file_type_not_allowed"],
      ["empty.mp4", "refused", "file_empty"],
    ]);
    expect(done.totals.totalBytes).toBe(first!.size);
  });

  it("refuses a file that can no longer be read and goes on with the rest of the batch", async () => {
    const { transport } = countingTransport();
    const queue = makeQueue(transport);
    const [gone, kept] = videos(2);
    // What a file moved or deleted since it was picked does: reading it fails.
    Object.defineProperty(gone!, "slice", { value: () => ({ arrayBuffer: () => Promise.reject(new DOMException("gone", "NotReadableError")) }) });
    const result = await queue.addFiles([gone!, kept!]);
    expect(result.refused.map(({ path, error }) => [path, error.code])).toEqual([["lesson-1.mp4", "file_changed"]]);
    const done = await until(queue, allSettled);
    expect(done.items.map((item) => item.status)).toEqual(["refused", "complete"]);
  });

  it("asks the host hook for each item's lesson, sends it with the upload, and reports each upload id once", async () => {
    const { transport } = countingTransport();
    const createUpload = vi.spyOn(transport, "createUpload");
    const announced: [string, string | undefined][] = [];
    const queue = makeQueue<{ draft: number }>(transport, {
      onItemAdded: async ({ file }) => ({ lessonId: `draft-${file!.name}`, meta: { draft: file!.size } }),
      onItemUpload: (item) => announced.push([item.lessonId!, item.uploadId]),
    });
    const files = videos(3);
    await queue.addFiles(files);
    const done = await until(queue, allSettled);
    expect(createUpload.mock.calls.map(([req]) => req.lessonId).sort()).toEqual(files.map((file) => `draft-${file.name}`));
    expect(announced.sort()).toEqual(done.items.map((item) => [item.lessonId, item.uploadId]).sort());
    expect(done.items.map((item) => item.meta)).toEqual(files.map((file) => ({ draft: file.size })));
  });

  it("a hook that throws refuses its item with that error; the others go on", async () => {
    const { transport } = countingTransport();
    const queue = makeQueue(transport, {
      onItemAdded: ({ file }) => {
        if (file?.name === "lesson-2.mp4") throw createVideoError("forbidden");
        return undefined;
      },
    });
    await queue.addFiles(videos(3));
    const done = await until(queue, allSettled);
    expect(done.items.map((item) => item.status)).toEqual(["complete", "refused", "complete"]);
    expect(done.items[1]!.error?.code).toBe("forbidden");
  });

  it("a quota refusal holds the rest of the queue waiting (not failed); resumeAll goes on once there is room", async () => {
    const { transport } = countingTransport();
    const create = transport.createUpload.bind(transport);
    let room = 2;
    transport.createUpload = async (req, opts) => {
      if (room <= 0) throw createVideoError("quota_exceeded");
      room--;
      return create(req, opts);
    };
    const queue = makeQueue(transport, { concurrency: 1 });
    await queue.addFiles(videos(4));
    const held = await until(queue, (s) => s.held !== undefined && s.items.filter((item) => item.status === "complete").length === 2);
    expect(held.held?.code).toBe("quota_exceeded");
    expect(held.items.map((item) => item.status)).toEqual(["complete", "complete", "queued", "queued"]);
    expect(held.totals.counts.error).toBe(0);
    room = 2;
    queue.resumeAll();
    const done = await until(queue, allSettled);
    expect(done.held).toBeUndefined();
    expect(done.items.map((item) => item.status)).toEqual(Array(4).fill("complete"));
  });

  it("an upload refused for too many requests goes on by itself after Retry-After", async () => {
    const { transport } = countingTransport();
    const create = transport.createUpload.bind(transport);
    let refusals = 1;
    transport.createUpload = async (req, opts) => {
      if (refusals-- > 0) throw createVideoError("rate_limited", { retryAfter: 1 });
      return create(req, opts);
    };
    const queue = makeQueue(transport);
    await queue.addFiles(videos(1));
    const refused = await until(queue, (s) => s.items[0]!.status === "error");
    expect(refused.items[0]!.error?.code).toBe("rate_limited");
    const done = await until(queue, (s) => s.items[0]!.status === "complete");
    expect(transport.receivedBytes(done.items[0]!.uploadId!)).toBe(done.items[0]!.size);
  });

  it("one file whose sends fail ends failed and retryable while the others finish", async () => {
    // Only the second file is large enough to reach the failing byte; with no retries left it fails.
    const { transport } = countingTransport({ failAt: { byte: 64 * KiB, code: "server", times: 50 } });
    const queue = makeQueue(transport, { controller: { online: new OnlineManager(), retry: { retries: 0 } } });
    const files = [
      createFakeVideoFile({ name: "lesson-1.mp4", size: 40 * KiB }),
      createFakeVideoFile({ name: "lesson-2.mp4", size: 300 * KiB }),
      createFakeVideoFile({ name: "lesson-3.mp4", size: 50 * KiB }),
    ];
    await queue.addFiles(files);
    const settled = await until(queue, allSettled);
    expect(settled.items.map((item) => item.status)).toEqual(["complete", "error", "complete"]);
    expect(settled.items[1]).toMatchObject({ retryable: true, error: { code: "server" } });
    expect(settled.totals.counts).toMatchObject({ complete: 2, error: 1 });
    expect(settled.items[1]!.bytesSent).toBeLessThan(64 * KiB + 1);
  });

  it("pause and resume one item, and all: a paused item gives its slot to the next", async () => {
    const { transport } = countingTransport({ bytesPerSecond: 512 * KiB });
    const queue = makeQueue(transport, { concurrency: 1 });
    await queue.addFiles(videos(2, 300 * KiB));
    const first = (await until(queue, (s) => s.items[0]!.status === "uploading")).items[0]!;
    queue.pause(first.id);
    const next = await until(queue, (s) => s.items[0]!.status === "paused" && s.items[1]!.status === "uploading");
    expect(next.items[0]!.bytesSent).toBeLessThan(first.size);
    queue.pauseAll();
    const all = await until(queue, (s) => s.items.every((item) => item.status === "paused"));
    expect(all.paused).toBe(true);
    queue.resume(first.id);
    queue.resumeAll();
    const done = await until(queue, allSettled);
    expect(done.items.map((item) => item.status)).toEqual(["complete", "complete"]);
    expect(transport.receivedBytes(done.items[0]!.uploadId!)).toBe(done.items[0]!.size);
  });

  it("moves an item ahead of the others, cancels one and removes one", async () => {
    const { transport, started } = countingTransport();
    const queue = makeQueue(transport, { concurrency: 1 });
    queue.pauseAll();
    await queue.addFiles(videos(4));
    const [a, b, c, d] = queue.getSnapshot().items;
    queue.prioritize(d!.id);
    queue.cancel(b!.id);
    queue.remove(c!.id);
    expect(queue.getSnapshot().items.map((item) => [item.name, item.status])).toEqual([
      ["lesson-4.mp4", "queued"],
      ["lesson-1.mp4", "queued"],
      ["lesson-2.mp4", "cancelled"],
    ]);
    queue.resumeAll();
    const done = await until(queue, allSettled);
    expect(started).toEqual(["lesson-4.mp4", "lesson-1.mp4"]);
    expect(done.items.map((item) => item.status)).toEqual(["complete", "complete", "cancelled"]);
    expect(queue.retry(b!.id)).toBe(true);
    const again = await until(queue, allSettled);
    expect(again.items.map((item) => item.status)).toEqual(["complete", "complete", "complete"]);
    expect(a).toBeDefined();
  });

  it("imports from links without a slot: a good link ends ready, a refused one says why, a missing source fails", async () => {
    const { transport } = countingTransport();
    const lessons: (string | undefined)[] = [];
    const importFromUrl = transport.importFromUrl!;
    transport.importFromUrl = (req, opts) => {
      lessons.push(req.lessonId);
      return importFromUrl(req, opts);
    };
    const queue = makeQueue(transport, { onItemAdded: ({ url, file }) => ({ lessonId: url ? `draft-from-link` : `draft-${file!.name}` }) });
    const good = queue.addLink("https://media.example.com/course/week-1.mp4");
    const refused = queue.addLink("http://localhost:8080/secret.mp4");
    const missing = queue.addLink("https://media.example.com/not-found.mp4");
    const done = await until(queue, allSettled);
    const byId = new Map(done.items.map((item) => [item.id, item]));
    expect(byId.get(good)).toMatchObject({ status: "complete", progress: 100, url: "https://media.example.com/course/week-1.mp4", name: "media.example.com/…/week-1.mp4", lessonId: "draft-from-link" });
    expect(byId.get(good)!.asset).toMatchObject({ status: "ready" });
    expect(byId.get(refused)).toMatchObject({ status: "error", retryable: false, error: { code: "url_refused", details: { reason: "private_address" } } });
    expect(byId.get(missing)).toMatchObject({ status: "error" });
    expect(lessons).toEqual(["draft-from-link", "draft-from-link", "draft-from-link"]);
    expect(queue.retry(refused)).toBe(false);
  });

  it("a reload before the host hook answered runs it again for the same item, so the upload still carries its lesson", async () => {
    const { transport } = countingTransport();
    const createUpload = vi.spyOn(transport, "createUpload");
    const manifest = createMemoryQueueManifestStore();
    const [file] = videos(1);
    const asked: string[] = [];
    const first = makeQueue(transport, { manifest, onItemAdded: ({ id }) => (asked.push(id), new Promise<undefined>(() => undefined)) });
    await first.addFiles([file!]);
    await first.flush();
    first.dispose();
    expect(manifest.entries()).toMatchObject([{ prepared: false, status: "waiting" }]);

    const second = makeQueue(transport, { manifest, onItemAdded: ({ id }) => (asked.push(id), { lessonId: `draft-${id}` }) });
    await second.restore();
    await second.addFiles([file!]);
    const done = await until(second, allSettled);
    expect(done.items).toMatchObject([{ status: "complete", lessonId: `draft-${asked[0]}` }]);
    expect(asked).toEqual([asked[0], asked[0]]);
    expect(createUpload.mock.calls.map(([req]) => req.lessonId)).toEqual([`draft-${asked[0]}`]);
  });

  it("refuses addLink on a transport that cannot import", () => {
    const transport = createMemoryTransport({ imports: false });
    expect(() => makeQueue(transport).addLink("https://media.example.com/a.mp4")).toThrow(expect.objectContaining({ code: "bad_request" }) as Error);
  });

  it("restores the batch from its manifest: in-flight items wait for their file, finished ones are not sent twice", async () => {
    const { transport } = countingTransport();
    const manifest = createMemoryQueueManifestStore();
    const files = videos(3);
    const first = makeQueue(transport, { manifest, concurrency: 1 });
    await first.addFiles(files);
    await until(first, (s) => s.items[0]!.status === "complete" && s.items[1]!.status === "uploading" && s.items[1]!.bytesSent > 0);
    first.dispose();
    await first.flush();
    const saved = manifest.entries();
    expect(saved.map((entry) => entry.status)).toEqual(["complete", "sending", "waiting"]);
    expect(saved[1]!.record).toMatchObject({ uploadId: expect.any(String) as string, file: { name: "lesson-2.mp4" } });

    const createUpload = vi.spyOn(transport, "createUpload");
    const announced: string[] = [];
    const second = makeQueue(transport, { manifest, concurrency: 2, onItemUpload: (item) => announced.push(item.uploadId!) });
    await second.restore();
    const restored = second.getSnapshot().items.map((item) => item.status);
    expect(restored).toEqual(["complete", "needs_file", "needs_file"]);
    const again = await second.addFiles(files);
    expect(again.refused.map(({ error }) => error.code)).toContain("file_duplicate");
    expect(again.added).toEqual([]);
    expect(again.matched).toEqual(second.getSnapshot().items.filter((item) => item.status !== "complete" || item.name !== "lesson-1.mp4").map((item) => item.id));
    const done = await until(second, allSettled);
    expect(done.items.map((item) => item.status)).toEqual(["complete", "complete", "complete"]);
    // The finished file was never created again, and the one in flight went on with its own upload.
    expect(createUpload.mock.calls.map(([req]) => req.file.name)).toEqual(["lesson-3.mp4"]);
    expect(done.items[1]!.uploadId).toBe(saved[1]!.record!.uploadId);
    for (const [i, item] of done.items.entries()) expect(transport.receivedBytes(item.uploadId!)).toBe(files[i]!.size);
    // Told once per upload: the resumed one was told before the reload, the new one now.
    expect(announced).toEqual([done.items[2]!.uploadId]);
  });
});
