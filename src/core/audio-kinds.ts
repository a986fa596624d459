/** The audio files `limits.audio` lets through: loaded with the checks, not with the provider. */
import type { UploadLimits } from "./types.js";

/** The audio MIME types accepted when `limits.audio` is true: the audio containers Mux takes. */
export const defaultAudioTypes: readonly string[] = [
  "audio/mpeg",
  "audio/mp3",
  "audio/mp4",
  "audio/x-m4a",
  "audio/aac",
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/flac",
  "audio/x-flac",
  "audio/ogg",
  "audio/opus",
  "audio/aiff",
  "audio/x-aiff",
  "audio/webm",
];

/** The audio extensions accepted when `limits.audio` is true. */
export const defaultAudioExtensions: readonly string[] = [".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff"];

/** The MIME types and extensions `limits` lets through: the allowed ones, plus the audio ones when `audio` is on. */
export function acceptedFileKinds(limits: UploadLimits): { types: readonly string[]; extensions: readonly string[] } {
  if (!limits.audio) return { types: limits.allowedTypes, extensions: limits.allowedExtensions };
  return { types: [...limits.allowedTypes, ...defaultAudioTypes], extensions: [...limits.allowedExtensions, ...defaultAudioExtensions] };
}

