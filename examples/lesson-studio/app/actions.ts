"use server";
/**
 * Server actions: sign-in and the lesson writes. Each write runs as the signed-in user through the access
 * policy; the video fields are read from the video backend, never taken from the browser.
 */
import { updateTag } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { findDemoUser } from "@/lib/demo-users";
import { createLesson, setLessonStatus, updateLesson } from "@/lib/lessons";
import { lessonTag } from "@/lib/lesson-cache";
import { currentUser, encodeSession, sessionCookieName } from "@/lib/session";
import { videoFieldsForAsset } from "@/lib/video";

export async function signIn(formData: FormData): Promise<void> {
  const user = findDemoUser(String(formData.get("user") ?? ""));
  if (!user) redirect("/sign-in");
  const jar = await cookies();
  jar.set(sessionCookieName, encodeSession(user.key), { httpOnly: true, sameSite: "lax", path: "/" });
  const next = String(formData.get("next") ?? "");
  redirect(next.startsWith("/") && !next.startsWith("//") ? next : "/lessons");
}

export async function signOut(): Promise<void> {
  const jar = await cookies();
  jar.delete(sessionCookieName);
  redirect("/sign-in");
}

export interface SaveLessonInput {
  title: string;
  description: string;
  /** The asset the form uploaded, if any; its state is read from the backend. */
  assetId?: string;
}

export type SaveLessonResult = { ok: true; lessonId: string } | { ok: false; message: string };

function validate(input: SaveLessonInput): string | undefined {
  if (input.title.trim().length === 0) return "Give the lesson a title.";
  if (input.title.length > 200) return "Keep the title under 200 characters.";
  if (input.description.length > 10_000) return "Keep the description under 10,000 characters.";
  return undefined;
}

export async function saveNewLesson(input: SaveLessonInput): Promise<SaveLessonResult> {
  const user = await currentUser();
  if (!user?.canCreate) return { ok: false, message: "Only creators can create lessons. Sign in as the creator." };
  const problem = validate(input);
  if (problem) return { ok: false, message: problem };
  const video = input.assetId ? await videoFieldsForAsset(input.assetId) : {};
  const lessonId = await createLesson(user.id, {
    title: input.title.trim(),
    description: input.description.trim(),
    ...video,
  });
  return { ok: true, lessonId };
}

export async function saveLessonChanges(lessonId: string, input: SaveLessonInput): Promise<SaveLessonResult> {
  const user = await currentUser();
  if (!user) return { ok: false, message: "Sign in to edit lessons." };
  const problem = validate(input);
  if (problem) return { ok: false, message: problem };
  const video = input.assetId ? await videoFieldsForAsset(input.assetId) : {};
  const saved = await updateLesson(user.id, lessonId, {
    title: input.title.trim(),
    description: input.description.trim(),
    ...video,
  });
  if (!saved) return { ok: false, message: "You can only edit your own lessons." };
  updateTag(lessonTag(lessonId));
  return { ok: true, lessonId };
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
