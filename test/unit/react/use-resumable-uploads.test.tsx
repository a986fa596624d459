import { act, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { createMemoryUploadRecordStore } from "../../../src/core/upload-record-store.js";
import { useResumableUploads, useVideo, VideoProvider } from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;
const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
const file = () => createFakeVideoFile({ size: 4 * MiB, name: "intro.mp4" });

function Page() {
  const { state, actions } = useVideo();
  const { records, resume, discard } = useResumableUploads();
  return (
    <div>
      <p data-testid="status">{state.uploadState.status}</p>
      <button type="button" onClick={() => void actions.startUpload(file())}>
        upload
      </button>
      <ul>
        {records.map((record) => (
          <li key={record.uploadId}>
            {`resume the upload of ${record.file.name}`}
            <button type="button" onClick={() => void resume(file(), record)}>
              resume
            </button>
            <button type="button" onClick={() => discard(record.uploadId)}>
              discard
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

// The provider's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

describe("useResumableUploads", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("offers an upload a reload interrupted and finishes it from where the server is", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB });
    const records = createMemoryUploadRecordStore();
    const page = () => (
      <StrictMode>
        <VideoProvider transport={transport} records={records}>
          <Page />
        </VideoProvider>
      </StrictMode>
    );
    const first = render(page());
    await act(async () => screen.getByRole("button", { name: "upload" }).click());
    await advance(2500);
    first.unmount();
    await advance(0);
    const held = transport.receivedBytes("upload-1");
    expect(held).toBeGreaterThan(0);

    render(page());
    expect(screen.getByRole("listitem").textContent).toContain("resume the upload of intro.mp4");
    await act(async () => screen.getByRole("button", { name: "resume" }).click());
    await advance(10_000);
    expect(screen.getByTestId("status").textContent).toBe("complete");
    expect(transport.calls.createUpload).toBe(1);
    expect(screen.queryByRole("listitem")).toBeNull();
  });

  it("lists nothing without a record store, and discard forgets a record", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB });
    const { unmount } = render(
      <VideoProvider transport={transport}>
        <Page />
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button", { name: "upload" }).click());
    await advance(1500);
    expect(screen.queryByRole("listitem")).toBeNull();
    unmount();

    const records = createMemoryUploadRecordStore();
    records.save({ uploadId: "u9", url: "memory://uploads/u9", file: { name: "old.mp4", size: 1, type: "video/mp4", head: "0", tail: "0" }, bytesSent: 0, savedAt: Date.now() });
    render(
      <VideoProvider transport={transport} records={records}>
        <Page />
      </VideoProvider>,
    );
    expect(screen.getByRole("listitem").textContent).toContain("old.mp4");
    await act(async () => screen.getByRole("button", { name: "discard" }).click());
    expect(screen.queryByRole("listitem")).toBeNull();
    expect(records.list()).toEqual([]);
  });
});
