/// <reference types="vite/client" />
// Real Chromium: the uploader sends a real MP4 through the kit's HTTP transport and server routes to the
// local Mux emulator, the player plays what arrived; a real DataTransfer drop starts an upload; focus
// and keyboard paths work with real key presses.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { inject } from "vitest";
import { userEvent } from "vitest/browser";
import { VideoProvider, VideoUploader, createHttpTransport, type VideoAsset } from "../../../src/index.js";
import { createFakeVideoFile, createMemoryTransport, type MemoryTransportOptions } from "../../../src/testing/index.js";
import "../../../src/components/styles.css";

const routesUrl = inject("videoRoutesUrl");
const testApi = inject("videoRoutesTestApi");

async function sha256(bytes: ArrayBuffer): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const fileInput = () => document.querySelector<HTMLInputElement>("input[type=file]")!;
const uploaderStatus = () => document.querySelector("[data-view]")?.getAttribute("data-status");

function renderWithMemory(options: MemoryTransportOptions, onUploaded = vi.fn()) {
  const transport = createMemoryTransport({ bytesPerSecond: 2 * 1024 * 1024, tickMs: 30, latencyMs: 5, processingMs: 100, push: true, ...options });
  render(
    <VideoProvider transport={transport}>
      <VideoUploader onUploaded={onUploaded} />
    </VideoProvider>,
  );
  return { transport, onUploaded };
}

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
  // Load the player module up front so Vite's first-time dependency work does not race the test; the
  // lazy split itself is proven by test/unit/components/player-chunk.test.ts.
  await import("@mux/mux-player-react");
}, 60_000);

afterEach(() => cleanup());

describe("VideoUploader in Chromium", () => {
  it("uploads a real MP4 to the emulator through the routes; the bytes arrive intact and the player loads them", async () => {
    const mp4 = await (await fetch(`${testApi}/fixtures/mp4`)).blob();
    const file = new File([mp4], "lesson.mp4", { type: "video/mp4" });
    const onUploaded = vi.fn<(asset: VideoAsset) => void>();
    const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" } });
    render(
      <VideoProvider transport={transport} uploadOptions={{ chunkSize: 256 * 1024 }}>
        <VideoUploader lessonId="lesson-browser" onUploaded={onUploaded} videoTitle="Browser lesson" />
      </VideoProvider>,
    );
    await userEvent.upload(fileInput(), file);
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), { timeout: 30_000, interval: 100 });
    const asset = onUploaded.mock.calls[0]![0];
    expect(asset).toMatchObject({ status: "ready", passthrough: "lesson-browser" });

    const stored = await (await fetch(asset.playback!.src!)).arrayBuffer();
    expect(stored.byteLength).toBe(file.size);
    expect(await sha256(stored)).toBe(await sha256(await file.arrayBuffer()));

    const player = await waitFor(() => {
      const element = document.querySelector<HTMLElement & { duration: number }>("mux-player");
      expect(element).not.toBeNull();
      return element!;
    }, { timeout: 15_000 });
    await waitFor(() => expect(player.duration).toBeGreaterThan(1), { timeout: 15_000, interval: 100 });
    expect(screen.getByRole("group", { name: "Upload complete" })).toHaveFocus();
  });

  it("takes a file dropped with a real DataTransfer, showing the drag state first", async () => {
    const { onUploaded } = renderWithMemory({});
    const zone = document.querySelector(".lvk-dropzone")!;
    const transfer = new DataTransfer();
    transfer.items.add(createFakeVideoFile({ name: "dropped.mp4", size: 256 * 1024 }));
    zone.dispatchEvent(new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    await waitFor(() => expect(zone).toHaveAttribute("data-state", "dragging"));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalled(), { timeout: 10_000 });
    expect(onUploaded.mock.calls[0]![0]).toMatchObject({ status: "ready" });
  });

  it("marks a dragged non-video as rejected", async () => {
    renderWithMemory({});
    const zone = document.querySelector(".lvk-dropzone")!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(["%PDF-1.7"], "notes.pdf", { type: "application/pdf" }));
    zone.dispatchEvent(new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    await waitFor(() => expect(zone).toHaveAttribute("data-state", "rejecting"));
    expect(screen.getByRole("button", { name: "Only video files can be uploaded" })).toBeVisible();
  });

  it("is operable with real key presses: Tab to the drop zone, and Retry gets focus after a fault", async () => {
    renderWithMemory({ failAt: { byte: 128 * 1024, code: "network" } });
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "Drag a video here or choose a file" })).toHaveFocus();
    await userEvent.upload(fileInput(), createFakeVideoFile({ size: 512 * 1024 }));
    const retry = await screen.findByRole("button", { name: "Retry" }, { timeout: 10_000 });
    await waitFor(() => expect(retry).toHaveFocus());
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(uploaderStatus()).toBe("complete"), { timeout: 10_000 });
  });

  it("shows the drop zone's focus ring and the theme's colours from styles.css", async () => {
    renderWithMemory({});
    await userEvent.tab();
    const button = screen.getByRole("button", { name: "Drag a video here or choose a file" });
    expect(getComputedStyle(button).boxShadow).not.toBe("none");
    const zone = document.querySelector(".lvk-dropzone")!;
    expect(getComputedStyle(zone).borderStyle).toBe("dashed");
  });
});
