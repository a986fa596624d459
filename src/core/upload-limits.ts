import { overDefaults } from "./over-defaults.js";
import type { UploadLimits } from "./types.js";

/**
 * The limits `validateVideoFile` and `VideoProvider` use for what a caller leaves out: files up to 5 GB
 * (5,000,000,000 bytes), the common video MIME types and their extensions. An empty `file.type` passes
 * the type check; the extension and the first bytes still decide.
 */
export const defaultUploadLimits: UploadLimits = {
  maxFileSize: 5_000_000_000,
  allowedTypes: [
    "video/mp4",
    "video/x-m4v",
    "video/quicktime",
    "video/webm",
    "video/x-matroska",
    "video/x-msvideo",
    "video/avi",
    "video/msvideo",
    "video/mp2t",
    "video/mpeg",
    "video/x-flv",
    "video/ogg",
    "video/3gpp",
    "video/3gpp2",
  ],
  allowedExtensions: [
    ".mp4", ".m4v", ".mov", ".qt", ".webm", ".mkv", ".avi", ".ts", ".mts", ".m2ts",
    ".mpg", ".mpeg", ".flv", ".ogv", ".3gp", ".3g2",
  ],
  audio: false,
};

/**
 * The file picker's `accept` for `limits`: `video/*` (and `audio/*` when audio is allowed) plus the allowed
 * extensions. A hint for the picker; the checks decide.
 */
export function acceptAttribute(limits: UploadLimits): string {
  return [limits.audio ? "video/*,audio/*" : "video/*", ...limits.allowedExtensions].join(",");
}

/** `limits` over `defaultUploadLimits`; a limit left out or `undefined` is the default. */
export function resolveUploadLimits(limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined }): UploadLimits {
  return overDefaults(defaultUploadLimits, limits);
}
