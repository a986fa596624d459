/** What every request handler of one emulator shares. One context per emulator; nothing module-level. */
import { rmSync } from "node:fs";
import type { FaultInjector } from "./faults.js";
import type { ResolvedTools } from "./media-tools.js";
import type { AssetProcessor } from "./processing.js";
import type { EmulatorStore } from "./store.js";
import type { TextTrackWorker } from "./text-tracks.js";
import type { StaticRenditionWorker } from "./static-renditions.js";
import type { ThumbnailMaker } from "./thumbnail.js";
import type { UploadRecord } from "./types.js";
import type { UploadWrites } from "./upload-writes.js";
import type { WebhookSender } from "./webhooks.js";

export interface EmulatorContext {
  store: EmulatorStore;
  faults: FaultInjector;
  webhooks: WebhookSender;
  processor: AssetProcessor;
  tools: ResolvedTools;
  /** Frames for thumbnail URLs, from a bounded cache and a capped number of ffmpeg runs. */
  thumbnails: ThumbnailMaker;
  /** Public base URL (no trailing slash). */
  baseUrl(): string;
  /** Text tracks: downloads, generated captions and their timers. */
  textTracks: TextTrackWorker;
  /** Static renditions: making their files once assets are ready. */
  renditions: StaticRenditionWorker;
  /** Byte requests and cancels of one upload, one at a time; a newer one cuts off a body still arriving. */
  uploadWrites: UploadWrites;
  /** Aborted when the emulator closes: an ffmpeg run in flight (a clip being cut) is killed. */
  shutdown: AbortSignal;
}

/** Marks a `waiting` upload `timed_out` once its timeout has passed; its bytes are dropped. */
export function expireIfDue(ctx: EmulatorContext, upload: UploadRecord, now = Date.now()): void {
  if (upload.status !== "waiting") return;
  if (now < upload.createdAt + upload.timeout * 1000) return;
  timeOutUpload(ctx, upload);
}

export function timeOutUpload(ctx: EmulatorContext, upload: UploadRecord): void {
  if (upload.status !== "waiting") return;
  upload.status = "timed_out";
  rmSync(ctx.store.partPath(upload.id), { force: true });
  ctx.store.save();
}
