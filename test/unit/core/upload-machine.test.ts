// The upload lifecycle as a table: every state (paused by each reason, failed in each phase) × every action with
// each of its payloads → the next state, or "ignored". A change to the reducer that moves one cell shows here as
// one changed cell. docs/upload-engine.md shows the same table, generated from the reducer (scripts/upload-table.mjs).
import { createVideoError } from "../../../src/core/errors.js";
import type { UploadState, VideoAsset } from "../../../src/core/types.js";
import { idleUploadState, reduceUpload, retryTarget, type UploadAction, type UploadMachineState } from "../../../src/core/upload-machine.js";
import { uploadActions, uploadStates } from "../../../scripts/upload-table.mjs";

const I = "ignored";
type Cell = string;

/** What a cell shows of a state: its status, with the reason when paused. */
const cell = (state: UploadMachineState | null): Cell =>
  state === null ? I : state.upload.status === "paused" ? `paused:${state.upload.pausedReason}` : state.upload.status;

const states = uploadStates as Record<string, UploadMachineState>;
const actions = uploadActions as Record<string, UploadAction>;

// Columns, in this order:
const columns = [
  "idle",
  "validating",
  "requesting",
  "uploading",
  "uploading, total unknown",
  "paused:user",
  "paused:offline",
  "paused:disposed",
  "processing",
  "complete",
  "error in validating",
  "error in requesting",
  "error in uploading",
  "error in uploading, URL expired",
  "error in processing",
  "error, not retryable",
] as const;

const v = "validating", r = "requesting", u = "uploading", p = "processing", c = "complete", e = "error", idle = "idle";
// Rows: action (with payload). Columns as above.
const table: Record<string, Cell[]> = {
  started:                 [v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v],
  restored:                [I, v, I, I, I, I, I, I, I, I, I, I, I, I, I, I],
  validated:               [I, r, I, I, I, I, I, I, I, I, I, I, I, I, I, I],
  created:                 [I, I, r, I, I, I, I, I, I, I, I, I, I, I, I, I],
  // A new upload starts sending from requesting; a resumed record from validating, once restored (see below).
  sending:                 [I, I, u, I, I, I, I, I, I, I, I, I, I, I, I, I],
  progress:                [I, I, I, u, u, I, I, I, I, I, I, I, I, I, I, I],
  // Only a stream that has not ended learns its total.
  sourceEnded:             [I, I, I, I, u, I, I, I, I, I, I, I, I, I, I, I],
  senderRetried:           [I, I, I, u, u, I, I, I, I, I, I, I, I, I, I, I],
  "paused by the user":    [I, I, I, "paused:user", "paused:user", I, I, I, I, I, I, I, I, I, I, I],
  "paused, offline":       [I, I, I, "paused:offline", "paused:offline", I, I, I, I, I, I, I, I, I, I, I],
  resumed:                 [I, I, I, I, I, u, u, u, I, I, I, I, I, I, I, I],
  backOnline:              [I, I, I, I, I, I, u, I, I, I, I, I, I, I, I, I],
  sent:                    [I, I, I, p, p, I, I, I, I, I, I, I, I, I, I, I],
  assetCreated:            [I, I, I, I, I, I, I, I, p, I, I, I, I, I, I, I],
  assetChanged:            [I, I, I, I, I, I, I, I, p, I, I, I, I, I, I, I],
  ready:                   [I, I, I, I, I, I, I, I, c, I, I, I, I, I, I, I],
  "failed in validating":  [I, e, I, I, I, I, I, I, I, I, I, I, I, I, I, I],
  "failed in requesting":  [I, I, e, I, I, I, I, I, I, I, I, I, I, I, I, I],
  // A transfer's failure applies while it moves or is paused (a send that failed as it was paused).
  "failed in uploading":   [I, I, I, e, e, e, e, e, I, I, I, I, I, I, I, I],
  "failed in processing":  [I, I, I, I, I, I, I, I, e, I, I, I, I, I, I, I],
  // Where a retry goes is the reducer's decision: back to the failed phase, or a new upload once the URL expired.
  retried:                 [I, I, I, I, I, I, I, I, I, I, v, r, u, r, p, I],
  cancelled:               [I, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle, idle],
  disposed:                [I, idle, idle, "paused:disposed", "paused:disposed", "paused:disposed", "paused:disposed", I, idle, I, I, I, I, I, I, I],
};

