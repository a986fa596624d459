// Real Chromium on another origin than the routes: CORS preflights, the kit's HTTP transport and chunked
// sender, the emulator's direct-upload URL locked to this page's origin, webhooks, the event stream,
// and a <video> that plays the result. An origin the routes do not list gets nothing created.
import { inject } from "vitest";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoAsset } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";

const routesUrl = inject("videoRoutesUrl");
const blockedUrl = inject("videoRoutesBlockedUrl");
const testApi = inject("videoRoutesTestApi");
const auth = { authorization: "Bearer alice-token" };

async function mp4File(): Promise<File> {
  const blob = await (await fetch(`${testApi}/fixtures/mp4`)).blob();
  return new File([blob], "lesson.mp4", { type: "video/mp4" });
}

async function uploadCount(): Promise<number> {
  return ((await (await fetch(`${testApi}/uploads-count`)).json()) as { count: number }).count;
}

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
});

describe("the routes called from a page on another origin", () => {
  it("create an upload locked to this page, take its bytes, report ready and the video plays", async () => {
    const transport = createHttpTransport({ baseUrl: routesUrl, headers: auth });
    const file = await mp4File();
    const signal = new AbortController().signal;

    const target = await transport.createUpload({ file: { name: file.name, size: file.size, type: file.type }, lessonId: "lesson-1" }, { signal });
    const upload = (await (await fetch(`${testApi}/uploads/${target.uploadId}`)).json()) as { cors_origin: string; new_asset_settings: { passthrough: string } };
    expect(upload.cors_origin).toBe(location.origin);
    expect(upload.new_asset_settings.passthrough).toBe("lesson-1");

    let sent = 0;
    await sendChunks(file, target.url, { signal, onProgress: (n) => (sent = n), chunkSize: 256 * 1024 });
    expect(sent).toBe(file.size);

    let assetId: string | undefined;
    await vi.waitFor(
      async () => {
        assetId = (await transport.getUpload(target.uploadId, { signal })).assetId;
        expect(assetId).toBeDefined();
      },
      { timeout: 15_000, interval: 100 },
    );
    const ready = await new Promise<VideoAsset>((resolve, reject) => {
      transport.watchAsset?.(assetId!, (asset) => asset.status === "ready" && resolve(asset), reject);
    });
    expect(ready).toMatchObject({ id: assetId, status: "ready", passthrough: "lesson-1", playback: { policy: "public" } });

    const video = document.createElement("video");
    video.muted = true;
    const loaded = new Promise<void>((resolve, reject) => {
      video.addEventListener("loadedmetadata", () => resolve(), { once: true });
      video.addEventListener("error", () => reject(new Error(`video error ${video.error?.code}`)), { once: true });
    });
    video.src = ready.playback?.src ?? "";
    document.body.append(video);
    await loaded;
    expect(video.duration).toBeGreaterThan(2);
    video.remove();
  });

  it("refuses an origin the routes do not list: the preflight fails and no upload is created", async () => {
    const before = await uploadCount();
    const transport = createHttpTransport({ baseUrl: blockedUrl, headers: auth });
    const file = await mp4File();
    await expect(
      transport.createUpload({ file: { name: file.name, size: file.size, type: file.type } }, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: "network" });
    expect(await uploadCount()).toBe(before);
  });

  it("answers the allowed origin's errors readably, with their codes", async () => {
    const transport = createHttpTransport({ baseUrl: routesUrl, headers: auth });
    const signal = new AbortController().signal;
    await expect(transport.createUpload({ file: { name: "notes.pdf", size: 10, type: "application/pdf" } }, { signal })).rejects.toMatchObject({
      code: "file_type_not_allowed",
      status: 415,
    });
    const anonymous = createHttpTransport({ baseUrl: routesUrl });
    await expect(anonymous.getUpload("abc123", { signal })).rejects.toMatchObject({ code: "unauthorized", status: 401 });
  });
});
