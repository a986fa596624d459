// The browser side of the recording benchmark (bench/recording.mjs): a canvas animation with a tone is recorded with
// a real MediaRecorder at a fixed bitrate for a given time, then "Stop"; measured is the time from Stop until the
// upload reaches processing (every byte at the server), uploading while recording (the kit) vs recording first and
// uploading the file after Stop (the record-then-upload way, same sender).
import { MediaRecording } from "../../src/core/media-recording.ts";
import { UploadController } from "../../src/core/upload-controller.ts";
import { createHttpTransport } from "../../src/transports/http.ts";

const transport = createHttpTransport({ baseUrl: "/api/video", events: false });

function animatedStream() {
  const canvas = document.createElement("canvas");
  canvas.width = 1280;
  canvas.height = 720;
  const context = canvas.getContext("2d");
  let frame = 0;
  let running = true;
  const draw = () => {
    if (!running) return;
    frame++;
    for (let i = 0; i < 60; i++) {
      context.fillStyle = `hsl(${(frame * 7 + i * 37) % 360} 80% 50%)`;
      context.fillRect((i * 97 + frame * 13) % 1280, (i * 53 + frame * 7) % 720, 120, 90);
    }
    requestAnimationFrame(draw);
  };
  draw();
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  tone.connect(destination);
  tone.start();
  const stream = new MediaStream([...canvas.captureStream(30).getVideoTracks(), ...destination.stream.getAudioTracks()]);
  return {
    stream,
    stop() {
      running = false;
      tone.stop();
      void audio.close();
      for (const track of stream.getTracks()) track.stop();
    },
  };
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
