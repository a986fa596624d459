import type { StudioLesson } from "@/lib/lessons";

const videoBadge: Record<StudioLesson["videoStatus"], { label: string; tone?: string }> = {
  pending: { label: "No video yet" },
  processing: { label: "Video processing", tone: "warning" },
  ready: { label: "Video ready", tone: "success" },
  error: { label: "Video failed", tone: "danger" },
};

/**
 * Publication and video state, as small pills. `uploadInterrupted`: the lesson's upload stopped before all
 * its bytes arrived (the edit page asks the backend), said instead of "No video yet".
 */
export function LessonBadges({ lesson, uploadInterrupted = false }: { lesson: StudioLesson; uploadInterrupted?: boolean }) {
  const video = uploadInterrupted ? { label: "Upload interrupted", tone: "warning" } : videoBadge[lesson.videoStatus];
  return (
    <div className="badges">
      <span className="badge" data-tone={lesson.status === "published" ? "accent" : undefined} data-testid="lesson-status">
        {lesson.status === "published" ? "Published" : "Draft"}
      </span>
      <span className="badge" data-tone={video.tone} data-testid="video-status">
        {video.label}
      </span>
    </div>
  );
}
