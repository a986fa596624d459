// @vitest-environment node
import { renderToString } from "react-dom/server";
import { useAsset, useUpload, useVideo, useVideoMessages, VideoErrorBoundary, VideoProvider } from "../../../src/react/index.js";
import { createHttpTransport } from "../../../src/transports/http.js";

function Page() {
  const { state } = useVideo();
  const own = useUpload({ shared: false });
  const asset = useAsset("a1");
  const messages = useVideoMessages();
  return (
    <VideoErrorBoundary>
      <p>{`${state.uploadState.status}|${own.state.status}|${asset.status}|${state.asset === null}|${messages.network.length > 0}`}</p>
    </VideoErrorBoundary>
  );
}

describe("server rendering", () => {
  it("renders the provider and every hook without a window, and makes no request", () => {
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
    const fetch = vi.fn<typeof globalThis.fetch>();
    const html = renderToString(
      <VideoProvider transport={createHttpTransport({ baseUrl: "http://127.0.0.1:9/api/video", fetch })}>
        <Page />
      </VideoProvider>,
    );
    expect(html).toContain("idle|idle|loading|true|true");
    expect(fetch).not.toHaveBeenCalled();
  });
});
