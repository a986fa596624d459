"use client";
/**
 * The package's BulkUploader for the bulk page: each video added becomes a draft lesson (a server action)
 * whose id travels with the upload as passthrough, and the draft stores its upload id (or, for a link, its
 * asset id) as soon as the backend made it, as a save of the lesson form does. The batch is kept in this
 * browser's IndexedDB per user, so a reload shows it again; files picked again are matched to their items
 * (no second draft) and go on from the byte the backend has.
 */
import {
  BulkUploader,
  createHttpTransport,
  createIndexedDbQueueManifestStore,
  createVideoError,
  type QueueItem,
  type QueueItemAdded,
  VideoProvider,
} from "lesson-video-kit";
import Link from "next/link";
import { useState } from "react";
import { attachDraftVideo, createDraftLesson } from "../actions";

export interface BulkLessonsProps {
  /** The IndexedDB manifest's key: one batch per signed-in person in this browser. */
  manifestKey: string;
}

async function makeDraft(item: QueueItemAdded): Promise<{ lessonId: string }> {
  const result = await createDraftLesson(item.url !== undefined ? { url: item.url } : { name: item.file?.name ?? item.path });
  if (!result.ok) throw createVideoError(result.code);
  return { lessonId: result.lessonId };
}

function storeVideo(item: QueueItem): void {
  if (!item.lessonId) return;
  const video = item.uploadId ? { uploadId: item.uploadId } : item.assetId ? { assetId: item.assetId } : undefined;
  if (!video) return;
  // The webhooks find the draft by its id (the passthrough) even if this write is lost, so a failure is only logged.
  attachDraftVideo(item.lessonId, video).then(
    (result) => {
      if (!result.ok) console.error(`[lesson-studio] the draft ${item.lessonId} did not take its video: ${result.code}`);
    },
    (error: unknown) => console.error(`[lesson-studio] could not store the video of draft ${item.lessonId}:`, error),
  );
}

export function BulkLessons({ manifestKey }: BulkLessonsProps) {
  // One transport and one manifest store per mounted page (no module-level state: StrictMode mounts twice).
  const [transport] = useState(() => createHttpTransport({ baseUrl: "/api/video" }));
  const [manifest] = useState(() => createIndexedDbQueueManifestStore({ key: manifestKey }));
  return (
    <VideoProvider transport={transport}>
      <BulkUploader manifest={manifest} onItemAdded={makeDraft} onItemUpload={storeVideo} />
      <p className="bulk-next">
        Each video is a draft lesson already: <Link href="/lessons">see them in your lessons</Link>, with their video&rsquo;s
        status.
      </p>
    </VideoProvider>
  );
}
