/**
 * The orphan clean-up. An upload whose lesson is never saved, or a video replaced by another, leaves an
 * asset that no lesson refers to and that still costs storage (and, on Mux, encoding) every month.
 * `findOrphanAssets` lists the assets uploads through the routes created that no lesson refers to once a
 * grace period has passed; `deleteOrphanAssets` deletes them, as a dry run unless told otherwise, asking a
 * callback about each.
 *
 * Only what the host's `isReferenced` says decides "referenced", so run it against a backend account (a Mux
 * environment) whose lesson assets all live in the database `isReferenced` reads.
 */
import { isVideoError } from "../core/errors.js";
import type { VideoAsset } from "../core/types.js";
import type { BackendListedAsset, VideoBackend } from "./backend.js";

/** An asset the clean-up looks at, with the ids a lesson row may refer to it by. */
export interface OrphanAsset {
  /** The backend's asset id (`mux_asset_id`). */
  assetId: string;
  /** The upload that created it. */
  uploadId?: string | undefined;
  /** The lesson id the upload was created for (`passthrough`); the lesson may never have been saved. */
  lessonId?: string | undefined;
  /** When the asset was created, ms since epoch. */
  createdAt: number;
  /** `preparing`, `ready` or `errored`. */
  status: VideoAsset["status"];
  /** The asset as the backend listed it. */
  asset: BackendListedAsset;
}

/** Options of `findOrphanAssets`. */
export interface FindOrphanAssetsOptions {
  /** A backend with `listAssets` (`createMuxBackend()` has it). */
  backend: Pick<VideoBackend, "listAssets">;
  /**
   * True when a lesson refers to this asset: by asset id, by upload id, or (a lesson saved before its
   * upload's webhooks arrived) by the lesson id the upload was made for. Usually one indexed query.
   */
  isReferenced(asset: OrphanAsset): boolean | Promise<boolean>;
  /**
   * Assets younger than this are never orphans: a creator may save a lesson long after its video finished
   * uploading. Default 24 hours.
   */
  graceMs?: number | undefined;
  /**
   * Which assets the clean-up may consider. Default: those a direct upload through `createVideoRoutes`
   * created (an upload id and the owner key the routes record). Assets from elsewhere in the account
   * (the dashboard, live streams, another app) are never considered by default.
   */
  eligible?: ((asset: BackendListedAsset) => boolean) | undefined;
  /** Clock, ms since epoch. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Stops the walk (and the deletions) with an abort error. */
  signal?: AbortSignal | undefined;
}

/** Options of `deleteOrphanAssets`: those of `findOrphanAssets`, and what to do with what it finds. */
export interface DeleteOrphanAssetsOptions extends FindOrphanAssetsOptions {
  /** A backend with `listAssets`, and `deleteAsset` unless this is a dry run (`createMuxBackend()` has both). */
  backend: Pick<VideoBackend, "listAssets" | "deleteAsset">;
  /** Report what would be deleted and delete nothing. Default true: pass `false` to delete. */
  dryRun?: boolean | undefined;
  /** Asked about each orphan before it is deleted (in a dry run too); false keeps it. Default: delete every orphan. */
  decide?: ((orphan: OrphanAsset) => boolean | Promise<boolean>) | undefined;
}

/**
 * Why an orphan was not deleted: `dry_run` (`dryRun` is on), `declined` (`decide` said no) or `referenced`
 * (a lesson referred to it by the time it was to be deleted: saved during the clean-up).
 */
export type OrphanKeptReason = "dry_run" | "declined" | "referenced";

/** What `deleteOrphanAssets` found and did. */
export interface OrphanCleanupReport {
  /** True when nothing was deleted on purpose. */
  dryRun: boolean;
  /** Every orphan found, oldest first. */
  found: OrphanAsset[];
  /** Deleted now; an asset that was gone already counts as deleted. */
  deleted: OrphanAsset[];
  /** Found and not deleted, with why. */
  kept: Array<{ orphan: OrphanAsset; reason: OrphanKeptReason }>;
  /** Deletions the backend refused; the clean-up went on with the others. */
  failed: Array<{ orphan: OrphanAsset; error: unknown }>;
}

