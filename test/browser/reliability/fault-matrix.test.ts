// The fault matrix (issue 8) in Chromium against the emulator's fault knobs: every case uploads a generated
// ~3 MiB MP4 in 256 KiB chunks through createVideoRoutes (real HTTP transport, XHR chunk PUTs) and ends with the
// emulator playing bytes identical to the file and exactly one new asset. The cases share one emulator (its knobs
// are global), so they run one after another in this file. Knobs are set and read through the stack's /_rel test
// API: the emulator's own admin routes refuse this page's origin.
import { inject } from "vitest";
import { createXhrRequester, type ChunkRequester } from "../../../src/core/chunk-requester.js";
import { createLocalStorageUploadRecordStore } from "../../../src/core/upload-record-store.js";
import {
  CHUNK,
  countingRequester,
  fixtureBytes,
  listAssets,
  listUploads,
  makeController,
  newAssets,
  paddedMp4,
  parseStack,
  playedSha256,
  setFaults,
  sha256,
  sleep,
  type EmulatorAsset,
} from "./stack.js";

const stack = parseStack(inject("reliabilityFaultsStack"));
const SIZE = 3 * 1024 * 1024 + 12345;

let base: Uint8Array;
let before: EmulatorAsset[];

beforeAll(async () => {
  base = await fixtureBytes(stack, "mp4");
});

beforeEach(async () => {
  await setFaults(stack, {});
  before = await listAssets(stack);
});

afterEach(async () => {
  await setFaults(stack, {});
});

/** Exactly one new asset, ready, made from `uploadId`, and the emulator plays back the file's exact bytes. */
async function expectOneAssetWithTheFile(file: File, uploadId: string | undefined): Promise<void> {
  const created = await newAssets(stack, before);
  expect(created).toHaveLength(1);
  expect(created[0]!.upload_id).toBe(uploadId);
  expect(created[0]!.status).toBe("ready");
  expect(await playedSha256(stack, created[0]!)).toBe(await sha256(file));
}

