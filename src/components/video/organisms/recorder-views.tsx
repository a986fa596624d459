"use client";
// The views `LessonRecorder` shows once a source is chosen: the preview, the recording (time, pause, resume, stop,
// the upload advancing), and the review (play it back, keep it or record again). They load with `import()` when a
// source is chosen, so a page with a recorder carries only the source buttons until then.
import { useEffect, useState, useSyncExternalStore } from "react";
import type { VideoError } from "../../../core/errors.js";
import { MediaRecording, mediaAccessError, type RecordingSnapshot } from "../../../core/media-recording.js";
import type { RecordingStore, StoredRecording } from "../../../core/recording-store.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { formatBytes } from "../../shared/format.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { componentClassName } from "../../shared/class-names.js";
import { formatDuration } from "../../shared/format.js";
import { useAnnounce } from "../../shared/live-announcer.js";
import { formatMessage, type ComponentMessages, type MessagesOverride } from "../../messages.js";
import { UploadStatus } from "../molecules/UploadStatus.js";
import { useUploadCallbacks } from "../use-upload-callbacks.js";
import type { RecordingSourceKind } from "./LessonRecorder.js";

export interface RecorderSessionProps {
  source: RecordingSourceKind;
  lessonId: string | undefined;
  maxDurationMs: number | undefined;
  maxBytes: number | undefined;
  shared: boolean;
  onUploaded: ((asset: VideoAsset) => void) | undefined;
  onKeep: ((upload: UploadState) => void) | undefined;
  onDiscard: (() => void) | undefined;
  store: RecordingStore | undefined;
  getMedia: ((source: RecordingSourceKind) => Promise<MediaStream>) | undefined;
  messages: ComponentMessages;
  messagesOverride: MessagesOverride | undefined;
  unstyled: boolean | undefined;
  /** The step shown, for the root's `data-state`. */
  onStep: (step: string) => void;
  /** Back to the choice of source. */
  onClose: () => void;
}

const openMedia = (source: RecordingSourceKind): Promise<MediaStream> =>
  source === "camera"
    ? navigator.mediaDevices.getUserMedia({ video: true, audio: true })
    : navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });

const noRecording = (): (() => void) => () => undefined;
const notRecording = (): RecordingSnapshot | undefined => undefined;

/** One session with a source: preview → recording → review, until the person keeps a recording or goes back. */
export function RecorderSession({
  source,
  lessonId,
  maxDurationMs,
  maxBytes,
  shared,
  onUploaded,
  onKeep,
  onDiscard,
  store,
  getMedia,
  messages,
  messagesOverride,
  unstyled,
  onStep,
  onClose,
}: RecorderSessionProps) {
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const recorder = messages.recorder;
  const upload = useUploadIn("<LessonRecorder>", { shared });
  const announce = useAnnounce();
  const [stream, setStream] = useState<MediaStream | undefined>(undefined);
  const [error, setError] = useState<VideoError | undefined>(undefined);
  const [recording, setRecording] = useState<MediaRecording | undefined>(undefined);
  const [review, setReview] = useState<string | undefined>(undefined);
  const [kept, setKept] = useState(false);
  const snapshot = useSyncExternalStore(recording?.subscribe ?? noRecording, recording?.getSnapshot ?? notRecording, notRecording);
  const [, tick] = useState(0);

  // Open the source once; its tracks stop when the session ends.
  useEffect(() => {
    let live = true;
    let opened: MediaStream | undefined;
    (getMedia ?? openMedia)(source).then(
      (media) => {
        opened = media;
        if (live) setStream(media);
        else for (const track of media.getTracks()) track.stop();
      },
      (cause: unknown) => {
        if (live) setError(mediaAccessError(cause));
      },
    );
    return () => {
      live = false;
      for (const track of opened?.getTracks() ?? []) track.stop();
    };
  }, [source, getMedia]);

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

  const step = error ? "error" : !stream ? "opening" : !recording ? "preview" : kept ? "kept" : review ? "review" : (status ?? "preview");
  useEffect(() => onStep(step), [step, onStep]);

  const uploadState = upload.state;
  // Every byte is at the server: the copy on the device is no longer needed.
  const allSent = kept && (uploadState.status === "processing" || uploadState.status === "complete");
  useEffect(() => {
    if (allSent && recording) void store?.remove(recording.id);
  }, [allSent, recording, store]);
  // A take counts once it is kept: its asset is reported then (or when it is ready, if later).
  useUploadCallbacks(uploadState, kept ? upload.asset : null, { onUploaded });

  const start = () => {
    if (!stream) return;
    let made: MediaRecording;
    try {
      made = new MediaRecording({ stream, maxDurationMs, maxBytes, store, lessonId });
    } catch (cause) {
      setError(mediaAccessError(cause));
      return;
    }
    void upload.controller.start(made.source, lessonId === undefined ? {} : { lessonId });
    made.start();
    setRecording(made);
    announce(recorder.recording);
  };
  const retake = () => {
    // The abandoned upload (and an asset it made) is cancelled at the backend.
    upload.cancel();
    if (recording) void store?.remove(recording.id);
    setRecording(undefined);
    setReview(undefined);
    setKept(false);
    onDiscard?.();
  };
  const keep = () => {
    setKept(true);
    announce(recorder.kept);
    onKeep?.(upload.controller.getSnapshot());
  };

  if (error) {
    return (
      <div className={kit("lvk-recorder__session")}>
        <p className={kit("lvk-notice")} role="alert">
          {messages.errors[error.code]}
        </p>
        <button type="button" className={kit("lvk-button")} onClick={onClose}>
          {recorder.cancelPreview}
        </button>
      </div>
    );
  }
  const elapsed = formatMessage(recorder.elapsed, { time: formatDuration((recording?.elapsedMs() ?? 0) / 1000, messages.locale) });
  return (
    <div className={kit("lvk-recorder__session")}>
      {review ? (
        // The person's own recording, seconds old: no captions exist for it yet.
        // eslint-disable-next-line jsx-a11y/media-has-caption
        <video className={kit("lvk-recorder__video")} src={review} controls playsInline aria-label={recorder.reviewLabel} />
      ) : (
        <video
          className={kit("lvk-recorder__video")}
          ref={(video) => {
            if (video && stream && video.srcObject !== stream) video.srcObject = stream;
          }}
          muted
          autoPlay
          playsInline
          aria-label={recorder.previewLabel}
        />
      )}
      {recording ? (
        <p className={kit("lvk-recorder__time")} role="timer" aria-live="off" data-recording={status}>
          {elapsed}
        </p>
      ) : null}
      <div className={kit("lvk-actions")}>
        {stream && !recording ? (
          <>
            <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={start}>
              {recorder.record}
            </button>
            <button type="button" className={kit("lvk-button")} onClick={onClose}>
              {recorder.cancelPreview}
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

/** Props of the recovered-recordings notice. */
export interface RecoveredRecordingsProps {
  store: RecordingStore;
  shared: boolean;
  messages: ComponentMessages;
  unstyled: boolean | undefined;
  onUploaded: ((asset: VideoAsset) => void) | undefined;
}

/** Recordings a page that went away left in the store: upload, download or discard each. */
export function RecoveredRecordings({ store, shared, messages, unstyled, onUploaded }: RecoveredRecordingsProps) {
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
    void upload.start(new File([blob], saved.name, { type: saved.type }), saved.lessonId === undefined ? {} : { lessonId: saved.lessonId });
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
          <p>{formatMessage(messages.recorder.recovered, { name: saved.name, size: formatBytes(saved.bytes, messages.locale) })}</p>
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
