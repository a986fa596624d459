export * from "./core/index.js";
export * from "./react/index.js";
export * from "./components/index.js";
export { UploadStatus } from "./components/video/molecules/UploadStatus.js";
