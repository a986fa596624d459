import { useContext } from "react";
import { defaultErrorMessages, type VideoErrorCode } from "../core/errors.js";
import type { UploadLimits } from "../core/types.js";
import { defaultUploadLimits } from "../core/upload-limits.js";
import { type MuxDataSettings, VideoSettingsContext } from "./video-context.js";

/**
 * Error messages people read: `defaultErrorMessages` merged with the provider's `messages`. Outside a
 * provider, the defaults.
 */
export function useVideoMessages(): Record<VideoErrorCode, string> {
  return useContext(VideoSettingsContext)?.messages ?? defaultErrorMessages;
}

/** The provider's limits merged with the defaults (e.g. for an input's `accept`). Outside a provider, the defaults. */
export function useVideoLimits(): UploadLimits {
  return useContext(VideoSettingsContext)?.limits ?? defaultUploadLimits;
}

/** The provider's Mux Data settings (`muxData`); undefined outside a provider or without them. */
export function useMuxDataSettings(): MuxDataSettings | undefined {
  return useContext(VideoSettingsContext)?.muxData;
}
