// Downloads (static renditions) through the routes: createVideoRoutes + createMuxBackend (the real @mux/mux-node
// client) mounted with toNodeHandler, against the emulator over HTTP. `GET /assets/:id/downloads` lists each file with
// its status and, once ready, a URL that serves the real file; signed playback puts a token on the URL (the emulator
// refuses the file without it); a user who may not download gets the same 404 as for an asset that does not exist;
// the HTTP transport's getDownloads reads the same list.
import { readFileSync } from "node:fs";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoDownload } from "../../src/core/types.js";
import { createHttpTransport } from "../../src/transports/http.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { waitUntil } from "./emulator-helpers.js";
import { startStack, type Stack } from "./server-harness.js";

let mp4: Fixture;
let mp4Bytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
});

/** Uploads the MP4 fixture through the routes as Alice and returns its asset id once every download settled. */
async function uploadedAsset(stack: Stack, lessonId?: string): Promise<string> {
  const response = await stack.call("/uploads", {
    method: "POST",
    user: "alice",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ file: { name: mp4.name, size: mp4.size, type: mp4.type }, ...(lessonId === undefined ? {} : { lessonId }) }),
  });
  expect(response.status).toBe(201);
  const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
  await sendChunks(new Blob([mp4Bytes], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {}, chunkSize: 256 * 1024 });
  const { asset_id: assetId } = await waitUntil(() => stack.mux.video.uploads.retrieve(uploadId), (u) => u.asset_id !== undefined);
  await waitUntil(
    () => stack.mux.video.assets.retrieve(assetId!),
    (a) => a.status === "ready" && (a.static_renditions?.files ?? []).length > 0 && (a.static_renditions?.files ?? []).every((f) => f.status !== "preparing"),
  );
  return assetId!;
}

async function downloadsOf(stack: Stack, assetId: string, user: string): Promise<{ status: number; body: unknown }> {
  const response = await stack.call(`/assets/${assetId}/downloads`, { user });
  return { status: response.status, body: await response.json() };
}

describe("downloads of a public asset", () => {
  let stack: Stack;
  let assetId: string;
  beforeAll(async () => {
    stack = await startStack({
      routes: {
        assetDefaults: { staticRenditions: ["highest", "audio-only", "1080p"] },
        // Only creators download; the harness lets any user read an asset of a known lesson.
        canDownload: (user, asset) => asset.lessonId === `lesson-${user.id}`,
      },
    });
    assetId = await uploadedAsset(stack, "lesson-alice");
  });
  afterAll(() => stack.close());

  it("lists each file with its status and a URL that serves the real file once ready", async () => {
    const { status, body } = await downloadsOf(stack, assetId, "alice");
    expect(status).toBe(200);
    const { downloads } = body as { downloads: VideoDownload[] };
    expect(downloads.map((d) => [d.name, d.kind, d.resolution, d.status, d.url !== undefined])).toEqual([
      ["highest.mp4", "video", "highest", "ready", true],
      ["audio.m4a", "audio", "audio-only", "ready", true],
      // Above the 360p source: Mux skips it, and it has no URL.
      ["1080p.mp4", "video", "1080p", "skipped", false],
    ]);
    expect(downloads[0]).toMatchObject({ width: 640, height: 360, size: expect.any(Number) });
    const file = await fetch(downloads[0]!.url!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("video/mp4");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(Buffer.from(bytes.subarray(4, 8)).toString("latin1")).toBe("ftyp");
  });

  it("answers a user canDownload refuses with the same 404 as an asset that does not exist", async () => {
    const refused = await downloadsOf(stack, assetId, "bob");
    const missing = await downloadsOf(stack, "doesNotExist0000", "bob");
    expect(refused.status).toBe(404);
    expect(refused).toEqual(missing);
    expect(refused.body).toEqual({ error: { code: "not_found", message: "There is no such video." } });
  });

  it("never puts the downloads in GET /assets/:id", async () => {
    const asset = (await (await stack.call(`/assets/${assetId}`, { user: "alice" })).json()) as Record<string, unknown>;
    expect(asset.status).toBe("ready");
    expect(asset).not.toHaveProperty("downloads");
  });

  it("reads the same list through the HTTP transport's getDownloads", async () => {
    const transport = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer alice-token" } });
    const downloads = await transport.getDownloads!(assetId, { signal: new AbortController().signal });
    expect(downloads.map((d) => d.name)).toEqual(["highest.mp4", "audio.m4a", "1080p.mp4"]);
    const bob = createHttpTransport({ baseUrl: stack.api, headers: { authorization: "Bearer bob-token" } });
    await expect(bob.getDownloads!(assetId, { signal: new AbortController().signal })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});

describe("downloads of a signed asset", () => {
  let stack: Stack;
  let assetId: string;
  beforeAll(async () => {
    stack = await startStack({ routes: { assetDefaults: { playbackPolicy: "signed", staticRenditions: ["audio-only"] } } });
    assetId = await uploadedAsset(stack, "lesson-alice");
  });
  afterAll(() => stack.close());

  it("gives the creator a URL with a playback token the emulator accepts, and refuses the file without it", async () => {
    const { body } = await downloadsOf(stack, assetId, "alice");
    const [audio] = (body as { downloads: VideoDownload[] }).downloads;
    expect(audio).toMatchObject({ name: "audio.m4a", kind: "audio", status: "ready", url: expect.stringMatching(/\/audio\.m4a\?token=/) });
    const withToken = await fetch(audio!.url!);
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get("content-type")).toBe("audio/mp4");
    await withToken.arrayBuffer();
    const withoutToken = await fetch(audio!.url!.replace(/\?token=.*$/, ""));
    expect(withoutToken.status).toBe(403);
    await withoutToken.arrayBuffer();
  });

  it("by default refuses whoever may not watch (canView) with the uniform 404, though they may read the asset", async () => {
    // Bob may read the asset (the harness's canViewAsset) but canView lets only the lesson's creator watch.
    expect((await stack.call(`/assets/${assetId}`, { user: "bob" })).status).toBe(200);
    const refused = await downloadsOf(stack, assetId, "bob");
    expect(refused).toEqual(await downloadsOf(stack, "doesNotExist0000", "bob"));
    expect(refused.status).toBe(404);
  });
});