/** 24 hours. */
export const defaultOrphanGraceMs = 24 * 60 * 60 * 1000;

/** The prefix of the owner key `createVideoRoutes` records with every upload (Mux `meta.creator_id`). */
const routesOwnerKeyPrefix = "lvk1_";

/** Default of `eligible`: an asset a direct upload through `createVideoRoutes` created. */
export function isRoutesUploadAsset(asset: BackendListedAsset): boolean {
  return asset.uploadId !== undefined && asset.ownerKey?.startsWith(routesOwnerKeyPrefix) === true;
}

/** Assets uploads created that no lesson refers to, older than the grace period, oldest first. Deletes nothing. */
export async function findOrphanAssets(options: FindOrphanAssetsOptions): Promise<OrphanAsset[]> {
  const { backend, signal } = options;
  if (!backend.listAssets) {
    throw new Error("lesson-video-kit: this VideoBackend cannot list assets (listAssets), so orphans cannot be found.");
  }
  const graceMs = options.graceMs ?? defaultOrphanGraceMs;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`graceMs must be a number of milliseconds ≥ 0, got ${graceMs}.`);
  const eligible = options.eligible ?? isRoutesUploadAsset;
  const cutoff = (options.now ?? Date.now)() - graceMs;

  const orphans: OrphanAsset[] = [];
  for await (const asset of backend.listAssets(signal === undefined ? {} : { signal })) {
    signal?.throwIfAborted();
    if (asset.createdAt > cutoff || !eligible(asset)) continue;
    const candidate = toOrphanAsset(asset);
    if (!(await options.isReferenced(candidate))) orphans.push(candidate);
  }
  return orphans.sort((a, b) => a.createdAt - b.createdAt || (a.assetId < b.assetId ? -1 : 1));
}

/**
 * Finds orphans like `findOrphanAssets` and deletes those `decide` agrees to. A dry run (the default)
 * deletes nothing and reports each as kept with reason `dry_run`. Each orphan is checked with
 * `isReferenced` once more just before it is deleted, so a lesson saved meanwhile keeps its video.
 */
export async function deleteOrphanAssets(options: DeleteOrphanAssetsOptions): Promise<OrphanCleanupReport> {
  const { backend, decide, signal } = options;
  const dryRun = options.dryRun ?? true;
  if (!dryRun && !backend.deleteAsset) {
    throw new Error("lesson-video-kit: this VideoBackend cannot delete assets (deleteAsset).");
  }
  const found = await findOrphanAssets(options);
  const report: OrphanCleanupReport = { dryRun, found, deleted: [], kept: [], failed: [] };
  for (const orphan of found) {
    signal?.throwIfAborted();
    if (decide && !(await decide(orphan))) {
      report.kept.push({ orphan, reason: "declined" });
      continue;
    }
    if (dryRun) {
      report.kept.push({ orphan, reason: "dry_run" });
      continue;
    }
    if (await options.isReferenced(orphan)) {
      report.kept.push({ orphan, reason: "referenced" });
      continue;
    }
    try {
      await backend.deleteAsset?.(orphan.assetId);
      report.deleted.push(orphan);
    } catch (error) {
      if (isVideoError(error) && error.code === "not_found") report.deleted.push(orphan);
      else report.failed.push({ orphan, error });
    }
  }
  return report;
}

function toOrphanAsset(asset: BackendListedAsset): OrphanAsset {
  return {
    assetId: asset.id,
    createdAt: asset.createdAt,
    status: asset.status,
    asset,
    ...(asset.uploadId === undefined ? {} : { uploadId: asset.uploadId }),
    ...(asset.passthrough === undefined ? {} : { lessonId: asset.passthrough }),
  };
}
