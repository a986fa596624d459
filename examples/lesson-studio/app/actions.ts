"use server";
/**
 * Server actions: sign-in and the lesson writes. Each write runs as the signed-in user through the access
 * policy; the video fields are read from the video backend, never taken from the browser.
 */
import { randomUUID } from "node:crypto";
import { updateTag } from "next/cache";
import { redirect } from "next/navigation";
import { findDemoUser } from "@/lib/demo-users";
import type { LessonSubmission } from "lesson-video-kit";
import { normalizeChapters, validateChapters, validateTrim, type Chapter, type VideoTrim } from "lesson-video-kit/core";
import { reconcileUpload } from "lesson-video-kit/server";
import { createLesson, findLesson, isLessonId, setLessonStatus, setLessonVideo, updateLesson } from "@/lib/lessons";
import { lessonTag } from "@/lib/lesson-cache";
import { currentUser, endSession, startSession } from "@/lib/session";
import { signInDestination } from "@/lib/sign-in-redirect";
import { videoBackend, videoDuration, videoForSubmission } from "@/lib/video";
import { lessonVideoHooks } from "@/lib/video-routes";

export async function signIn(formData: FormData): Promise<void> {
  const user = findDemoUser(String(formData.get("user") ?? ""));
  if (!user) redirect("/sign-in");
  await startSession(user);
  redirect(signInDestination(String(formData.get("next") ?? "")));
}

export async function signOut(): Promise<void> {
  await endSession();
  redirect("/sign-in");
}

export type SaveLessonResult = { ok: true; lessonId: string } | { ok: false; message: string };

function problemWith(lesson: LessonSubmission): string | undefined {
  if (typeof lesson.title !== "string" || lesson.title.trim().length === 0) return "Give the lesson a title.";
  if (lesson.title.length > 200) return "Keep the title under 200 characters.";
  if (typeof lesson.description !== "string" || lesson.description.length > 10_000) {
    return "Keep the description under 10,000 characters.";
  }
  return undefined;
}

/** Most chapters a lesson keeps (migration 003's check allows 500). */
const maxChapters = 100;

type LessonMedia = { chapters: Chapter[]; thumbnailTime: number | null; captionsOnByDefault: boolean; trim: VideoTrim | null };

/**
 * The chapters, poster frame, captions default and trim of a submission, checked again here (the browser's
 * checks are a courtesy): chapters by the package's rules, a poster frame inside the video. Like title and
 * description, the submission is the whole truth: the form leaves out a poster frame set back to the
 * backend's default, so what is absent is stored as none.
 */
function mediaOf(
  lesson: LessonSubmission,
  durationSeconds: number | undefined,
): { ok: true; media: LessonMedia } | { ok: false; message: string } {
  const chapters = lesson.chapters ?? [];
  const wellFormed =
    Array.isArray(chapters) &&
    chapters.every((chapter: unknown) => {
      const { startTime, title } = (chapter ?? {}) as { startTime?: unknown; title?: unknown };
      return typeof startTime === "number" && typeof title === "string";
    });
  if (!wellFormed) return { ok: false, message: "The chapters could not be read." };
  if (chapters.length > maxChapters) return { ok: false, message: `Keep to ${maxChapters} chapters.` };
  if (validateChapters(chapters, { durationSeconds }).length > 0) {
    return { ok: false, message: "Each chapter needs a title and its own start time inside the video." };
  }
  const thumbnailTime = lesson.thumbnailTime;
  if (thumbnailTime !== undefined) {
    const inside = typeof thumbnailTime === "number" && Number.isFinite(thumbnailTime) && thumbnailTime >= 0;
    if (!inside || (durationSeconds !== undefined && thumbnailTime > durationSeconds)) {
      return { ok: false, message: "Pick a poster frame inside the video." };
    }
  }
  const captionsOnByDefault = lesson.captionsOnByDefault ?? false;
  if (typeof captionsOnByDefault !== "boolean") return { ok: false, message: "The captions setting could not be read." };
  const trim = lesson.trim;
  if (trim !== undefined) {
    const readable = typeof trim === "object" && trim !== null && typeof trim.startTime === "number" && typeof trim.endTime === "number";
    if (!readable || validateTrim(trim, { durationSeconds }).length > 0) return { ok: false, message: "Trim to a part inside the video, at least a second long." };
  }
  const media = { chapters: normalizeChapters(chapters), thumbnailTime: thumbnailTime ?? null, captionsOnByDefault };
  return { ok: true, media: { ...media, trim: trim === undefined ? null : { startTime: trim.startTime, endTime: trim.endTime } } };
}

/**
 * Creates or updates a lesson from what LessonForm submits. The video is stored as its upload id (the
 * upload still running, or the one the asset came from), which must belong to this lesson (passthrough);
 * once the save has committed, `reconcileUpload` applies what the backend says about that upload now, for
 * webhooks that came before the lesson row had it (see the README's "Lesson ↔ upload").
 */
