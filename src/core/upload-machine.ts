/**
 * The upload lifecycle as a pure reducer, in the style of TanStack Query's `Query#dispatch`: the state is
 * everything a caller can observe (the snapshot components render, the asset included) plus the phase a failure
 * happened in; every change is a named action; `reduceUpload` returns the next state or `null` when the action
 * means nothing in the current state (a late progress report after a pause, a pause when nothing moves).
 * `UploadController` dispatches first and runs side effects only for the transitions the reducer accepted.
 *
 *   a source of unknown length: totalUnknown until ─sourceEnded{totalBytes}→ (any state; the same status)
 *   idle ─started→ validating ─validated→ requesting ─created→ requesting ─sending→ uploading
 *   uploading ─paused{reason}→ paused ─resumed (backOnline: only an offline pause)→ uploading ─sent→ processing ─ready→ complete
 *   validating|requesting|uploading|paused|processing ─failed{phase}→ error ─retried→ (where the failure was, see retryTarget)
 *   any but idle ─cancelled→ idle;  uploading|paused ─disposed→ paused{disposed};  validating|requesting|processing ─disposed→ idle
 */
import type { VideoError } from "./errors.js";
import type { PausedReason, UploadFileInfo, UploadPhase, UploadState, UploadStateFields, VideoAsset } from "./types.js";

export type { PausedReason } from "./types.js";

/** Where a run was when it failed: where `retry()` goes back to. */
export type FailedPhase = "validating" | "requesting" | "uploading" | "processing";

export interface UploadMachineState {
  upload: UploadState;
  /** The phase of the last failure, while `upload.status` is `error`. */
  failedPhase: FailedPhase | undefined;
}

export type UploadAction =
  | { type: "started"; file: UploadFileInfo; sizeUnknown?: boolean }
  | { type: "restored"; uploadId: string; bytesSent: number }
  | { type: "validated" }
  | { type: "created"; uploadId: string }
  | { type: "sending" }
  | { type: "progress"; bytesSent: number; speed: number; bytesRead?: number | undefined }
  | { type: "sourceEnded"; totalBytes: number }
  | { type: "senderRetried"; reason: string }
  | { type: "paused"; reason: Exclude<PausedReason, "disposed"> }
  | { type: "resumed" }
  | { type: "backOnline" }
  | { type: "sent" }
  | { type: "assetCreated"; assetId: string }
  | { type: "assetChanged"; asset: VideoAsset }
  | { type: "ready"; asset: VideoAsset }
  | { type: "failed"; phase: FailedPhase; error: VideoError }
  | { type: "retried" }
  /** `discardAsset`: the run is abandoned, its asset too (`UploadController.cancel`); the state goes to idle either way. */
  | { type: "cancelled"; discardAsset?: boolean | undefined }
  | { type: "disposed" };

export type UploadActionType = UploadAction["type"];

/** What follows from a transition the reducer accepted (monitoring, the online policy, the resume records), given the controller's run. */
export type UploadTransitionListener<Run> = (previous: UploadMachineState, action: UploadAction, next: UploadMachineState, run: Run | undefined) => void;

export const idleUploadState: UploadState = Object.freeze({
  progress: 0,
  status: "idle",
  bytesSent: 0,
  totalBytes: 0,
  speed: 0,
  attempt: 0,
});

export const initialMachineState: UploadMachineState = Object.freeze({ upload: idleUploadState, failedPhase: undefined });

const active: ReadonlySet<UploadPhase> = new Set(["validating", "requesting", "uploading", "paused", "processing"]);

/** True while a run is under way (its bytes may still be moving, or it may be waiting for processing). */
export const isActiveStatus = (status: UploadPhase): boolean => active.has(status);

/**
 * Where `retry()` takes a failed run: a failed validation (the upload's code did not load) validates again, a
 * failed transfer resumes from the server's committed byte unless its URL expired (then a new upload is
 * requested), a failed processing watches again, anything else requests the upload again.
 */
export function retryTarget(state: UploadMachineState): "validating" | "requesting" | "uploading" | "processing" | undefined {
  const { upload, failedPhase } = state;
  if (upload.status !== "error" || !upload.error.retryable || failedPhase === undefined) return undefined;
  if (failedPhase === "uploading") return upload.error.code === "upload_url_expired" ? "requesting" : "uploading";
  return failedPhase;
}

/** The fields every state carries from the one before it (what a status change does not reset). */
const carried = (upload: UploadState): UploadStateFields => ({
  progress: upload.progress,
  bytesSent: upload.bytesSent,
  totalBytes: upload.totalBytes,
  ...(upload.totalUnknown ? { totalUnknown: true } : {}),
  speed: upload.speed,
  eta: upload.eta,
  attempt: upload.attempt,
  file: upload.file,
  uploadId: upload.uploadId,
  assetId: upload.assetId,
  asset: upload.asset,
});

const still = { speed: 0, eta: undefined } as const;

