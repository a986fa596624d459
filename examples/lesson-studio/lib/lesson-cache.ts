/**
 * Lesson metadata for pages, cached per viewer and lesson and revalidated on change: saves and publishing
 * call `updateTag`, webhooks `revalidateTag`, and entries expire after a few minutes anyway.
 */
import type { VideoAsset } from "lesson-video-kit/core";
import { unstable_cache } from "next/cache";
import { findLesson, type StudioLesson } from "./lessons";
import { playableAsset } from "./video";

export interface LessonPageData {
  lesson: StudioLesson;
  /** The asset to play, when the lesson has a ready video. */
  asset?: VideoAsset;
}

export function lessonTag(lessonId: string): string {
  return `lesson:${lessonId}`;
}

/** The lesson as `viewerId` may see it (undefined when the policy hides it), with its playable asset. */
export function lessonForViewer(viewerId: string | null, lessonId: string): Promise<LessonPageData | undefined> {
  return unstable_cache(
    async () => {
      const lesson = await findLesson(viewerId, lessonId);
      if (!lesson) return undefined;
      const asset = await playableAsset(lesson);
      return asset ? { lesson, asset } : { lesson };
    },
    ["lesson-page", viewerId ?? "anonymous", lessonId],
    // Signed tokens live six hours; the cache keeps an entry for five minutes at most.
    { tags: [lessonTag(lessonId)], revalidate: 300 },
  )();
}
