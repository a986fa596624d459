import { UploadController } from "../../../src/core/upload-controller.js";
import type { VideoEvent } from "../../../src/core/events.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";

describe("UploadController with the memory transport", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("uploads a file, watches processing and ends complete with a ready asset", async () => {
    const transport = createMemoryTransport({ bytesPerSecond: 1024 * 1024, processingMs: 3000 });
    const events: VideoEvent[] = [];
    const controller = new UploadController({ transport, onEvent: (e) => events.push(e) });
    const statuses: string[] = [];
    controller.subscribe(() => {
      const s = controller.getSnapshot().status;
      if (statuses.at(-1) !== s) statuses.push(s);
    });
    const file = createFakeVideoFile({ size: 3 * 1024 * 1024 });
    const done = controller.start(file);
    await vi.advanceTimersByTimeAsync(20_000);
    await done;
    expect(statuses).toEqual(["validating", "requesting", "uploading", "processing", "complete"]);
    const state = controller.getSnapshot();
    expect(state.bytesSent).toBe(file.size);
    expect(state.progress).toBe(100);
    expect(controller.getAsset()?.status).toBe("ready");
    expect(controller.getAsset()?.playback?.src).toMatch(/^data:video\/webm;base64,/);
    expect(events.map((e) => e.type)).toContain("processing_ready");
  });
});
