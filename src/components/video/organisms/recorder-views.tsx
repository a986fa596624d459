"use client";
// The views `LessonRecorder` shows once a source is chosen: the preview (microphone, its level, the shared tab's
// sound, the camera bubble's place), the countdown, the recording (time, pause, resume, stop, the upload advancing),
// and the review (play it back, keep it or record again); and the file upload offered where recording is not. They
// load with `import()`, so a page with a recorder carries only the source buttons until then.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type PointerEvent as ReactPointerEvent } from "react";
import { createVideoError, isVideoError, type VideoError } from "../../../core/errors.js";
import { MediaRecording, type RecordingSnapshot } from "../../../core/media-recording.js";
import {
  AudioLevelMeter,
  bubbleInCorner,
  listMediaInputs,
  openRecordingMedia,
  type CameraBubbleCorner,
  type RecordingMedia,
  type RecordingSourceKind,
} from "../../../core/recording-media.js";
import type { RecordingStore, StoredRecording } from "../../../core/recording-store.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { componentClassName } from "../../shared/class-names.js";
import { formatBytes, formatDuration } from "../../shared/format.js";
import { numberFormat } from "../../../core/format-number.js";
import { useAnnounce } from "../../shared/live-announcer.js";
import { formatMessage, type ComponentMessages, type MessagesOverride } from "../../messages.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { useUploadCallbacks } from "../use-upload-callbacks.js";

export interface RecorderSessionProps {
  source: RecordingSourceKind;
  lessonId: string | undefined;
  countdownSeconds: number;
  maxDurationMs: number | undefined;
  maxBytes: number | undefined;
  shared: boolean;
  onUploaded: ((asset: VideoAsset) => void) | undefined;
  onKeep: ((upload: UploadState) => void) | undefined;
  onDiscard: ((upload: UploadState) => void) | undefined;
  store: RecordingStore | undefined;
  mediaDevices: Partial<Pick<MediaDevices, "getUserMedia" | "getDisplayMedia">> | undefined;
  messages: ComponentMessages;
  messagesOverride: MessagesOverride | undefined;
  unstyled: boolean | undefined;
  /** The step shown, for the root's `data-state`. */
  onStep: (step: string) => void;
  /** Back to the choice of source. */
  onClose: () => void;
}

const noRecording = (): (() => void) => () => undefined;
const notRecording = (): RecordingSnapshot | undefined => undefined;
const corners: readonly CameraBubbleCorner[] = ["top-left", "top-right", "bottom-left", "bottom-right"];
/** The microphone menu's values besides a device id. */
const defaultMicrophone = "";
const noMicrophone = "none";