export async function saveLesson(
  mode: "create" | "edit",
  lessonId: string,
  lesson: LessonSubmission,
): Promise<SaveLessonResult> {
  const user = await currentUser();
  if (!user) return { ok: false, message: "Sign in to save lessons." };
  if (!user.canCreate) return { ok: false, message: "Only creators can write lessons. Sign in as the creator." };
  if (!isLessonId(lessonId)) return { ok: false, message: "This lesson id is not valid." };
  const problem = problemWith(lesson);
  if (problem) return { ok: false, message: problem };

  const current = mode === "edit" ? await findLesson(user.id, lessonId) : undefined;
  if (mode === "edit" && current?.creatorId !== user.id) return { ok: false, message: "You can only edit your own lessons." };
  const video = await videoForSubmission(lessonId, lesson, current);
  if (!video.ok) return video;
  const media = mediaOf(lesson, await videoDuration(video.fields.muxAssetId));
  if (!media.ok) return media;
  const fields = { title: lesson.title.trim(), description: lesson.description.trim(), ...video.fields, ...media.media };
  if (mode === "create") {
    await createLesson(user.id, lessonId, fields);
  } else {
    const saved = await updateLesson(user.id, lessonId, fields);
    if (!saved) return { ok: false, message: "You can only edit your own lessons." };
  }
  const uploadId = video.fields.muxUploadId;
  if (uploadId) await applyUploadState(lessonId, uploadId);
  updateTag(lessonTag(lessonId));
  return { ok: true, lessonId };
}

/**
 * Applies what the backend says about an upload now (`reconcileUpload`), for webhooks that came before the
 * lesson row had the upload id.
 */
async function applyUploadState(lessonId: string, uploadId: string): Promise<void> {
  try {
    await reconcileUpload({ backend: videoBackend(), uploadId, hooks: lessonVideoHooks });
  } catch (error) {
    // The lesson is saved; its upload's webhooks still bring the video in when they come.
    console.error(`[lesson-studio] could not read upload ${uploadId} after saving lesson ${lessonId}:`, error);
  }
}

/** Why a draft write was refused, as the package's error codes (the bulk uploader shows their messages). */
export type DraftResult<T> = ({ ok: true } & T) | { ok: false; code: "unauthorized" | "forbidden" | "bad_request" };

/** What a draft is named after: a file's name, or a link's last path segment; without the extension. */
function draftTitle(source: { name: string } | { url: string }): string {
  let name = "name" in source ? source.name : "";
  if ("url" in source && URL.canParse(source.url)) {
    const last = new URL(source.url).pathname.split("/").filter(Boolean).at(-1) ?? "";
    try {
      name = decodeURIComponent(last);
    } catch {
      name = last;
    }
  }
  const dot = name.lastIndexOf(".");
  const title = (dot > 0 ? name.slice(0, dot) : name).trim().slice(0, 200).trim();
  return title || "Untitled video";
}

/**
 * The bulk page's hook: one draft lesson per video, named after its file (or link), owned by the signed-in
 * creator, with no video yet. Its id is the upload's passthrough, as the new-lesson page's reserved id is.
 */
export async function createDraftLesson(source: { name: string } | { url: string }): Promise<DraftResult<{ lessonId: string }>> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "unauthorized" };
  if (!user.canCreate) return { ok: false, code: "forbidden" };
  const lessonId = randomUUID();
  await createLesson(user.id, lessonId, {
    title: draftTitle(source),
    description: "",
    chapters: [],
    thumbnailTime: null,
    captionsOnByDefault: false,
    trim: null,
    muxUploadId: null,
    muxAssetId: null,
    muxPlaybackId: null,
    videoStatus: "pending",
  });
  return { ok: true, lessonId };
}

/**
 * Stores a draft's video as soon as the backend made it: the upload id (or, for a link, the asset id), read
 * back from the backend and refused unless it was made for this lesson (passthrough), exactly as a save of the
 * lesson form stores it. Called again for the same video (a batch resumed after a reload), it changes nothing.
 */
export async function attachDraftVideo(lessonId: string, video: { uploadId?: string; assetId?: string }): Promise<DraftResult<object>> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "unauthorized" };
  if (!user.canCreate || !isLessonId(lessonId)) return { ok: false, code: "forbidden" };
  const current = await findLesson(user.id, lessonId);
  if (current?.creatorId !== user.id) return { ok: false, code: "forbidden" };
  const found = await videoForSubmission(lessonId, { uploadId: video.uploadId ?? null, muxAssetId: video.assetId }, current);
  if (!found.ok) return { ok: false, code: "bad_request" };
  if (!(await setLessonVideo(user.id, lessonId, found.fields))) return { ok: false, code: "forbidden" };
  if (found.fields.muxUploadId) await applyUploadState(lessonId, found.fields.muxUploadId);
  updateTag(lessonTag(lessonId));
  return { ok: true };
}

export async function setPublished(formData: FormData): Promise<void> {
  const user = await currentUser();
  const lessonId = String(formData.get("lessonId") ?? "");
  const status = formData.get("status") === "published" ? "published" : "draft";
  if (user) {
    const changed = await setLessonStatus(user.id, lessonId, status);
    if (changed) updateTag(lessonTag(lessonId));
  }
  redirect(`/lessons/${lessonId}`);
}
