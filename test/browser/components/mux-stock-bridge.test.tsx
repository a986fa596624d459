// Real Chromium: Mux's stock <mux-uploader> (UpChunk underneath) sends real files through the server routes to the
// local Mux emulator while the kit's provider upload keeps the state: useVideo() sees Mux's upload, its actions
// pause, resume and cancel it, Mux's own Pause button moves the kit's state, and when UpChunk gives up on a failed
// chunk, the kit's Retry sends the rest from the committed byte. Every case ends with the emulator holding the
// file's exact bytes in one asset, or with nothing created.
//
// Under load: 10 runs out of 10 passed (2 December 2026) with both cores of the 2-core machine saturated by a CPU
// burner running alongside (other suites were running too; load average 14-21), each run 3-6 minutes:
//   for i in 1 2; do node -e 'for(;;){}' & echo $! >> /tmp/burners; done
//   for run in $(seq 1 10); do npx vitest run --project browser test/browser/components/mux-stock-bridge.test.tsx; done
//   kill $(cat /tmp/burners)
// Every wait is on an event (React's state, Mux's Pause button enabled again once the chunk in flight lands, the
// emulator's records) under one generous bound, EVENTUALLY; the one sleep left shows an absence (no chunk is sent
// and nothing moves while paused).
import "@testing-library/jest-dom/vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { createXhrRequester } from "../../../src/core/chunk-requester.js";
import { createLocalStorageUploadRecordStore } from "../../../src/core/upload-record-store.js";
import { useResumableUploads, type UseResumableUploadsResult } from "../../../src/react/index.js";
import {
  MuxStockUploader,
  VideoProvider,
  createHttpTransport,
  useVideo,
  type UploadState,
  type UseVideoResult,
  type VideoProviderProps,
} from "../../../src/index.js";
import {
  CHUNK,
  fixtureBytes,
  listAssets,
  listUploads,
  newAssets,
  paddedMp4,
  parseStack,
  playedSha256,
  setFaults,
  sha256,
  sleep,
} from "../reliability/stack.js";

const stack = parseStack(inject("reliabilityStockStack"));
/**
 * How long a wait for something that will happen may take before the test fails: long, because these tests also run
 * on a machine whose cores are saturated (see the top of the file); every wait returns as soon as its condition holds.
 */
const EVENTUALLY = { timeout: 120_000, interval: 50 };
const SIZE = 12 * CHUNK;
let base: Uint8Array;

beforeAll(async () => {
  base = await fixtureBytes(stack, "mp4");
  await import("@mux/mux-uploader-react");
}, 180_000);

afterEach(async () => {
  cleanup();
  await setFaults(stack, {});
});

/** Renders the stock uploader beside a probe of `useVideo()` under one provider; returns what the probe saw. */
function renderBridge(uploadOptions: VideoProviderProps["uploadOptions"] = {}) {
  const seen: UploadState[] = [];
  const video: { current: UseVideoResult | null } = { current: null };
  function Probe() {
    const result = useVideo();
    video.current = result;
    if (seen.at(-1) !== result.state.uploadState) seen.push(result.state.uploadState);
    return <output data-testid="kit-status">{result.state.uploadState.status}</output>;
  }
  const transport = createHttpTransport({ baseUrl: stack.routes, events: false });
  const tree = (withStock: boolean) => (
    <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }} uploadOptions={uploadOptions}>
      {withStock ? <MuxStockUploader lessonId="lesson-bridge" muxUploaderProps={{ chunkSize: CHUNK / 1024, pausable: true }} /> : null}
      <Probe />
    </VideoProvider>
  );
  const { rerender } = render(tree(true));
  const statuses = () => [...new Set(seen.map((state) => state.status))];
  /** Unmounts the stock uploader alone; the provider (and its upload) stays. */
  const removeStock = () => rerender(tree(false));
  return { seen, statuses, video: () => video.current!, removeStock };
}

/** Mux's element once it is ready for a file: rendered, and its `endpoint` set by the React wrapper's effect. */
async function stockElement(): Promise<HTMLElement & { paused: boolean }> {
  return waitFor(
    () => {
      const found = document.querySelector<HTMLElement & { paused: boolean; endpoint?: unknown }>("mux-uploader");
      expect(typeof found?.endpoint).toBe("function");
      return found!;
    },
    EVENTUALLY,
  );
}

/** The button of Mux's `<mux-uploader-pause>`: disabled ("Pausing…") from a pause until UpChunk's chunk in flight lands. */
function stockPauseButton(element: HTMLElement): HTMLButtonElement {
  return element.shadowRoot!.querySelector("mux-uploader-pause")!.shadowRoot!.querySelector("button")!;
}

