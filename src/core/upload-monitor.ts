import type { UploadAction, UploadMachineState, UploadTransitionListener } from "./upload-machine.js";
import type { VideoEvent, VideoEventListener } from "./events.js";

/** What the monitor reads of the controller's current run. */
export interface MonitoredRun {
  startedAt: number;
  processingStartedAt: number;
}

/**
 * Monitoring as a subscriber of the controller's transitions: the event each transition means, if any, derived
 * in this one place. Loaded with the upload's code (upload-work.ts): a run reports from the moment its file is
 * validated (`upload_started`) on.
 */
export function createUploadMonitor(
  options: { onEvent?: VideoEventListener | undefined; progressEventIntervalMs?: number | undefined },
  now: () => number,
): UploadTransitionListener<MonitoredRun> {
  let lastProgressEventAt = Number.NEGATIVE_INFINITY;
  const emit = (event: VideoEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing analytics callback must not break the upload.
    }
  };
  const eventOf = (previous: UploadMachineState, action: UploadAction, next: UploadMachineState, run: MonitoredRun | undefined): VideoEvent | undefined => {
    const at = now();
    const before = previous.upload;
    const after = next.upload;
    const uploadId = after.uploadId ?? before.uploadId;
    const withUpload = uploadId ? { uploadId } : {};
    switch (action.type) {
      case "validated":
      case "sending":
        // A resumed record skips "validated": it starts at "sending".
        if (action.type === "sending" && before.status !== "validating") return undefined;
        return { type: "upload_started", ...withUpload, fileSize: after.totalBytes, fileType: after.file?.type ?? "", at };
      case "progress": {
        if (!uploadId || at - lastProgressEventAt < (options.progressEventIntervalMs ?? 1000)) return undefined;
        lastProgressEventAt = at;
        return { type: "upload_progress", uploadId, bytesSent: after.bytesSent, totalBytes: after.totalBytes, speed: after.speed, at };
      }
      case "paused":
        return { type: "upload_paused", ...withUpload, bytesSent: after.bytesSent, reason: action.reason, at };
      case "senderRetried":
        return { type: "upload_retried", ...withUpload, attempt: after.attempt, fromByte: after.bytesSent, reason: action.reason, at };
      case "retried":
        return { type: "upload_retried", ...withUpload, attempt: after.attempt, fromByte: after.bytesSent, reason: `user:${before.error?.code ?? "unknown"}`, at };
      case "sent":
        return { type: "upload_succeeded", uploadId: uploadId ?? "", totalBytes: after.totalBytes, durationMs: at - (run?.startedAt ?? at), at };
      case "ready":
        return { type: "processing_ready", assetId: action.asset.id, durationMs: at - (run?.processingStartedAt ?? at), at };
      case "failed":
        if (action.phase === "processing") {
          return { type: "processing_failed", assetId: after.assetId ?? "", code: action.error.code, durationMs: at - (run?.processingStartedAt ?? at), at };
        }
        return { type: "upload_failed", ...withUpload, code: action.error.code, bytesSent: after.bytesSent, durationMs: at - (run?.startedAt ?? at), at };
      case "cancelled":
        // Cancelling a run under way fails it; cancelling one that ended (complete, error) only clears it. Read here,
        // not with the reducer's `isActiveStatus`: the upload's code importing the reducer made esbuild split the
        // reducer into a first-load chunk of its own.
        return before.status === "idle" || before.status === "complete" || before.status === "error"
          ? undefined
          : { type: "upload_failed", ...withUpload, code: "aborted", bytesSent: before.bytesSent, durationMs: at - (run?.startedAt ?? at), at };
      default:
        return undefined;
    }
  };
  return (previous, action, next, run) => {
    const event = eventOf(previous, action, next, run);
    if (event) emit(event);
  };
}
