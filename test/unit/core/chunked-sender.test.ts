import { createFetchRequester } from "../../../src/core/chunk-requester.js";
import { DEFAULT_CHUNK_SIZE, MAX_ADAPTIVE_CHUNK_SIZE, MIN_ADAPTIVE_CHUNK_SIZE, normaliseChunkSize, sendChunks } from "../../../src/core/chunked-sender.js";
import { OnlineManager } from "../../../src/core/online-manager.js";
import { KiB, randomBytes, ResumableServer } from "./resumable-server.js";

const setup = (size: number) => {
  const content = randomBytes(size);
  const file = new File([content], "lesson.mp4", { type: "video/mp4" });
  const server = new ResumableServer(size);
  const request = createFetchRequester(server.fetch);
  return { content, file, server, request };
};

const noJitter = { jitter: 0, baseDelayMs: 1000 };

describe("sendChunks", () => {
  it("sends the file in chunks with Content-Range and the server ends with the same bytes", async () => {
    const { content, file, server, request } = setup(1300 * KiB);
    const progress: number[] = [];
    await sendChunks(file, "https://upload.test/1", { signal: new AbortController().signal, onProgress: (n) => progress.push(n), chunkSize: 512 * KiB, request });
    expect(server.seen.map((r) => r.contentRange)).toEqual([
      `bytes 0-524287/${1300 * KiB}`,
      `bytes 524288-1048575/${1300 * KiB}`,
      `bytes 1048576-1331199/${1300 * KiB}`,
    ]);
    expect(server.holds(content)).toBe(true);
    expect(progress.at(-1)).toBe(file.size);
  });

  it("reads the file one slice at a time, never more than a chunk", async () => {
    const { file, request } = setup(1024 * KiB);
    const slice = vi.spyOn(file, "slice");
    await sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, chunkSize: 256 * KiB, request });
    expect(slice).toHaveBeenCalledTimes(4);
    for (const [start, end] of slice.mock.calls) expect((end as number) - (start as number)).toBeLessThanOrEqual(256 * KiB);
  });

  it("continues from the byte in Range when the server kept less than the chunk", async () => {
    const { content, file, server, request } = setup(1024 * KiB);
    server.faults = [() => undefined, () => "commit-half"];
    await sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, chunkSize: 512 * KiB, request });
    expect(server.seen[2]?.contentRange).toBe(`bytes 786432-1048575/${1024 * KiB}`);
    expect(server.holds(content)).toBe(true);
  });

  it("assumes the chunk arrived when a 308 carries no Range header (CORS hides it)", async () => {
    const { content, file, server, request } = setup(768 * KiB);
    server.exposeRange = false;
    await sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, chunkSize: 256 * KiB, request });
    expect(server.seen).toHaveLength(3);
    expect(server.holds(content)).toBe(true);
  });

  it("asks the server for its offset before resuming and continues from there, not from zero", async () => {
    const { content, file, server, request } = setup(1024 * KiB);
    server.bytes.set(content.subarray(0, 300 * KiB));
    server.committed = 300 * KiB;
    const progress: number[] = [];
    await sendChunks(file, "u", { signal: new AbortController().signal, onProgress: (n) => progress.push(n), resumeFrom: 0, chunkSize: 512 * KiB, request });
    expect(server.seen[0]).toEqual({ contentRange: `bytes */${1024 * KiB}`, bodySize: 0 });
    expect(server.seen[1]?.contentRange).toBe(`bytes 307200-831487/${1024 * KiB}`);
    expect(progress[0]).toBe(300 * KiB);
    expect(server.holds(content)).toBe(true);
  });

  it("finishes at once when the offset query says the upload is complete", async () => {
    const { content, file, server, request } = setup(256 * KiB);
    server.bytes.set(content);
    server.committed = 256 * KiB;
    await sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, resumeFrom: 10, request });
    expect(server.seen).toHaveLength(1);
  });

  it("rounds the chunk size up to a multiple of 256 KiB", () => {
    expect(normaliseChunkSize(1)).toBe(256 * KiB);
    expect(normaliseChunkSize(300 * KiB)).toBe(512 * KiB);
    expect(normaliseChunkSize(8 * 1024 * KiB)).toBe(8 * 1024 * KiB);
  });

  describe("with fake timers", () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it("retries a 503 after the backoff delay, asking the offset first", async () => {
      const { content, file, server, request } = setup(512 * KiB);
      server.faults = [() => new Response(null, { status: 503 })];
      const retries: number[] = [];
      const done = sendChunks(file, "u", {
        signal: new AbortController().signal,
        onProgress: () => undefined,
        chunkSize: 256 * KiB,
        request,
        retry: noJitter,
        onRetry: ({ delayMs }) => retries.push(delayMs),
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(server.seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(retries).toEqual([1000]);
      expect(server.seen[1]?.contentRange).toBe(`bytes */${512 * KiB}`);
      expect(server.holds(content)).toBe(true);
    });

    it("backs off exponentially over repeated failures (1 s, 2 s, 4 s)", async () => {
      const { file, server, request } = setup(256 * KiB);
      const fail = () => new Response(null, { status: 500 });
      server.faults = [fail, fail, fail];
      const retries: number[] = [];
      const done = sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, request, retry: noJitter, onRetry: ({ delayMs }) => retries.push(delayMs) });
      await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
      await done;
      expect(retries).toEqual([1000, 2000, 4000]);
    });

    it("waits as long as Retry-After says on a 429", async () => {
      const { file, server, request } = setup(256 * KiB);
      server.faults = [() => new Response(null, { status: 429, headers: { "Retry-After": "5" } })];
      const done = sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, request, retry: noJitter });
      await vi.advanceTimersByTimeAsync(4999);
      expect(server.seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(server.seen.length).toBeGreaterThan(1);
    });

    it("retries a connection dropped mid-chunk and ends with the same bytes", async () => {
      const { content, file, server, request } = setup(1024 * KiB);
      server.faults = [() => undefined, () => "drop-after-half"];
      const done = sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, chunkSize: 512 * KiB, request, retry: noJitter });
      await vi.advanceTimersByTimeAsync(1000);
      await done;
      expect(server.seen.map((r) => r.contentRange)).toEqual([
        `bytes 0-524287/${1024 * KiB}`,
        `bytes 524288-1048575/${1024 * KiB}`,
        `bytes */${1024 * KiB}`,
        `bytes 786432-1048575/${1024 * KiB}`,
      ]);
      expect(server.holds(content)).toBe(true);
    });

    it("waits until the browser is online again before a retry", async () => {
      const { content, file, server, request } = setup(256 * KiB);
      const online = new OnlineManager();
      online.setOnline(false);
      server.faults = [() => new Response(null, { status: 503 })];
      const done = sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, request, retry: noJitter, online });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(server.seen).toHaveLength(1);
      online.setOnline(true);
      await vi.advanceTimersByTimeAsync(0);
      await done;
      expect(server.holds(content)).toBe(true);
    });
  });

  it.each([
    [403, "forbidden"],
    [401, "unauthorized"],
    [400, "bad_request"],
  ])("does not retry a %i and fails with %s", async (status, code) => {
    const { file, server, request } = setup(256 * KiB);
    server.faults = [() => new Response(null, { status })];
    await expect(sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, request })).rejects.toMatchObject({ code });
    expect(server.seen).toHaveLength(1);
  });

  it.each([404, 410])("reports a %i from the upload URL as upload_url_expired", async (status) => {
    const { file, server, request } = setup(256 * KiB);
    server.faults = [() => new Response(null, { status })];
    await expect(sendChunks(file, "u", { signal: new AbortController().signal, onProgress: () => undefined, request })).rejects.toMatchObject({
      code: "upload_url_expired",
      retryable: true,
    });
  });

  it("rejects with aborted when the signal aborts mid-upload and sends nothing more", async () => {
    const { file, server } = setup(1024 * KiB);
    const controller = new AbortController();
    const request = createFetchRequester(async (input, init) => {
      if (server.seen.length === 1) controller.abort();
      if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
      return server.fetch(input, init);
    });
    await expect(sendChunks(file, "u", { signal: controller.signal, onProgress: () => undefined, chunkSize: 256 * KiB, request })).rejects.toMatchObject({
      code: "aborted",
    });
    expect(server.seen).toHaveLength(1);
  });
});

