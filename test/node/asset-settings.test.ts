// New-asset settings decided on the server (issue 31): the emulator echoes Mux's settings and validates `meta`
// as Mux does (the real @mux/mux-node client over HTTP), and the routes (createVideoRoutes + createMuxBackend,
// mounted with toNodeHandler) let the host's `assetSettings` hook decide: a client's request is granted only
// when the decision contains it, and a signed-only deployment never makes a public playback id.
import { readFileSync } from "node:fs";
import { BadRequestError } from "@mux/mux-node";
import type Mux from "@mux/mux-node";
import { sendChunks } from "../../src/core/chunked-sender.js";
import type { MuxEmulator } from "../../src/emulator/index.js";
import type { AssetSettings } from "../../src/server/index.js";
import { ensureFixtures, type Fixture } from "../fixtures/make-fixtures.js";
import { putWhole, startTestEmulator, waitUntil } from "./emulator-helpers.js";
import { startStack, type Stack, type TestUser } from "./server-harness.js";

let mp4: Fixture;
let mp4Bytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  ({ mp4 } = await ensureFixtures());
  mp4Bytes = new Uint8Array(readFileSync(mp4.path));
});

describe("the emulator takes Mux's new-asset settings", () => {
  let emulator: MuxEmulator;
  let mux: Mux;
  beforeAll(async () => {
    ({ emulator, mux } = await startTestEmulator());
  });
  afterAll(() => emulator.close());

  it("echoes quality, resolution tier, meta and a signed policy on the upload and on the ready asset", async () => {
    const upload = await mux.video.uploads.create({
      cors_origin: "*",
      new_asset_settings: {
        playback_policies: ["signed"],
        video_quality: "premium",
        max_resolution_tier: "2160p",
        passthrough: "lesson-1",
        meta: { title: "Fractions, part 1", external_id: "lesson-1", creator_id: "lvk1_owner" },
      },
    });
    expect(upload.new_asset_settings).toMatchObject({
      playback_policies: ["signed"],
      video_quality: "premium",
      max_resolution_tier: "2160p",
      meta: { title: "Fractions, part 1", external_id: "lesson-1", creator_id: "lvk1_owner" },
    });
    expect((await putWhole(upload.url!, mp4Bytes)).status).toBe(200);
    const { asset_id: assetId } = await waitUntil(() => mux.video.uploads.retrieve(upload.id), (u) => u.asset_id !== undefined);
    const asset = await waitUntil(() => mux.video.assets.retrieve(assetId!), (a) => a.status === "ready");
    expect(asset).toMatchObject({
      video_quality: "premium",
      encoding_tier: "premium",
      max_resolution_tier: "2160p",
      // The fixture is 640×360: below every cap.
      resolution_tier: "720p",
      meta: { title: "Fractions, part 1", external_id: "lesson-1", creator_id: "lvk1_owner" },
    });
    expect(asset.playback_ids?.map((p) => p.policy)).toEqual(["signed"]);
  });

  it("answers the defaults Mux answers when nothing is asked: basic quality, a 1080p cap", async () => {
    const asset = await mux.video.assets.create({ inputs: [{ url: `${emulator.url}/nothing.mp4` }], playback_policies: ["public"] });
    expect(asset).toMatchObject({ video_quality: "basic", encoding_tier: "baseline", max_resolution_tier: "1080p" });
  });

  it("refuses a title over 512 code points and ids over 128 with Mux's 400, and counts code points, not UTF-16 units", async () => {
    const create = (meta: Record<string, string>) => mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { playback_policies: ["public"], meta } });
    for (const meta of [{ title: "t".repeat(513) }, { creator_id: "c".repeat(129) }, { external_id: "e".repeat(129) }]) {
      const error = await create(meta).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(BadRequestError);
      const body = (error as BadRequestError).error as { error?: { type?: string; messages?: string[] } };
      expect(body.error?.type).toBe("invalid_parameters");
      expect(body.error?.messages?.[0]).toMatch(/meta\.(title|creator_id|external_id) must be at most (512|128) code points/);
    }
    // 512 emoji are 1024 UTF-16 units but 512 code points: accepted.
    const upload = await create({ title: "🎬".repeat(512) });
    expect(upload.new_asset_settings?.meta?.title).toBe("🎬".repeat(512));
  });

  it("refuses a video quality or resolution tier Mux does not know", async () => {
    const error = await mux.video.uploads
      .create({ cors_origin: "*", new_asset_settings: { video_quality: "ultra" as "basic" } })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    const tier = await mux.video.assets
      .create({ inputs: [{ url: `${emulator.url}/x.mp4` }], max_resolution_tier: "4320p" as "2160p" })
      .catch((thrown: unknown) => thrown);
    expect(tier).toBeInstanceOf(BadRequestError);
  });

  it("makes playback ids from advanced_playback_policies as from playback_policies", async () => {
    const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: { advanced_playback_policies: [{ policy: "signed" }] } });
    expect(upload.new_asset_settings?.playback_policies).toEqual(["signed"]);
  });
});

/** What the routes answer to a `POST /uploads` of the MP4 fixture for Alice's lesson with `requested`. */
function createUpload(stack: Stack, requested: unknown, user = "alice", lessonId = user === "alice" ? "lesson-alice" : "lesson-bob") {
  return stack.call("/uploads", {
    method: "POST",
    user,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ file: { name: mp4.name, size: mp4.size, type: mp4.type }, lessonId, ...(requested === undefined ? {} : { requested }) }),
  });
}

