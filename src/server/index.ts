export type { VideoAsset, UploadInfo, UploadTarget } from "../core/types.js";
