// createPutSender in real Chromium: XHR sends a real file in one PUT to the emulator's direct-upload URL,
// progress arrives within the request, and the asset plays back the same bytes (SHA-256 on both sides).
import { inject } from "vitest";
import { createPutSender } from "../../src/core/put-sender.js";

const backend = inject("emulatorBackend");
const emulatorUrl = inject("emulatorUrl");

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("createPutSender in Chromium", () => {
  it("PUTs a real file in one request with progress within it, and the emulator plays back the same bytes", async () => {
    const bytes = await (await fetch(`${backend}/fixtures/mp4`)).arrayBuffer();
    const file = new File([bytes], "lesson.mp4", { type: "video/mp4" });
    const { uploadId, url } = (await (await fetch(`${backend}/uploads`, { method: "POST", body: JSON.stringify({ corsOrigin: location.origin }) })).json()) as { uploadId: string; url: string };
    const progress: number[] = [];
    await createPutSender()(file, { uploadId, url }, { signal: new AbortController().signal, onProgress: (n) => progress.push(n) });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(file.size);
    let asset: { status: string; playbackId?: string } = { status: "preparing" };
    await vi.waitFor(
      async () => {
        asset = (await (await fetch(`${backend}/uploads/${uploadId}/asset`)).json()) as typeof asset;
        expect(asset.status).toBe("ready");
      },
      { timeout: 30_000, interval: 100 },
    );
    const played = await (await fetch(`${emulatorUrl}/stream/${asset.playbackId}.mp4`)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(bytes));
  });

  it("aborts the request when its signal aborts, with a typed aborted error", async () => {
    const { uploadId, url } = (await (await fetch(`${backend}/uploads`, { method: "POST", body: JSON.stringify({ corsOrigin: location.origin }) })).json()) as { uploadId: string; url: string };
    const controller = new AbortController();
    const big = new File([new Uint8Array(32 * 1024 * 1024)], "big.mp4", { type: "video/mp4" });
    const sent = createPutSender()(big, { uploadId, url }, { signal: controller.signal, onProgress: (n) => n > 0 && controller.abort() });
    await expect(sent).rejects.toMatchObject({ code: "aborted" });
  });
});
