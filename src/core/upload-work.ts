// What an upload needs once a file is picked, loaded by `UploadController` with `import()` on its first
// `start()`: a page with an idle uploader does not download the run's work (validation, `createUpload`, the
// transfer, watching processing), the container sniffing, the fingerprint or the chunked sender.
export { resumeRun, request, upload, validateAndRequest, watchProcessing } from "./upload-run.js";
