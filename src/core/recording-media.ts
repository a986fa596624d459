import { mediaAccessError } from "./media-recording.js";
import { createVideoError } from "./errors.js";
import { Subscribable } from "./subscribable.js";

/**
 * What to record: the camera with the microphone, the screen (a tab, a window or the whole screen, with its audio
 * where the browser offers it) with the microphone, or the screen with the camera as a round bubble over it.
 */
export type RecordingSourceKind = "camera" | "screen" | "screen-camera";

/**
 * Where the camera bubble sits over the screen: its centre as fractions of the picture's width and height (0–1) and
 * its diameter as a fraction of the picture's height.
 */
export interface CameraBubble {
  x: number;
  y: number;
  size: number;
}

/** The bubble's corner positions, for a keyboard or a menu (a pointer can put it anywhere with `moveBubble`). */
export type CameraBubbleCorner = "top-left" | "top-right" | "bottom-left" | "bottom-right";

const defaultBubble: CameraBubble = { x: 0.86, y: 0.78, size: 0.3 };

/** The bubble's position in a corner, keeping its size and a margin from the edges (16:9 picture). */
export function bubbleInCorner(corner: CameraBubbleCorner, size: number = defaultBubble.size, aspect = 16 / 9): CameraBubble {
  const radiusY = size / 2;
  const radiusX = radiusY / aspect;
  const marginY = 0.04;
  const marginX = marginY / aspect;
  return {
    x: corner.endsWith("left") ? marginX + radiusX : 1 - marginX - radiusX,
    y: corner.startsWith("top") ? marginY + radiusY : 1 - marginY - radiusY,
    size,
  };
}

export interface OpenRecordingMediaOptions {
  source: RecordingSourceKind;
  /** The microphone: a `deviceId`, `true` for the default one, `false` for none. Default `true`. */
  microphone?: string | boolean | undefined;
  /** The camera's `deviceId` (camera sources). Default: the browser's choice. */
  camera?: string | undefined;
  /** Ask to share the tab's or system's audio with the screen (the browser may not offer it). Default `true`. */
  systemAudio?: boolean | undefined;
  /** The camera bubble's first position (`screen-camera`). Default: bottom right. */
  bubble?: Partial<CameraBubble> | undefined;
  /** Frames per second of the composed picture (`screen-camera`). Default 30. */
  frameRate?: number | undefined;
  /** Where `getUserMedia` and `getDisplayMedia` come from. Default `navigator.mediaDevices`. */
  mediaDevices?: Partial<Pick<MediaDevices, "getUserMedia" | "getDisplayMedia">> | undefined;
}

/**
 * A source opened for recording: the picture to preview, the microphone (for a level meter), and the stream to
 * record, made at the start (the camera over the screen composed into one picture; the microphone and the screen's
 * audio mixed into one track). `stop()` releases every device.
 */
export interface RecordingMedia {
  readonly source: RecordingSourceKind;
  /** The picture only (the composed one for `screen-camera`): for a preview `<video muted>`. */
  readonly preview: MediaStream;
  /** The microphone's stream, if one is open: for `AudioLevelMeter`. */
  readonly microphone: MediaStream | undefined;
  /** Whether the shared screen came with its own audio (a tab's or the system's). */
  readonly hasSystemAudio: boolean;
  /** Opens another microphone (a `deviceId`, `true` for the default), or closes it (`false`). Before recording. */
  setMicrophone(microphone: string | boolean): Promise<void>;
  /** The camera bubble's position (`screen-camera`), `undefined` otherwise. */
  getBubble(): CameraBubble | undefined;
  /** Moves (or resizes) the camera bubble, also while recording; kept inside the picture. */
  moveBubble(bubble: Partial<CameraBubble>): void;
  /**
   * The stream to record: the picture, the microphone and, unless `systemAudio` is `false`, the screen's audio (mixed
   * into one track). Make it when the recording starts.
   */
  recordingStream(options?: { systemAudio?: boolean | undefined }): MediaStream;
  /**
   * The tracks whose end stops a recording (the screen shared, the camera of a camera recording, the microphone):
   * `MediaRecording`'s `endsWith`. A camera that ends over a screen only takes the bubble away.
   */
  readonly endsWith: readonly MediaStreamTrack[];
  /** Stops every track and the composing (once). */
  stop(): void;
}

