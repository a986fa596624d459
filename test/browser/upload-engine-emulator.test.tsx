// Real Chromium, real emulator: the upload engine (UploadController + chunked sender over XHR) and the React
// hooks send generated fixtures to the emulator's upload URL, watch processing, and play the result.
// Uses the emulator and app backend that setup/emulator.ts starts (no fault knobs: they are global).
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { inject } from "vitest";
import type { UploadInfo, VideoAsset, VideoTransport } from "../../src/core/types.js";
import { UploadController } from "../../src/core/upload-controller.js";
import { useVideo, VideoProvider } from "../../src/react/index.js";
import type { AssetView } from "./support/emulator-asset.js";

interface FixtureFacts {
  name: string;
  type: string;
  size: number;
}


const backend = inject("emulatorBackend");
const facts = JSON.parse(inject("emulatorFixtures")) as Record<string, FixtureFacts>;

/** A VideoTransport over the test's app backend (POST /uploads, GET /uploads/:id/asset). */
function backendTransport(): VideoTransport & { uploadsCreated: number } {
  const uploadOf = new Map<string, string>();
  const view = async (uploadId: string, signal: AbortSignal) =>
    (await (await fetch(`${backend}/uploads/${uploadId}/asset`, { signal })).json()) as AssetView;
  const transport = {
    uploadsCreated: 0,
    async createUpload(_req: unknown, { signal }: { signal: AbortSignal }) {
      transport.uploadsCreated++;
      const response = await fetch(`${backend}/uploads`, { method: "POST", body: "{}", signal });
      const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
      // Small chunks, so even the small fixtures go in several PUTs.
      return { uploadId, url, chunkSize: 256 * 1024 };
    },
    async getUpload(uploadId: string, { signal }: { signal: AbortSignal }): Promise<UploadInfo> {
      const asset = await view(uploadId, signal);
      if (!asset.assetId) return { uploadId, status: asset.status as UploadInfo["status"] };
      uploadOf.set(asset.assetId, uploadId);
      return { uploadId, status: "asset_created", assetId: asset.assetId };
    },
    async getAsset(assetId: string, { signal }: { signal: AbortSignal }): Promise<VideoAsset> {
      const asset = await view(uploadOf.get(assetId) ?? "", signal);
      return {
        id: assetId,
        status: asset.status as VideoAsset["status"],
        ...(asset.playbackId ? { playbackId: asset.playbackId } : {}),
        ...(asset.src ? { playback: { src: asset.src, ...(asset.poster ? { poster: asset.poster } : {}) } } : {}),
        ...(asset.errors ? { errors: asset.errors.messages.map((message) => ({ type: asset.errors!.type, message })) } : {}),
      };
    },
  };
  return transport;
}

async function fixtureFile(key: string): Promise<File> {
  const fact = facts[key]!;
  const bytes = await (await fetch(`${backend}/fixtures/${key}`)).arrayBuffer();
  return new File([bytes], fact.name, { type: fact.type });
}

async function sha256(data: ArrayBuffer): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", data)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function watchController(controller: UploadController): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const { status } = controller.getSnapshot();
      if (status === "complete" || status === "error") resolve();
    };
    controller.subscribe(check);
    check();
  });
}

const fastWatch = { initialIntervalMs: 100, maxIntervalMs: 300 };

