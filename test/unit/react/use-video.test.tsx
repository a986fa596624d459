import { act, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { OnlineManager } from "../../../src/core/online-manager.js";
import { useVideo, VideoProvider } from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;
let lastResult: ReturnType<typeof useVideo> | undefined;

function Uploader({ size = MiB }: { size?: number }) {
  const video = useVideo();
  lastResult = video;
  const { state, actions } = video;
  return (
    <div>
      <p data-testid="status">{state.uploadState.status}</p>
      <p data-testid="bytes">{state.uploadState.bytesSent}</p>
      <p data-testid="asset">{state.asset?.status ?? "none"}</p>
      <p data-testid="error">{state.error?.code ?? "none"}</p>
      <button type="button" onClick={() => void actions.startUpload(createFakeVideoFile({ size }))}>
        upload
      </button>
      <button type="button" onClick={actions.pauseUpload}>
        pause
      </button>
      <button type="button" onClick={actions.resumeUpload}>
        resume
      </button>
      <button type="button" onClick={() => void actions.retryUpload()}>
        retry
      </button>
      <button type="button" onClick={actions.resetState}>
        reset
      </button>
    </div>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;
const click = (name: string) => act(async () => screen.getByRole("button", { name }).click());
const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

function renderUploader(transport: MemoryTransport, props: { size?: number; online?: OnlineManager } = {}) {
  return render(
    <StrictMode>
      <VideoProvider transport={transport} {...(props.online ? { online: props.online } : {})}>
        <Uploader {...(props.size ? { size: props.size } : {})} />
      </VideoProvider>
    </StrictMode>,
  );
}

// The provider's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

describe("useVideo", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("returns exactly the integration plan's shape plus pauseUpload and resumeUpload, one name per action", () => {
    renderUploader(createMemoryTransport());
    expect(Object.keys(lastResult ?? {}).sort()).toEqual(["actions", "state"]);
    expect(Object.keys(lastResult?.state ?? {}).sort()).toEqual(["asset", "error", "uploadState"]);
    expect(Object.keys(lastResult?.actions ?? {}).sort()).toEqual(["pauseUpload", "resetState", "resumeUpload", "retryUpload", "startUpload"]);
    expect(lastResult?.state).toMatchObject({ asset: null, error: null });
  });

  it("shows an upload going from idle to complete with its ready asset, under StrictMode", async () => {
    renderUploader(createMemoryTransport({ bytesPerSecond: 512 * 1024, processingMs: 1000 }));
    expect(text("status")).toBe("idle");
    await click("upload");
    await advance(10_000);
    expect(text("status")).toBe("complete");
    expect(text("bytes")).toBe(String(MiB));
    expect(text("asset")).toBe("ready");
  });

  it("pauses and resumes from the page, and the bytes do not move while paused", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB });
    renderUploader(transport, { size: 4 * MiB });
    await click("upload");
    await advance(1500);
    await click("pause");
    expect(text("status")).toBe("paused");
    const held = transport.receivedBytes("upload-1");
    await advance(5000);
    expect(transport.receivedBytes("upload-1")).toBe(held);
    await click("resume");
    await advance(10_000);
    expect(text("status")).toBe("complete");
  });

  it("shows a failed upload's error code and retries it to completion", async () => {
    renderUploader(createMemoryTransport({ failAt: { byte: MiB / 2 } }));
    await click("upload");
    await advance(2000);
    expect(text("status")).toBe("error");
    expect(text("error")).toBe("network");
    await click("retry");
    await advance(10_000);
    expect(text("status")).toBe("complete");
    expect(text("error")).toBe("none");
  });

  it("pauses while offline and carries on when back online", async () => {
    const online = new OnlineManager();
    renderUploader(createMemoryTransport({ bytesPerSecond: MiB }), { online, size: 3 * MiB });
    await click("upload");
    await advance(1000);
    act(() => online.setOnline(false));
    expect(text("status")).toBe("paused");
    act(() => online.setOnline(true));
    expect(text("status")).toBe("uploading");
    await advance(10_000);
    expect(text("status")).toBe("complete");
  });

  it("resetState cancels an upload in flight at the backend, and clears a finished one without cancelling it", async () => {
    const transport = createMemoryTransport();
    renderUploader(transport, { size: 8 * MiB });
    await click("upload");
    await advance(500);
    await click("reset");
    expect(text("status")).toBe("idle");
    await advance(100);
    expect(transport.calls.cancelUpload).toBe(1);
    await click("upload");
    await advance(20_000);
    expect(text("status")).toBe("complete");
    await click("reset");
    expect(text("status")).toBe("idle");
    expect(text("asset")).toBe("none");
    await advance(100);
    expect(transport.calls.cancelUpload).toBe(1);
    // The finished video may be the one a lesson keeps: resetState never has it deleted.
    expect(transport.calls.discardUpload).toBe(0);
  });

  it("retryUpload resolves when the retried run stops, and at once when there is nothing to retry", async () => {
    renderUploader(createMemoryTransport({ failAt: { byte: MiB / 2 } }));
    let settled = false;
    await act(async () => {
      await lastResult?.actions.retryUpload();
    });
    expect(text("status")).toBe("idle");
    await click("upload");
    await advance(2000);
    expect(text("status")).toBe("error");
    act(() => {
      void lastResult?.actions.retryUpload().then(() => (settled = true));
    });
    await advance(0);
    expect(settled).toBe(false);
    await advance(10_000);
    expect(text("status")).toBe("complete");
    expect(settled).toBe(true);
  });

  it("stops sending bytes when the provider unmounts", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: MiB });
    const { unmount } = renderUploader(transport, { size: 8 * MiB });
    await click("upload");
    await advance(1000);
    unmount();
    const held = transport.receivedBytes("upload-1");
    await advance(10_000);
    expect(transport.receivedBytes("upload-1")).toBe(held);
  });

  it("sends every monitoring event to onEvent, the latest callback included", async () => {
    const first = vi.fn();
    const second = vi.fn();
    const transport = createMemoryTransport();
    const { rerender } = render(
      <VideoProvider transport={transport} onEvent={first}>
        <Uploader />
      </VideoProvider>,
    );
    rerender(
      <VideoProvider transport={transport} onEvent={second}>
        <Uploader />
      </VideoProvider>,
    );
    await click("upload");
    await advance(10_000);
    expect(first).not.toHaveBeenCalled();
    expect(second.mock.calls.map(([event]) => event.type)).toEqual(expect.arrayContaining(["upload_started", "upload_succeeded", "processing_ready"]));
  });

  it("applies new limits to the next upload on the same upload, and a new transport makes a new one", async () => {
    const transport = createMemoryTransport();
    const page = (limits: { maxFileSize: number }, to: MemoryTransport) => (
      <StrictMode>
        <VideoProvider transport={to} limits={limits}>
          <Uploader size={2 * MiB} />
        </VideoProvider>
      </StrictMode>
    );
    const { rerender } = render(page({ maxFileSize: 10 * MiB }, transport));
    const first = lastResult?.actions;
    rerender(page({ maxFileSize: MiB }, transport));
    expect(lastResult?.actions).toBe(first);
    await click("upload");
    expect(text("error")).toBe("file_too_large");
    expect(transport.calls.createUpload).toBe(0);

    const other = createMemoryTransport();
    rerender(page({ maxFileSize: 10 * MiB }, other));
    expect(lastResult?.actions).not.toBe(first);
    expect(text("status")).toBe("idle");
    await click("upload");
    await advance(10_000);
    expect(text("status")).toBe("complete");
    expect(other.receivedBytes("upload-1")).toBe(2 * MiB);
  });

  it("throws a clear error outside a VideoProvider", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(() => render(<Uploader />)).toThrow("useVideo() must be used inside <VideoProvider>. Wrap it, or a parent, in <VideoProvider transport={createHttpTransport()}>.");
  });
});
