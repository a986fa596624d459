// Resume after a reload through the React layer in Chromium: a page with VideoProvider (records in localStorage)
// uploads through useVideo; the page goes away mid-upload (root unmounted: what a reload does to React); a new page
// offers "Resume the upload of <file>" from useResumableUploads, the user picks the file again in a real file input,
// and the upload continues on the same upload id to one asset holding the file's exact bytes.
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { inject } from "vitest";
import { createXhrRequester, type ChunkRequester } from "../../../src/core/chunk-requester.js";
import { createLocalStorageUploadRecordStore } from "../../../src/core/upload-record-store.js";
import { useResumableUploads, useVideo, VideoProvider } from "../../../src/react/index.js";
import { createHttpTransport } from "../../../src/transports/http.js";
import { CHUNK, fixtureBytes, listAssets, newAssets, paddedMp4, parseStack, playedSha256, sha256 } from "./stack.js";

const stack = parseStack(inject("reliabilityReactStack"));

/**
 * XHR PUTs that record where each chunk starts. The chunk starting at `holdFrom` (or later) is held: never sent, it
 * waits until the page aborts it, and `held` resolves, so the test leaves the page with that chunk in flight.
 */
function recordingRequester(starts: number[], holdFrom = Number.POSITIVE_INFINITY): { request: ChunkRequester; held: Promise<void> } {
  const xhr = createXhrRequester();
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const request: ChunkRequester = (req) => {
    const range = /^bytes (\d+)-/.exec(req.headers["Content-Range"] ?? req.headers["content-range"] ?? "");
    if (req.body && range) starts.push(Number(range[1]));
    if (!req.body || !range || Number(range[1]) < holdFrom) return xhr(req);
    reached();
    return new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true }));
  };
  return { request, held };
}

function Uploader({ onStart }: { onStart: (start: (file: File) => Promise<void>) => void }) {
  const { state, actions } = useVideo();
  onStart(actions.startUpload);
  return (
    <p>
      <span data-testid="status">{state.uploadState.status}</span> <span data-testid="sent">{state.uploadState.bytesSent}</span>
    </p>
  );
}

function ResumeOffer() {
  const { records, resume } = useResumableUploads();
  const { state } = useVideo();
  return (
    <div>
      {records.map((record) => (
        <label key={record.uploadId}>
          Resume the upload of {record.file.name}
          <input
            type="file"
            accept="video/*"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void resume(file, record);
            }}
          />
        </label>
      ))}
      <span data-testid="status">{state.uploadState.status}</span>
    </div>
  );
}

describe("resume after a reload with VideoProvider and useResumableUploads", () => {
  let root: Root | undefined;
  let host: HTMLDivElement | undefined;

  afterEach(() => {
    act(() => root?.unmount());
    host?.remove();
    localStorage.clear();
  });

  it("offers the interrupted upload after the page is rebuilt and finishes it from the server's offset", async () => {
    localStorage.clear();
    const file = paddedMp4(await fixtureBytes(stack, "mp4"), 3 * 1024 * 1024, "Lesson 3 — welding.mp4");
    const before = await listAssets(stack);
    const transport = createHttpTransport({ baseUrl: stack.routes, events: false });
    const watcherOptions = { initialIntervalMs: 100, maxIntervalMs: 300 };

    // Page one: start the upload, leave while the chunk after the first megabyte is in flight.
    const firstStarts: number[] = [];
    const first = recordingRequester(firstStarts, 4 * CHUNK);
    let start: ((file: File) => Promise<void>) | undefined;
    host = document.createElement("div");
    document.body.append(host);
    root = createRoot(host);
    act(() =>
      root!.render(
        <VideoProvider
          transport={transport}
          records={createLocalStorageUploadRecordStore()}
          uploadOptions={{ chunkSize: CHUNK, request: first.request }}
          watcherOptions={watcherOptions}
        >
          <Uploader onStart={(s) => (start = s)} />
        </VideoProvider>,
      ),
    );
    act(() => {
      void start!(file);
    });
    await first.held;
    act(() => root!.unmount());
    host.remove();
    const leftAt = Math.max(...firstStarts);

    // Page two: a new provider and store over the same localStorage.
    const secondStarts: number[] = [];
    host = document.createElement("div");
    document.body.append(host);
    root = createRoot(host);
    act(() =>
      root!.render(
        <VideoProvider
          transport={transport}
          records={createLocalStorageUploadRecordStore()}
          uploadOptions={{ chunkSize: CHUNK, request: recordingRequester(secondStarts).request }}
          watcherOptions={watcherOptions}
        >
          <ResumeOffer />
        </VideoProvider>,
      ),
    );
    const input = await vi.waitFor(() => {
      const label = Array.from(host!.querySelectorAll("label")).find((l) => l.textContent?.includes("Resume the upload of Lesson 3 — welding.mp4"));
      expect(label).toBeDefined();
      return label!.querySelector("input")!;
    }, { timeout: 30_000, interval: 20 });
    const picked = new DataTransfer();
    picked.items.add(new File([await file.arrayBuffer()], file.name, { type: file.type, lastModified: file.lastModified }));
    input.files = picked.files;
    await act(() => input.dispatchEvent(new Event("change", { bubbles: true })));

    await vi.waitFor(() => expect(host!.querySelector('[data-testid="status"]')?.textContent).toBe("complete"), { timeout: 30_000, interval: 50 });
    expect(secondStarts.length).toBeGreaterThan(0);
    // The server holds every byte before the chunk that was in flight when the page went away: none is sent again.
    expect(Math.min(...secondStarts)).toBe(leftAt);
    expect(host.textContent).not.toContain("Resume the upload of");
    expect(createLocalStorageUploadRecordStore().list()).toEqual([]);

    const created = await newAssets(stack, before);
    expect(created).toHaveLength(1);
    expect(created[0]!.status).toBe("ready");
    expect(await playedSha256(stack, created[0]!)).toBe(await sha256(file));
  });
});
