"use client";
/**
 * The package's LessonForm under a VideoProvider that talks to this app's /api/video routes. Saving calls a
 * server action; a refusal is thrown so the form shows its message.
 */
import {
  createHttpTransport,
  LessonForm,
  type LessonFormValue,
  type LessonSubmission,
  VideoProvider,
} from "lesson-video-kit";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { saveLesson } from "../actions";

export interface LessonEditorProps {
  mode: "create" | "edit";
  /** The lesson's id; for a new lesson, the id reserved for it (uploads carry it as passthrough). */
  lessonId: string;
  initial: LessonFormValue;
}

export function LessonEditor({ mode, lessonId, initial }: LessonEditorProps) {
  const router = useRouter();
  // One transport per mounted editor: it holds no secrets, and two editors never share an upload.
  const [transport] = useState(() => createHttpTransport({ baseUrl: "/api/video" }));

  const submit = async (lesson: LessonSubmission) => {
    const result = await saveLesson(mode, lessonId, lesson);
    if (!result.ok) throw new Error(result.message);
    if (mode === "create") router.push(`/lessons/${lessonId}`);
    else router.refresh();
  };

  return (
    <VideoProvider transport={transport}>
      <LessonForm
        mode={mode}
        lessonId={lessonId}
        defaultValue={initial}
        onSubmit={submit}
        footer={
          <Link href={mode === "create" ? "/lessons" : `/lessons/${lessonId}`} className="button button--ghost">
            {mode === "create" ? "Cancel" : "View lesson"}
          </Link>
        }
      />
    </VideoProvider>
  );
}
