// Real Chromium sends a generated file to a local GCS-resumable-style server (setup/upload-test-server.ts)
// through the chunked sender; the server drops the connection mid-chunk once, and in the end it must hold
// exactly the file's bytes (same SHA-256 on both sides).
import { inject } from "vitest";
import { createFetchRequester } from "../../src/core/chunk-requester.js";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoTransport } from "../../src/core/types.js";
import { UploadController } from "../../src/core/upload-controller.js";

const MiB = 1024 * 1024;
const base = inject("uploadTestServer");

interface SessionReport {
  total: number;
  committed: number;
  sha256: string | null;
  puts: number;
  drops: number;
  contentRanges: string[];
}

/** Random bytes (crypto.getRandomValues fills at most 64 KiB per call), with an MP4 `ftyp` head. */
function generateVideoLikeBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  bytes.set([0, 0, 0, 16, ...Array.from("ftypisom", (c) => c.charCodeAt(0)), 0, 0, 2, 0]);
  return bytes;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function createSession(options: { dropOnce?: { atByte: number }; chunkDelayMs?: number }): Promise<{ id: string; url: string }> {
  const response = await fetch(`${base}/sessions`, { method: "POST", body: JSON.stringify(options) });
  return (await response.json()) as { id: string; url: string };
}

async function report(id: string): Promise<SessionReport> {
  return (await (await fetch(`${base}/sessions/${id}`)).json()) as SessionReport;
}

describe("chunked sender in Chromium", () => {
  it("uploads a generated file in chunks through a dropped connection (XHR), and the server holds the same bytes", async () => {
    const size = 6 * MiB + 12_345;
    const bytes = generateVideoLikeBytes(size);
    const file = new File([bytes], "lesson.mp4", { type: "video/mp4" });
    const dropAt = MiB + MiB / 2;
    const session = await createSession({ dropOnce: { atByte: dropAt } });
    const progress: number[] = [];
    const retries: string[] = [];
    await sendChunks(file, session.url, {
      signal: new AbortController().signal,
      onProgress: (n) => progress.push(n),
      chunkSize: MiB,
      retry: { baseDelayMs: 50, jitter: 0 },
      onRetry: ({ error }) => retries.push(error.code),
    });
    const server = await report(session.id);
    expect(server.drops).toBe(1);
    expect(retries).toEqual(["network"]);
    expect(server.committed).toBe(size);
    expect(server.sha256).toBe(await sha256(bytes));
    // Two chunks (the second dropped), the offset query, then five chunks from the byte the server had.
    expect(server.contentRanges).toContain(`bytes */${size}`);
    expect(server.contentRanges.indexOf(`bytes */${size}`)).toBe(2);
    expect(server.contentRanges[3]).toBe(`bytes ${dropAt}-${dropAt + MiB - 1}/${size}`);
    expect(server.puts).toBe(8);
    expect(progress.at(-1)).toBe(size);
  });

  it("does the same with the fetch requester", async () => {
    const size = 3 * MiB + 7;
    const bytes = generateVideoLikeBytes(size);
    const session = await createSession({ dropOnce: { atByte: 2 * MiB + 1000 } });
    await sendChunks(new Blob([bytes]), session.url, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
      chunkSize: MiB,
      request: createFetchRequester(),
      retry: { baseDelayMs: 50, jitter: 0 },
    });
    const server = await report(session.id);
    expect(server.drops).toBe(1);
    expect(server.sha256).toBe(await sha256(bytes));
  });

  it("pauses mid-chunk and resumes from the server's offset through UploadController, ending with the same bytes", async () => {
    const size = 4 * MiB + 99;
    const bytes = generateVideoLikeBytes(size);
    const session = await createSession({ chunkDelayMs: 150 });
    const transport: VideoTransport = {
      createUpload: async () => ({ uploadId: session.id, url: session.url, chunkSize: MiB }),
      getUpload: async () => ({ uploadId: session.id, status: "asset_created", assetId: "a1" }),
      getAsset: async () => ({ id: "a1", status: "ready", playbackId: "p1" }),
    };
    const controller = new UploadController({ transport });
    let paused = false;
    const finished = new Promise<void>((resolve) => {
      controller.subscribe(() => {
        const state = controller.getSnapshot();
        if (!paused && state.status === "uploading" && state.bytesSent >= MiB) {
          paused = true;
          controller.pause();
          setTimeout(() => controller.resume(), 100);
        }
        if (state.status === "complete" || state.status === "error") resolve();
      });
    });
    await controller.start(new File([bytes], "lesson.mp4", { type: "video/mp4" }));
    await finished;
    expect(controller.getSnapshot()).toMatchObject({ status: "complete", bytesSent: size });
    const server = await report(session.id);
    expect(paused).toBe(true);
    expect(server.contentRanges).toContain(`bytes */${size}`);
    expect(server.sha256).toBe(await sha256(bytes));
  });
});
