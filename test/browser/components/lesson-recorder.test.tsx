// Real Chromium with its fake devices (a camera's test pattern, microphones' beeps, a whole "screen" picked without a
// prompt: vitest.config.ts), a real MediaRecorder, the kit's HTTP transport and routes, the emulator: LessonRecorder
// records the camera, the screen, or the screen with the camera composed over it, uploads while it records, and a
// kept recording ends as a ready asset holding exactly the recorded bytes; offline mid-recording the recording goes on
// and the upload catches up; "Record again" cancels the abandoned upload at the backend; a refused permission and a
// browser without MediaRecorder show their messages and a way on.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { inject } from "vitest";
import { commands, userEvent } from "vitest/browser";
import { createFetchRequester, type ChunkRequester } from "../../../src/core/chunk-requester.js";
import {
  LessonRecorder,
  MediaRecording,
  VideoProvider,
  createHttpTransport,
  createIndexedDbRecordingStore,
  type LessonRecorderProps,
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

/** Bytes of the recording the server acknowledged (chunks answered 308, 200 or 201), counted by the test's requester. */
let acknowledged = 0;
const sentBytes = () => acknowledged;

function renderRecorder(request?: ChunkRequester, store?: RecordingStore, props: Partial<LessonRecorderProps> = {}) {
  acknowledged = 0;
  const send = request ?? createFetchRequester();
  const counting: ChunkRequester = async (chunk) => {
    const response = await send(chunk);
    if (chunk.body && [200, 201, 308].includes(response.status)) acknowledged += chunk.body.size;
    return response;
  };
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
    <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }} uploadOptions={{ request: counting }}>
      <LessonRecorder lessonId="recorded-lesson" countdownSeconds={0} onUploaded={onUploaded} onKeep={onKeep} onDiscard={onDiscard} store={store} {...props} />
    </VideoProvider>,
  );
  return { onUploaded, onKeep, onDiscard, uploads };
}

const state = () => document.querySelector(".lvk-recorder")?.getAttribute("data-state");

/** The timer once a second or more was recorded (on a busy machine it may skip from 0 to 2 seconds). */
const recordedAtLeastASecond = (text: string) => /^Recorded [1-9]\d* sec$/.test(text);