type Devices = Pick<MediaDevices, "getUserMedia" | "getDisplayMedia">;

/** The media API the source needs; `recording_unsupported` without it (no `getDisplayMedia` on phones, none on http:). */
const mediaDevicesOf = (options: OpenRecordingMediaOptions): Devices => {
  const devices = options.mediaDevices ?? (typeof navigator === "undefined" ? undefined : (navigator.mediaDevices));
  const camera = typeof devices?.getUserMedia === "function";
  const screen = typeof devices?.getDisplayMedia === "function";
  const needsScreen = options.source !== "camera";
  const needsCamera = options.source !== "screen" || options.microphone !== false;
  if (!devices || (needsScreen && !screen) || (needsCamera && !camera)) throw createVideoError("recording_unsupported", { details: { source: options.source } });
  return devices as Devices;
};

const stopTracks = (stream: MediaStream | undefined): void => {
  for (const track of stream?.getTracks() ?? []) track.stop();
};

const audioConstraint = (microphone: string | true): MediaTrackConstraints | true =>
  microphone === true ? true : { deviceId: { exact: microphone } };

/**
 * Opens a source for recording, asking for each device it needs (the screen first, so the person picks what to
 * share before the camera's light goes on). Rejects with the typed error of `mediaAccessError`
 * (`media_permission_denied`, `media_device_missing`, `media_device_busy`), or `recording_unsupported` where the
 * browser lacks the API, and releases whatever it had opened.
 *
 * @example
 * const media = await openRecordingMedia({ source: "screen-camera" });
 * preview.srcObject = media.preview;
 * const recording = new MediaRecording({ stream: media.recordingStream(), endsWith: media.endsWith });
 */
export async function openRecordingMedia(options: OpenRecordingMediaOptions): Promise<RecordingMedia> {
  const devices = mediaDevicesOf(options);
  const source = options.source;
  const wantsMicrophone = options.microphone ?? true;
  let screen: MediaStream | undefined;
  let camera: MediaStream | undefined;
  let microphone: MediaStream | undefined;
  try {
    if (source !== "camera") screen = await devices.getDisplayMedia({ video: true, audio: options.systemAudio ?? true });
    if (source !== "screen") camera = await devices.getUserMedia({ video: options.camera === undefined ? true : { deviceId: { exact: options.camera } } });
    if (wantsMicrophone !== false) microphone = await devices.getUserMedia({ audio: audioConstraint(wantsMicrophone) });
  } catch (cause) {
    stopTracks(screen);
    stopTracks(camera);
    stopTracks(microphone);
    throw mediaAccessError(cause);
  }
  return new OpenedMedia(source, devices, screen, camera, microphone, options);
}

class OpenedMedia implements RecordingMedia {
  readonly preview: MediaStream;
  #microphone: MediaStream | undefined;
  readonly #compositor: Compositor | undefined;
  #mixer: AudioContext | undefined;
  readonly #mixNodes: AudioNode[] = [];
  #stopped = false;

  constructor(
    readonly source: RecordingSourceKind,
    private readonly devices: Devices,
    private readonly screen: MediaStream | undefined,
    private readonly camera: MediaStream | undefined,
    microphone: MediaStream | undefined,
    options: OpenRecordingMediaOptions,
  ) {
    this.#microphone = microphone;
    if (screen && camera) {
      this.#compositor = new Compositor(screen, camera, { ...defaultBubble, ...options.bubble }, options.frameRate ?? 30);
      this.preview = this.#compositor.stream;
    } else {
      this.preview = new MediaStream((screen ?? camera)?.getVideoTracks() ?? []);
    }
  }

  get microphone(): MediaStream | undefined {
    return this.#microphone;
  }

  get hasSystemAudio(): boolean {
    return (this.screen?.getAudioTracks().length ?? 0) > 0;
  }

