// Real Chromium, a real MediaRecorder, the kit's HTTP transport and routes, the emulator: LessonRecorder records a
// canvas stream (standing in for a camera), uploads while it records, and a kept recording ends as a ready asset
// holding exactly the recorded bytes; "Record again" cancels the abandoned upload at the backend.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { userEvent } from "vitest/browser";
import { createFetchRequester, type ChunkRequester } from "../../../src/core/chunk-requester.js";
import {
  LessonRecorder,
  MediaRecording,
  VideoProvider,
  createHttpTransport,
  createIndexedDbRecordingStore,
  type RecordingStore,
  type VideoAsset,
} from "../../../src/index.js";
import { canvasMedia, stopMedia } from "../../../stories/support/canvas-media.js";
import "../../../src/components/styles.css";

const routesUrl = inject("videoRoutesUrl");
const testApi = inject("videoRoutesTestApi");
const EVENTUALLY = { timeout: 60_000, interval: 50 };

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
});
afterEach(() => cleanup());

async function sha256(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function renderRecorder(request?: ChunkRequester, store?: RecordingStore) {
  const onUploaded = vi.fn<(asset: VideoAsset) => void>();
  const onKeep = vi.fn();
  const onDiscard = vi.fn();
  const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });
  const uploads: string[] = [];
  const create = transport.createUpload.bind(transport);
  transport.createUpload = async (req, opts) => {
    const target = await create(req, opts);
    uploads.push(target.uploadId);
    return target;
  };
  render(
    <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }} uploadOptions={request ? { request } : {}}>
      <LessonRecorder lessonId="recorded-lesson" onUploaded={onUploaded} onKeep={onKeep} onDiscard={onDiscard} store={store} getMedia={() => Promise.resolve(canvasMedia())} />
    </VideoProvider>,
  );
  return { onUploaded, onKeep, onDiscard, uploads };
}

const state = () => document.querySelector(".lvk-recorder")?.getAttribute("data-state");

describe("LessonRecorder in Chromium against the emulator", { timeout: 120_000 }, () => {
  it("records, keeps the recording, and the asset holds exactly the recorded bytes", async () => {
    const { onUploaded, onKeep } = renderRecorder();
    await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY));
    await waitFor(() => expect(state()).toBe("recording"));
    await userEvent.click(screen.getByRole("button", { name: "Pause recording" }));
    await waitFor(() => expect(state()).toBe("paused"));
    await userEvent.click(screen.getByRole("button", { name: "Resume recording" }));
    await waitFor(() => expect(state()).toBe("recording"));
    await userEvent.click(screen.getByRole("button", { name: "Stop recording" }));
    const review = await screen.findByLabelText<HTMLVideoElement>("Your recording", undefined, EVENTUALLY);
    const recorded = await (await fetch(review.src)).blob();
    await userEvent.click(screen.getByRole("button", { name: "Keep this recording" }));
    expect(onKeep).toHaveBeenCalledOnce();
    expect(onKeep.mock.calls[0]![0]).toMatchObject({ uploadId: expect.any(String) as string });
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), EVENTUALLY);
    const asset = onUploaded.mock.calls[0]![0];
    expect(asset).toMatchObject({ status: "ready", passthrough: "recorded-lesson" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(played.byteLength).toBe(recorded.size);
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("Record again goes back to the preview and cancels the abandoned upload, still open, at the backend", async () => {
    // The PUT that would finish the upload is held in the browser until the test lets it go (never, here), so the
    // recording's upload is still open at the backend when Record again is pressed.
    const send = createFetchRequester();
    const held: ChunkRequester = (request) =>
      /\/\d+$/.test(request.headers["Content-Range"] ?? request.headers["content-range"] ?? "")
        ? new Promise((_resolve, reject) => request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true }))
        : send(request);
    const { uploads, onDiscard } = renderRecorder(held);
    await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY));
    await waitFor(() => expect(uploads).toHaveLength(1), EVENTUALLY);
    await userEvent.click(await screen.findByRole("button", { name: "Stop recording" }));
    await screen.findByLabelText("Your recording", undefined, EVENTUALLY);
    await userEvent.click(screen.getByRole("button", { name: "Record again" }));
    await waitFor(() => expect(state()).toBe("preview"));
    expect(onDiscard).toHaveBeenCalledOnce();
    expect(screen.getByRole("button", { name: "Start recording" })).toBeVisible();
    const status = async () => ((await (await fetch(`${testApi}/uploads/${uploads[0]}`)).json()) as { status: string }).status;
    await waitFor(async () => expect(await status()).toBe("cancelled"), EVENTUALLY);
  });

  it("offers a recording a page left on the device, and uploads it: a ready asset with exactly its bytes, the copy gone", async () => {
    const database = `recordings-${crypto.randomUUID()}`;
    const store = createIndexedDbRecordingStore({ database });
    // A page that recorded and went away before anything was uploaded.
    const stream = canvasMedia({ busy: true });
    const earlier = new MediaRecording({ stream, timesliceMs: 200, store, lessonId: "recovered-lesson", name: "interrupted.webm" });
    earlier.start();
    await new Promise<void>((resolve) => {
      const unsubscribe = earlier.subscribe(() => {
        if (earlier.getSnapshot().bytes < 100 * 1024) return;
        unsubscribe();
        resolve();
      });
    });
    stopMedia(stream);
    await earlier.stopped;
    const [saved] = await store.list();
    const kept = (await store.read(saved!.id))!;

    const { onUploaded } = renderRecorder(undefined, createIndexedDbRecordingStore({ database }));
    await screen.findByText(/A recording was not finished uploading: interrupted\.webm/, undefined, EVENTUALLY);
    await userEvent.click(screen.getByRole("button", { name: "Upload it" }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), EVENTUALLY);
    const asset = onUploaded.mock.calls[0]![0];
    expect(asset).toMatchObject({ status: "ready", passthrough: "recovered-lesson" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(kept));
    await waitFor(async () => expect(await store.list()).toEqual([]), EVENTUALLY);
    expect(screen.queryByText(/A recording was not finished uploading/)).toBeNull();
  });
});