/** Every step the recorder's root shows from now on, in order (`data-state` changes, as they happen). */
function watchSteps(): string[] {
  const root = document.querySelector(".lvk-recorder")!;
  const steps: string[] = [];
  new MutationObserver(() => {
    const step = root.getAttribute("data-state") ?? "";
    if (steps.at(-1) !== step) steps.push(step);
  }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
  return steps;
}

describe("LessonRecorder in Chromium against the emulator", { timeout: 120_000 }, () => {
  it("records the camera after a countdown, keeps the recording, and the asset holds exactly the recorded bytes", async () => {
    const { onUploaded, onKeep } = renderRecorder(undefined, undefined, { countdownSeconds: 1 });
    await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
    // The fake microphones are listed, the default one's level is measured.
    const microphones = await screen.findByRole("combobox", { name: "Microphone" }, EVENTUALLY);
    await waitFor(() => expect(within(microphones).getByRole("option", { name: "Fake Audio Input 1" })).toBeInTheDocument(), EVENTUALLY);
    await waitFor(() => expect(Number(screen.getByRole<HTMLMeterElement>("meter", { name: "Microphone level" }).value)).toBeGreaterThan(0), EVENTUALLY);
    const steps = watchSteps();
    await userEvent.click(screen.getByRole("button", { name: "Start recording" }));
    await waitFor(() => expect(state()).toBe("recording"), EVENTUALLY);
    // The countdown came between Start and the recording.
    expect(steps).toEqual(["countdown", "recording"]);
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
    expect(onDiscard.mock.calls[0]![0]).toMatchObject({ uploadId: uploads[0] });
    expect(screen.getByRole("button", { name: "Start recording" })).toBeVisible();
    const status = async () => ((await (await fetch(`${testApi}/uploads/${uploads[0]}`)).json()) as { status: string }).status;
    await waitFor(async () => expect(await status()).toBe("cancelled"), EVENTUALLY);
  });

  it("Record again after the take was sent in full deletes the asset it became at the backend", async () => {
    const { onDiscard } = renderRecorder();
    await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY));
    await screen.findByText(recordedAtLeastASecond, undefined, EVENTUALLY);
    await userEvent.click(screen.getByRole("button", { name: "Stop recording" }));
    await screen.findByLabelText("Your recording", undefined, EVENTUALLY);
    // Not kept, but every byte went up and the backend made an asset of it.
    await waitFor(() => expect(document.querySelector(".lvk-recorder .lvk-status")).toHaveAttribute("data-status", "complete"), EVENTUALLY);
    await userEvent.click(screen.getByRole("button", { name: "Record again" }));
    await waitFor(() => expect(onDiscard).toHaveBeenCalledOnce());
    const assetId = (onDiscard.mock.calls[0]![0] as { assetId?: string }).assetId;
    expect(assetId).toEqual(expect.any(String));
    const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });
    await waitFor(() => expect(transport.getAsset(assetId!, { signal: new AbortController().signal })).rejects.toMatchObject({ code: "not_found" }), EVENTUALLY);
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
    // For the lesson the recorder is on now (a new lesson's page reserves another id after a reload).
    expect(asset).toMatchObject({ status: "ready", passthrough: "recorded-lesson" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(kept));
    await waitFor(async () => expect(await store.list()).toEqual([]), EVENTUALLY);
    expect(screen.queryByText(/A recording was not finished uploading/)).toBeNull();
  });

  /** Records until the timer shows a second recorded, stops, keeps the take; resolves with the recording and the ready asset. */
  async function recordAndKeep(onUploaded: ReturnType<typeof renderRecorder>["onUploaded"]): Promise<{ recorded: Blob; asset: VideoAsset }> {
    await userEvent.click(await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY));
    await waitFor(() => expect(state()).toBe("recording"));
    await screen.findByText(recordedAtLeastASecond, undefined, EVENTUALLY);
    await userEvent.click(screen.getByRole("button", { name: "Stop recording" }));
    const review = await screen.findByLabelText<HTMLVideoElement>("Your recording", undefined, EVENTUALLY);
    const recorded = await (await fetch(review.src)).blob();
    await userEvent.click(screen.getByRole("button", { name: "Keep this recording" }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), EVENTUALLY);
    return { recorded, asset: onUploaded.mock.calls[0]![0] };
  }

  it("records the shared screen (Chromium's fake desktop) to a ready 16:9 asset with exactly the recorded bytes", async () => {
    const { onUploaded } = renderRecorder();
    await userEvent.click(screen.getByRole("button", { name: "Record the screen" }));
    await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY);
    const { recorded, asset } = await recordAndKeep(onUploaded);
    expect(asset).toMatchObject({ status: "ready", passthrough: "recorded-lesson", aspectRatio: "16:9" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("composes the camera as a bubble over the screen, moves it, and uploads the composed recording to a ready asset", async () => {
    const { onUploaded } = renderRecorder();
    await userEvent.click(screen.getByRole("button", { name: "Record the screen and camera" }));
    const preview = await screen.findByLabelText<HTMLVideoElement>("Preview", undefined, EVENTUALLY);
    await waitFor(() => expect(preview.videoWidth).toBe(1280), EVENTUALLY);
    // The bubble's white ring, sampled at eight points of the circle where the top-left bubble is drawn.
    const ringAtTopLeft = () => {
      const canvas = document.createElement("canvas");
      canvas.width = preview.videoWidth;
      canvas.height = preview.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true })!;
      context.drawImage(preview, 0, 0);
      const radius = 0.15 * canvas.height;
      const cx = (0.19 / (16 / 9)) * canvas.width;
      const cy = 0.19 * canvas.height;
      return Array.from({ length: 8 }, (_, i) => {
        const [r, g, b] = context.getImageData(Math.round(cx + radius * Math.cos((i * Math.PI) / 4)), Math.round(cy + radius * Math.sin((i * Math.PI) / 4)), 1, 1).data;
        return r! > 200 && g! > 200 && b! > 200;
      }).every(Boolean);
    };
    expect(ringAtTopLeft()).toBe(false);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Camera position" }), "Top left");
    await waitFor(() => expect(ringAtTopLeft()).toBe(true), EVENTUALLY);
    const { recorded, asset } = await recordAndKeep(onUploaded);
    expect(asset).toMatchObject({ status: "ready", aspectRatio: "16:9" });
    const played = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("goes on recording while offline; back online, the upload catches up and the asset holds every byte", async () => {
    const { onUploaded } = renderRecorder();
    await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await screen.findByRole("button", { name: "Start recording" }, EVENTUALLY));
    await waitFor(() => expect(sentBytes()).toBeGreaterThan(0), EVENTUALLY);
    const statusOf = () => document.querySelector(".lvk-recorder .lvk-status")?.getAttribute("data-status");
    try {
      await commands.setNetwork(false);
      window.dispatchEvent(new Event("offline"));
      await waitFor(() => expect(statusOf()).toBe("paused"), EVENTUALLY);
      const sentOffline = sentBytes();
      // The recording goes on: a few more pieces are recorded while nothing can be sent.
      const timer = screen.getByRole("timer");
      const recordedBefore = timer.textContent;
      await waitFor(() => expect(timer.textContent).not.toBe(recordedBefore), EVENTUALLY);
      expect(state()).toBe("recording");
      expect(sentBytes()).toBe(sentOffline);
    } finally {
      await commands.setNetwork(true);
      window.dispatchEvent(new Event("online"));
    }
    await userEvent.click(screen.getByRole("button", { name: "Stop recording" }));
    const review = await screen.findByLabelText<HTMLVideoElement>("Your recording", undefined, EVENTUALLY);
    const recorded = await (await fetch(review.src)).blob();
    await userEvent.click(screen.getByRole("button", { name: "Keep this recording" }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), EVENTUALLY);
    const played = await (await fetch(onUploaded.mock.calls[0]![0].playback!.src!)).arrayBuffer();
    expect(played.byteLength).toBe(recorded.size);
    expect(await sha256(played)).toBe(await sha256(recorded));
  });

  it("shows the browser's refusal of the camera (a frame whose permissions policy forbids it) with Try again", async () => {
    const frame = document.createElement("iframe");
    frame.setAttribute("allow", "camera 'none'; microphone 'none'; display-capture 'none'");
    document.body.append(frame);
    try {
      renderRecorder(undefined, undefined, { mediaDevices: frame.contentWindow!.navigator.mediaDevices });
      await userEvent.click(screen.getByRole("button", { name: "Record the camera" }));
      const alert = await screen.findByRole("alert", undefined, EVENTUALLY);
      expect(alert).toHaveTextContent("Access to the camera, microphone or screen was refused.");
      expect(alert).toHaveAttribute("data-error-code", "media_permission_denied");
      await waitFor(() => expect(state()).toBe("error"));
      await userEvent.click(screen.getByRole("button", { name: "Choose another source" }));
      await waitFor(() => expect(state()).toBe("choose"));
    } finally {
      frame.remove();
    }
  });

  it("in a browser without MediaRecorder, says so and uploads a chosen file instead", async () => {
    const saved = Object.getOwnPropertyDescriptor(window, "MediaRecorder")!;
    Reflect.deleteProperty(window, "MediaRecorder");
    try {
      const { onUploaded } = renderRecorder();
      expect(screen.getByRole("alert")).toHaveTextContent("This browser cannot record video.");
      expect(state()).toBe("unsupported");
      expect(screen.queryByRole("button", { name: "Record the camera" })).toBeNull();
      const file = new File([await (await fetch(`${testApi}/fixtures/mp4`)).blob()], "lesson.mp4", { type: "video/mp4" });
      await screen.findByRole("button", { name: "Upload a video file instead" }, EVENTUALLY);
      await userEvent.upload(document.querySelector<HTMLInputElement>(".lvk-recorder input[type=file]")!, file);
      await waitFor(() => expect(onUploaded).toHaveBeenCalled(), EVENTUALLY);
      const played = await (await fetch(onUploaded.mock.calls[0]![0].playback!.src!)).arrayBuffer();
      expect(await sha256(played)).toBe(await sha256(file));
    } finally {
      Object.defineProperty(window, "MediaRecorder", saved);
    }
  });
});
