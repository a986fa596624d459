"use client";
/**
 * The lesson's chapters beside its player: each one a button that plays the video from its start. The
 * player has the same chapters in its own menu; this list is what a viewer sees before pressing play.
 */
import type { Chapter } from "lesson-video-kit/core";
import { formatChapterTime } from "lesson-video-kit/core";

export interface LessonChaptersProps {
  chapters: readonly Chapter[];
  /** The element holding the lesson's `<mux-player>`. */
  playerId: string;
}

export function LessonChapters({ chapters, playerId }: LessonChaptersProps) {
  if (chapters.length === 0) return null;
  const seek = (startTime: number) => {
    const player = document.getElementById(playerId)?.querySelector("mux-player") as HTMLMediaElement | null;
    if (!player) return;
    player.currentTime = startTime;
    void player.play().catch(() => undefined);
  };
  return (
    <nav className="panel lesson-chapters" aria-labelledby="lesson-chapters-heading" data-testid="lesson-chapters">
      <h2 id="lesson-chapters-heading">Chapters</h2>
      <ol>
        {chapters.map((chapter) => (
          <li key={chapter.startTime}>
            <button type="button" className="lesson-chapters__item" onClick={() => seek(chapter.startTime)}>
              <span className="lesson-chapters__time">{formatChapterTime(chapter.startTime)}</span>
              <span>{chapter.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
