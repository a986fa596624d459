import type { UploadState } from "../../core/types.js";
import { errorMessageFor } from "../shared/error-message.js";
import { formatMessage, type UploadMessages } from "../messages.js";
import { formatPercent } from "../shared/format.js";

const active = new Set<UploadState["status"]>(["validating", "requesting", "uploading", "paused", "processing"]);

/**
 * What to tell screen-reader users when an upload moves from `previous` to `next`, or null to stay
 * quiet. Deliberately sparse: start, every 25 %, pause, resume, error, processing, done, cancel.
 */
export function uploadAnnouncement(
  previous: UploadState,
  next: UploadState,
  messages: UploadMessages,
): string | null {
  if (previous.status === next.status) {
    if (next.status !== "uploading") return null;
    const milestone = Math.floor(next.progress / 25) * 25;
    if (milestone > 0 && milestone < 100 && milestone > Math.floor(previous.progress / 25) * 25) {
      return formatMessage(messages.announce.progress, { percent: formatPercent(milestone, messages.locale) }, messages.locale);
    }
    return null;
  }
  switch (next.status) {
    case "uploading":
      if (previous.status === "paused") return messages.announce.resumed;
      if (next.attempt > 1) return formatMessage(messages.status.retrying, { attempt: next.attempt }, messages.locale);
      if (previous.status === "requesting" || previous.status === "validating" || previous.status === "idle") {
        return formatMessage(messages.announce.started, { name: next.file.name }, messages.locale);
      }
      return null;
    case "paused":
      return next.pausedReason === "offline" ? messages.announce.pausedOffline : messages.announce.paused;
    case "processing":
      return messages.announce.processing;
    case "complete":
      return messages.announce.ready;
    case "error":
      return formatMessage(messages.announce.error, { message: errorMessageFor(next.error, messages) }, messages.locale);
    case "idle":
      return active.has(previous.status) ? messages.announce.cancelled : null;
    default:
      return null;
  }
}
