// The browser side of the recording benchmark (bench/recording.mjs): a canvas animation with a tone is recorded with
// a real MediaRecorder at a fixed bitrate for a given time, then "Stop"; measured is the time from Stop until the
// upload reaches processing (every byte at the server), uploading while recording (the kit) vs recording first and
// uploading the file after Stop (the record-then-upload way, same sender).
import { MediaRecording } from "../../src/core/media-recording.ts";
import { UploadController } from "../../src/core/upload-controller.ts";
import { createHttpTransport } from "../../src/transports/http.ts";
import { canvasMedia, stopMedia } from "../../stories/support/canvas-media.ts";

const transport = createHttpTransport({ baseUrl: "/api/video", events: false });

function animatedStream() {
  const stream = canvasMedia({ width: 1280, height: 720, busy: true, label: "bench" });
  return { stream, stop: () => stopMedia(stream) };
}

function untilSent(controller) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const { status, error } = controller.getSnapshot();
      if (status === "processing" || status === "complete") {
        unsubscribe();
        resolve();
      } else if (status === "error") {
        unsubscribe();
        reject(new Error(`${error?.code} ${error?.message}`));
      }
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records for `seconds` at `bitsPerSecond`; `whileRecording` uploads as it records, else the file goes up after Stop. */
async function record({ seconds, bitsPerSecond, whileRecording }) {
  const source = animatedStream();
  const recording = new MediaRecording({ stream: source.stream, videoBitsPerSecond: bitsPerSecond, timesliceMs: 1000, name: "bench.webm" });
  const controller = new UploadController({ transport });
  const sent = whileRecording ? untilSent(controller) : undefined;
  if (whileRecording) void controller.start(recording.source);
  recording.start();
  await wait(seconds * 1000);
  const stoppedAt = performance.now();
  const blob = await recording.stop();
  source.stop();
  let sentAt;
  if (whileRecording) {
    await sent;
    sentAt = performance.now();
  } else {
    const done = untilSent(controller);
    void controller.start(new File([blob], "bench.webm", { type: "video/webm" }));
    await done;
    sentAt = performance.now();
  }
  controller.dispose();
  return { stopToSentSeconds: (sentAt - stoppedAt) / 1000, bytes: blob.size, recordedSeconds: recording.getSnapshot().elapsedMs / 1000 };
}

window.bench = { run: (options) => record(options) };
document.title = "ready";
