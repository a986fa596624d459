import { act, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { useVideo, VideoProvider } from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";

function Status() {
  const { state, actions } = useVideo();
  return (
    <div>
      <p data-testid="status">{state.uploadState.status}</p>
      <p data-testid="bytes">{state.uploadState.bytesSent}</p>
      <p data-testid="asset">{state.asset?.status ?? "none"}</p>
      <p data-testid="error">{state.error?.code ?? "none"}</p>
      <button type="button" onClick={() => void actions.startUpload(createFakeVideoFile({ size: 1024 * 1024 }))}>
        upload
      </button>
    </div>
  );
}

describe("useVideo", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows an upload going from idle to complete under StrictMode", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: 512 * 1024, processingMs: 1000 });
    render(
      <StrictMode>
        <VideoProvider transport={transport}>
          <Status />
        </VideoProvider>
      </StrictMode>,
    );
    expect(screen.getByTestId("status").textContent).toBe("idle");
    await act(async () => screen.getByRole("button", { name: "upload" }).click());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(screen.getByTestId("status").textContent).toBe("complete");
    expect(screen.getByTestId("bytes").textContent).toBe(String(1024 * 1024));
    expect(screen.getByTestId("asset").textContent).toBe("ready");
  });

  it("renders on the server with the idle state", () => {
    const html = renderToString(
      <VideoProvider transport={createMemoryTransport()}>
        <Status />
      </VideoProvider>,
    );
    expect(html).toContain("idle");
  });
});
