"use client";
/**
 * How the lesson's video comes in: a file picked in the form's video section, or a recording made here with the
 * package's `LessonRecorder`. The recorder uses the provider's shared upload, the same one the form saves, so a
 * kept recording is the lesson's video exactly as a picked file is. The choice is locked while an upload runs:
 * switching would end a recording or replace the file's upload halfway.
 *
 * The shared upload is the form's video as soon as it is ready, kept or not (the form's uploader takes it), so a
 * take discarded with Record again is reported (`onDiscarded`, from the recorder's `onDiscard`) for the form to let go
 * of it. Each take is also kept in this browser's IndexedDB until its upload reached processing: after a reload or a
 * crash mid-recording, choosing Record offers it again (upload it, download it, or discard it).
 */
import { LessonRecorder, createIndexedDbRecordingStore, useVideo, type VideoAsset } from "lesson-video-kit";
import { useId, useState } from "react";

export type VideoSource = "file" | "record";

export interface VideoSourceChoiceProps {
  source: VideoSource;
  onSourceChange: (source: VideoSource) => void;
  /** Sent with the recording's upload (the asset's passthrough). */
  lessonId: string;
  /** The kept recording's video, once it is ready to play. */
  onRecorded: (asset: VideoAsset) => void;
  /** The upload of a take that was discarded with Record again. */
  onDiscarded: (uploadId: string) => void;
}

const choices: readonly { source: VideoSource; label: string }[] = [
  { source: "file", label: "Upload a file" },
  { source: "record", label: "Record" },
];

const running = new Set(["validating", "requesting", "uploading", "paused", "processing"]);

export function VideoSourceChoice({ source, onSourceChange, lessonId, onRecorded, onDiscarded }: VideoSourceChoiceProps) {
  const { state } = useVideo();
  const labelId = useId();
  const hintId = useId();
  const locked = running.has(state.uploadState.status);
  // Opened on first use, in the browser only.
  const [store] = useState(() => createIndexedDbRecordingStore());
  return (
    <section className="video-source" aria-labelledby={labelId} data-testid="video-source" data-source={source}>
      <div className="video-source__choice">
        <span id={labelId} className="video-source__label">
          Add the video by
        </span>
        <div role="group" aria-labelledby={labelId} aria-describedby={locked ? hintId : undefined} className="video-source__buttons">
          {choices.map((choice) => (
            <button
              key={choice.source}
              type="button"
              className={`button button--small ${choice.source === source ? "button--primary" : "button--secondary"}`}
              aria-pressed={choice.source === source}
              disabled={locked && choice.source !== source}
              onClick={() => onSourceChange(choice.source)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
      {locked ? (
        <p id={hintId} className="video-source__hint">
          {source === "record" ? "To upload a file instead, stop the recording and choose Record again." : "Cancel the upload to record instead."}
        </p>
      ) : source === "record" ? (
        <p className="video-source__hint">
          Record your camera, your screen, or both. It uploads while you record; keep the recording, then save the lesson.
        </p>
      ) : null}
      {source === "record" ? (
        <LessonRecorder
          lessonId={lessonId}
          store={store}
          onUploaded={onRecorded}
          onDiscard={(upload) => {
            if (upload.uploadId) onDiscarded(upload.uploadId);
          }}
        />
      ) : null}
    </section>
  );
}