  async setMicrophone(microphone: string | boolean): Promise<void> {
    const previous = this.#microphone;
    this.#microphone = undefined;
    stopTracks(previous);
    if (microphone === false || this.#stopped) return;
    let opened: MediaStream;
    try {
      opened = await this.devices.getUserMedia({ audio: audioConstraint(microphone) });
    } catch (cause) {
      throw mediaAccessError(cause);
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may run while the prompt is open (TypeScript#9998)
    if (this.#stopped) stopTracks(opened);
    else this.#microphone = opened;
  }

  getBubble(): CameraBubble | undefined {
    return this.#compositor?.bubble;
  }

  moveBubble(bubble: Partial<CameraBubble>): void {
    this.#compositor?.move(bubble);
  }

  recordingStream(options: { systemAudio?: boolean | undefined } = {}): MediaStream {
    const audio = [...(this.#microphone?.getAudioTracks() ?? []), ...(options.systemAudio === false ? [] : (this.screen?.getAudioTracks() ?? []))];
    return new MediaStream([...this.preview.getVideoTracks(), ...this.#mix(audio)]);
  }

  get endsWith(): readonly MediaStreamTrack[] {
    return [
      ...(this.screen?.getVideoTracks() ?? []),
      ...(this.source === "camera" ? (this.camera?.getVideoTracks() ?? []) : []),
      ...(this.#microphone?.getAudioTracks() ?? []),
    ];
  }

  /** One audio track as it is; several mixed into one (MediaRecorder records the first audio track only). */
  #mix(tracks: MediaStreamTrack[]): MediaStreamTrack[] {
    // A mix made for an earlier take is taken apart first.
    for (const node of this.#mixNodes.splice(0)) node.disconnect();
    if (tracks.length <= 1) return tracks;
    this.#mixer ??= new AudioContext();
    const mixed = this.#mixer.createMediaStreamDestination();
    for (const track of tracks) {
      const input = this.#mixer.createMediaStreamSource(new MediaStream([track]));
      input.connect(mixed);
      this.#mixNodes.push(input);
    }
    void this.#mixer.resume().catch(() => undefined);
    return mixed.stream.getAudioTracks();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#compositor?.stop();
    stopTracks(this.screen);
    stopTracks(this.camera);
    stopTracks(this.#microphone);
    void this.#mixer?.close().catch(() => undefined);
  }
}

/**
 * Draws the shared screen and the camera, as a round bubble, into one canvas whose `captureStream` is the picture
 * recorded. A worker's timer drives the drawing: a page whose tab is hidden (the person presents another window)
 * still gets its frames, where `requestAnimationFrame` would stop and a page timer would slow to once a second.
 */
class Compositor {
  readonly stream: MediaStream;
  bubble: CameraBubble;
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #screen: HTMLVideoElement;
  readonly #camera: HTMLVideoElement;
  readonly #ticker: Ticker;

  constructor(screen: MediaStream, camera: MediaStream, bubble: CameraBubble, frameRate: number) {
    this.bubble = clampBubble(bubble);
    this.#canvas = document.createElement("canvas");
    const settings = screen.getVideoTracks()[0]?.getSettings();
    this.#canvas.width = settings?.width ?? 1280;
    this.#canvas.height = settings?.height ?? 720;
    const context = this.#canvas.getContext("2d");
    if (!context) throw mediaAccessError(new DOMException("No 2D canvas to compose the screen and the camera", "NotSupportedError"));
    this.#context = context;
    this.#screen = playing(screen);
    this.#camera = playing(camera);
    this.stream = this.#canvas.captureStream(frameRate);
    this.#draw();
    this.#ticker = startTicker(1000 / frameRate, () => this.#draw());
  }

  move(change: Partial<CameraBubble>): void {
    this.bubble = clampBubble({ ...this.bubble, ...change });
    this.#draw();
  }

  stop(): void {
    this.#ticker.stop();
    for (const track of this.stream.getTracks()) track.stop();
    this.#screen.srcObject = null;
    this.#camera.srcObject = null;
  }

  #draw(): void {
    const canvas = this.#canvas;
    const context = this.#context;
    const screen = this.#screen;
    // The shared surface can change size (a window resized): the picture follows it.
    if (screen.videoWidth > 0 && (screen.videoWidth !== canvas.width || screen.videoHeight !== canvas.height)) {
      canvas.width = screen.videoWidth;
      canvas.height = screen.videoHeight;
    }
    const { width, height } = canvas;
    if (screen.readyState >= 2) context.drawImage(screen, 0, 0, width, height);
    else {
      context.fillStyle = "#000";
      context.fillRect(0, 0, width, height);
    }
    const camera = this.#camera;
    const live = camera.srcObject instanceof MediaStream && camera.srcObject.getVideoTracks().some((track) => track.readyState === "live");
    if (!live || camera.readyState < 2 || camera.videoWidth === 0) return;
    const diameter = this.bubble.size * height;
    const radius = diameter / 2;
    const cx = this.bubble.x * width;
    const cy = this.bubble.y * height;
    // The camera's picture, cropped to a centred square, inside a circle.
    const side = Math.min(camera.videoWidth, camera.videoHeight);
    context.save();
    context.beginPath();
    context.arc(cx, cy, radius, 0, Math.PI * 2);
    context.closePath();
    context.clip();
    context.drawImage(camera, (camera.videoWidth - side) / 2, (camera.videoHeight - side) / 2, side, side, cx - radius, cy - radius, diameter, diameter);
    context.restore();
    context.lineWidth = Math.max(2, diameter * 0.02);
    context.strokeStyle = "rgba(255, 255, 255, 0.9)";
    context.beginPath();
    context.arc(cx, cy, radius, 0, Math.PI * 2);
    context.stroke();
  }
}

/** Keeps the whole bubble inside the picture (the size between 5 % and 90 % of its height). */
function clampBubble(bubble: CameraBubble): CameraBubble {
  const size = Math.min(0.9, Math.max(0.05, bubble.size));
  const halfY = size / 2;
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, Number.isFinite(value) ? value : 0.5));
  return { size, x: clamp(bubble.x, 0, 1), y: clamp(bubble.y, halfY, 1 - halfY) };
}

function playing(stream: MediaStream): HTMLVideoElement {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  void video.play().catch(() => undefined);
  return video;
}

interface Ticker {
  stop(): void;
}

const tickerScript = "let t;onmessage=(e)=>{clearInterval(t);if(e.data>0)t=setInterval(()=>postMessage(0),e.data)}";

/** Calls `tick` every `intervalMs` from a worker (not slowed in a hidden tab); a page timer where workers are refused. */
function startTicker(intervalMs: number, tick: () => void): Ticker {
  try {
    const url = URL.createObjectURL(new Blob([tickerScript], { type: "text/javascript" }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = tick;
    worker.postMessage(intervalMs);
    return { stop: () => worker.terminate() };
  } catch {
    // A content security policy without `worker-src blob:`: drawing slows down while the tab is hidden.
    const timer = setInterval(tick, intervalMs);
    return { stop: () => clearInterval(timer) };
  }
}

/** The microphones (`audioinput`) or cameras (`videoinput`) the browser lists; labels appear once one was granted. */
export async function listMediaInputs(kind: "audioinput" | "videoinput"): Promise<MediaDeviceInfo[]> {
  const devices = typeof navigator === "undefined" ? undefined : navigator.mediaDevices;
  if (!devices?.enumerateDevices) return [];
  return (await devices.enumerateDevices()).filter((device) => device.kind === kind && device.deviceId !== "");
}

/**
 * The loudness of a microphone, 0 (silence, −60 dBFS and below) to 1 (full scale), sampled every `intervalMs`
 * (default 100) while someone listens: for a level meter. Framework-free: `subscribe` + `getSnapshot`; `stop()`
 * closes its audio context (the microphone's tracks stay open).
 */
export class AudioLevelMeter extends Subscribable {
  #level = 0;
  readonly #stream: MediaStream;
  readonly #intervalMs: number;
  #context: AudioContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(stream: MediaStream, options: { intervalMs?: number | undefined } = {}) {
    super();
    this.#stream = stream;
    this.#intervalMs = options.intervalMs ?? 100;
  }

  getSnapshot = (): number => this.#level;

  protected override onSubscribe(): void {
    if (this.#timer !== undefined || this.#stream.getAudioTracks().length === 0 || typeof AudioContext !== "function") return;
    const context = (this.#context ??= new AudioContext());
    void context.resume().catch(() => undefined);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(this.#stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.#timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      const level = rms > 0 ? Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60)) : 0;
      // Whole percent steps: a listener re-renders only when the meter would move.
      const rounded = Math.round(level * 100) / 100;
      if (rounded === this.#level) return;
      this.#level = rounded;
      this.notifyListeners();
    }, this.#intervalMs);
  }

  protected override onUnsubscribe(): void {
    if (this.hasListeners()) return;
    this.stop();
  }

  /** Stops sampling and closes the audio context. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const context = this.#context;
    this.#context = undefined;
    void context?.close().catch(() => undefined);
  }
}
