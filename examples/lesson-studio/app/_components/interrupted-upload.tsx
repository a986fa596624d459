"use client";
/**
 * The edit page's word on a lesson whose upload stopped before all its bytes arrived (the tab was closed):
 * with a resume record of that upload in this browser, an offer to pick the same file again and continue
 * from the last byte the video service has (`useResumableUploads`); without one, or when the upload URL is
 * no longer usable, that the upload was interrupted and the uploader below takes a fresh one. It steps
 * aside as soon as an upload runs, so the form's own upload status takes over.
 */
import { formatBytes, useResumableUploads, useVideo } from "lesson-video-kit";
import { useEffect, useId, useRef, useState } from "react";

export interface InterruptedUploadProps {
  /** The upload id the lesson row holds. */
  uploadId: string;
  /** Whether the upload URL still takes bytes (the backend says `waiting`). */
  resumable: boolean;
}

export function InterruptedUpload({ uploadId, resumable }: InterruptedUploadProps) {
  const { records, resume, discard } = useResumableUploads();
  const { state } = useVideo();
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  // The records are read after mount (the server has no storage); until then, say nothing about them
  // rather than "no record" for a moment.
  const [mounted, setMounted] = useState(false);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- on purpose in an effect: useResumableUploads reads the records in one, and both must arrive in the same render
  useEffect(() => setMounted(true), []);
  if (state.uploadState.status !== "idle") return null;
  const record = resumable ? records.find((each) => each.uploadId === uploadId) : undefined;

  return (
    <section className="interrupted" aria-labelledby={headingId} data-testid="interrupted-upload" data-resumable={record ? "" : undefined}>
      <h2 id={headingId} className="interrupted__title">
        The video upload was interrupted
      </h2>
      {record ? (
        <>
          <p>
            <strong>{record.file.name}</strong> ({formatBytes(record.file.size)}) did not finish uploading: its page was closed.
            Choose the same file again to continue from the last part the video service received; browsers cannot reopen a
            file by themselves.
          </p>
          <div className="interrupted__actions">
            <button type="button" className="button button--primary button--small" onClick={() => input.current?.click()}>
              Resume: choose {record.file.name}
            </button>
            <button type="button" className="button button--ghost button--small" onClick={() => discard(record.uploadId)}>
              Start over instead
            </button>
            <input
              ref={input}
              type="file"
              accept="video/*"
              hidden
              data-testid="resume-file"
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                event.currentTarget.value = "";
                if (file) void resume(file, record);
              }}
            />
          </div>
        </>
      ) : resumable && !mounted ? null : (
        <p>
          It stopped before the whole file arrived{resumable ? ", and this browser has no record to resume it from" : ""}, so the
          lesson has no video. Upload the video again below.
        </p>
      )}
    </section>
  );
}