describe("sendChunks without a chunk size adapts it to the link", () => {
  const MiB = 1024 * KiB;
  /** A clock each request advances by `msFor(bodySize)`: the link's speed, without waiting. */
  const timedLink = (server: ResumableServer, msFor: (bytes: number) => number) => {
    let clock = 0;
    const request = createFetchRequester(async (input, init) => {
      const response = await server.fetch(input, init);
      clock += msFor(server.seen.at(-1)?.bodySize ?? 0);
      return response;
    });
    return { request, now: () => clock };
  };
  const chunkSizes = (server: ResumableServer) => server.seen.filter((r) => r.bodySize > 0).map((r) => r.bodySize);

  /** `size` bytes repeating a random block whose length is no multiple of 256 KiB, so a misplaced chunk shows. */
  const patterned = (size: number) => {
    const block = randomBytes(MiB + 4 * KiB);
    const bytes = new Uint8Array(size);
    for (let at = 0; at < size; at += block.length) bytes.set(block.subarray(0, Math.min(block.length, size - at)), at);
    return bytes;
  };

  it("doubles the chunk while chunks take under 2 s, up to 128 MiB, and the server ends with the same bytes", async () => {
    const size = 260 * MiB;
    const content = patterned(size);
    const file = new File([content], "lesson.mp4", { type: "video/mp4" });
    const server = new ResumableServer(size);
    // 1 GB/s: every chunk is fast, so round trips would dominate at a fixed 8 MiB.
    const link = timedLink(server, (bytes) => bytes / 1_000_000);
    await sendChunks(file, "https://upload.test/1", { signal: new AbortController().signal, onProgress: () => undefined, ...link });
    expect(chunkSizes(server)).toEqual([8 * MiB, 16 * MiB, 32 * MiB, 64 * MiB, 128 * MiB, 12 * MiB]);
    expect(server.holds(content)).toBe(true);
  });

  it("halves the chunk when one takes over 20 s, down to 1 MiB, so a slow link keeps making progress", async () => {
    const size = 20 * MiB;
    const content = randomBytes(size);
    const file = new File([content], "lesson.mp4", { type: "video/mp4" });
    const server = new ResumableServer(size);
    // 50 KB/s: 8 MiB takes 168 s, 1 MiB 21 s.
    const link = timedLink(server, (bytes) => bytes / 50);
    await sendChunks(file, "https://upload.test/1", { signal: new AbortController().signal, onProgress: () => undefined, ...link });
    const sizes = chunkSizes(server);
    expect(sizes.slice(0, 5)).toEqual([8 * MiB, 4 * MiB, 2 * MiB, 1 * MiB, 1 * MiB]);
    expect(Math.min(...sizes.slice(0, -1))).toBe(MIN_ADAPTIVE_CHUNK_SIZE);
    expect(server.holds(content)).toBe(true);
  });

  it("sends a smaller chunk after a failed one and keeps every size a multiple of 256 KiB", async () => {
    vi.useFakeTimers();
    try {
      const size = 40 * MiB;
      const content = randomBytes(size);
      const file = new File([content], "lesson.mp4", { type: "video/mp4" });
      const server = new ResumableServer(size);
      server.faults = [() => new Response(null, { status: 503 })];
      const link = timedLink(server, () => 30_000);
      const sending = sendChunks(file, "https://upload.test/1", { signal: new AbortController().signal, onProgress: () => undefined, retry: noJitter, ...link });
      await vi.runAllTimersAsync();
      await sending;
      const sizes = chunkSizes(server);
      // The failed 8 MiB PUT, then 4 MiB after the failure, then 2 MiB after a 30 s chunk.
      expect(sizes.slice(0, 3)).toEqual([DEFAULT_CHUNK_SIZE, 4 * MiB, 2 * MiB]);
      expect(sizes.every((bytes, i) => i === sizes.length - 1 || bytes % (256 * KiB) === 0)).toBe(true);
      expect(server.holds(content)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps a given chunk size however fast the link is", async () => {
    const size = 40 * MiB;
    const file = new File([randomBytes(size)], "lesson.mp4", { type: "video/mp4" });
    const server = new ResumableServer(size);
    const link = timedLink(server, () => 1);
    await sendChunks(file, "https://upload.test/1", { signal: new AbortController().signal, onProgress: () => undefined, chunkSize: 8 * MiB, ...link });
    expect(chunkSizes(server)).toEqual([8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB]);
    expect(MAX_ADAPTIVE_CHUNK_SIZE).toBe(128 * MiB);
  });
});

