import type { Metadata } from "next";
import Link from "next/link";
import { listLessons } from "@/lib/lessons";
import { currentUser } from "@/lib/session";
import { posterUrl } from "@/lib/video";
import { PlusIcon, UploadIcon } from "../_components/icons";
import { LessonBadges } from "../_components/lesson-badges";
import { MediaPlaceholder } from "../_components/media-placeholder";

export const metadata: Metadata = { title: "Lessons" };

export default async function LessonsPage() {
  const user = await currentUser();
  const lessons = await listLessons(user?.id ?? null);
  return (
    <main className="studio-main">
      <div className="page-head">
        <div className="page-head__text">
          <span className="eyebrow">{user ? `Signed in as ${user.name}` : "Browsing as a guest"}</span>
          <h1>Lessons</h1>
          <p className="lede">
            {user?.canCreate
              ? "Your lessons, drafts included, and everything published."
              : "Published lessons, and any early-access lesson you bought."}
          </p>
        </div>
        {user?.canCreate ? (
          <div className="page-head__actions">
            <Link href="/lessons/bulk" className="button button--ghost">
              <UploadIcon size={16} /> New lessons from videos
            </Link>
            <Link href="/lessons/new" className="button button--primary">
              <PlusIcon size={16} /> New lesson
            </Link>
          </div>
        ) : null}
      </div>
      {lessons.length === 0 ? (
        <div className="empty-state">
          <h2>No lessons yet</h2>
          <p>{user?.canCreate ? "Create your first lesson and upload its video." : "Check back soon."}</p>
        </div>
      ) : (
        <ul className="lesson-grid" aria-label="Lessons">
          {lessons.map((lesson) => {
            const poster = lesson.videoStatus === "ready" ? posterUrl(lesson.muxPlaybackId, 640, lesson.thumbnailTime) : undefined;
            return (
              <li key={lesson.id} className="lesson-card" data-testid="lesson-card">
                <div className="lesson-card__media">
                  {poster ? (
                    // eslint-disable-next-line @next/next/no-img-element -- the image comes from the video backend
                    <img src={poster} alt="" loading="lazy" />
                  ) : (
                    <MediaPlaceholder label={lesson.videoStatus === "processing" ? "Processing…" : "No video yet"} />
                  )}
                </div>
                <div className="lesson-card__body">
                  <LessonBadges lesson={lesson} />
                  <h2 className="lesson-card__title">
                    <Link href={`/lessons/${lesson.id}`}>{lesson.title}</Link>
                  </h2>
                  <p className="lesson-card__description">{lesson.description || "No description."}</p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
