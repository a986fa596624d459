import { defaultMessages, type UploadState } from "../../../src/index.js";
import { uploadAnnouncement } from "../../../src/components/video/upload-announcements.js";
import { VideoError } from "../../../src/core/errors.js";

const base: UploadState = { progress: 0, status: "idle", bytesSent: 0, totalBytes: 1000, speed: 0, attempt: 1, file: { name: "intro.mp4", size: 1000, type: "video/mp4" } };
/** A snapshot in `status` (loosely built: the announcer reads status, progress, file, pausedReason and error). */
const at = (status: UploadState["status"], progress = 0, extra: Record<string, unknown> = {}): UploadState =>
  ({ ...base, uploadId: "u1", status, progress, ...extra }) as UploadState;

/** Every announcement of a run of snapshots, in order. */
function spoken(states: UploadState[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < states.length; i++) {
    const message = uploadAnnouncement(states[i - 1]!, states[i]!, defaultMessages);
    if (message) out.push(message);
  }
  return out;
}

describe("upload announcements", () => {
  it("speak at start, every 25 %, pause, resume, processing and done, not on every percent", () => {
    const run = [at("idle"), at("validating"), at("requesting"), at("uploading", 0)];
    for (let percent = 1; percent <= 60; percent++) run.push(at("uploading", percent));
    run.push(at("paused", 60, { pausedReason: "user" }), at("uploading", 60));
    for (let percent = 61; percent <= 100; percent++) run.push(at("uploading", percent));
    run.push(at("processing", 100), at("complete", 100));
    expect(spoken(run)).toEqual([
      "Uploading intro.mp4.",
      "25% uploaded.",
      "50% uploaded.",
      "Upload paused.",
      "Upload resumed.",
      "75% uploaded.",
      "Upload finished. Processing the video.",
      "The video is ready.",
    ]);
  });

  it("announce a milestone once even when progress jumps over it", () => {
    expect(spoken([at("uploading", 10), at("uploading", 80), at("uploading", 81)])).toEqual(["75% uploaded."]);
  });

  it("say why an upload paused or failed, and that a retry is running", () => {
    expect(spoken([at("uploading", 30), at("paused", 30, { pausedReason: "offline" })])).toEqual([
      "Upload paused until the connection is back.",
    ]);
    expect(spoken([at("uploading", 30), at("error", 30, { error: new VideoError("network", "x") })])).toEqual([
      "Upload failed. The connection was lost. The upload will continue when you retry.",
    ]);
    expect(spoken([at("error", 30), at("uploading", 30, { attempt: 2 })])).toEqual(["Retrying (attempt 2)"]);
    expect(spoken([at("uploading", 30), at("idle")])).toEqual(["Upload cancelled."]);
  });
});