describe("fault matrix: uploads survive faults and end with the file's bytes in exactly one asset", () => {
  it("retries a chunk the server fails with 503 and completes", async () => {
    const file = paddedMp4(base, SIZE);
    await setFaults(stack, { failChunk: { n: 3, status: 503 } });
    const { controller, events, settled } = makeController(stack);
    void controller.start(file);
    const state = await settled();
    expect({ status: state.status, error: state.error?.toJSON() }).toEqual({ status: "complete", error: undefined });
    expect(events.some((e) => e.type === "upload_retried")).toBe(true);
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("waits out a 429 with Retry-After and completes", async () => {
    const file = paddedMp4(base, SIZE);
    await setFaults(stack, { failChunk: { n: 2, status: 429, retryAfter: 1 } });
    const { controller, events, settled } = makeController(stack);
    void controller.start(file);
    const state = await settled();
    expect({ status: state.status, error: state.error?.toJSON() }).toEqual({ status: "complete", error: undefined });
    expect(events.some((e) => e.type === "upload_retried")).toBe(true);
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("recovers from a connection reset in the middle of a chunk", async () => {
    const file = paddedMp4(base, SIZE);
    await setFaults(stack, { dropConnectionAfterBytes: 100_000 });
    const { controller, settled } = makeController(stack);
    void controller.start(file);
    const state = await settled();
    expect(state.status).toBe("complete");
    // The knob fires once and is then gone: the reset did happen. (Chromium may resend the idempotent PUT by
    // itself, so the sender does not always see it.)
    const knobs = (await (await fetch(`${stack.api}/faults`)).json()) as { data: Record<string, unknown> };
    expect(knobs.data).toEqual({});
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("completes when every emulator request is 2.5 s slow (the sender has no per-request timeout to trip)", async () => {
    const file = paddedMp4(base, SIZE);
    await setFaults(stack, { latencyMs: 2500 });
    // 1 MiB chunks here so the slow case makes a handful of requests, not a dozen.
    const { controller, once, settled } = makeController(stack, { chunkSize: 4 * CHUNK });
    once((s) => s.status === "processing", () => void setFaults(stack, {}));
    void controller.start(file);
    const state = await settled();
    expect(state.status).toBe("complete");
    await expectOneAssetWithTheFile(file, state.uploadId);
  }, 90_000);

  it("pauses by itself while the browser is offline and resumes when it is back", async () => {
    const file = paddedMp4(base, SIZE);
    const puts = countingRequester();
    const { controller, once, settled } = makeController(stack, { request: puts.request });
    const seen: string[] = [];
    controller.subscribe(() => {
      const s = controller.getSnapshot();
      seen.push(`${s.status}:${s.pausedReason ?? ""}`);
    });
    once((s) => s.status === "uploading" && s.bytesSent >= 2 * CHUNK, () => window.dispatchEvent(new Event("offline")));
    void controller.start(file);
    await vi.waitFor(() => expect(controller.getSnapshot().status).toBe("paused"), { timeout: 30_000 });
    expect(controller.getSnapshot().pausedReason).toBe("offline");
    // The chunk that was in flight has settled, so whatever moves from here on was sent while offline.
    await vi.waitFor(() => expect(puts.inFlight).toBe(0), { timeout: 30_000, interval: 20 });
    const heldAt = controller.getSnapshot().bytesSent;
    const sentBefore = puts.sent;
    // An absence, so a span of time: the retry loop's longest backoff (1.5 s), within which a sender that kept
    // retrying while offline would have asked for a PUT. A slow machine only makes such a PUT come later.
    await sleep(1500);
    expect(puts.sent).toBe(sentBefore);
    expect(controller.getSnapshot()).toMatchObject({ status: "paused", bytesSent: heldAt });
    window.dispatchEvent(new Event("online"));
    const state = await settled();
    expect(state.status).toBe("complete");
    expect(seen).toContain("paused:offline");
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("rides out the emulator restarting mid-upload on the same data dir", async () => {
    const file = paddedMp4(base, SIZE);
    // A little latency keeps a chunk in flight when the restart cuts the connections.
    await setFaults(stack, { latencyMs: 150 });
    // Enough retries (about 40 s of backoff) for a restart on a machine whose cores are busy: starting the emulator
    // again can take far longer than its 1.5 s down time there.
    const { controller, events, once, settled } = makeController(stack, { retry: { baseDelayMs: 200, maxDelayMs: 1500, retries: 30 } });
    once((s) => s.status === "uploading" && s.bytesSent >= 3 * CHUNK, () => {
      void fetch(`${stack.api}/restart-emulator`, { method: "POST", body: JSON.stringify({ downMs: 1500 }) });
    });
    void controller.start(file);
    const state = await settled();
    expect({ status: state.status, error: state.error?.toJSON() }).toEqual({ status: "complete", error: undefined });
    expect(events.some((e) => e.type === "upload_retried")).toBe(true);
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("resumes after a reload from the localStorage record and the re-selected file, never from zero", async () => {
    localStorage.clear();
    const file = paddedMp4(base, SIZE, "reload lesson.mp4");
    await setFaults(stack, { latencyMs: 100 });
    const first = makeController(stack, { records: createLocalStorageUploadRecordStore() });
    let tornDownAt = 0;
    const tornDown = new Promise<void>((resolve) => {
      first.once((s) => s.status === "uploading" && s.bytesSent >= 4 * CHUNK, (s) => {
        // The "reload": the page's controller goes away without cancelling anything on the server.
        tornDownAt = s.bytesSent;
        first.controller.dispose();
        resolve();
      });
    });
    void first.controller.start(file);
    await tornDown;
    await setFaults(stack, {});

    // A new page: a fresh store over the same localStorage, and the file picked again (same bytes, name, date).
    const records = createLocalStorageUploadRecordStore();
    const [record] = records.list();
    expect(record).toBeDefined();
    expect(record!.file.name).toBe("reload lesson.mp4");
    const reselected = new File([await file.arrayBuffer()], file.name, { type: file.type, lastModified: file.lastModified });
    // Record the first byte of every chunk PUT the new page sends.
    const xhr = createXhrRequester();
    const sentFrom: number[] = [];
    const request: ChunkRequester = (req) => {
      const range = /^bytes (\d+)-/.exec(req.headers["Content-Range"] ?? req.headers["content-range"] ?? "");
      if (req.body && range) sentFrom.push(Number(range[1]));
      return xhr(req);
    };
    const second = makeController(stack, { records, request });
    void second.controller.resumeFromRecord(reselected, record!);
    const state = await second.settled();
    expect(state.status).toBe("complete");
    expect(state.uploadId).toBe(record!.uploadId);
    expect(sentFrom.length).toBeGreaterThan(0);
    expect(Math.min(...sentFrom)).toBeGreaterThanOrEqual(tornDownAt - CHUNK);
    expect(records.list()).toHaveLength(0);
    await expectOneAssetWithTheFile(file, record!.uploadId);
  });

  it("keeps the server's bytes through a long pause (scaled to 3 s) and continues from them", async () => {
    const file = paddedMp4(base, SIZE);
    const puts = countingRequester();
    const { controller, once, settled } = makeController(stack, { request: puts.request });
    once((s) => s.status === "uploading" && s.bytesSent >= 4 * CHUNK, () => controller.pause());
    void controller.start(file);
    await vi.waitFor(() => expect(controller.getSnapshot().status).toBe("paused"), { timeout: 30_000 });
    await vi.waitFor(() => expect(puts.inFlight).toBe(0), { timeout: 30_000, interval: 20 });
    const { uploadId } = controller.getSnapshot();
    const sentBefore = puts.sent;
    // The long pause is the case itself (a span of time, not a wait for something): nothing is sent during it,
    // and the server still waits for the rest.
    await sleep(3000);
    expect(controller.getSnapshot().status).toBe("paused");
    expect(puts.sent).toBe(sentBefore);
    const uploads = await listUploads(stack);
    expect(uploads.find((u) => u.id === uploadId)?.status).toBe("waiting");
    const resumedFrom: number[] = [];
    controller.subscribe(() => resumedFrom.push(controller.getSnapshot().bytesSent));
    controller.resume();
    const state = await settled();
    expect(state.status).toBe("complete");
    expect(Math.min(...resumedFrom)).toBeGreaterThanOrEqual(3 * CHUNK);
    await expectOneAssetWithTheFile(file, uploadId);
  });

  it("says the upload link expired, and a retry starts a fresh upload that completes", async () => {
    const file = paddedMp4(base, SIZE);
    const { controller, once, settled } = makeController(stack);
    once((s) => s.status === "uploading" && s.bytesSent >= 2 * CHUNK, () => controller.pause());
    void controller.start(file);
    await vi.waitFor(() => expect(controller.getSnapshot().status).toBe("paused"), { timeout: 30_000 });
    const expiredId = controller.getSnapshot().uploadId!;
    await setFaults(stack, { expireUploads: [expiredId] });
    controller.resume();
    const failed = await settled();
    expect(failed.status).toBe("error");
    expect(failed.error?.code).toBe("upload_url_expired");
    expect(failed.error?.message).toMatch(/expired/i);
    expect(failed.error?.retryable).toBe(true);

    expect(controller.retry()).toBe(true);
    const state = await settled();
    expect(state.status).toBe("complete");
    expect(state.uploadId).not.toBe(expiredId);
    const uploads = await listUploads(stack);
    expect(uploads.find((u) => u.id === expiredId)?.status).toBe("timed_out");
    await expectOneAssetWithTheFile(file, state.uploadId);
  });

  it("a double-click (two starts in one tick) still makes one asset", async () => {
    const file = paddedMp4(base, SIZE);
    const uploadsBefore = new Set((await listUploads(stack)).map((u) => u.id));
    const { controller, settled } = makeController(stack);
    void controller.start(file);
    void controller.start(file);
    const state = await settled();
    expect(state.status).toBe("complete");
    await expectOneAssetWithTheFile(file, state.uploadId);
    // Any upload the first click created was cancelled, not left waiting for bytes.
    const others = (await listUploads(stack)).filter((u) => !uploadsBefore.has(u.id) && u.id !== state.uploadId);
    for (const upload of others) expect(upload.status).toBe("cancelled");
  });

  it("a second submit while the first is uploading supersedes it and still makes one asset", async () => {
    const file = paddedMp4(base, SIZE);
    await setFaults(stack, { latencyMs: 50 });
    const uploadsBefore = new Set((await listUploads(stack)).map((u) => u.id));
    const { controller, once, settled } = makeController(stack);
    let firstId: string | undefined;
    once((s) => s.status === "uploading" && s.bytesSent >= 2 * CHUNK, (s) => {
      firstId = s.uploadId;
      void controller.start(file);
    });
    void controller.start(file);
    await vi.waitFor(() => expect(firstId).toBeDefined(), { timeout: 30_000 });
    const state = await settled();
    expect(state.status).toBe("complete");
    expect(state.uploadId).not.toBe(firstId);
    await setFaults(stack, {});
    await expectOneAssetWithTheFile(file, state.uploadId);
    const others = (await listUploads(stack)).filter((u) => !uploadsBefore.has(u.id) && u.id !== state.uploadId);
    expect(others.map((u) => u.id)).toEqual([firstId]);
    expect(others[0]!.status).toBe("cancelled");
  });
});
