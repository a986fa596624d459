"use client";
/**
 * "Learners" on the creator's lesson page: the package's LessonInsights, fed by the kit's
 * `GET /api/video/progress/:lessonId/insights` (the lesson's creator only; the session cookie goes with the
 * request). Read in the browser each time the page is shown, so it is never a cached copy.
 */
import { LessonInsights, type LessonInsightsData } from "lesson-video-kit";
import { useEffect, useState } from "react";

export function LessonLearners({ lessonId }: { lessonId: string }) {
  const [data, setData] = useState<LessonInsightsData | undefined>(undefined);
  const [error, setError] = useState<{ message: string; retryable: boolean } | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  // Back to loading, then read again. (The page keys this component by lesson, so another lesson starts afresh.)
  const retry = () => {
    setError(undefined);
    setData(undefined);
    setAttempt((n) => n + 1);
  };
  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/video/progress/${encodeURIComponent(lessonId)}/insights`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error("The learners' progress could not be loaded.");
        setData((await response.json()) as LessonInsightsData);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError({ message: reason instanceof Error ? reason.message : String(reason), retryable: true });
      });
    return () => controller.abort();
  }, [lessonId, attempt]);
  return (
    <section className="panel lesson-learners" aria-labelledby="lesson-learners-heading" data-testid="lesson-learners">
      <h2 id="lesson-learners-heading">Learners</h2>
      <LessonInsights data={data} error={error} onRetry={retry} />
    </section>
  );
}