/** The next state for `action`, or `null` when the action is ignored in this state. Pure. */
export function reduceUpload(state: UploadMachineState, action: UploadAction): UploadMachineState | null {
  const upload = state.upload;
  const same = (next: UploadState): UploadMachineState => ({ upload: next, failedPhase: state.failedPhase });
  const { file, uploadId } = upload;
  switch (action.type) {
    case "started":
      return {
        upload: {
          status: "validating",
          progress: 0,
          bytesSent: 0,
          totalBytes: action.file.size,
          ...(action.sizeUnknown ? { totalUnknown: true } : {}),
          speed: 0,
          attempt: 1,
          file: action.file,
        },
        failedPhase: undefined,
      };
    case "restored":
      if (upload.status !== "validating") return null;
      return same({ ...upload, uploadId: action.uploadId, bytesSent: action.bytesSent, progress: percent(action.bytesSent, upload.totalBytes) });
    case "validated":
      return upload.status === "validating" ? same({ ...carried(upload), status: "requesting", file: upload.file }) : null;
    case "created":
      return upload.status === "requesting" ? same({ ...upload, uploadId: action.uploadId, bytesSent: 0, progress: 0 }) : null;
    case "sending":
      // From requesting (a new upload) or validating (a resumed record); a paused one goes on with `resumed`.
      if ((upload.status !== "requesting" && upload.status !== "validating") || !uploadId) return null;
      return same({ ...carried(upload), status: "uploading", file: upload.file, uploadId });
    case "progress": {
      if (upload.status !== "uploading") return null;
      if (upload.totalUnknown) {
        // Only what was read is known: bytes sent, no percent, no time left.
        const totalBytes = Math.max(upload.totalBytes, action.bytesRead ?? 0, action.bytesSent);
        return same({ ...upload, bytesSent: action.bytesSent, totalBytes, progress: 0, speed: action.speed, eta: undefined });
      }
      const bytesSent = Math.min(action.bytesSent, upload.totalBytes);
      const eta = action.speed > 0 ? (upload.totalBytes - bytesSent) / action.speed : undefined;
      return same({ ...upload, bytesSent, progress: percent(bytesSent, upload.totalBytes), speed: action.speed, eta });
    }
    case "sourceEnded": {
      if (!upload.totalUnknown) return null;
      const { totalUnknown: _known, ...rest } = upload;
      return same({ ...rest, totalBytes: action.totalBytes, progress: percent(upload.bytesSent, action.totalBytes) });
    }
    case "senderRetried":
      return upload.status === "uploading" ? same({ ...upload, attempt: upload.attempt + 1 }) : null;
    case "paused":
      if (upload.status !== "uploading") return null;
      return same({ ...carried(upload), ...still, status: "paused", file: upload.file, uploadId: upload.uploadId, pausedReason: action.reason });
    case "resumed":
    case "backOnline":
      // Back online resumes only what going offline paused.
      if (upload.status !== "paused" || (action.type === "backOnline" && upload.pausedReason !== "offline")) return null;
      return same({ ...carried(upload), status: "uploading", file: upload.file, uploadId: upload.uploadId });
    case "sent": {
      if (upload.status !== "uploading") return null;
      // A stream's end is known by the time its bytes are all sent; a missed `sourceEnded` does not stall the state.
      const { totalUnknown: _ended, ...rest } = upload;
      return same({ ...rest, ...still, status: "processing", bytesSent: upload.totalBytes, progress: percent(upload.totalBytes, upload.totalBytes) });
    }
    case "assetCreated":
      return upload.status === "processing" ? same({ ...upload, assetId: action.assetId }) : null;
    case "assetChanged":
      return upload.status === "processing" && upload.asset !== action.asset ? same({ ...upload, assetId: action.asset.id, asset: action.asset }) : null;
    case "ready":
      if (upload.status !== "processing") return null;
      return same({ ...upload, status: "complete", assetId: action.asset.id, asset: action.asset });
    case "failed": {
      const inPhase = upload.status === action.phase || (action.phase === "uploading" && upload.status === "paused");
      if (!inPhase) return null;
      return { upload: { ...carried(upload), ...still, status: "error", error: action.error }, failedPhase: action.phase };
    }
    case "retried": {
      const to = retryTarget(state);
      if (to === undefined || !file) return null;
      const attempt = upload.attempt + 1;
      if (to === "validating" || to === "requesting") return { upload: { ...carried(upload), status: to, file, attempt }, failedPhase: undefined };
      if (!uploadId) return null;
      return { upload: { ...carried(upload), status: to, file, uploadId, attempt }, failedPhase: undefined };
    }
    case "cancelled":
      return upload.status === "idle" ? null : initialMachineState;
    case "disposed":
      if ((upload.status === "uploading" || upload.status === "paused") && upload.pausedReason !== "disposed") {
        return same({ ...carried(upload), ...still, status: "paused", file: upload.file, uploadId: upload.uploadId, pausedReason: "disposed" });
      }
      if (upload.status === "validating" || upload.status === "requesting" || upload.status === "processing") return initialMachineState;
      return null;
  }
}

function percent(bytes: number, total: number): number {
  return total > 0 ? (bytes / total) * 100 : 0;
}
