/**
 * Monitoring events a host wires to its analytics with one callback (`onEvent`). Every event has `at`, the
 * time it happened (ms since epoch, from the controller's clock), and the upload's, asset's or lesson's id once the
 * backend assigned one. No event carries a file name or other user data.
 */
export type VideoEvent =
  | {
      /** Validation passed and the upload is being created. */
      type: "upload_started";
      /** Usually absent: the backend assigns the id after this event. */
      uploadId?: string | undefined;
      /** Bytes. */
      fileSize: number;
      /** The file's declared MIME type (`""` when the browser gave none). */
      fileType: string;
      at: number;
    }
  | {
      /** Progress of the bytes; at most once per `progressEventIntervalMs` (default 1 s). */
      type: "upload_progress";
      uploadId: string;
      bytesSent: number;
      totalBytes: number;
      /** Smoothed speed, bytes per second. */
      speed: number;
      at: number;
    }
  | {
      /** The bytes in flight stopped; the server keeps `bytesSent` of them. */
      type: "upload_paused";
      uploadId?: string | undefined;
      bytesSent: number;
      /** `user`: `pause()`; `offline`: the browser went offline (it resumes by itself). */
      reason: "user" | "offline";
      at: number;
    }
  | {
      /** A new attempt starts, after an automatic retry's wait or a `retry()`. */
      type: "upload_retried";
      uploadId?: string | undefined;
      /** The attempt starting now (2 for the first retry). */
      attempt: number;
      /** The byte the retry continues from. */
      fromByte: number;
      /** The `VideoErrorCode` that caused an automatic retry, or `user:<code>` for `retry()`. */
      reason: string;
      at: number;
    }
  | {
      /** Every byte is sent; processing follows. */
      type: "upload_succeeded";
      uploadId: string;
      totalBytes: number;
      /** From `start()` (validation included) to the last byte. */
      durationMs: number;
      at: number;
    }
  | {
      /** The upload stopped for good (a `cancel()` of a running upload reports `code: "aborted"`). */
      type: "upload_failed";
      uploadId?: string | undefined;
      /** The `VideoErrorCode`. */
      code: string;
      bytesSent: number;
      /** From `start()` to the failure. */
      durationMs: number;
      at: number;
    }
  | {
      /** The asset is ready to play. */
      type: "processing_ready";
      assetId: string;
      /** From the start of processing (the last byte sent) to `ready`. */
      durationMs: number;
      at: number;
    }
  | {
      /** The asset errored at the backend, or watching it gave up (e.g. `timeout`). */
      type: "processing_failed";
      assetId: string;
      /** The `VideoErrorCode` (`processing_failed`, `timeout`, …). */
      code: string;
      /** From the start of processing to the failure. */
      durationMs: number;
      at: number;
    }
  | {
      /** A learner completed a lesson while watching it (once; not for a lesson completed before). */
      type: "lesson_completed";
      lessonId: string;
      /** Distinct seconds watched. */
      watchedSeconds: number;
      /** The video's duration, seconds. */
      duration: number;
      at: number;
    }
  | {
      /** Saving a learner's progress failed; what was watched is kept and sent with the next save. */
      type: "progress_save_failed";
      lessonId: string;
      /** The `VideoErrorCode`. */
      code: string;
      at: number;
    };

/** The `type` of every `VideoEvent`, e.g. for an analytics allow-list. */
export type VideoEventType = VideoEvent["type"];

/**
 * Receives every monitoring event; the type of `VideoProvider`'s `onEvent` and `UploadController`'s.
 *
 * @example
 * const onEvent: VideoEventListener = (event) => {
 *   if (event.type === "upload_failed") analytics.track("video upload failed", { code: event.code });
 * };
 */
export type VideoEventListener = (event: VideoEvent) => void;
