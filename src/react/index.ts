export { VideoProvider, type VideoProviderProps } from "./VideoProvider.js";
export { useVideo, type UseVideoResult } from "./use-video.js";
export { useUpload, useUploadController, type UseUploadOptions, type UseUploadResult } from "./use-upload.js";
export { useAsset } from "./use-asset.js";
export { useUploadQueue, type UseUploadQueueOptions, type UseUploadQueueResult } from "./use-upload-queue.js";
export { useResumableUploads, type UseResumableUploadsResult } from "./use-resumable-uploads.js";
export { useVideoMessages, useVideoLimits } from "./use-video-messages.js";
export { useVideoClient, type MuxDataSettings, type VideoClient } from "./video-context.js";
export {
  VideoErrorBoundary,
  type VideoErrorBoundaryProps,
  type VideoErrorBoundaryFallbackProps,
  type VideoErrorBoundaryState,
} from "./VideoErrorBoundary.js";
