import type { UrlRefusalReason, VideoErrorCode } from "./errors.js";

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
  url_refused: "This link cannot be imported.",
  recording_unsupported: "This browser cannot record video. Upload a video file instead.",
  recording_failed: "The recording stopped because of a problem. What was recorded is kept.",
  media_permission_denied: "Access to the camera, microphone or screen was refused. Allow it in the site settings, then try again.",
  media_device_missing: "No camera or microphone was found. Connect one, or upload a file instead.",
  media_device_busy: "The camera or microphone is in use by another app. Close it, then try again.",
};

/** English text for every `UrlRefusalReason` (`details.reason` of a `url_refused` error). Pass a partial object to override. */
export const defaultUrlRefusalMessages: Readonly<Record<UrlRefusalReason, string>> = {
  malformed: "This is not a link to a video. Paste a full address starting with https://.",
  scheme: "Only http and https links can be imported.",
  credentials: "Links with a user name or password are refused.",
  private_address: "This link points to a private or local network address.",
  unresolvable: "The address of this link could not be found.",
  unreachable: "The server of this link could not be reached.",
  redirect: "This link redirects to an address that cannot be imported.",
};