describe("upload engine against the emulator in Chromium", () => {
  let root: Root | undefined;
  let host: HTMLDivElement | undefined;

  afterEach(() => {
    act(() => root?.unmount());
    host?.remove();
  });

  it("uploads an MP4 given as a stream of 64 KiB pieces (total unknown until it ends) over XHR; it plays, and the played bytes equal the stream's", async () => {
    const file = await fixtureFile("mp4");
    const bytes = new Uint8Array(await file.arrayBuffer());
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, (at += 64 * 1024)));
      },
    });
    const transport = backendTransport();
    const controller = new UploadController({ transport });
    const sawUnknownTotal = new Promise<void>((resolve) => {
      controller.subscribe(() => {
        const state = controller.getSnapshot();
        if (state.status === "uploading" && state.totalUnknown && state.progress === 0) resolve();
      });
    });
    void controller.start({ stream, name: file.name, type: file.type });
    await sawUnknownTotal;
    await watchController(controller);
    const state = controller.getSnapshot();
    expect(state).toMatchObject({ status: "complete", bytesSent: bytes.length, totalBytes: bytes.length, progress: 100 });
    const src = controller.getAsset()?.playback?.src;
    expect(src).toBeTruthy();
    const served = await (await fetch(src!)).arrayBuffer();
    expect(await sha256(served)).toBe(await sha256(bytes.buffer));
    controller.dispose();
  });

  it("uploads an MP4 through useVideo in several chunks, reaches complete, and the played bytes equal the file", async () => {
    const file = await fixtureFile("mp4");
    expect(file.size).toBeGreaterThan(256 * 1024);
    const transport = backendTransport();
    let start: ((f: File) => Promise<void>) | undefined;
    function Page() {
      const { state, actions } = useVideo();
      start = actions.startUpload;
      const src = state.asset?.playback?.src;
      return (
        <div>
          <p data-testid="status">{state.uploadState.status}</p>
          <p data-testid="progress">{Math.round(state.uploadState.progress)}</p>
          {state.uploadState.status === "complete" && src ? <video data-testid="player" src={src} muted preload="metadata" /> : null}
        </div>
      );
    }
    host = document.createElement("div");
    document.body.append(host);
    root = createRoot(host);
    act(() =>
      root!.render(
        <VideoProvider transport={transport} watcherOptions={fastWatch}>
          <Page />
        </VideoProvider>,
      ),
    );
    await act(async () => {
      await start!(file);
    });
    await vi.waitFor(() => expect(host!.querySelector("[data-testid=status]")?.textContent).toBe("complete"), { timeout: 30_000 });
    expect(host.querySelector("[data-testid=progress]")?.textContent).toBe("100");
    const player = host.querySelector<HTMLVideoElement>("[data-testid=player]")!;
    if (player.readyState < HTMLMediaElement.HAVE_METADATA) {
      await new Promise((resolve, reject) => {
        player.addEventListener("loadedmetadata", resolve, { once: true });
        player.addEventListener("error", () => reject(new Error("the player could not load the uploaded video")), { once: true });
      });
    }
    expect(player.duration).toBeGreaterThan(0);
    const served = await (await fetch(player.src)).arrayBuffer();
    expect(await sha256(served)).toBe(await sha256(await file.arrayBuffer()));
    expect(transport.uploadsCreated).toBe(1);
  });

  it("pauses and resumes against the emulator's upload URL and the stored bytes still equal the file", async () => {
    const file = await fixtureFile("webm");
    const controller = new UploadController({ transport: backendTransport(), chunkSize: 256 * 1024 });
    let paused = false;
    controller.subscribe(() => {
      const state = controller.getSnapshot();
      if (!paused && state.status === "uploading" && state.bytesSent > 0) {
        paused = true;
        controller.pause();
        setTimeout(() => controller.resume(), 50);
      }
    });
    const done = watchController(controller);
    await controller.start(file);
    await done;
    expect(paused).toBe(true);
    expect(controller.getSnapshot().status).toBe("complete");
    const src = controller.getAsset()?.playback?.src;
    expect(src).toBeTruthy();
    expect(await sha256(await (await fetch(src!)).arrayBuffer())).toBe(await sha256(await file.arrayBuffer()));
  });

  it("refuses a text file renamed .mp4 before creating any upload", async () => {
    const transport = backendTransport();
    const controller = new UploadController({ transport });
    await controller.start(await fixtureFile("fakeMp4"));
    expect(controller.getSnapshot().error?.code).toBe("file_not_video");
    expect(transport.uploadsCreated).toBe(0);
  });

  it("reports processing_failed when the bytes look like MP4 but the emulator cannot decode them", async () => {
    const bytes = new Uint8Array(300 * 1024);
    crypto.getRandomValues(bytes.subarray(0, 65_536));
    bytes.set([0, 0, 0, 16, ...Array.from("ftypisom", (c) => c.charCodeAt(0)), 0, 0, 2, 0]);
    const controller = new UploadController({ transport: backendTransport() });
    const done = watchController(controller);
    await controller.start(new File([bytes], "broken.mp4", { type: "video/mp4" }));
    await done;
    expect(controller.getSnapshot().error).toMatchObject({ code: "processing_failed", retryable: false });
    expect(controller.getAsset()?.status).toBe("errored");
  });
});
