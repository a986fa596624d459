export type { VideoAsset } from "../core/types.js";
