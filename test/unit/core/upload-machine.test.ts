// The upload lifecycle as a table: every status × every action → the next status, or "ignored". A change
// to the reducer that moves one cell shows here as one changed cell.
import { createVideoError } from "../../../src/core/video-error.js";
import type { UploadPhase } from "../../../src/core/types.js";
import { idleUploadState, reduceUpload, type UploadAction, type UploadActionType, type UploadMachineState } from "../../../src/core/upload-machine.js";

const file = { name: "lesson.mp4", size: 1000, type: "video/mp4" };
const network = createVideoError("network");

/** A state in `status`, as the controller would have reached it. */
function stateIn(status: UploadPhase): UploadMachineState {
  const base = { ...idleUploadState, totalBytes: 1000, attempt: 1, file };
  switch (status) {
    case "idle":
      return { upload: idleUploadState, failedPhase: undefined };
    case "error":
      return { upload: { ...base, status, uploadId: "u1", bytesSent: 400, error: network }, failedPhase: "uploading" };
    case "paused":
      return { upload: { ...base, status, uploadId: "u1", bytesSent: 400, paused: true, pausedReason: "user" }, failedPhase: undefined };
    default:
      return { upload: { ...base, status, uploadId: "u1", bytesSent: status === "validating" ? 0 : 400 }, failedPhase: undefined };
  }
}

const actions: Record<UploadActionType, UploadAction> = {
  started: { type: "started", file },
  restored: { type: "restored", uploadId: "u9", bytesSent: 300 },
  validated: { type: "validated" },
  created: { type: "created", uploadId: "u2" },
  sending: { type: "sending" },
  progress: { type: "progress", bytesSent: 500, speed: 100 },
  senderRetried: { type: "senderRetried" },
  paused: { type: "paused", reason: "user" },
  sent: { type: "sent" },
  assetCreated: { type: "assetCreated", assetId: "a1" },
  ready: { type: "ready", assetId: "a1" },
  failed: { type: "failed", phase: "uploading", error: network },
  retried: { type: "retried", to: "uploading" },
  cancelled: { type: "cancelled" },
  disposed: { type: "disposed" },
};

const statuses: UploadPhase[] = ["idle", "validating", "requesting", "uploading", "paused", "processing", "complete", "error"];
const I = "ignored";

// Rows: action. Columns: idle, validating, requesting, uploading, paused, processing, complete, error.
const table: Record<UploadActionType, Array<UploadPhase | typeof I>> = {
  started: ["validating", "validating", "validating", "validating", "validating", "validating", "validating", "validating"],
  restored: [I, "validating", I, I, I, I, I, I],
  validated: [I, "requesting", I, I, I, I, I, I],
  created: [I, I, "requesting", I, I, I, I, I],
  sending: [I, "uploading", "uploading", I, "uploading", I, I, I],
  progress: [I, I, I, "uploading", I, I, I, I],
  senderRetried: [I, I, I, "uploading", I, I, I, I],
  paused: [I, I, I, "paused", I, I, I, I],
  sent: [I, I, I, "processing", I, I, I, I],
  assetCreated: [I, I, I, I, I, "processing", I, I],
  ready: [I, I, I, I, I, "complete", I, I],
  // `failed` here is a failure of the uploading phase: it applies while uploading (or paused), nowhere else.
  failed: [I, I, I, "error", "error", I, I, I],
  retried: [I, I, I, I, I, I, I, "uploading"],
  cancelled: [I, "idle", "idle", "idle", "idle", "idle", "idle", "idle"],
  disposed: [I, "idle", "idle", "paused", "paused", "idle", I, I],
};

describe("reduceUpload", () => {
  for (const [type, row] of Object.entries(table) as Array<[UploadActionType, Array<UploadPhase | typeof I>]>) {
    statuses.forEach((status, column) => {
      const expected = row[column];
      it(`${status} + ${type} → ${expected}`, () => {
        const next = reduceUpload(stateIn(status), actions[type]);
        expect(next === null ? I : next.upload.status).toBe(expected);
      });
    });
  }

  it("keeps the two axes apart: a pause says why, and moving again clears it", () => {
    const paused = reduceUpload(stateIn("uploading"), { type: "paused", reason: "offline" })!;
    expect(paused.upload).toMatchObject({ status: "paused", paused: true, pausedReason: "offline", speed: 0 });
    const moving = reduceUpload(paused, { type: "sending" })!;
    expect(moving.upload).toMatchObject({ status: "uploading", paused: false, pausedReason: undefined });
    const disposed = reduceUpload(stateIn("uploading"), { type: "disposed" })!;
    expect(disposed.upload).toMatchObject({ status: "paused", pausedReason: "disposed" });
  });

  it("remembers the failed phase, and a retry clears the error and counts the attempt", () => {
    const failed = reduceUpload(stateIn("requesting"), { type: "failed", phase: "requesting", error: network })!;
    expect(failed.failedPhase).toBe("requesting");
    const retried = reduceUpload(failed, { type: "retried", to: "requesting" })!;
    expect(retried).toMatchObject({ failedPhase: undefined, upload: { status: "requesting", attempt: 2, error: undefined } });
    const final = reduceUpload(stateIn("processing"), { type: "failed", phase: "processing", error: createVideoError("processing_failed") })!;
    expect(reduceUpload(final, { type: "retried", to: "processing" })).toBeNull();
  });

  it("derives progress, speed and time left from the bytes, capped at the file size", () => {
    const next = reduceUpload(stateIn("uploading"), { type: "progress", bytesSent: 5000, speed: 100 })!;
    expect(next.upload).toMatchObject({ bytesSent: 1000, progress: 100, speed: 100, eta: 0 });
    const half = reduceUpload(stateIn("uploading"), { type: "progress", bytesSent: 500, speed: 50 })!;
    expect(half.upload).toMatchObject({ progress: 50, eta: 10 });
  });

  it("is pure: the state it was given is not changed", () => {
    const state = stateIn("uploading");
    const copy = structuredClone({ ...state, upload: { ...state.upload, error: undefined } });
    reduceUpload(state, { type: "paused", reason: "user" });
    expect({ ...state, upload: { ...state.upload, error: undefined } }).toEqual(copy);
  });
});
