import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";

// What an app sees when the code an upload loads on demand does not arrive (offline, a chunk gone after a
// deploy): the uploader's progress/error/finished views (uploader-views.tsx), the upload's work
// (upload-work.ts: sniffing, fingerprint, chunked sender) and a lesson's media panels (media-panels.ts). Each test mocks one chunk to fail and imports
// the kit afresh, so the kit's once-per-page loaders start empty.

// jsdom lacks DOM APIs Mux's web component needs; the real player runs in the Chromium tests and stories.
vi.mock("@mux/mux-player-react", () => import("./jsdom-player.js"));

const viewsChunk = "../../../src/components/video/organisms/uploader-views.js";
const workChunk = "../../../src/core/upload-work.js";
const chunkFailure = () => {
  throw new TypeError("Failed to fetch dynamically imported module");
};

const fast: MemoryTransportOptions = { bytesPerSecond: 8 * 1024 * 1024, tickMs: 10, latencyMs: 2, processingMs: 20, push: true };
const online = { isOnline: () => true, subscribe: () => () => undefined };

beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  vi.doUnmock(viewsChunk);
  vi.doUnmock(workChunk);
  vi.doUnmock("../../../src/components/media-panels.js");
});

describe("the upload's code loads on demand", () => {
  it("fails a start with a retryable network error when the upload's code cannot load, and Retry loads it and uploads every byte", async () => {
    vi.doMock(workChunk, chunkFailure);
    const { UploadController } = await import("../../../src/core/upload-controller.js");
    const transport = createMemoryTransport(fast);
    const controller = new UploadController({ transport, online });
    const file = createFakeVideoFile({ name: "lesson.mp4", size: 3 * 1024 * 1024 });

    await controller.start(file);
    expect(controller.getSnapshot()).toMatchObject({ status: "error", error: { code: "network", retryable: true } });
    expect(transport.calls.createUpload).toBe(0);

    vi.doUnmock(workChunk);
    expect(controller.retry()).toBe(true);
    await vi.waitFor(() => expect(controller.getSnapshot().status).toBe("complete"), { timeout: 10_000 });
    const uploadId = controller.getSnapshot().uploadId!;
    expect(transport.receivedBytes(uploadId)).toBe(file.size);
  });

  it("shows the upload's status and a Retry while the uploader's views cannot load, and the views once they do", async () => {
    vi.doMock(viewsChunk, chunkFailure);
    const { VideoProvider, VideoUploader } = await import("../../../src/index.js");
    const user = userEvent.setup();
    const transport = createMemoryTransport({ ...fast, processingMs: 60_000 });
    const { container } = render(
      <VideoProvider transport={transport} online={online}>
        <VideoUploader />
      </VideoProvider>,
    );
    const input = container.querySelector<HTMLInputElement>("input[type=file]")!;
    await user.upload(input, createFakeVideoFile({ name: "lesson.mp4", size: 1024 * 1024 }));

    // The upload runs on without its views: the status line says where it is.
    const retry = await screen.findByRole("button", { name: "Retry" });
    expect(await screen.findByText("Processing the video…", { selector: ".lvk-uploader__loading > p" })).toBeInTheDocument();
    expect(container.querySelector("[data-status]")).toHaveAttribute("data-status", "processing");

    vi.doUnmock(viewsChunk);
    await user.click(retry);
    expect(await screen.findByRole("progressbar", { name: "Processing progress" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });
});

describe("a lesson's media panels load on demand", () => {
  it("shows a notice with Retry when the chapters and poster-frame panels cannot load, and the panels once they do", async () => {
    vi.doMock("../../../src/components/media-panels.js", chunkFailure);
    const { VideoProvider, LessonForm } = await import("../../../src/index.js");
    const user = userEvent.setup();
    const ready = { id: "asset-1", status: "ready" as const, playbackId: "pb-1", duration: 60, playback: { src: "/lesson.mp4", poster: "/poster.jpg" } };
    // The backend knows the asset: the captions panel lists its tracks instead of hiding on a not-found.
    const transport = createMemoryTransport({ ...fast, assets: [ready] });
    render(
      <VideoProvider transport={transport} online={online}>
        <LessonForm defaultValue={{ id: "lesson-1", title: "Closures", description: "", video: ready }} onSubmit={async () => ({ id: "lesson-1" })} />
      </VideoProvider>,
    );
    // The captions panel (VideoManager) and the poster/chapters panels (LessonForm) each say so.
    await waitFor(() => expect(screen.getAllByText(/This part of the page could not load/)).toHaveLength(2));
    expect(screen.queryByRole("button", { name: "Add chapter" })).toBeNull();
    // The player's code comes with the panels: until then the video's poster stands in for it.
    expect(screen.queryByTestId("player")).toBeNull();
    expect(screen.getByRole("img", { name: "Closures" })).toHaveAttribute("src", "/poster.jpg");

    vi.doUnmock("../../../src/components/media-panels.js");
    // One Retry loads the panels for both.
    await user.click(screen.getAllByRole("button", { name: "Retry" })[0]!);
    expect(await screen.findByRole("button", { name: "Add chapter" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Use this frame" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Captions" })).toBeInTheDocument();
    expect(screen.queryByText(/This part of the page could not load/)).toBeNull();
    expect(screen.queryByRole("img", { name: "Closures" })).toBeNull();
    expect(await screen.findByTestId("player")).toBeInTheDocument();
  });
});

describe("the HTTP transport's caption calls load on demand", () => {
  afterEach(() => vi.doUnmock("../../../src/transports/http-captions.js"));

  it("rejects a caption call with a retryable network error while their code cannot load, and the next call loads it", async () => {
    vi.doMock("../../../src/transports/http-captions.js", chunkFailure);
    const { createHttpTransport } = await import("../../../src/transports/http.js");
    const requested: string[] = [];
    const fetchTracks: typeof fetch = async (input) => {
      requested.push(String(input));
      return Response.json([{ id: "track-1", languageCode: "en", name: "English", closedCaptions: false, status: "ready", source: "uploaded" }]);
    };
    const transport = createHttpTransport({ baseUrl: "/api/video", fetch: fetchTracks });
    const signal = new AbortController().signal;
    await expect(transport.listCaptions?.("asset-1", { signal })).rejects.toMatchObject({ code: "network", retryable: true });
    expect(requested).toEqual([]);

    vi.doUnmock("../../../src/transports/http-captions.js");
    const tracks = await transport.listCaptions?.("asset-1", { signal });
    expect(tracks?.map((track) => track.id)).toEqual(["track-1"]);
    expect(requested).toEqual(["/api/video/assets/asset-1/captions"]);
  });
});
