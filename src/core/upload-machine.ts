/**
 * The upload lifecycle as a pure reducer, in the style of TanStack Query's `Query#dispatch`: the state is
 * the snapshot components render plus the phase a failure happened in; every change is a named action;
 * `reduceUpload` returns the next state or `null` when the action means nothing in the current state
 * (a late progress report after a pause, say). `UploadController` owns the side effects and dispatches.
 *
 * Two axes where the state has two: `status`, and — while bytes move — whether the transfer is active or
 * paused, and why (`pausedReason`: the user, the browser going offline, or the controller being disposed).
 *
 *   idle ─started→ validating ─validated→ requesting ─created→ requesting ─sending→ uploading
 *   uploading ─paused{reason}→ paused ─sending→ uploading ─sent→ processing ─ready→ complete
 *   validating|requesting|uploading|processing ─failed{phase}→ error ─retried{to}→ requesting|uploading|processing
 *   any but idle ─cancelled→ idle;  uploading|paused ─disposed→ paused{disposed};  validating|requesting|processing ─disposed→ idle
 */
import type { VideoError } from "./errors.js";
import type { UploadFileInfo, UploadPhase, UploadState } from "./types.js";

/** Where a run was when it failed: what `retry()` starts again. */
export type FailedPhase = "validating" | "requesting" | "uploading" | "processing";

export type PausedReason = NonNullable<UploadState["pausedReason"]>;

export interface UploadMachineState {
  upload: UploadState;
  /** The phase of the last failure, while `upload.status` is `error`. */
  failedPhase: FailedPhase | undefined;
}

export type UploadAction =
  | { type: "started"; file: UploadFileInfo }
  | { type: "restored"; uploadId: string; bytesSent: number }
  | { type: "validated" }
  | { type: "created"; uploadId: string }
  | { type: "sending" }
  | { type: "progress"; bytesSent: number; speed: number }
  | { type: "senderRetried" }
  | { type: "paused"; reason: PausedReason }
  | { type: "sent" }
  | { type: "assetCreated"; assetId: string }
  | { type: "ready"; assetId: string }
  | { type: "failed"; phase: FailedPhase; error: VideoError }
  | { type: "retried"; to: "requesting" | "uploading" | "processing" }
  | { type: "cancelled" }
  | { type: "disposed" };

export type UploadActionType = UploadAction["type"];

export const idleUploadState: UploadState = Object.freeze({
  progress: 0,
  status: "idle",
  bytesSent: 0,
  totalBytes: 0,
  speed: 0,
  paused: false,
  attempt: 0,
});

export const initialMachineState: UploadMachineState = Object.freeze({ upload: idleUploadState, failedPhase: undefined });

const active: ReadonlySet<UploadPhase> = new Set(["validating", "requesting", "uploading", "paused", "processing"]);

/** True while a run is under way (its bytes may still be moving, or it may be waiting for processing). */
export const isActiveStatus = (status: UploadPhase): boolean => active.has(status);

const moving = { paused: false, pausedReason: undefined } as const;
const still = { speed: 0, eta: undefined } as const;

/** The next state for `action`, or `null` when the action is ignored in this state. Pure. */
export function reduceUpload(state: UploadMachineState, action: UploadAction): UploadMachineState | null {
  const upload = state.upload;
  const next = (changes: Partial<UploadState>, failedPhase = state.failedPhase): UploadMachineState => ({
    upload: { ...upload, ...changes },
    failedPhase,
  });
  const { status } = upload;
  switch (action.type) {
    case "started":
      return {
        upload: { ...idleUploadState, status: "validating", totalBytes: action.file.size, attempt: 1, file: action.file },
        failedPhase: undefined,
      };
    case "restored":
      if (status !== "validating") return null;
      return next({ uploadId: action.uploadId, bytesSent: action.bytesSent, progress: percent(action.bytesSent, upload.totalBytes) });
    case "validated":
      return status === "validating" ? next({ status: "requesting", ...moving }) : null;
    case "created":
      return status === "requesting" ? next({ uploadId: action.uploadId, bytesSent: 0, progress: 0 }) : null;
    case "sending":
      if (status !== "requesting" && status !== "paused" && status !== "validating") return null;
      return next({ status: "uploading", ...moving });
    case "progress": {
      if (status !== "uploading") return null;
      const bytesSent = Math.min(action.bytesSent, upload.totalBytes);
      const eta = action.speed > 0 ? (upload.totalBytes - bytesSent) / action.speed : undefined;
      return next({ bytesSent, progress: percent(bytesSent, upload.totalBytes), speed: action.speed, eta });
    }
    case "senderRetried":
      return status === "uploading" ? next({ attempt: upload.attempt + 1 }) : null;
    case "paused":
      return status === "uploading" ? next({ status: "paused", paused: true, pausedReason: action.reason, ...still }) : null;
    case "sent":
      if (status !== "uploading") return null;
      return next({ status: "processing", bytesSent: upload.totalBytes, progress: percent(upload.totalBytes, upload.totalBytes), ...still, ...moving });
    case "assetCreated":
      return status === "processing" ? next({ assetId: action.assetId }) : null;
    case "ready":
      return status === "processing" ? next({ status: "complete", assetId: action.assetId }) : null;
    case "failed":
      if (status !== action.phase && !(action.phase === "uploading" && status === "paused")) return null;
      return next({ status: "error", error: action.error, ...moving, ...still }, action.phase);
    case "retried":
      if (status !== "error" || !upload.error?.retryable) return null;
      return { upload: { ...upload, status: action.to, attempt: upload.attempt + 1, error: undefined, ...moving }, failedPhase: undefined };
    case "cancelled":
      return status === "idle" ? null : initialMachineState;
    case "disposed":
      if (status === "uploading" || status === "paused") return next({ status: "paused", paused: true, pausedReason: "disposed", ...still });
      if (status === "validating" || status === "requesting" || status === "processing") return initialMachineState;
      return null;
  }
}

function percent(bytes: number, total: number): number {
  return total > 0 ? (bytes / total) * 100 : 0;
}
