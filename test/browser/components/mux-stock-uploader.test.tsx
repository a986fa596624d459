// Real Chromium: Mux's stock uploader element, wired to the kit's transport, sends a real MP4 through the
// server routes to the local Mux emulator; its events become the kit's UploadState and the asset plays.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { MuxStockUploader, VideoProvider, createHttpTransport, type UploadState, type VideoAsset } from "../../../src/index.js";

const routesUrl = inject("videoRoutesUrl");
const testApi = inject("videoRoutesTestApi");

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
  await import("@mux/mux-uploader-react");
  await import("@mux/mux-player-react");
}, 60_000);

afterEach(() => cleanup());

/** Mux's `<mux-uploader>` once its lazily loaded code rendered it and the React wrapper's effect set its `endpoint`. */
const findStockElement = () =>
  waitFor(
    () => {
      const found = document.querySelector<HTMLElement & { endpoint?: unknown }>("mux-uploader");
      expect(typeof found?.endpoint).toBe("function");
      return found!;
    },
    { timeout: 15_000 },
  );

describe("MuxStockUploader in Chromium", () => {
  it("gets its upload URL from the transport, bridges Mux's events into UploadState and ends ready", async () => {
    const mp4 = await (await fetch(`${testApi}/fixtures/mp4`)).blob();
    const file = new File([mp4], "stock.mp4", { type: "video/mp4" });
    const states: UploadState["status"][] = [];
    const onUploaded = vi.fn<(asset: VideoAsset) => void>();
    render(
      <VideoProvider transport={createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" } })}>
        <MuxStockUploader lessonId="lesson-stock" onUploaded={onUploaded} onStateChange={(state) => states.push(state.status)} />
      </VideoProvider>,
    );
    const element = await findStockElement();
    // What Mux's own file picker and drop zone dispatch when a file is chosen.
    element.dispatchEvent(new CustomEvent("file-ready", { detail: file, bubbles: true, composed: true }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), { timeout: 30_000, interval: 100 });
    expect(onUploaded.mock.calls[0]![0]).toMatchObject({ status: "ready", passthrough: "lesson-stock" });
    const stored = await (await fetch(onUploaded.mock.calls[0]![0].playback!.src!)).arrayBuffer();
    expect(new Uint8Array(stored)).toEqual(new Uint8Array(await file.arrayBuffer()));
    expect([...new Set(states)]).toEqual(["idle", "validating", "requesting", "uploading", "processing", "complete"]);
    await waitFor(() => expect(document.querySelector("mux-player")).not.toBeNull(), { timeout: 15_000 });
  });

  it("passes boolean props through to Mux's element under React 19 (pausable shows the Pause button, noDrop drops the zone)", async () => {
    render(
      <VideoProvider transport={createHttpTransport({ baseUrl: routesUrl })}>
        <MuxStockUploader muxUploaderProps={{ pausable: true, noDrop: true }} />
      </VideoProvider>,
    );
    const element = await findStockElement();
    expect(element.hasAttribute("pausable")).toBe(true);
    expect(element.hasAttribute("no-drop")).toBe(true);
    await waitFor(() => expect(element.shadowRoot!.querySelector("mux-uploader-pause")).not.toBeNull());
    expect(element.shadowRoot!.querySelector("mux-uploader-drop")).toBeNull();
  });
});