describe("reduceUpload", () => {
  it("has a state for every column and an action for every row", () => {
    expect(Object.keys(states)).toEqual([...columns]);
    expect(Object.keys(actions)).toEqual(Object.keys(table));
  });

  for (const [name, row] of Object.entries(table)) {
    columns.forEach((column, index) => {
      const expected = row[index];
      it(`${column} + ${name} → ${expected}`, () => {
        expect(cell(reduceUpload(states[column]!, actions[name]!))).toBe(expected);
      });
    });
  }

  it("narrows on status: a complete state has its asset, a failed one its error, a paused one its reason", () => {
    const complete = reduceUpload(states.processing!, actions.ready!)!.upload;
    if (complete.status !== "complete") throw new Error("not complete");
    const asset: VideoAsset = complete.asset;
    expect(asset.status).toBe("ready");
    const failed = reduceUpload(states.uploading!, actions["failed in uploading"]!)!.upload;
    expect(failed.status === "error" && failed.error.code).toBe("network");
    const paused = reduceUpload(states.uploading!, actions["paused, offline"]!)!.upload;
    expect(paused).toMatchObject({ status: "paused", pausedReason: "offline", speed: 0 });
    const moving = reduceUpload({ upload: paused, failedPhase: undefined }, { type: "backOnline" })!.upload;
    expect(moving.status).toBe("uploading");
    expect(moving.pausedReason).toBeUndefined();
  });

  it("sends a restored record from validating, from the byte it recorded", () => {
    const restored = reduceUpload(states.validating!, actions.restored!)!;
    expect(restored.upload).toMatchObject({ status: "validating", uploadId: "u9", bytesSent: 300 });
    expect(reduceUpload(restored, actions.sending!)!.upload).toMatchObject({ status: "uploading", uploadId: "u9", bytesSent: 300 });
  });

  it("keeps the asset while processing and clears it for a new file", () => {
    const asset: VideoAsset = { id: "a1", status: "preparing" };
    const preparing = reduceUpload(states.processing!, { type: "assetChanged", asset })!;
    expect(preparing.upload).toMatchObject({ status: "processing", asset, assetId: "a1" });
    expect(reduceUpload(preparing, { type: "assetChanged", asset })).toBeNull();
    const again = reduceUpload(preparing, { type: "started", file: { name: "b.mp4", size: 1, type: "video/mp4" } })!;
    expect(again.upload.asset).toBeUndefined();
  });

  it("remembers the failed phase, and a retry clears the error and counts the attempt", () => {
    const failed = reduceUpload(states.requesting!, actions["failed in requesting"]!)!;
    expect(failed.failedPhase).toBe("requesting");
    expect(retryTarget(failed)).toBe("requesting");
    const retried = reduceUpload(failed, { type: "retried" })!;
    expect(retried).toMatchObject({ failedPhase: undefined, upload: { status: "requesting", attempt: 2 } });
    expect(retried.upload.error).toBeUndefined();
    expect(retryTarget(states["error, not retryable"]!)).toBeUndefined();
    expect(retryTarget(states["error in uploading, URL expired"]!)).toBe("requesting");
  });

  it("derives progress, speed and time left from the bytes, capped at the file size", () => {
    const next = reduceUpload(states.uploading!, { type: "progress", bytesSent: 5000, speed: 100 })!;
    expect(next.upload).toMatchObject({ bytesSent: 1000, progress: 100, speed: 100, eta: 0 });
    const half = reduceUpload(states.uploading!, { type: "progress", bytesSent: 500, speed: 50 })!;
    expect(half.upload).toMatchObject({ progress: 50, eta: 10 });
  });

  it("says the total is unknown for a stream: bytes sent and read so far, no percent, no time left, until it ends", () => {
    const started = reduceUpload(states.idle!, { type: "started", file: { name: "rec.webm", size: 0, type: "video/webm", maxSize: 5000 }, sizeUnknown: true })!;
    expect(started.upload).toMatchObject({ status: "validating", totalBytes: 0, totalUnknown: true });
    const stream = states["uploading, total unknown"]!;
    const moving = reduceUpload(stream, { type: "progress", bytesSent: 700, speed: 100, bytesRead: 900 })!;
    expect(moving.upload).toMatchObject({ bytesSent: 700, totalBytes: 900, progress: 0, totalUnknown: true, eta: undefined });
    const ended = reduceUpload(moving, { type: "sourceEnded", totalBytes: 1400 })!;
    expect(ended.upload).toMatchObject({ bytesSent: 700, totalBytes: 1400, progress: 50 });
    expect(ended.upload.totalUnknown).toBeUndefined();
    expect(reduceUpload(ended, { type: "sourceEnded", totalBytes: 1400 })).toBeNull();
    expect(reduceUpload(ended, { type: "progress", bytesSent: 1400, speed: 100 })!.upload).toMatchObject({ progress: 100, eta: 0 });
    // Paused and retried, a stream keeps saying its total is unknown.
    const paused = reduceUpload(moving, { type: "paused", reason: "user" })!;
    expect(reduceUpload(paused, { type: "resumed" })!.upload.totalUnknown).toBe(true);
    const sent = reduceUpload(moving, { type: "sent" })!;
    expect(sent.upload).toMatchObject({ status: "processing", bytesSent: 900, totalBytes: 900 });
    expect(sent.upload.totalUnknown).toBeUndefined();
  });

  it("is pure: the state it was given is not changed", () => {
    const state = states.uploading!;
    const copy = structuredClone(state);
    reduceUpload(state, { type: "paused", reason: "user" });
    expect(state).toEqual(copy);
  });

  it("starts from the idle state", () => {
    const idle: UploadState = idleUploadState;
    expect(idle).toMatchObject({ status: "idle", progress: 0, attempt: 0 });
    expect(createVideoError("network").retryable).toBe(true);
  });
});
