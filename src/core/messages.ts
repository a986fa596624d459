import type { VideoErrorCode } from "./errors.js";

/** English messages for every error code. Pass a partial object to override (i18n). */
export const defaultErrorMessages: Record<VideoErrorCode, string> = {
  file_empty: "This file is empty. Choose a video file with content.",
  file_too_large: "This file is larger than the maximum allowed size.",
  file_type_not_allowed: "This type of file is not allowed. Choose an MP4, MOV, WebM or MKV video.",
  file_not_video: "This file is not a video, whatever its name says. Choose a video file.",
  file_changed: "The file changed while it was uploading. Choose it again.",
  file_duplicate: "This file is already in the list.",
  network: "The connection was lost. The upload will continue when you retry.",
  upload_url_expired: "The upload link expired. Retry to start a fresh upload.",
  server: "The video service had a problem. Try again in a moment.",
  bad_request: "The video service refused the request.",
  not_found: "The video could not be found.",
  unauthorized: "You need to sign in to upload videos.",
  forbidden: "You are not allowed to do this.",
  rate_limited: "Too many requests. The upload will retry shortly.",
  quota_exceeded: "You have reached your upload limit for today.",
  processing_failed: "The video could not be processed. Try a different file.",
  timeout: "This is taking too long. Try again.",
  aborted: "The upload was cancelled.",
  caption_invalid: "This caption file cannot be used. Check that it is a WebVTT or SRT file.",
};