/** Waits until the chunk UpChunk had in flight when it was paused has landed: Mux enables its Pause button again. */
async function chunkInFlightLanded(element: HTMLElement): Promise<void> {
  await waitFor(() => expect(stockPauseButton(element)).not.toBeDisabled(), { ...EVENTUALLY, interval: 20 });
}

/** Counts the requests with a body (UpChunk's chunk PUTs) this page sends through XMLHttpRequest until `stop()`. */
function countXhrUploads(): { readonly count: number; stop(): void } {
  const { send } = XMLHttpRequest.prototype;
  let count = 0;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (body != null) count++;
    return send.call(this, body);
  };
  return {
    get count() {
      return count;
    },
    stop: () => {
      XMLHttpRequest.prototype.send = send;
    },
  };
}

/** What Mux's own file picker and drop zone dispatch when a file is chosen. */
function chooseInStock(element: HTMLElement, file: File) {
  element.dispatchEvent(new CustomEvent("file-ready", { detail: file, bubbles: true, composed: true }));
}

/**
 * Sets the emulator's answer latency, renders the bridge, picks `file` in Mux's element and waits until at least
 * `sentAtLeast` bytes went out. `before` lists the assets from before the upload.
 */
async function uploadingInStock({ latencyMs, sentAtLeast, file = paddedMp4(base, SIZE) }: { latencyMs: number; sentAtLeast: number; file?: File }) {
  await setFaults(stack, { latencyMs });
  const before = await listAssets(stack);
  const bridge = renderBridge();
  const element = await stockElement();
  chooseInStock(element, file);
  await waitFor(() => expect(bridge.video().state.uploadState.bytesSent).toBeGreaterThanOrEqual(sentAtLeast), { ...EVENTUALLY, interval: 10 });
  return { ...bridge, before, element, file };
}

async function expectOneAssetWithTheFile(before: Awaited<ReturnType<typeof listAssets>>, file: File, video: UseVideoResult) {
  const created = await newAssets(stack, before);
  expect(created).toHaveLength(1);
  expect(created[0]!.status).toBe("ready");
  expect(await playedSha256(stack, created[0]!)).toBe(await sha256(file));
  expect(video.state.asset).toMatchObject({ id: created[0]!.id, status: "ready", passthrough: "lesson-bridge" });
}

const kitStatus = () => screen.getByTestId("kit-status").textContent;

