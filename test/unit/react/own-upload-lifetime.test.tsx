import { act, render, screen } from "@testing-library/react";
import { type ReactNode, StrictMode, useEffect } from "react";
import { UploadController } from "../../../src/core/upload-controller.js";
import { createMemoryUploadRecordStore } from "../../../src/core/upload-record-store.js";
import { useUpload, VideoProvider } from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;
const modes = [
  ["", ({ children }: { children: ReactNode }) => <>{children}</>],
  [" under StrictMode", ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>],
] as const;

beforeAll(loadLazyChunks);

describe("a component's own upload (useUpload({ shared: false }))", () => {
  describe("with an upload in flight", () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

    it.each(modes)("stops sending when the component unmounts, left paused with its resume record%s", async (_, Mode) => {
      const transport = createMemoryTransport({ bytesPerSecond: MiB });
      const records = createMemoryUploadRecordStore();
      let own: UploadController | undefined;
      const onMount = (controller: UploadController) => void (own = controller);
      function Uploader() {
        const { start, state, controller } = useUpload({ shared: false });
        useEffect(() => onMount(controller), [controller]);
        return (
          <button type="button" onClick={() => void start(createFakeVideoFile({ size: 8 * MiB, name: "intro.mp4" }))}>
            {state.status}
          </button>
        );
      }
      const page = (show: boolean) => (
        <Mode>
          <VideoProvider transport={transport} records={records} uploadOptions={{ chunkSize: MiB }}>
            {show ? <Uploader /> : null}
          </VideoProvider>
        </Mode>
      );
      const { rerender } = render(page(true));
      await act(async () => screen.getByRole("button").click());
      await advance(2500);
      expect(screen.getByRole("button").textContent).toBe("uploading");

      rerender(page(false));
      await advance(0);
      const held = transport.receivedBytes("upload-1");
      expect(held).toBeGreaterThan(0);
      expect(own?.getSnapshot()).toMatchObject({ status: "paused", pausedReason: "disposed" });
      await advance(10_000);
      expect(transport.receivedBytes("upload-1")).toBe(held);
      expect(records.list().map((record) => record.uploadId)).toEqual(["upload-1"]);
    });

    it("runs to complete under StrictMode", async () => {
      const transport = createMemoryTransport({ bytesPerSecond: 4 * MiB });
      function Uploader() {
        const { start, state } = useUpload({ shared: false });
        return (
          <button type="button" onClick={() => void start(createFakeVideoFile({ size: 4 * MiB }))}>
            {state.status}
          </button>
        );
      }
      render(
        <StrictMode>
          <VideoProvider transport={transport}>
            <Uploader />
          </VideoProvider>
        </StrictMode>,
      );
      await act(async () => screen.getByRole("button").click());
      await advance(10_000);
      expect(screen.getByRole("button").textContent).toBe("complete");
    });
  });
});
