// What an upload needs once a file is picked, loaded by `UploadController` with `import()` on its first
// `start()`: a page with an idle uploader does not download the container sniffing, the fingerprint or the
// chunked sender.
export { validateGrowingSource, validateVideoFile } from "./validation.js";
export { readGrowingSource } from "./growing-source.js";
export { fingerprintFile, sameFile } from "./file-fingerprint.js";
export { DEFAULT_CHUNK_SIZE, sendChunks } from "./chunked-sender.js";
export { createUploadRecordKeeper } from "./upload-record-keeper.js";
export { createUploadMonitor } from "./upload-monitor.js";
