import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/session";
import { ArrowLeftIcon, LockIcon } from "../../_components/icons";
import { LessonEditor } from "../../_components/lesson-editor";

export const metadata: Metadata = { title: "New lesson" };

export default async function NewLessonPage() {
  const user = await requireUser("/lessons/new");
  if (!user.canCreate) {
    return (
      <main className="studio-main studio-main--narrow">
        <div className="refused" data-testid="create-refused">
          <span className="refused__icon">
            <LockIcon size={24} />
          </span>
          <h1>Only creators can write lessons</h1>
          <p className="lede">Sign in as the creator to write a lesson and upload its video.</p>
          <Link href="/sign-in?next=/lessons/new" className="button button--primary">
            Sign in as the creator
          </Link>
        </div>
      </main>
    );
  }
  // Reserved now so the upload carries the lesson's id before the lesson is saved.
  const lessonId = randomUUID();
  return (
    <main className="studio-main studio-main--narrow">
      <Link href="/lessons" className="breadcrumb">
        <ArrowLeftIcon size={16} /> All lessons
      </Link>
      <div className="page-head">
        <div className="page-head__text">
          <span className="eyebrow">New lesson</span>
          <h1>Write a lesson</h1>
          <p className="lede">
            Give it a title, say what it covers and add the video. The video uploads straight to the video service
            while you write; save whenever you like.
          </p>
        </div>
      </div>
      <div className="editor-card">
        <LessonEditor mode="create" lessonId={lessonId} initial={{ title: "", description: "", video: null }} />
      </div>
    </main>
  );
}