/** One session with a source: preview → countdown → recording → review, until the person keeps a recording or goes back. */
export function RecorderSession({
  source,
  lessonId,
  countdownSeconds,
  maxDurationMs,
  maxBytes,
  shared,
  onUploaded,
  onKeep,
  onDiscard,
  store,
  mediaDevices,
  messages,
  messagesOverride,
  unstyled,
  onStep,
  onClose,
}: RecorderSessionProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const recorder = messages.recorder;
  const locale = messages.locale;
  const upload = useUploadIn("<LessonRecorder>", { shared });
  const announce = useAnnounce();
  const [attempt, setAttempt] = useState(0);
  const [media, setMedia] = useState<RecordingMedia | undefined>(undefined);
  const [microphone, setMicrophone] = useState(defaultMicrophone);
  const [microphones, setMicrophones] = useState<MediaDeviceInfo[]>([]);
  const [systemAudio, setSystemAudio] = useState(true);
  const [corner, setCorner] = useState<CameraBubbleCorner>("bottom-right");
  const [countdown, setCountdown] = useState<number | undefined>(undefined);
  const countdownTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [error, setError] = useState<VideoError | undefined>(undefined);
  const [recording, setRecording] = useState<MediaRecording | undefined>(undefined);
  const [review, setReview] = useState<string | undefined>(undefined);
  const [kept, setKept] = useState(false);
  const snapshot = useSyncExternalStore(recording?.subscribe ?? noRecording, recording?.getSnapshot ?? notRecording, notRecording);
  const [, tick] = useState(0);

  // Open the source (again after "Try again"); its devices are released when the session ends.
  useEffect(() => {
    let live = true;
    let opened: RecordingMedia | undefined;
    openRecordingMedia({ source, ...(mediaDevices ? { mediaDevices } : {}) }).then(
      (media) => {
        opened = media;
        if (!live) return media.stop();
        setMedia(media);
        // Labels are listed once a microphone was granted.
        void listMediaInputs("audioinput").then((found) => live && setMicrophones(found.filter((device) => device.deviceId !== "default" && device.deviceId !== "communications")));
      },
      (cause: unknown) => {
        if (live) setError(asVideoError(cause));
      },
    );
    return () => {
      live = false;
      opened?.stop();
      setMedia(undefined);
    };
  }, [source, mediaDevices, attempt]);

  // Sharing stopped from the browser's bar (or the camera unplugged) before recording: back to the choice of source.
  useEffect(() => {
    if (!media || recording) return;
    const pictures = media.endsWith.filter((track) => track.kind === "video");
    for (const track of pictures) track.addEventListener("ended", onClose);
    return () => {
      for (const track of pictures) track.removeEventListener("ended", onClose);
    };
  }, [media, recording, onClose]);

  useEffect(() => () => clearTimeout(countdownTimer.current), []);

  // The time recorded, once a second while recording (the timer is not read out each second).
  const status = snapshot?.status;
  useEffect(() => {
    if (status !== "recording") return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [status]);

  // The review: the whole recording, played back from memory.
  useEffect(() => {
    if (!recording) return;
    let live = true;
    let url: string | undefined;
    void recording.stopped.then((blob) => {
      if (!live) return;
      url = URL.createObjectURL(blob);
      setReview(url);
      const reason = recording.getSnapshot().stopReason;
      announce(
        reason === "max_duration"
          ? recorder.stoppedMaxDuration
          : reason === "max_bytes"
            ? recorder.stoppedMaxBytes
            : reason === "track_ended"
              ? recorder.stoppedTrackEnded
              : recorder.stopped,
      );
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [recording, announce, recorder]);

  const step = error
    ? "error"
    : !media
      ? "opening"
      : countdown !== undefined
        ? "countdown"
        : !recording
          ? "preview"
          : kept
            ? "kept"
            : review
              ? "review"
              : (status ?? "preview");
  useEffect(() => onStep(step), [step, onStep]);

  const uploadState = upload.state;
  // Every byte is at the server: the copy on the device is no longer needed.
  const allSent = kept && (uploadState.status === "processing" || uploadState.status === "complete");
  useEffect(() => {
    if (allSent && recording) void store?.remove(recording.id);
  }, [allSent, recording, store]);
  // A take counts once it is kept: its asset is reported then (or when it is ready, if later).
  useUploadCallbacks(uploadState, kept ? upload.asset : null, { onUploaded });

  const begin = () => {
    setCountdown(undefined);
    if (!media) return;
    let made: MediaRecording;
    try {
      made = new MediaRecording({ stream: media.recordingStream({ systemAudio }), endsWith: media.endsWith, maxDurationMs, maxBytes, store, lessonId });
    } catch (cause) {
      setError(asVideoError(cause));
      return;
    }
    void upload.controller.start(made.source, lessonId === undefined ? {} : { lessonId });
    made.start();
    setRecording(made);
    announce(recorder.recording);
  };
  const start = () => {
    if (countdownSeconds <= 0) return begin();
    let left = Math.ceil(countdownSeconds);
    setCountdown(left);
    announce(formatMessage(recorder.countdownStarted, { count: left }, locale));
    const next = () => {
      left -= 1;
      if (left > 0) {
        setCountdown(left);
        countdownTimer.current = setTimeout(next, 1000);
      } else begin();
    };
    countdownTimer.current = setTimeout(next, 1000);
  };
  const cancelCountdown = () => {
    clearTimeout(countdownTimer.current);
    setCountdown(undefined);
  };
  const retake = () => {
    const abandoned = upload.controller.getSnapshot();
    // The abandoned upload is cancelled at the backend, and the asset it already became (sent in full) deleted.
    upload.controller.cancel({ discardAsset: true });
    if (recording) void store?.remove(recording.id);
    setRecording(undefined);
    setReview(undefined);
    setKept(false);
    onDiscard?.(abandoned);
  };
  const keep = () => {
    setKept(true);
    announce(recorder.kept);
    onKeep?.(upload.controller.getSnapshot());
  };
  const chooseMicrophone = (value: string) => {
    setMicrophone(value);
    if (!media) return;
    media.setMicrophone(value === defaultMicrophone ? true : value === noMicrophone ? false : value).then(
      () => tick((n) => n + 1),
      (cause: unknown) => setError(asVideoError(cause)),
    );
  };
  const placeBubble = (next: CameraBubbleCorner) => {
    setCorner(next);
    const bubble = media?.getBubble();
    if (media && bubble) media.moveBubble(bubbleInCorner(next, bubble.size, aspectOf(media)));
  };

  if (error) {
    return (
      <div className={kit("lvk-recorder__session")}>
        <p className={kit("lvk-notice")} role="alert" data-error-code={error.code}>
          {messages.errors[error.code]}
        </p>
        <div className={kit("lvk-actions")}>
          <button
            type="button"
            className={kit("lvk-button lvk-button--primary")}
            onClick={() => {
              setError(undefined);
              setAttempt((n) => n + 1);
            }}
          >
            {recorder.tryAgain}
          </button>
          <button type="button" className={kit("lvk-button")} onClick={onClose}>
            {recorder.chooseSource}
          </button>
        </div>
      </div>
    );
  }
  const elapsed = formatMessage(recorder.elapsed, { time: formatDuration((recording?.elapsedMs() ?? 0) / 1000, messages.locale) }, messages.locale);
  const settingUp = media !== undefined && !recording;
  const microphoneStream = media?.microphone;
  // The countdown's number in the reader's digits, shown big on the stage and beside Cancel.
  const countdownText = countdown === undefined ? undefined : numberFormat(locale, {}).format(countdown);
  return (
    <div className={kit("lvk-recorder__session")}>
      <div className={kit("lvk-recorder__stage")}>
        {review ? (
          // The person's own recording, seconds old: no captions exist for it yet.
          // eslint-disable-next-line jsx-a11y/media-has-caption
          <video className={kit("lvk-recorder__video")} src={review} controls playsInline aria-label={recorder.reviewLabel} />
        ) : (
          <LivePreview media={media} label={recorder.previewLabel} className={kit("lvk-recorder__video")} onCorner={setCorner} />
        )}
        {countdown !== undefined ? (
          <p className={kit("lvk-recorder__countdown")} aria-hidden="true">
            {countdownText}
          </p>
        ) : null}
      </div>
      {settingUp ? (
        <div className={kit("lvk-recorder__settings")}>
          <label className={kit("lvk-recorder__setting")}>
            <span>{recorder.microphone}</span>
            <select className={kit("lvk-field__control")} value={microphone} disabled={countdown !== undefined} onChange={(event) => chooseMicrophone(event.currentTarget.value)}>
              <option value={defaultMicrophone}>{recorder.defaultMicrophone}</option>
              {microphones.map((device, index) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label || formatMessage(recorder.microphoneNumbered, { number: index + 1 }, locale)}
                </option>
              ))}
              <option value={noMicrophone}>{recorder.noMicrophone}</option>
            </select>
          </label>
          {media.hasSystemAudio ? (
            <label className={kit("lvk-recorder__setting lvk-recorder__setting--check")}>
              <input type="checkbox" checked={systemAudio} disabled={countdown !== undefined} onChange={(event) => setSystemAudio(event.currentTarget.checked)} />
              <span>{recorder.systemAudio}</span>
            </label>
          ) : null}
          {media.getBubble() ? (
            <label className={kit("lvk-recorder__setting")}>
              <span>{recorder.cameraPosition}</span>
              <select className={kit("lvk-field__control")} value={corner} onChange={(event) => placeBubble(event.currentTarget.value as CameraBubbleCorner)}>
                {corners.map((place) => (
                  <option key={place} value={place}>
                    {recorder[place]}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
      ) : null}
      {microphoneStream && !review ? <MicrophoneLevel stream={microphoneStream} label={recorder.microphoneLevel} className={kit("lvk-recorder__level")} /> : null}
      {recording ? (
        <p className={kit("lvk-recorder__time")} role="timer" aria-live="off" data-recording={status}>
          {elapsed}
        </p>
      ) : null}
      {snapshot?.error ? (
        <p className={kit("lvk-notice")} role="alert" data-error-code={snapshot.error.code}>
          {messages.errors[snapshot.error.code]}
        </p>
      ) : null}
      <div className={kit("lvk-actions")}>
        {settingUp && countdown === undefined ? (
          <>
            <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={start}>
              {recorder.record}
            </button>
            <button type="button" className={kit("lvk-button")} onClick={onClose}>
              {recorder.cancelPreview}
            </button>
          </>
        ) : null}
        {countdown !== undefined ? (
          <>
            <p className={kit("lvk-recorder__countdown-label")}>
              {recorder.countdownLabel} {countdownText}
            </p>
            <button type="button" className={kit("lvk-button")} onClick={cancelCountdown}>
              {recorder.cancelCountdown}
            </button>
          </>
        ) : null}
        {status === "recording" ? (
          <button type="button" className={kit("lvk-button")} onClick={() => (recording?.pause(), announce(recorder.paused))}>
            {recorder.pause}
          </button>
        ) : null}
        {status === "paused" ? (
          <button type="button" className={kit("lvk-button")} onClick={() => (recording?.resume(), announce(recorder.recording))}>
            {recorder.resume}
          </button>
        ) : null}
        {status === "recording" || status === "paused" ? (
          <button type="button" className={kit("lvk-button lvk-button--danger")} onClick={() => void recording?.stop()}>
            {recorder.stop}
          </button>
        ) : null}
        {review && !kept ? (
          <>
            <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={keep}>
              {recorder.keep}
            </button>
            <button type="button" className={kit("lvk-button")} onClick={retake}>
              {recorder.retake}
            </button>
          </>
        ) : null}
      </div>
      {recording && uploadState.status !== "idle" ? <UploadStatus state={uploadState} announce={false} messages={messagesOverride} unstyled={unstyled} /> : null}
    </div>
  );
}

/** Opening and recording throw typed errors; anything else (a browser bug) is a failed recording. */
const asVideoError = (cause: unknown): VideoError => (isVideoError(cause) ? cause : createVideoError("recording_failed", { cause }));

/** The picture's width ÷ height (16:9 until the first frame). */
function aspectOf(media: RecordingMedia): number {
  const settings = media.preview.getVideoTracks()[0]?.getSettings();
  return settings?.width && settings.height ? settings.width / settings.height : 16 / 9;
}

interface LivePreviewProps {
  media: RecordingMedia | undefined;
  label: string;
  className: string | undefined;
  onCorner: (corner: CameraBubbleCorner) => void;
}

/**
 * The live picture. Over a screen with the camera, the bubble can be dragged with a pointer; let go, it settles in
 * the nearest corner (the camera-position menu does the same from the keyboard).
 */
function LivePreview({ media, label, className, onCorner }: LivePreviewProps) {
  const dragging = useRef(false);
  /** Where a pointer is over the picture, as fractions of it (the video is letterboxed inside its box). */
  const pointAt = (event: ReactPointerEvent<HTMLVideoElement>) => {
    const video = event.currentTarget;
    const box = video.getBoundingClientRect();
    const width = video.videoWidth || box.width;
    const height = video.videoHeight || box.height;
    const scale = Math.min(box.width / width, box.height / height);
    const shownWidth = width * scale;
    const shownHeight = height * scale;
    return {
      x: (event.clientX - box.left - (box.width - shownWidth) / 2) / shownWidth,
      y: (event.clientY - box.top - (box.height - shownHeight) / 2) / shownHeight,
      aspect: width / height,
    };
  };
  const bubble = media?.getBubble();
  return (
    <video
      className={className}
      ref={(video) => {
        if (video && media && video.srcObject !== media.preview) video.srcObject = media.preview;
      }}
      muted
      autoPlay
      playsInline
      aria-label={label}
      data-bubble={bubble ? "" : undefined}
      onPointerDown={(event) => {
        if (!media || !bubble) return;
        const point = pointAt(event);
        const dx = (point.x - bubble.x) * point.aspect;
        const dy = point.y - bubble.y;
        if (Math.hypot(dx, dy) > bubble.size / 2) return;
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (!dragging.current || !media) return;
        const point = pointAt(event);
        media.moveBubble({ x: point.x, y: point.y });
      }}
      onPointerUp={(event) => {
        if (!dragging.current || !media) return;
        dragging.current = false;
        const point = pointAt(event);
        const corner: CameraBubbleCorner = `${point.y < 0.5 ? "top" : "bottom"}-${point.x < 0.5 ? "left" : "right"}`;
        const size = media.getBubble()?.size;
        media.moveBubble(bubbleInCorner(corner, size, point.aspect));
        onCorner(corner);
      }}
    />
  );
}

interface MicrophoneLevelProps {
  stream: MediaStream;
  label: string;
  className: string | undefined;
}

/** How loud the microphone is, ten times a second, as a `<meter>` (not announced: a screen reader reads it on demand). */
function MicrophoneLevel({ stream, label, className }: MicrophoneLevelProps) {
  const meter = useMemo(() => new AudioLevelMeter(stream), [stream]);
  useEffect(() => () => meter.stop(), [meter]);
  const level = useSyncExternalStore(meter.subscribe, meter.getSnapshot, zeroLevel);
  return <meter className={className} min={0} max={1} low={0.25} high={0.9} optimum={0.5} value={level} aria-label={label} />;
}

const zeroLevel = (): number => 0;

/** Props of the file upload offered where this browser cannot record. */
export interface FileInsteadProps {
  lessonId: string | undefined;
  shared: boolean;
  messages: ComponentMessages;
  unstyled: boolean | undefined;
  onUploaded: ((asset: VideoAsset) => void) | undefined;
}

/** Where this browser cannot record (no `MediaRecorder`, no camera or screen API): pick a video file instead. */
export function FileInstead({ lessonId, shared, messages, unstyled, onUploaded }: FileInsteadProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const upload = useUploadIn("<LessonRecorder>", { shared });
  const input = useRef<HTMLInputElement>(null);
  useUploadCallbacks(upload.state, upload.asset, { onUploaded });
  return (
    <div className={kit("lvk-recorder__instead")}>
      <input
        ref={input}
        type="file"
        accept="video/*"
        hidden
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = "";
          if (file) void upload.start(file, lessonId === undefined ? {} : { lessonId });
        }}
      />
      <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={() => input.current?.click()}>
        {messages.recorder.uploadInstead}
      </button>
      {upload.state.status !== "idle" ? <UploadStatus state={upload.state} announce={false} unstyled={unstyled} /> : null}
    </div>
  );
}

/** Props of the recovered-recordings notice. */
export interface RecoveredRecordingsProps {
  store: RecordingStore;
  lessonId: string | undefined;
  shared: boolean;
  messages: ComponentMessages;
  unstyled: boolean | undefined;
  onUploaded: ((asset: VideoAsset) => void) | undefined;
}

/** Recordings a page that went away left in the store: upload, download or discard each. */
export function RecoveredRecordings({ store, lessonId, shared, messages, unstyled, onUploaded }: RecoveredRecordingsProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const upload = useUploadIn("<LessonRecorder>", { shared });
  const [left, setLeft] = useState<StoredRecording[]>([]);
  const [sending, setSending] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void store.list().then((found) => live && setLeft(found));
    return () => {
      live = false;
    };
  }, [store]);
  const forget = (id: string) => {
    void store.remove(id);
    setLeft((all) => all.filter((saved) => saved.id !== id));
  };
  const state = upload.state;
  // Every byte of the recovered recording is at the server: the copy on the device goes.
  const sentAll = sending !== undefined && (state.status === "processing" || state.status === "complete");
  useEffect(() => {
    if (sentAll && sending) void store.remove(sending);
  }, [sentAll, sending, store]);
  const shown = sentAll ? left.filter((saved) => saved.id !== sending) : left;
  useUploadCallbacks(state, sending === undefined ? null : upload.asset, { onUploaded });
  const send = async (saved: StoredRecording) => {
    const blob = await store.read(saved.id);
    if (!blob) return forget(saved.id);
    setSending(saved.id);
    // For the lesson this recorder is on (a new lesson's page reserves another id after a reload), else the one it was recorded for.
    const forLesson = lessonId ?? saved.lessonId;
    void upload.start(new File([blob], saved.name, { type: saved.type }), forLesson === undefined ? {} : { lessonId: forLesson });
  };
  const download = async (saved: StoredRecording) => {
    const blob = await store.read(saved.id);
    if (!blob) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = saved.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  };
  if (left.length === 0) return null;
  return (
    <div className={kit("lvk-recorder__recovered")}>
      {shown.map((saved) => (
        <div key={saved.id} className={kit("lvk-notice")} data-recording-id={saved.id}>
          <p>{formatMessage(messages.recorder.recovered, { name: saved.name, size: formatBytes(saved.bytes, messages.locale) }, messages.locale)}</p>
          <div className={kit("lvk-actions")}>
            <button type="button" className={kit("lvk-button lvk-button--primary")} disabled={sending !== undefined} onClick={() => void send(saved)}>
              {messages.recorder.recoverUpload}
            </button>
            <button type="button" className={kit("lvk-button")} onClick={() => void download(saved)}>
              {messages.recorder.recoverDownload}
            </button>
            <button type="button" className={kit("lvk-button")} disabled={sending === saved.id} onClick={() => forget(saved.id)}>
              {messages.recorder.recoverDiscard}
            </button>
          </div>
        </div>
      ))}
      {sending || state.status === "complete" ? <UploadStatus state={state} announce={false} unstyled={unstyled} /> : null}
    </div>
  );
}
