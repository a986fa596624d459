/**
 * What a creator learns about one lesson from its learners: how many started and completed it, and how many watched
 * each stretch of the video (the drop-off curve). The progress routes and the SQL aggregate view produce it;
 * `LessonInsights` shows it.
 */
export interface LessonInsightsData {
  /** The lesson these figures are for. */
  lessonId: string;
  /** The video's length, seconds. */
  duration: number;
  /** Learners who started the lesson. */
  started: number;
  /** Learners who completed it. */
  completed: number;
  /** `completed` as a share of `started`, 0..1. */
  completionRate: number;
  /** How many learners watched each stretch of the video, in time order (the drop-off curve); seconds. */
  buckets: { start: number; end: number; viewers: number }[];
  /** The lesson's chapters, if it has any. */
  chapters?: { startTime: number; title: string }[] | undefined;
}
