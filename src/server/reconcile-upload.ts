/**
 * `reconcileUpload`: the webhook hooks, called for where an upload is now. A lesson saved with its upload id
 * after (or while) that upload's webhooks were delivered missed them: their UPDATE found no row yet. Called
 * once the save has committed, this asks the backend and calls the same hooks the webhooks would have, so
 * the lesson catches up whatever the order. The backend changes an upload before it sends the webhook, so
 * a webhook that ran before the commit is always covered by what this reads after it.
 */
import { isVideoError } from "../core/errors.js";
import type { BackendAsset, BackendUploadInfo, VideoBackend } from "./backend.js";
import { assetErroredInfo, assetReadyInfo, type WebhookHooks } from "./webhook-route.js";

/** Options of `reconcileUpload`. */
export interface ReconcileUploadOptions {
  /** The backend the routes use (`createMuxBackend()`). */
  backend: Pick<VideoBackend, "getUpload" | "getAsset">;
  /** The upload the lesson was saved with. */
  uploadId: string;
  /** The hooks given to `createVideoRoutes`; they must be idempotent (webhooks repeat too). */
  hooks: WebhookHooks;
}

/** What `reconcileUpload` found at the backend. */
export interface UploadReconciliation {
  /** The upload as the backend reports it now (`waiting` while bytes are still coming: its webhooks follow). */
  upload: BackendUploadInfo;
  /** Its asset, when the upload created one and the backend still has it. */
  asset?: BackendAsset | undefined;
}

/**
 * Calls `onUploadAssetCreated`, then `onAssetReady` or `onAssetErrored`, for the upload's state at the
 * backend now; nothing while the upload has no asset. Their `eventId` starts with `reconcile:`. Throws the
 * backend's `not_found` `VideoError` for an unknown upload id.
 *
 * @example
 * // after the transaction that saved the lesson with `mux_upload_id` has committed:
 * await reconcileUpload({ backend, uploadId: lesson.uploadId, hooks });
 */
export async function reconcileUpload({ backend, uploadId, hooks }: ReconcileUploadOptions): Promise<UploadReconciliation> {
  const upload = await backend.getUpload(uploadId);
  if (!upload.assetId) return { upload };
  const asset = await backend.getAsset(upload.assetId).catch((error: unknown) => {
    if (isVideoError(error) && error.code === "not_found") return undefined;
    throw error;
  });
  if (!asset) return { upload };
  const eventId = `reconcile:${uploadId}`;
  const lessonId = asset.passthrough ?? upload.passthrough;
  await hooks.onUploadAssetCreated?.({ uploadId, assetId: asset.id, eventId, ...(lessonId === undefined ? {} : { lessonId }) });
  // Found through this upload, so it is this upload's asset even where a backend does not say so.
  const known: BackendAsset = { ...asset, uploadId, ...(lessonId === undefined ? {} : { passthrough: lessonId }) };
  if (asset.status === "ready") await hooks.onAssetReady?.(assetReadyInfo(known, eventId));
  else if (asset.status === "errored") await hooks.onAssetErrored?.(assetErroredInfo(known, eventId));
  return { upload, asset };
}
