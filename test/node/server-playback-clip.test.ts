// Instant clipping of a signed video through the kit's routes and the emulator: the token route puts a clip in the
// video token's asset_start_time/asset_end_time claims (from validated query parameters, or only from the host's
// playbackClip hook when it is set, so a learner cannot lift it), GET /assets/:id hands out the same clipped tokens,
// and the emulator plays only that part for the token.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { VideoAsset } from "../../src/core/types.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { startStack, type Stack } from "./server-harness.js";

let mp4: Fixture;
const dir = mkdtempSync(join(tmpdir(), "lvk-clip-route-"));

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

/** Uploads the 3 s MP4 fixture as alice for lesson-alice and waits for the ready hook. */
async function readyAsset(stack: Stack): Promise<{ assetId: string; playbackId: string }> {
  const file = { name: mp4.name, size: mp4.size, type: mp4.type };
  const response = await stack.call("/uploads", { method: "POST", user: "alice", headers: { "content-type": "application/json" }, body: JSON.stringify({ file, lessonId: "lesson-alice" }) });
  expect(response.status).toBe(201);
  const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
  await sendChunks(new Blob([new Uint8Array(readFileSync(mp4.path))], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {} });
  let ready: { assetId: string; playbackId?: string | undefined } | undefined;
  await vi.waitFor(
    () => {
      const created = stack.hooks.uploadAssetCreated.find((h) => h.uploadId === uploadId);
      ready = stack.hooks.assetReady.find((h) => h.assetId === created?.assetId);
      expect(ready).toBeDefined();
    },
    { timeout: 30_000, interval: 50 },
  );
  return { assetId: ready!.assetId, playbackId: ready!.playbackId! };
}

/** The duration ffprobe reads from what the emulator streams for this token. */
async function streamedDuration(stack: Stack, playbackId: string, token: string, query = ""): Promise<number> {
  const response = await fetch(`${stack.emulator.url}/stream/${playbackId}.mp4?token=${token}${query}`);
  expect(response.status).toBe(200);
  const path = join(dir, `${crypto.randomUUID()}.mp4`);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  return new Promise((resolve, reject) => {
    execFile("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim()))));
  });
}

describe("a clip asked for in the query (no playbackClip hook)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ routes: { playbackPolicy: "signed" } });
  });
  afterAll(() => stack?.close());

  it("signs the clip into the video token only, and the emulator plays that part", async () => {
    const { playbackId } = await readyAsset(stack);
    const response = await stack.call(`/playback/${playbackId}/token?assetStartTime=1&assetEndTime=2.5&thumbnailTime=1.5`, { user: "alice" });
    expect(response.status).toBe(200);
    const { tokens } = (await response.json()) as { tokens: { playback: string; thumbnail: string; storyboard: string } };
    expect(claims(tokens.playback)).toMatchObject({ aud: "v", sub: playbackId, asset_start_time: "1", asset_end_time: "2.5" });
    expect(claims(tokens.thumbnail)).toMatchObject({ aud: "t", time: "1.5" });
    expect(claims(tokens.thumbnail).asset_start_time).toBeUndefined();
    expect(claims(tokens.storyboard).asset_start_time).toBeUndefined();
    expect(await streamedDuration(stack, playbackId, tokens.playback)).toBeCloseTo(1.5, 1);

    const plain = (await (await stack.call(`/playback/${playbackId}/token`, { user: "alice" })).json()) as { tokens: { playback: string } };
    expect(claims(plain.tokens.playback).asset_start_time).toBeUndefined();
  });

  it("refuses half a clip and times that are not one", async () => {
    const { playbackId } = await readyAsset(stack);
    for (const query of ["assetStartTime=1", "assetEndTime=2", "assetStartTime=2&assetEndTime=1", "assetStartTime=-1&assetEndTime=2", "assetStartTime=&assetEndTime=2", "assetStartTime=0&assetEndTime=1e9"]) {
      const response = await stack.call(`/playback/${playbackId}/token?${query}`, { user: "alice" });
      expect(response.status, query).toBe(400);
    }
  });
});

describe("a clip the host sets (playbackClip)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      routes: {
        playbackPolicy: "signed",
        // The lesson's trim for everyone but its creator (who edits it and sees the whole video).
        playbackClip: (user) => (user.id === "alice" ? undefined : { startTime: 0.5, endTime: 1.5 }),
        canView: () => true,
        canViewAsset: () => true,
      },
    });
  });
  afterAll(() => stack?.close());

  it("puts the host's clip in every token a learner gets, whatever the query asks", async () => {
    const { assetId, playbackId } = await readyAsset(stack);
    const learner = (await (await stack.call(`/playback/${playbackId}/token?assetStartTime=0&assetEndTime=3`, { user: "bob" })).json()) as { tokens: { playback: string } };
    expect(claims(learner.tokens.playback)).toMatchObject({ asset_start_time: "0.5", asset_end_time: "1.5" });
    expect(await streamedDuration(stack, playbackId, learner.tokens.playback, "&asset_start_time=0&asset_end_time=3")).toBeCloseTo(1, 1);

    // The asset route's tokens carry it too: no route hands a learner an unclipped token.
    const asset = (await (await stack.call(`/assets/${assetId}`, { user: "bob" })).json()) as VideoAsset;
    expect(claims(asset.playback!.tokens!.playback!)).toMatchObject({ asset_start_time: "0.5", asset_end_time: "1.5" });

    // The creator, for whom the hook sets none, gets the whole video, and cannot add one through the query either.
    const creator = (await (await stack.call(`/playback/${playbackId}/token?assetStartTime=1&assetEndTime=2`, { user: "alice" })).json()) as { tokens: { playback: string } };
    expect(claims(creator.tokens.playback).asset_start_time).toBeUndefined();
  });
});
