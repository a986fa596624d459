/** Monitoring events a host wires to its analytics with one callback (`onEvent`). */
export type VideoEvent =
  | { type: "upload_started"; uploadId?: string; fileSize: number; fileType: string; at: number }
  | { type: "upload_progress"; uploadId: string; bytesSent: number; totalBytes: number; speed: number; at: number }
  | { type: "upload_paused"; uploadId?: string; bytesSent: number; reason: "user" | "offline"; at: number }
  | { type: "upload_retried"; uploadId?: string; attempt: number; fromByte: number; reason: string; at: number }
  | { type: "upload_succeeded"; uploadId: string; totalBytes: number; durationMs: number; at: number }
  | { type: "upload_failed"; uploadId?: string; code: string; bytesSent: number; durationMs: number; at: number }
  | { type: "processing_ready"; assetId: string; durationMs: number; at: number }
  | { type: "processing_failed"; assetId: string; code: string; durationMs: number; at: number };

export type VideoEventType = VideoEvent["type"];

export type VideoEventListener = (event: VideoEvent) => void;
