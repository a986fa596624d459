/**
 * `GET|POST /progress/:lessonId` and `GET /progress/:lessonId/insights`: a learner's own progress in a lesson
 * the `progress.lesson` hook lets them watch, and the lesson's aggregates for its creator. Everyone else, and
 * every lesson that does not exist, gets one 404.
 */
import { asStatusError, httpError, json } from "../errors.js";
import { completionThresholdOf, validateProgressUpdate, type ProgressLesson } from "../progress.js";
import { readJsonBody } from "../request-body.js";
import { missing } from "./access.js";
import type { ResolvedProgressOptions, RoutesContext, UserCall } from "./context.js";
import { limitUser } from "./guard.js";
import type { VideoUser } from "./options.js";

/** The progress settings, or a 404 saying the host did not turn progress on. */
function progressOptions<TUser extends VideoUser>(ctx: RoutesContext<TUser>): ResolvedProgressOptions<TUser> {
  if (!ctx.progress) throw httpError(404, "not_found", "Learner progress is not turned on for these routes.");
  return ctx.progress;
}

/** The lesson as the hook gives it to this user; the one 404 when it gives none or throws a 404. */
async function lessonFor<TUser extends VideoUser>(progress: ResolvedProgressOptions<TUser>, { user, id, request }: UserCall<TUser>): Promise<ProgressLesson> {
  let lesson: ProgressLesson | null | undefined;
  try {
    lesson = await progress.lesson(user, id, request);
  } catch (error) {
    if (asStatusError(error)?.status === 404) throw missing.lesson();
    throw error;
  }
  if (!lesson) throw missing.lesson();
  if (!(Number.isFinite(lesson.duration) && lesson.duration > 0)) {
    // The user may watch it, so saying why is no leak: its video is not ready (no duration) yet.
    throw httpError(409, "bad_request", "This lesson's video has no duration yet; progress is saved once it is ready.");
  }
  completionThresholdOf(lesson);
  return lesson;
}

export async function getProgress<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const progress = progressOptions(ctx);
  const lesson = await lessonFor(progress, call);
  return json(await progress.store.get({ lessonId: call.id, userId: call.user.id }, lesson));
}

export async function saveProgress<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const progress = progressOptions(ctx);
  const { user, id: lessonId, request, route } = call;
  // Counted before the lesson is looked up, so a refused lesson and an allowed one are limited alike.
  if (progress.perUser) await limitUser(ctx, `progress:${user.id}`, progress.perUser, user, route, "Too many progress writes; try again in a moment.");
  const lesson = await lessonFor(progress, call);
  const update = validateProgressUpdate(await readJsonBody(request, progress.maxBodyBytes), lesson.duration, progress.maxRanges);
  const { progress: saved, completedNow } = await progress.store.merge({ lessonId, userId: user.id }, update, lesson);
  if (completedNow) {
    ctx.emit({ type: "lesson_completed", at: ctx.now(), userId: user.id, lessonId, watchedSeconds: saved.watchedSeconds, duration: saved.duration });
  }
  return json(saved);
}

export async function progressInsights<TUser extends VideoUser>(ctx: RoutesContext<TUser>, call: UserCall<TUser>): Promise<Response> {
  const progress = progressOptions(ctx);
  const lesson = await lessonFor(progress, call);
  if (lesson.creatorId !== call.user.id) throw missing.lesson();
  return json(await progress.store.insights({ lessonId: call.id, userId: call.user.id }, lesson, progress.buckets));
}
