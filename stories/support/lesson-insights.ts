import type { LessonInsightsData } from "../../src/core/insights.js";

/** `count` stretches of `length` seconds whose viewers are `viewersAt(start)` (rounded). */
function buckets(count: number, length: number, viewersAt: (start: number) => number): LessonInsightsData["buckets"] {
  return Array.from({ length: count }, (_, index) => ({ start: index * length, end: (index + 1) * length, viewers: Math.round(viewersAt(index * length)) }));
}

/** Lesson insights as the progress routes answer them, for stories and tests. */
export const lessonInsights = {
  /** A 10-minute lesson with four chapters: a slow fade with a dip where the setup chapter starts. */
  typical: {
    lessonId: "lesson-react-hooks",
    duration: 600,
    started: 120,
    completed: 54,
    completionRate: 0.45,
    buckets: buckets(20, 30, (start) => 120 - start * 0.08 - (start >= 150 ? 14 : 0)),
    chapters: [
      { startTime: 0, title: "Introduction" },
      { startTime: 150, title: "Setting up the project" },
      { startTime: 330, title: "useEffect and cleanup" },
      { startTime: 510, title: "Summary" },
    ],
  },
  /** Most learners leave in the first minute. */
  steepDropOff: {
    lessonId: "lesson-long-intro",
    duration: 480,
    started: 200,
    completed: 22,
    completionRate: 0.11,
    buckets: buckets(16, 30, (start) => (start < 60 ? 200 - start * 2 : 40 - (start - 60) * 0.04)),
    chapters: [
      { startTime: 0, title: "Welcome" },
      { startTime: 60, title: "The actual lesson" },
    ],
  },
  /** Everyone who started watched every part and completed it; no chapters. */
  everyoneCompletes: {
    lessonId: "lesson-short",
    duration: 95,
    started: 37,
    completed: 37,
    completionRate: 1,
    buckets: buckets(5, 19, () => 37),
  },
  /** Published, but no learner has started it. */
  empty: {
    lessonId: "lesson-new",
    duration: 300,
    started: 0,
    completed: 0,
    completionRate: 0,
    buckets: [],
    chapters: [{ startTime: 0, title: "Introduction" }],
  },
} satisfies Record<string, LessonInsightsData>;