describe("the routes decide a new asset's settings", () => {
  let stack: Stack;
  const hookCalls: Array<{ user: string; lessonId: string | undefined; requested: unknown }> = [];
  beforeAll(async () => {
    stack = await startStack({
      routes: {
        // A signed-only deployment with plus quality; Alice's plan allows premium and downloads when she asks.
        assetDefaults: { playbackPolicy: "signed", videoQuality: "plus" },
        assetSettings: (user: TestUser, { lessonId, requested }): AssetSettings => {
          hookCalls.push({ user: user.id, lessonId, requested });
          return {
            title: lessonId === "lesson-alice" ? "Alice's lesson" : "Bob's lesson",
            ...(user.id === "alice" ? { videoQuality: requested.videoQuality ?? "plus", staticRenditions: ["highest", "audio-only"] } : {}),
          };
        },
      },
    });
  });
  afterAll(() => stack.close());

  it("creates the upload with the hook's decision: quality, signed policy, the lesson as external_id and title, the owner key kept", async () => {
    const response = await createUpload(stack, { videoQuality: "premium", staticRenditions: ["audio-only"] });
    expect(response.status).toBe(201);
    const { uploadId } = (await response.json()) as { uploadId: string };
    const upload = await stack.mux.video.uploads.retrieve(uploadId);
    expect(upload.new_asset_settings).toMatchObject({
      playback_policies: ["signed"],
      video_quality: "premium",
      // The decision is what is made: both renditions the hook grants, though the client asked for one.
      static_renditions: [{ resolution: "highest" }, { resolution: "audio-only" }],
      passthrough: "lesson-alice",
      meta: { external_id: "lesson-alice", title: "Alice's lesson", creator_id: expect.stringMatching(/^lvk1_/) },
    });
    expect(hookCalls.at(-1)).toEqual({ user: "alice", lessonId: "lesson-alice", requested: { videoQuality: "premium", staticRenditions: ["audio-only"] } });
  });

  it("refuses what the decision does not contain with 403 forbidden naming the setting, and creates nothing", async () => {
    const before = await stack.uploadIds();
    const cases: Array<[string, unknown, string]> = [
      ["alice", { playbackPolicy: "public" }, "playbackPolicy"],
      ["bob", { videoQuality: "premium" }, "videoQuality"],
      ["bob", { staticRenditions: ["highest"] }, "staticRenditions"],
      ["alice", { maxResolutionTier: "2160p" }, "maxResolutionTier"],
    ];
    for (const [user, requested, setting] of cases) {
      const response = await createUpload(stack, requested, user);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: expect.any(String), details: { setting } } });
    }
    expect(await stack.uploadIds()).toEqual(before);
  });

  it("grants a request the decision contains (signed playback on a signed deployment)", async () => {
    const response = await createUpload(stack, { playbackPolicy: "signed", videoQuality: "plus" }, "bob");
    expect(response.status).toBe(201);
  });

  it("answers 400 bad_request to a malformed request, before the hook runs", async () => {
    const calls = hookCalls.length;
    for (const requested of ["signed", { playbackPolicy: "everyone" }, { videoQuality: 3 }, { staticRenditions: ["highest", "highest"] }, { staticRenditions: ["8k"] }, { title: "mine" }]) {
      const response = await createUpload(stack, requested);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
    expect(hookCalls.length).toBe(calls);
  });

  it("never makes a public playback id: the asset an upload becomes has signed ids only", async () => {
    const response = await createUpload(stack, undefined);
    const { uploadId, url } = (await response.json()) as { uploadId: string; url: string };
    await sendChunks(new Blob([mp4Bytes], { type: mp4.type }), url, { signal: new AbortController().signal, onProgress() {}, chunkSize: 256 * 1024 });
    const { asset_id: assetId } = await waitUntil(() => stack.mux.video.uploads.retrieve(uploadId), (u) => u.asset_id !== undefined);
    const asset = await waitUntil(() => stack.mux.video.assets.retrieve(assetId!), (a) => a.status === "ready");
    expect(asset.playback_ids?.length).toBeGreaterThan(0);
    expect(asset.playback_ids?.every((p) => p.policy === "signed")).toBe(true);
    expect(asset).toMatchObject({ video_quality: "plus", meta: { external_id: "lesson-alice", title: "Alice's lesson" } });
    // What the routes answer the owner: signed playback.
    const seen = (await (await stack.call(`/assets/${assetId}`, { user: "alice" })).json()) as { playback?: { policy?: string } };
    expect(seen.playback?.policy).toBe("signed");
  });

  it("refuses public playback of a link import on a signed deployment the same way", async () => {
    const response = await stack.call("/assets", {
      method: "POST",
      user: "alice",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: "https://videos.example/a.mp4", lessonId: "lesson-alice", requested: { playbackPolicy: "public" } }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden", details: { setting: "playbackPolicy" } } });
  });
});

describe("without a hook", () => {
  it("makes assets with the defaults and lets a client ask only for them", async () => {
    const stack = await startStack({ routes: { assetDefaults: { videoQuality: "basic", maxResolutionTier: "1440p" } } });
    try {
      const granted = await createUpload(stack, { playbackPolicy: "public", videoQuality: "basic" });
      expect(granted.status).toBe(201);
      const { uploadId } = (await granted.json()) as { uploadId: string };
      expect((await stack.mux.video.uploads.retrieve(uploadId)).new_asset_settings).toMatchObject({
        playback_policies: ["public"],
        video_quality: "basic",
        max_resolution_tier: "1440p",
      });
      expect((await createUpload(stack, { videoQuality: "premium" })).status).toBe(403);
    } finally {
      await stack.close();
    }
  });
});
