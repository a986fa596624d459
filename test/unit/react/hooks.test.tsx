import { act, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { VideoError } from "../../../src/core/errors.js";
import {
  useAsset,
  useUpload,
  useVideo,
  useVideoLimits,
  useVideoMessages,
  VideoErrorBoundary,
  VideoProvider,
} from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;
const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

// The provider's AssetWatcher loads its polling code with a dynamic import on first use. Load that module
// before fake timers take over the clock (module loading waits on real I/O), as a page would have the chunk.
beforeAll(loadLazyChunks);

describe("useAsset", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function AssetStatus({ id, label }: { id: string | null; label: string }) {
    const { status, asset } = useAsset(id);
    return <p data-testid={label}>{`${status}:${asset?.playbackId ?? "-"}`}</p>;
  }

  it("makes one request per tick for many components watching one asset, and all see it ready", async () => {
    const transport = createMemoryTransport({ latencyMs: 0, assets: [{ id: "a1", status: "preparing" }] });
    render(
      <StrictMode>
        <VideoProvider transport={transport} watcherOptions={{ random: () => 0 }}>
          {["one", "two", "three", "four"].map((label) => (
            <AssetStatus key={label} id="a1" label={label} />
          ))}
        </VideoProvider>
      </StrictMode>,
    );
    await advance(0);
    expect(transport.calls.getAsset).toBe(1);
    await advance(1010);
    expect(transport.calls.getAsset).toBe(2);
    expect(screen.getByTestId("one").textContent).toBe("preparing:-");
    transport.putAsset({ id: "a1", status: "ready", playbackId: "p1" });
    await advance(1500);
    expect(transport.calls.getAsset).toBe(3);
    for (const label of ["one", "two", "three", "four"]) expect(screen.getByTestId(label).textContent).toBe("ready:p1");
    await advance(60_000);
    expect(transport.calls.getAsset).toBe(3);
  });

  it("is idle without an asset id and makes no request", async () => {
    const transport = createMemoryTransport();
    render(
      <VideoProvider transport={transport}>
        <AssetStatus id={null} label="none" />
      </VideoProvider>,
    );
    await advance(5000);
    expect(screen.getByTestId("none").textContent).toBe("idle:-");
    expect(transport.calls.getAsset).toBe(0);
  });

  it("shows the upload's asset with the push transport, without polling", async () => {
    const transport = createMemoryTransport({ push: true, processingMs: 1000 });
    function Both() {
      const { state, actions } = useVideo();
      const watched = useAsset(state.uploadState.assetId);
      return (
        <>
          <button type="button" onClick={() => void actions.startUpload(createFakeVideoFile({ size: MiB }))}>
            upload
          </button>
          <p data-testid="watched">{watched.status}</p>
        </>
      );
    }
    render(
      <VideoProvider transport={transport}>
        <Both />
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button").click());
    await advance(10_000);
    expect(screen.getByTestId("watched").textContent).toBe("ready");
    expect(transport.calls.watchAsset).toBe(1);
    expect(transport.calls.getAsset).toBe(1);
  });
});

describe("useUpload", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function Row({ label, shared }: { label: string; shared: boolean }) {
    const upload = useUpload({ shared });
    return (
      <div>
        <button type="button" onClick={() => void upload.start(createFakeVideoFile({ size: MiB, name: `${label}.mp4` }))}>
          {label}
        </button>
        <p data-testid={label}>{`${upload.state.status}:${upload.state.file?.name ?? "-"}`}</p>
      </div>
    );
  }

  it("gives each component its own upload with shared: false", async () => {
    render(
      <VideoProvider transport={createMemoryTransport()}>
        <Row label="first" shared={false} />
        <Row label="second" shared={false} />
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button", { name: "first" }).click());
    expect(screen.getByTestId("second").textContent).toBe("idle:-");
    await act(async () => screen.getByRole("button", { name: "second" }).click());
    await advance(10_000);
    expect(screen.getByTestId("first").textContent).toBe("complete:first.mp4");
    expect(screen.getByTestId("second").textContent).toBe("complete:second.mp4");
  });

  it("shares the provider's upload by default, the one useVideo shows", async () => {
    function VideoStatus() {
      return <p data-testid="video">{useVideo().state.uploadState.status}</p>;
    }
    render(
      <VideoProvider transport={createMemoryTransport()}>
        <Row label="shared" shared />
        <VideoStatus />
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button", { name: "shared" }).click());
    await advance(10_000);
    expect(screen.getByTestId("video").textContent).toBe("complete");
  });

  it("cancel() only forgets a finished take; controller.cancel({ discardAsset: true }) has the backend drop it, asset included", async () => {
    function Take() {
      const upload = useUpload();
      return (
        <div>
          <button type="button" onClick={() => void upload.start(createFakeVideoFile({ size: MiB }))}>
            record
          </button>
          <button type="button" onClick={upload.cancel}>
            forget
          </button>
          <button type="button" onClick={() => upload.controller.cancel({ discardAsset: true })}>
            record again
          </button>
          <p data-testid="take">{`${upload.state.status}:${upload.state.assetId ?? "-"}`}</p>
        </div>
      );
    }
    const transport = createMemoryTransport();
    render(
      <VideoProvider transport={transport}>
        <Take />
      </VideoProvider>,
    );
    const click = (name: string) => act(async () => screen.getByRole("button", { name }).click());
    // A handler passed as it is gets the click event: that is no request to discard.
    await click("record");
    await advance(10_000);
    expect(screen.getByTestId("take").textContent).toBe("complete:asset-2");
    await click("forget");
    await advance(100);
    expect(transport.calls).toMatchObject({ cancelUpload: 0, discardUpload: 0 });

    await click("record");
    await advance(10_000);
    expect(screen.getByTestId("take").textContent).toBe("complete:asset-4");
    await click("record again");
    expect(screen.getByTestId("take").textContent).toBe("idle:-");
    await advance(100);
    expect(transport.calls).toMatchObject({ cancelUpload: 0, discardUpload: 1 });
    expect(transport.uploadInfo("upload-3")).toMatchObject({ status: "asset_created", assetId: "asset-4" });
    const gone = transport.getAsset("asset-4", { signal: new AbortController().signal }).catch((error: unknown) => error);
    await advance(100);
    expect(await gone).toMatchObject({ code: "not_found" });
  });

  /** Renders a component that shows upload progress, with animation frames held until `paint()`; counts renders. */
  async function startProgressProbe(fileSize: number) {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal("cancelAnimationFrame", () => undefined);
    let renders = 0;
    function Progress() {
      const { state, start } = useUpload();
      renders++;
      return (
        <>
          <button type="button" onClick={() => void start(createFakeVideoFile({ size: fileSize }))}>
            go
          </button>
          <p data-testid="sent">{state.bytesSent}</p>
        </>
      );
    }
    const transport = createMemoryTransport({ bytesPerSecond: MiB, tickMs: 10 });
    render(
      <VideoProvider transport={transport}>
        <Progress />
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button").click());
    return {
      frames,
      transport,
      renders: () => renders,
      paint: () => act(() => frames.splice(0).forEach((frame) => frame(performance.now()))),
    };
  }

  it("reaches React at most once per animation frame while only progress changes", async () => {
    const probe = await startProgressProbe(4 * MiB);
    await advance(300);
    probe.paint();
    const before = probe.renders();
    await advance(300);
    // About 30 progress reports arrived; one frame is pending and React has not rendered any of them.
    expect(probe.frames).toHaveLength(1);
    expect(probe.renders()).toBe(before);
    probe.paint();
    expect(probe.renders()).toBe(before + 1);
    expect(screen.getByTestId("sent").textContent).toBe(String(probe.transport.receivedBytes("upload-1")));
    vi.unstubAllGlobals();
  });

  it("renders progress at most four times a second, however often it arrives", async () => {
    const probe = await startProgressProbe(8 * MiB);
    await advance(500);
    const before = probe.renders();
    // Two seconds of 100 progress reports a second, with every requested frame painted at once.
    for (let step = 0; step < 200; step++) {
      await advance(10);
      probe.paint();
    }
    expect(probe.transport.receivedBytes("upload-1")).toBeGreaterThan(2 * MiB);
    expect(probe.renders() - before).toBeGreaterThanOrEqual(6);
    expect(probe.renders() - before).toBeLessThanOrEqual(9);
    vi.unstubAllGlobals();
  });
});

describe("VideoErrorBoundary", () => {
  function Broken({ error }: { error: Error | null }): React.ReactNode {
    if (error) throw error;
    return <p>player</p>;
  }

  beforeEach(() => vi.spyOn(console, "error").mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  it("shows the provider's message for a VideoError and renders the children again on reset", async () => {
    let error: Error | null = new VideoError("forbidden", "raw");
    const onError = vi.fn();
    const { rerender } = render(
      <VideoProvider transport={createMemoryTransport()} messages={{ forbidden: "Vous n'avez pas le droit." }}>
        <VideoErrorBoundary onError={onError}>
          <Broken error={error} />
        </VideoErrorBoundary>
      </VideoProvider>,
    );
    expect(screen.getByRole("alert").textContent).toContain("Vous n'avez pas le droit.");
    expect(onError).toHaveBeenCalledWith(error, expect.anything());
    error = null;
    rerender(
      <VideoProvider transport={createMemoryTransport()} messages={{ forbidden: "Vous n'avez pas le droit." }}>
        <VideoErrorBoundary onError={onError}>
          <Broken error={error} />
        </VideoErrorBoundary>
      </VideoProvider>,
    );
    await act(async () => screen.getByRole("button", { name: "Try again" }).click());
    expect(screen.getByText("player")).toBeTruthy();
  });

  it("renders a custom fallback with the error and resets when a reset key changes", () => {
    const fallback = ({ error }: { error: Error }) => <p role="alert">{`custom: ${error.message}`}</p>;
    const { rerender } = render(
      <VideoErrorBoundary fallback={fallback} resetKeys={["lesson-1"]}>
        <Broken error={new Error("boom")} />
      </VideoErrorBoundary>,
    );
    expect(screen.getByRole("alert").textContent).toBe("custom: boom");
    rerender(
      <VideoErrorBoundary fallback={fallback} resetKeys={["lesson-2"]}>
        <Broken error={null} />
      </VideoErrorBoundary>,
    );
    expect(screen.getByText("player")).toBeTruthy();
  });
});

describe("useVideoMessages and useVideoLimits", () => {
  function Show() {
    const messages = useVideoMessages();
    const limits = useVideoLimits();
    return <p data-testid="out">{`${messages.file_not_video}|${messages.network}|${limits.maxFileSize}|${limits.allowedExtensions.length}`}</p>;
  }

  it("merge the provider's overrides with the defaults", () => {
    render(
      <VideoProvider transport={createMemoryTransport()} messages={{ file_not_video: "Ce fichier n'est pas une vidéo." }} limits={{ maxFileSize: 100 }}>
        <Show />
      </VideoProvider>,
    );
    const [notVideo, network, max, extensions] = (screen.getByTestId("out").textContent ?? "").split("|");
    expect(notVideo).toBe("Ce fichier n'est pas une vidéo.");
    expect(network).toMatch(/connection/);
    expect(max).toBe("100");
    expect(Number(extensions)).toBeGreaterThan(5);
  });

  it("fall back to the defaults outside a provider", () => {
    render(<Show />);
    expect(screen.getByTestId("out").textContent).toContain("not a video");
  });
});
