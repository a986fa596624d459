import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { findLesson } from "@/lib/lessons";
import { requireUser } from "@/lib/session";
import { editorVideo } from "@/lib/video";
import { ArrowLeftIcon } from "../../../_components/icons";
import { LessonBadges } from "../../../_components/lesson-badges";
import { LessonEditor } from "../../../_components/lesson-editor";

export const metadata: Metadata = { title: "Edit lesson" };

export default async function EditLessonPage({ params }: { params: Promise<{ lessonId: string }> }) {
  const { lessonId } = await params;
  const user = await requireUser(`/lessons/edit/${lessonId}`);
  // Read fresh (not from the page cache): the form must start from what is saved now.
  const lesson = await findLesson(user.id, lessonId);
  if (!lesson || lesson.creatorId !== user.id) notFound();
  // What the backend says now: an upload that stopped before all its bytes arrived is shown as interrupted
  // (with a resume offer when this browser recorded it), never as a "processing" that would not end.
  const video = await editorVideo(lesson);
  return (
    <main className="studio-main studio-main--narrow">
      <Link href={`/lessons/${lesson.id}`} className="breadcrumb">
        <ArrowLeftIcon size={16} /> Back to the lesson
      </Link>
      <div className="page-head">
        <div className="page-head__text">
          <span className="eyebrow">Edit lesson</span>
          <h1>{lesson.title}</h1>
          <LessonBadges lesson={lesson} uploadInterrupted={video.kind === "interrupted"} />
        </div>
      </div>
      <div className="editor-card">
        <LessonEditor
          mode="edit"
          lessonId={lesson.id}
          initial={{
            id: lesson.id,
            title: lesson.title,
            description: lesson.description,
            video: video.kind === "asset" ? video.asset : null,
            // Migration 003: the poster frame, chapters and captions default the form edits under a ready video.
            chapters: lesson.chapters,
            thumbnailTime: lesson.thumbnailTime,
            captionsOnByDefault: lesson.captionsOnByDefault,
            // Migration 005: the part of the video learners see.
            ...(lesson.trim ? { trim: lesson.trim } : {}),
          }}
          interrupted={video.kind === "interrupted" ? { uploadId: video.uploadId, resumable: video.resumable } : undefined}
        />
      </div>
    </main>
  );
}
