import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { demoUserById } from "@/lib/demo-users";
import { lessonForViewer } from "@/lib/lesson-cache";
import { currentUser } from "@/lib/session";
import { muxSettings } from "@/lib/settings";
import { editorVideo } from "@/lib/video";
import { setPublished } from "../../actions";
import { ArrowLeftIcon, PencilIcon } from "../../_components/icons";
import { LessonBadges } from "../../_components/lesson-badges";
import { LessonLearners } from "../../_components/lesson-learners";
import { LessonWatch } from "../../_components/lesson-watch";
import { MediaPlaceholder } from "../../_components/media-placeholder";

type Params = { params: Promise<{ lessonId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const [{ lessonId }, user] = await Promise.all([params, currentUser()]);
  const data = await lessonForViewer(user?.id ?? null, lessonId);
  return { title: data?.lesson.title ?? "Lesson not available" };
}

const updatedFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function LessonPage({ params }: Params) {
  const [{ lessonId }, user] = await Promise.all([params, currentUser()]);
  const data = await lessonForViewer(user?.id ?? null, lessonId);
  if (!data) notFound();
  const { lesson, asset } = data;
  const isCreator = user?.id === lesson.creatorId;
  const creator = demoUserById(lesson.creatorId);
  // For its creator, a lesson saved during an upload that never finished says so (the backend decides, as on
  // the edit page), rather than "No video yet".
  const video = isCreator && lesson.videoStatus === "pending" && lesson.muxUploadId ? await editorVideo(lesson) : undefined;
  const interrupted = video?.kind === "interrupted";
  return (
    <main className="studio-main">
      <Link href="/lessons" className="breadcrumb">
        <ArrowLeftIcon size={16} /> All lessons
      </Link>
      <div className="lesson-layout">
        <div>
          <div data-testid="lesson-player">
            {asset?.status === "ready" ? (
              // The poster frame, chapters and captions default the creator saved (migration 003); the caption
              // tracks come with the asset and make the transcript. A learner's progress is saved through the
              // progress routes and offered back; the creator's own viewing is not recorded.
              <LessonWatch
                lessonId={lesson.id}
                asset={asset}
                title={lesson.title}
                chapters={lesson.chapters}
                thumbnailTime={lesson.thumbnailTime}
                captionsOnByDefault={lesson.captionsOnByDefault}
                trim={lesson.trim}
                viewerId={user?.id}
                recordProgress={user !== undefined && !isCreator}
                casting={muxSettings().mode === "mux"}
              />
            ) : (
              <div className="lesson-video">
                <MediaPlaceholder
                  label={
                    interrupted
                      ? "The video upload was interrupted. Edit the lesson to resume it or upload the video again."
                      : lesson.videoStatus === "processing" || (video?.kind === "asset" && video.asset.status === "preparing")
                        ? "The video is processing. It will play here when it is ready."
                        : lesson.videoStatus === "error"
                          ? "The video could not be processed."
                          : "No video yet."
                  }
                />
              </div>
            )}
          </div>
          <article className="lesson-article">
            <LessonBadges lesson={lesson} uploadInterrupted={interrupted} />
            <h1 data-testid="lesson-title">{lesson.title}</h1>
            <p className="lesson-article__description" data-testid="lesson-description">
              {lesson.description || "No description yet."}
            </p>
          </article>
          {isCreator && asset?.status === "ready" ? <LessonLearners key={lesson.id} lessonId={lesson.id} /> : null}
        </div>
        <aside className="panel" aria-label="About this lesson">
          <h2>About this lesson</h2>
          <dl className="facts">
            <div>
              <dt>Creator</dt>
              <dd>{creator?.name ?? "Unknown"}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{lesson.status === "published" ? "Published" : "Draft"}</dd>
            </div>
            {asset?.duration ? (
              <div>
                <dt>Length</dt>
                <dd>{formatDuration(asset.duration)}</dd>
              </div>
            ) : null}
            <div>
              <dt>Updated</dt>
              <dd>{updatedFormat.format(new Date(lesson.updatedAt))}</dd>
            </div>
          </dl>
          {isCreator ? (
            <div className="panel-actions">
              <Link href={`/lessons/edit/${lesson.id}`} className="button button--secondary">
                <PencilIcon size={16} /> Edit lesson
              </Link>
              <form action={setPublished}>
                <input type="hidden" name="lessonId" value={lesson.id} />
                <input type="hidden" name="status" value={lesson.status === "published" ? "draft" : "published"} />
                <button type="submit" className="button button--primary">
                  {lesson.status === "published" ? "Unpublish" : "Publish lesson"}
                </button>
              </form>
            </div>
          ) : lesson.status === "draft" ? (
            <p className="notice">Early access: you bought this lesson before it was published.</p>
          ) : null}
        </aside>
      </div>
    </main>
  );
}

function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, "0")}`;
}
