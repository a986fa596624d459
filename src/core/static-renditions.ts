import type { StaticRenditionResolution } from "./types.js";

/** Mux's static rendition resolutions (`static_renditions[].resolution`, `createStaticRendition`), best first. */
export const staticRenditionResolutions: readonly StaticRenditionResolution[] = [
  "highest",
  "audio-only",
  "2160p",
  "1440p",
  "1080p",
  "720p",
  "540p",
  "480p",
  "360p",
  "270p",
];
