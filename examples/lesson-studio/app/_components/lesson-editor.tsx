"use client";
/**
 * The package's LessonForm under a VideoProvider that talks to this app's /api/video routes. Saving calls a
 * server action; a refusal is thrown so the form shows its message. Uploads in flight are recorded in this
 * browser's localStorage, so a lesson whose upload a closed tab interrupted can resume it on its edit page.
 * Under a ready video the form also edits captions (at once, through the transport's caption calls), the
 * captions default, the poster frame and the chapters (stored by the save). Above the form, the creator chooses
 * between uploading a file (the form's own video section) and recording one (`VideoSourceChoice`); both feed the
 * provider's one upload, which the save stores.
 */
import {
  createHttpTransport,
  createLocalStorageUploadRecordStore,
  LessonForm,
  type LessonFormValue,
  type LessonSubmission,
  type VideoAsset,
  VideoProvider,
} from "lesson-video-kit";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { saveLesson } from "../actions";
import { InterruptedUpload } from "./interrupted-upload";
import { type VideoSource, VideoSourceChoice } from "./video-source-choice";

export interface LessonEditorProps {
  mode: "create" | "edit";
  /** The lesson's id; for a new lesson, the id reserved for it (uploads carry it as passthrough). */
  lessonId: string;
  initial: LessonFormValue;
  /** The lesson's upload that stopped before all its bytes arrived (edit page only). */
  interrupted?: { uploadId: string; resumable: boolean } | undefined;
}

export function LessonEditor({ mode: initialMode, lessonId, initial, interrupted }: LessonEditorProps) {
  const router = useRouter();
  // One transport and one record store per mounted editor: they hold no secrets, and two editors never share an upload.
  const [transport] = useState(() => createHttpTransport({ baseUrl: "/api/video" }));
  const [records] = useState(() => createLocalStorageUploadRecordStore());
  // A new lesson saved while its video uploads becomes this lesson's editor in place: leaving the page
  // would stop the upload the form just promised to continue.
  const [mode, setMode] = useState(initialMode);
  // Controlled, so a kept recording becomes the form's video even when the form shows the lesson's current one
  // (its own uploader, which would take it otherwise, only shows while the lesson has no video).
  const [value, setValue] = useState(initial);
  const [source, setSource] = useState<VideoSource>("file");
  // Uploads whose recording was kept: their video stays the form's when the upload is cleared later (Replace).
  const kept = useRef(new Set<string>());
  const recorded = (video: VideoAsset) => {
    if (video.uploadId) kept.current.add(video.uploadId);
    setValue((current) => ({ ...current, video }));
  };
  // A take discarded after it was ready had become the form's video: back to what the lesson had.
  const discarded = (uploadId: string) => {
    if (kept.current.has(uploadId)) return;
    setValue((current) => (current.video?.uploadId === uploadId ? { ...current, video: initial.video } : current));
  };

  const submit = async (lesson: LessonSubmission) => {
    const result = await saveLesson(mode, lessonId, lesson);
    if (!result.ok) throw new Error(result.message);
    // Saved with "Save now, video continues": the upload's bytes are still on their way.
    const bytesMoving = lesson.upload?.status === "uploading" || lesson.upload?.status === "paused";
    if (mode === "create" && bytesMoving) {
      setMode("edit");
      window.history.replaceState(null, "", `/lessons/edit/${lessonId}`);
    } else if (mode === "create") router.push(`/lessons/${lessonId}`);
    else router.refresh();
  };

  return (
    <VideoProvider transport={transport} records={records}>
      {interrupted ? <InterruptedUpload uploadId={interrupted.uploadId} resumable={interrupted.resumable} /> : null}
      <VideoSourceChoice
        source={source}
        onSourceChange={setSource}
        lessonId={lessonId}
        onRecorded={recorded}
        onDiscarded={discarded}
      />
      <LessonForm
        mode={mode}
        lessonId={lessonId}
        value={value}
        onChange={setValue}
        onSubmit={submit}
        data-video-source={source}
        footer={
          <Link href={mode === "create" ? "/lessons" : `/lessons/${lessonId}`} className="button button--ghost">
            {mode === "create" ? "Cancel" : "View lesson"}
          </Link>
        }
      />
    </VideoProvider>
  );
}
