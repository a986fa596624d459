/** Options of `canvasMedia`. */
export interface CanvasMediaOptions {
  /** Drawn in the corner, e.g. "Camera". */
  label?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** Many moving shapes, so an encoder writes a steady stream of bytes near its bitrate (tests and the bench). */
  busy?: boolean | undefined;
}

/**
 * A moving picture and a tone as a `MediaStream`, for the recorder's stories, tests and bench: what a camera or a
 * shared screen would give, with no device and no permission prompt. Stop it with `stopMedia`.
 */
export function canvasMedia({ label = "Camera", width = 640, height = 360, busy = false }: CanvasMediaOptions = {}): MediaStream {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  const stream = canvas.captureStream(30);
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  tone.frequency.value = 220;
  tone.connect(destination);
  tone.start();
  for (const track of destination.stream.getAudioTracks()) stream.addTrack(track);
  let frame = 0;
  const draw = () => {
    if (!context || stream.getVideoTracks().every((track) => track.readyState === "ended")) {
      void audio.close();
      return;
    }
    frame++;
    if (busy) {
      for (let i = 0; i < 60; i++) {
        context.fillStyle = `hsl(${(frame * 7 + i * 37) % 360} 80% 50%)`;
        context.fillRect((i * 97 + frame * 13) % width, (i * 53 + frame * 7) % height, width / 10, height / 8);
      }
    } else {
      context.fillStyle = "#1f2433";
      context.fillRect(0, 0, width, height);
      context.fillStyle = `hsl(${(frame * 3) % 360} 70% 60%)`;
      context.beginPath();
      context.arc(width / 2 + Math.cos(frame / 20) * (width / 3.5), height / 2 + Math.sin(frame / 15) * (height / 3.6), height / 9, 0, Math.PI * 2);
      context.fill();
    }
    context.fillStyle = "#fff";
    context.font = "28px system-ui, sans-serif";
    context.fillText(label, 24, 48);
    requestAnimationFrame(draw);
  };
  draw();
  return stream;
}

/** Stops every track of a stream (a `canvasMedia` stream then stops drawing and closes its audio). */
export function stopMedia(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Options of `canvasMediaDevices`. */
export interface CanvasMediaDevicesOptions {
  /** Every request is refused with this `DOMException` name (e.g. `NotAllowedError`, as a refused prompt). */
  refuse?: string | undefined;
  /** The shared screen comes with its own audio (a tab's sound). Default true. */
  systemAudio?: boolean | undefined;
  busy?: boolean | undefined;
}

/**
 * `getUserMedia` and `getDisplayMedia` answered with canvas pictures and tones: the recorder's stories and tests
 * open a "camera", "microphone" and "screen" without devices or prompts (`LessonRecorder`'s `mediaDevices`).
 */
export function canvasMediaDevices({ refuse, systemAudio = true, busy = false }: CanvasMediaDevicesOptions = {}): Pick<MediaDevices, "getUserMedia" | "getDisplayMedia"> {
  const refused = () => Promise.reject(new DOMException("Permission denied", refuse));
  const only = (stream: MediaStream, keep: "audio" | "video") => {
    for (const track of stream.getTracks()) {
      if (track.kind === keep) continue;
      stream.removeTrack(track);
      track.stop();
    }
    return stream;
  };
  return {
    getUserMedia: (constraints) => {
      if (refuse) return refused();
      return Promise.resolve(only(canvasMedia({ label: "Camera", width: 320, height: 240, busy }), constraints?.video ? "video" : "audio"));
    },
    getDisplayMedia: () => {
      if (refuse) return refused();
      const screen = canvasMedia({ label: "Screen", width: 640, height: 360, busy });
      return Promise.resolve(systemAudio ? screen : only(screen, "video"));
    },
  };
}
