/**
 * What a creator learns about one lesson from its learners: how many started and completed it, and how many watched
 * each stretch of the video (the drop-off curve). The progress routes and the SQL aggregate view produce it;
 * `LessonInsights` shows it.
 */
/** One stretch of a lesson's drop-off curve: how many learners watched (at least half of) it. */
export interface InsightsBucket {
  /** Start of the stretch, seconds. */
  start: number;
  /** End of the stretch, seconds. */
  end: number;
  /** Learners who watched it. */
  viewers: number;
}

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
  buckets: InsightsBucket[];
  /** The lesson's chapters, if it has any. */
  chapters?: { startTime: number; title: string }[] | undefined;
}