describe("MuxStockUploader bridged into useVideo() in Chromium", { timeout: 360_000 }, () => {
  it("shows Mux's upload in useVideo(): validating, requesting, uploading with growing bytes, processing, complete", async () => {
    await setFaults(stack, { latencyMs: 60 });
    const before = await listAssets(stack);
    const { seen, statuses, video } = renderBridge();
    const file = paddedMp4(base, SIZE, "stock lesson.mp4");
    chooseInStock(await stockElement(), file);
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(statuses()).toEqual(["idle", "validating", "requesting", "uploading", "processing", "complete"]);
    const uploading = seen.filter((state) => state.status === "uploading").map((state) => state.bytesSent);
    expect(new Set(uploading).size).toBeGreaterThan(2);
    expect(uploading.every((bytes, i) => i === 0 || bytes >= uploading[i - 1]!)).toBe(true);
    expect(video().state.uploadState).toMatchObject({ bytesSent: file.size, totalBytes: file.size, file: { name: "stock lesson.mp4" } });
    await expectOneAssetWithTheFile(before, file, video());
    await waitFor(() => expect(document.querySelector("mux-player")).not.toBeNull(), EVENTUALLY);
  });

  it("pauses Mux's upload from useVideo().actions.pauseUpload() and continues the same upload on resume()", async () => {
    const uploadsBefore = (await listUploads(stack)).length;
    const { video, element, file, before } = await uploadingInStock({ latencyMs: 120, sentAtLeast: 2 * CHUNK });
    video().actions.pauseUpload();
    expect(element.paused).toBe(true);
    await waitFor(() => expect(kitStatus()).toBe("paused"), EVENTUALLY);
    // UpChunk finishes the chunk in flight, then nothing moves while paused (an absence: only a span of time shows it).
    // Unpaused, UpChunk sends its next chunk as soon as one lands, so the span starts there; a slow machine can
    // only make a wrongly sent chunk come later, never make a correct pause look wrong.
    await chunkInFlightLanded(element);
    const held = video().state.uploadState.bytesSent;
    const puts = countXhrUploads();
    try {
      await sleep(800);
    } finally {
      puts.stop();
    }
    expect(puts.count).toBe(0);
    expect(video().state.uploadState).toMatchObject({ status: "paused", bytesSent: held });
    expect(held).toBeLessThan(file.size);
    video().actions.resumeUpload();
    await waitFor(() => expect(element.paused).toBe(false), { ...EVENTUALLY, interval: 20 });
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect((await listUploads(stack)).length).toBe(uploadsBefore + 1);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("resumes right after a pause, while UpChunk still sends the chunk in flight, without a second send loop", async () => {
    const { video, seen, element, file, before } = await uploadingInStock({ latencyMs: 400, sentAtLeast: CHUNK, file: paddedMp4(base, 8 * CHUNK) });
    video().actions.pauseUpload();
    expect(element.paused).toBe(true);
    // At once: each byte request takes 400 ms, so UpChunk's chunk is still in flight.
    video().actions.resumeUpload();
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(seen.some((state) => state.status === "error")).toBe(false);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("follows Mux's own Pause and Resume button into the kit's state", async () => {
    const { video, element, file, before } = await uploadingInStock({ latencyMs: 120, sentAtLeast: CHUNK + 1 });
    fireEvent.click(stockPauseButton(element));
    await waitFor(() => expect(video().state.uploadState).toMatchObject({ status: "paused", pausedReason: "user" }), EVENTUALLY);
    // Mux's button stays disabled ("Pausing...") until the chunk in flight lands.
    await chunkInFlightLanded(element);
    fireEvent.click(stockPauseButton(element));
    await waitFor(() => expect(kitStatus()).not.toBe("paused"), EVENTUALLY);
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("pauses while the browser is offline and continues with one send loop when it is back", async () => {
    const { video, seen, element, file, before } = await uploadingInStock({ latencyMs: 120, sentAtLeast: 2 * CHUNK });
    // Both the kit and UpChunk listen to the window's events; a second UpChunk loop would send chunks out of order.
    window.dispatchEvent(new Event("offline"));
    expect(element.paused).toBe(true);
    await waitFor(() => expect(video().state.uploadState).toMatchObject({ status: "paused", pausedReason: "offline" }), EVENTUALLY);
    await chunkInFlightLanded(element);
    window.dispatchEvent(new Event("online"));
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(seen.some((state) => state.status === "error")).toBe(false);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("when UpChunk gives up on a failed chunk, the kit's Retry sends the rest from the committed byte", async () => {
    // The 4th byte request answers 500, which UpChunk does not retry.
    await setFaults(stack, { failChunk: { n: 4, status: 500 } });
    const before = await listAssets(stack);
    // Where each of the kit's own byte PUTs starts (Mux's element sends with its own XHR, not through this).
    const kitPutStarts: number[] = [];
    const xhr = createXhrRequester();
    const { video } = renderBridge({
      request: (req) => {
        const range = /^bytes (\d+)-/.exec(req.headers["Content-Range"] ?? "");
        if (req.body && range) kitPutStarts.push(Number(range[1]));
        return xhr(req);
      },
    });
    const file = paddedMp4(base, SIZE);
    chooseInStock(await stockElement(), file);
    await waitFor(() => expect(kitStatus()).toBe("error"), { ...EVENTUALLY, interval: 20 });
    const failed = video().state.uploadState;
    expect(failed).toMatchObject({ error: { code: "server", retryable: true, status: 500 } });
    // Mux's last progress event is the share of chunks the server confirmed.
    expect(failed.bytesSent % CHUNK).toBe(0);
    expect(failed.bytesSent).toBeGreaterThanOrEqual(CHUNK);
    expect(failed.bytesSent).toBeLessThan(file.size);
    expect(await newAssets(stack, before)).toHaveLength(0);
    // A fresh Mux element offers its picker for another file; the kit offers Retry for this one.
    await waitFor(() => expect(document.querySelector("mux-uploader")?.hasAttribute("upload-error")).toBe(false), EVENTUALLY);
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(video().state.uploadState.attempt).toBe(2);
    // The kit asked the server for its offset and sent only what it lacked.
    expect(kitPutStarts[0]).toBe(failed.bytesSent);
    expect(kitPutStarts.every((start) => start >= failed.bytesSent)).toBe(true);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("records a run Mux's element sent, so after a reload the kit resumes it from the server's offset", async () => {
    await setFaults(stack, { latencyMs: 120 });
    const before = await listAssets(stack);
    const key = "lesson-video-kit:stock-bridge-test";
    const transport = createHttpTransport({ baseUrl: stack.routes, events: false });
    const video: { current: UseVideoResult | null } = { current: null };
    const resumable: { current: UseResumableUploadsResult | null } = { current: null };
    function Probe() {
      video.current = useVideo();
      resumable.current = useResumableUploads();
      return <output data-testid="kit-status">{video.current.state.uploadState.status}</output>;
    }
    const page = (withStock: boolean) => (
      <VideoProvider
        transport={transport}
        records={createLocalStorageUploadRecordStore({ key })}
        watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }}
      >
        {withStock ? <MuxStockUploader lessonId="lesson-bridge" muxUploaderProps={{ chunkSize: CHUNK / 1024 }} /> : null}
        <Probe />
      </VideoProvider>
    );

    // Page one: Mux's element sends until a few chunks are on the server, then the page goes away.
    const first = render(page(true));
    const file = paddedMp4(base, SIZE, "reloaded stock lesson.mp4");
    chooseInStock(await stockElement(), file);
    await waitFor(() => expect(video.current!.state.uploadState.bytesSent).toBeGreaterThanOrEqual(4 * CHUNK), { ...EVENTUALLY, interval: 20 });
    const uploadId = video.current!.state.uploadState.uploadId;
    first.unmount();

    // Page two: the record is offered; the same file picked again finishes on the same upload.
    render(page(false));
    const record = await waitFor(
      () => {
        const found = resumable.current!.records.find((each) => each.uploadId === uploadId);
        expect(found).toBeDefined();
        return found!;
      },
      EVENTUALLY,
    );
    const again = new File([await file.arrayBuffer()], file.name, { type: file.type, lastModified: file.lastModified });
    void resumable.current!.resume(again, record);
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(video.current!.state.uploadState.uploadId).toBe(uploadId);
    expect(createLocalStorageUploadRecordStore({ key }).list()).toEqual([]);
    await expectOneAssetWithTheFile(before, file, video.current!);
  });

  it("cancels Mux's upload from useVideo().actions.resetState(): the upload is cancelled and Mux's picker is back", async () => {
    const { video, before } = await uploadingInStock({ latencyMs: 120, sentAtLeast: CHUNK + 1 });
    const uploadId = video().state.uploadState.uploadId;
    video().actions.resetState();
    await waitFor(() => expect(kitStatus()).toBe("idle"), EVENTUALLY);
    await waitFor(async () => expect((await listUploads(stack)).find((upload) => upload.id === uploadId)?.status).toBe("cancelled"), EVENTUALLY);
    // A cancelled upload refuses every later byte request, so no asset can appear after this.
    expect(await newAssets(stack, before)).toHaveLength(0);
    const fresh = await stockElement();
    expect(fresh.hasAttribute("upload-in-progress")).toBe(false);
  });

  it("ignores a drop of something that is not a file on Mux's element while it uploads", async () => {
    const { video, seen, element, file, before } = await uploadingInStock({ latencyMs: 80, sentAtLeast: CHUNK + 1 });
    // What Mux's drop zone dispatches for a dropped link or text: no file. Mux's element reports an error of its own.
    element.dispatchEvent(new CustomEvent("file-ready", { detail: undefined, bubbles: true, composed: true }));
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    expect(seen.some((state) => state.status === "error")).toBe(false);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("goes on when the stock uploader alone unmounts mid-upload: useVideo() sees it finish", async () => {
    const { video, removeStock, file, before } = await uploadingInStock({ latencyMs: 80, sentAtLeast: CHUNK + 1 });
    removeStock();
    expect(document.querySelector("mux-uploader")).toBeNull();
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    await expectOneAssetWithTheFile(before, file, video());
  });

  it("after a stock upload finished, shows the kit's status for a run started elsewhere under the provider", async () => {
    const { video } = renderBridge();
    chooseInStock(await stockElement(), paddedMp4(base, 4 * CHUNK));
    await waitFor(() => expect(kitStatus()).toBe("complete"), EVENTUALLY);
    await setFaults(stack, { latencyMs: 150 });
    void video().actions.startUpload(paddedMp4(base, SIZE, "from elsewhere.mp4"));
    await waitFor(() => expect(kitStatus()).toBe("uploading"), EVENTUALLY);
    const root = document.querySelector(".lvk-mux-uploader")!;
    await waitFor(() => expect(root.querySelector(".lvk-status")).not.toBeNull(), EVENTUALLY);
    expect(root.querySelector("mux-uploader")).toBeNull();
    expect(screen.getByRole("button", { name: "Pause" })).toBeVisible();
    video().actions.resetState();
  });

  it("refuses a renamed HTML file by its bytes before any upload is created, and says why", async () => {
    const uploadsBefore = (await listUploads(stack)).length;
    const { video } = renderBridge();
    chooseInStock(await stockElement(), new File(["<!doctype html><title>not a video</title>"], "lesson.mp4", { type: "video/mp4" }));
    await waitFor(() => expect(kitStatus()).toBe("error"), EVENTUALLY);
    expect(video().state.error).toMatchObject({ code: "file_not_video", retryable: false });
    expect(screen.getByText(/not a video/i)).toBeVisible();
    expect((await listUploads(stack)).length).toBe(uploadsBefore);
  });
});
