import type { UploadState, VideoAsset } from "../../src/core/types.js";
import { VideoError } from "../../src/core/errors.js";

const file = { name: "week-3-intro-to-react-hooks.mp4", size: 48_000_000, type: "video/mp4" };

/** Upload snapshots as the engine produces them, for the presentational components' stories. */
export const uploadStates = {
  idle: { progress: 0, status: "idle", bytesSent: 0, totalBytes: 0, speed: 0, attempt: 0 },
  validating: { progress: 0, status: "validating", bytesSent: 0, totalBytes: file.size, speed: 0, attempt: 1, file },
  uploading: {
    progress: 38,
    status: "uploading",
    bytesSent: 18_240_000,
    totalBytes: file.size,
    speed: 2_400_000,
    eta: 12.4,
    attempt: 1,
    file,
    uploadId: "upload-1",
  },
  /** A recording sent as it is produced: no total yet, so bytes without a percent. */
  uploadingTotalUnknown: {
    progress: 0,
    status: "uploading",
    bytesSent: 12_582_912,
    totalBytes: 0,
    totalUnknown: true,
    speed: 1_200_000,
    attempt: 1,
    file: { name: "recording-2026-12-06.webm", size: 0, type: "video/webm" },
    uploadId: "upload-1",
  },
  paused: {
    progress: 38,
    status: "paused",
    bytesSent: 18_240_000,
    totalBytes: file.size,
    speed: 0,
    pausedReason: "user",
    attempt: 1,
    file,
    uploadId: "upload-1",
  },
  pausedOffline: {
    progress: 61,
    status: "paused",
    bytesSent: 29_280_000,
    totalBytes: file.size,
    speed: 0,
    pausedReason: "offline",
    attempt: 1,
    file,
    uploadId: "upload-1",
  },
  retrying: {
    progress: 52,
    status: "uploading",
    bytesSent: 24_960_000,
    totalBytes: file.size,
    speed: 1_900_000,
    eta: 12.1,
    attempt: 2,
    file,
    uploadId: "upload-1",
  },
  processing: {
    progress: 100,
    status: "processing",
    bytesSent: file.size,
    totalBytes: file.size,
    speed: 0,
    attempt: 1,
    file,
    uploadId: "upload-1",
    assetId: "asset-1",
  },
  complete: {
    progress: 100,
    status: "complete",
    bytesSent: file.size,
    totalBytes: file.size,
    speed: 0,
    attempt: 1,
    file,
    uploadId: "upload-1",
    assetId: "asset-1",
    asset: { id: "asset-1", status: "ready", playbackId: "playback-1" },
  },
  error: {
    progress: 44,
    status: "error",
    bytesSent: 21_120_000,
    totalBytes: file.size,
    speed: 0,
    attempt: 1,
    file,
    uploadId: "upload-1",
    error: new VideoError("network", "network"),
  },
} satisfies Record<string, UploadState>;

export const longFileName =
  "2026-11-24 recording of the complete advanced distributed systems workshop with questions and answers (final cut, v3).mp4";

/** A ready asset that plays the small sample in stories/media. */
export const readyAsset: VideoAsset = {
  id: "asset-ready",
  status: "ready",
  playbackId: "playback-ready",
  aspectRatio: "16:9",
  duration: 2,
  playback: { src: "/media/lesson-sample.mp4", poster: "/media/lesson-poster.jpg", policy: "public" },
};

export const preparingAsset: VideoAsset = { id: "asset-preparing", status: "preparing", aspectRatio: "16:9" };

export const erroredAsset: VideoAsset = {
  id: "asset-errored",
  status: "errored",
  errors: [{ type: "invalid_input", message: "The file could not be decoded as a video." }],
};
