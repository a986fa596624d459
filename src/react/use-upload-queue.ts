import { useEffect, useState } from "react";
import { UploadQueue, type QueueItemStatus, type UploadQueueOptions, type UploadQueueSnapshot } from "../core/upload-queue.js";
import { useFrameCoalescedStore } from "./use-frame-coalesced-store.js";
import { useProvidedVideoClient } from "./video-context.js";

/** `UploadQueueOptions` without what the provider gives (transport, watcher, limits, events), all of which may still be set. */
export type UseUploadQueueOptions<TMeta = unknown> = Omit<UploadQueueOptions<TMeta>, "transport"> & {
  transport?: UploadQueueOptions<TMeta>["transport"] | undefined;
  /** With a `manifest`: show the batch saved before a reload when the component mounts. Default true. */
  restore?: boolean | undefined;
};

/** The queue's snapshot, and the queue itself for its methods (`addFiles`, `pauseAll`, `retry(id)`, …). */
export interface UseUploadQueueResult<TMeta = unknown> {
  /** Re-renders at once when an item's status changes, at most once per frame (and every 250 ms) for progress. */
  snapshot: UploadQueueSnapshot<TMeta>;
  queue: UploadQueue<TMeta>;
}

const statusesOf = (snapshot: UploadQueueSnapshot): string => snapshot.items.map((item) => item.status).join();
const changeIsUrgent = (delivered: UploadQueueSnapshot, next: UploadQueueSnapshot): boolean =>
  delivered.items.length !== next.items.length ||
  delivered.paused !== next.paused ||
  delivered.held !== next.held ||
  delivered.concurrency !== next.concurrency ||
  statusesOf(delivered) !== statusesOf(next) ||
  delivered.items.some((item, i) => item.id !== next.items[i]?.id);

/**
 * An `UploadQueue` bound to the nearest `VideoProvider` (its transport, watcher, limits and `onEvent`) and to this
 * component: made on first render, its uploads stop (left paused, resumable) when the component unmounts. The
 * options are read once; pass a new `key` to start a new queue.
 *
 * @example
 * const { snapshot, queue } = useUploadQueue({
 *   concurrency: 3,
 *   manifest: createIndexedDbQueueManifestStore(),
 *   onItemAdded: async ({ file }) => ({ lessonId: (await createDraftLesson(file.name)).id }),
 * });
 */
export function useUploadQueue<TMeta = unknown>(options: UseUploadQueueOptions<TMeta> = {}): UseUploadQueueResult<TMeta> {
  const client = useProvidedVideoClient("useUploadQueue()");
  const [queue] = useState(
    () =>
      new UploadQueue<TMeta>({
        limits: client.getLimits(),
        ...options,
        transport: options.transport ?? client.transport,
        controller: { watcher: client.watcher, ...options.controller },
      }),
  );
  useEffect(() => {
    if (options.manifest && options.restore !== false) void queue.restore();
    return queue.retain();
    // The options are read once, when the queue is made.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queue]);
  const snapshot = useFrameCoalescedStore(queue.subscribe, queue.getSnapshot, changeIsUrgent);
  return { snapshot, queue };
}

/** Whether an item's status is one where nothing more will happen without the user. */
export const isSettledQueueStatus = (status: QueueItemStatus): boolean =>
  status === "complete" || status === "error" || status === "refused" || status === "cancelled" || status === "needs_file";
