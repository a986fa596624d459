import type { FileFingerprint } from "./file-fingerprint.js";
import type { UploadAction, UploadMachineState } from "./upload-machine.js";
import type { UploadRecordStore } from "./upload-record-store.js";
import type { UploadTarget } from "./types.js";

/** What the keeper reads of the controller's current run. */
export interface RecordedRun {
  target: UploadTarget | undefined;
  fingerprint: FileFingerprint | undefined;
  lessonId: string | undefined;
}

/** Called by the controller after every transition: (previous state, action, next state, the run). */
export type UploadRecordKeeper = (previous: UploadMachineState, action: UploadAction, next: UploadMachineState, run: RecordedRun | undefined) => void;

/**
 * Resume records as a subscriber of the controller's transitions: saved when bytes start moving, every
 * 2 s of progress and on a pause; kept on a retryable failure; dropped when all bytes are sent, on cancel,
 * and on a final failure. Loaded with the upload's code (upload-work.ts), since a record needs a started
 * upload and its file's fingerprint.
 */
export function createUploadRecordKeeper(records: UploadRecordStore, now: () => number): UploadRecordKeeper {
  let lastSavedAt = Number.NEGATIVE_INFINITY;
  const save = (run: RecordedRun | undefined, bytesSent: number): void => {
    const target = run?.target;
    if (!run || !target || !run.fingerprint) return;
    lastSavedAt = now();
    records.save({
      uploadId: target.uploadId,
      url: target.url,
      ...(target.chunkSize === undefined ? {} : { chunkSize: target.chunkSize }),
      ...(target.expiresAt === undefined ? {} : { expiresAt: target.expiresAt }),
      ...(run.lessonId === undefined ? {} : { lessonId: run.lessonId }),
      file: run.fingerprint,
      bytesSent,
      savedAt: lastSavedAt,
    });
  };
  const forget = (run: RecordedRun | undefined): void => {
    const uploadId = run?.target?.uploadId;
    if (uploadId) records.remove(uploadId);
  };
  return (_previous, action, next, run) => {
    const bytesSent = next.upload.bytesSent;
    switch (action.type) {
      case "sending":
      case "resumed":
      case "backOnline":
      case "paused":
      case "disposed":
        return save(run, bytesSent);
      case "retried":
        return next.upload.status === "uploading" ? save(run, bytesSent) : undefined;
      case "progress":
        return now() - lastSavedAt >= 2000 ? save(run, bytesSent) : undefined;
      case "sent":
      case "cancelled":
        return forget(run);
      case "failed":
        if (action.phase !== "uploading" && action.phase !== "requesting") return;
        // A retryable failure keeps the record (a reload can still resume); a final one drops it.
        return action.error.retryable && action.error.code !== "upload_url_expired" ? save(run, bytesSent) : forget(run);
      default:
        return;
    }
  };
}
