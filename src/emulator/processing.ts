/**
 * What happens after the last byte arrives: the upload becomes `asset_created` with a new asset in
 * `preparing`; after the processing delay the stored file is probed and the asset becomes `ready` or
 * `errored`. Webhooks go out at each step, in Mux's order.
 */
import { execFile } from "node:child_process";
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { FaultInjector } from "./faults.js";
import { downloadInput } from "./input-download.js";
import { assetWebhookData, uploadJson } from "./mux-json.js";
import { probeMedia } from "./probe.js";
import { newRenditionRecords } from "./static-renditions.js";
import { newId, type EmulatorStore } from "./store.js";
import type { AssetRecord, NewAssetSettings, PlaybackPolicy, UploadRecord } from "./types.js";
import type { WebhookSender } from "./webhooks.js";

export interface ProcessorDeps {
  /** Starts the generated captions an upload asked for, once its asset is ready. */
  onReady?: ((asset: AssetRecord) => void) | undefined;
  /** An asset was stored (its static renditions announce themselves). */
  onCreated?: ((asset: AssetRecord) => void) | undefined;
  /** An asset became ready or errored (its static renditions are made or error). */
  onSettled?: ((asset: AssetRecord) => void) | undefined;
  store: EmulatorStore;
  faults: FaultInjector;
  webhooks: WebhookSender;
  ffprobe: string | false;
  /** Cuts clips; without it a clip ends `errored`. */
  ffmpeg?: string | false | undefined;
  delayMs: number;
  baseUrl: () => string;
  /** May an input URL (or a redirect's target) be downloaded? */
  inputAllowed: (url: URL) => boolean;
}

/** Largest input file downloaded when the request names no cap (the size-cap header). */
export const defaultInputMaxBytes = 2 * 1024 ** 3;

export class AssetProcessor {
  /** Scheduled runs, with the function that settles their entry in `running` if close() cancels them. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: ProcessorDeps) {}

  /** Turns a fully received upload into a `preparing` asset and schedules its processing. */
  completeUpload(upload: UploadRecord): AssetRecord {
    const { store, webhooks } = this.deps;
    const settings = upload.new_asset_settings;
    const policies: PlaybackPolicy[] = settings.playback_policies ?? settings.playback_policy ?? [];
    const asset: AssetRecord = {
      id: newId(),
      status: "preparing",
      createdAt: Date.now(),
      upload_id: upload.id,
      test: upload.test,
      playback_ids: policies.map((policy) => ({ id: newId(), policy })),
      size: upload.receivedBytes,
      ...(settings.passthrough !== undefined ? { passthrough: settings.passthrough } : {}),
      ...(settings.meta ? { meta: settings.meta } : {}),
      ...(typeof settings.video_quality === "string" ? { video_quality: settings.video_quality } : {}),
      ...(typeof settings.max_resolution_tier === "string" ? { max_resolution_tier: settings.max_resolution_tier } : {}),
      ...(settings.static_renditions && settings.static_renditions.length > 0 ? { static_renditions: newRenditionRecords(settings.static_renditions) } : {}),
      ...(settings.inputs?.[0]?.generated_subtitles ? { pending_generated_subtitles: settings.inputs[0].generated_subtitles } : {}),
    };
    const part = store.partPath(upload.id);
    // A zero-byte upload finished by an offset query has no part file yet.
    if (!existsSync(part)) writeFileSync(part, "");
    renameSync(part, store.assetFilePath(asset.id));
    upload.status = "asset_created";
    upload.asset_id = asset.id;
    store.assets.set(asset.id, asset);
    store.save();
    webhooks.emit("video.asset.created", { type: "asset", id: asset.id }, assetWebhookData(asset));
    this.deps.onCreated?.(asset);
    webhooks.emit("video.upload.asset_created", { type: "upload", id: upload.id }, uploadJson(upload, this.deps.baseUrl()));
    this.schedule(asset.id);
    return asset;
  }

  /**
   * Creates a `preparing` asset from `POST /video/v1/assets` and schedules its download and processing (`settings`
   * checked by the caller; its `inputs[0].url` is the input file).
   */
  createFromUrl(settings: NewAssetSettings, url: string, options: { test: boolean; maxBytes?: number | undefined }): AssetRecord {
    const { store, webhooks } = this.deps;
    const policies: PlaybackPolicy[] = settings.playback_policies ?? [];
    const asset: AssetRecord = {
      id: newId(),
      status: "preparing",
      createdAt: Date.now(),
      input_url: url,
      test: options.test,
      playback_ids: policies.map((policy) => ({ id: newId(), policy })),
      size: 0,
      ...(options.maxBytes === undefined ? {} : { input_max_bytes: options.maxBytes }),
      ...(settings.passthrough !== undefined ? { passthrough: settings.passthrough } : {}),
      ...(settings.meta ? { meta: settings.meta } : {}),
      ...(typeof settings.video_quality === "string" ? { video_quality: settings.video_quality } : {}),
      ...(typeof settings.max_resolution_tier === "string" ? { max_resolution_tier: settings.max_resolution_tier } : {}),
      ...(settings.static_renditions && settings.static_renditions.length > 0 ? { static_renditions: newRenditionRecords(settings.static_renditions) } : {}),
      ...(settings.inputs?.[0]?.generated_subtitles ? { pending_generated_subtitles: settings.inputs[0].generated_subtitles } : {}),
    };
    store.assets.set(asset.id, asset);
    store.save();
    webhooks.emit("video.asset.created", { type: "asset", id: asset.id }, assetWebhookData(asset));
    this.deps.onCreated?.(asset);
    this.schedule(asset.id);
    return asset;
  }

  /** Creates a `preparing` clip of a ready asset and schedules its cut (a re-encode, so it is frame-accurate). */
  createClip(settings: NewAssetSettings, clip: NonNullable<AssetRecord["clip"]>, options: { test: boolean }): AssetRecord {
    const { store, webhooks } = this.deps;
    const asset: AssetRecord = {
      id: newId(),
      status: "preparing",
      createdAt: Date.now(),
      clip,
      test: options.test,
      playback_ids: (settings.playback_policies ?? []).map((policy) => ({ id: newId(), policy })),
      size: 0,
      ...(settings.passthrough !== undefined ? { passthrough: settings.passthrough } : {}),
      ...(settings.meta ? { meta: settings.meta } : {}),
      ...(typeof settings.video_quality === "string" ? { video_quality: settings.video_quality } : {}),
      ...(typeof settings.max_resolution_tier === "string" ? { max_resolution_tier: settings.max_resolution_tier } : {}),
      ...(settings.static_renditions && settings.static_renditions.length > 0 ? { static_renditions: newRenditionRecords(settings.static_renditions) } : {}),
    };
    store.assets.set(asset.id, asset);
    store.save();
    webhooks.emit("video.asset.created", { type: "asset", id: asset.id }, assetWebhookData(asset));
    this.deps.onCreated?.(asset);
    this.schedule(asset.id);
    return asset;
  }

  /** Picks up assets a previous run left in `preparing`. */
  resumePending(): void {
    for (const asset of this.deps.store.assets.values()) if (asset.status === "preparing") this.schedule(asset.id);
  }

  /** Resolves when no processing is running or scheduled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  close(): void {
    this.closed = true;
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }

  private schedule(assetId: string): void {
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const finish = () => {
      this.running.delete(done);
      resolveDone();
    };
    this.running.add(done);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.process(assetId)
        .catch((error: unknown) => this.markErrored(assetId, "internal_error", `Processing failed: ${String(error)}`))
        .finally(finish);
    }, this.deps.delayMs);
    this.timers.set(timer, finish);
  }

  private async process(assetId: string): Promise<void> {
    const { store, faults, webhooks } = this.deps;
    const asset = store.assets.get(assetId);
    if (!asset || asset.status !== "preparing" || this.closed) return;
    const forced = faults.takeAssetFailure();
    if (forced) return this.markErrored(assetId, forced.type, forced.message);
    const path = store.assetFilePath(assetId);
    if (asset.clip && !existsSync(path)) {
      const cut = await this.cut(asset.clip, path);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() or a delete may have run during the cut (microsoft/TypeScript#9998)
      if (this.closed || store.assets.get(assetId) !== asset) return;
      if (cut !== undefined) return this.markErrored(assetId, "invalid_input", cut);
      asset.size = statSync(path).size;
    }
    const imported = asset.input_url !== undefined;
    if (imported && !existsSync(path)) {
      const download = await downloadInput(asset.input_url ?? "", path, {
        allowed: this.deps.inputAllowed,
        maxBytes: asset.input_max_bytes ?? defaultInputMaxBytes,
        timeoutMs: 60_000,
        maxRedirects: 5,
      });
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() or a delete may have run during the download (microsoft/TypeScript#9998)
      if (this.closed || store.assets.get(assetId) !== asset) return;
      if (!download.ok) return this.markErrored(assetId, "invalid_input", download.message);
      asset.size = download.size;
    }
    const result = await probeMedia(path, { ffprobe: this.deps.ffprobe, ...(imported ? { subject: "input file" } : {}) });
    // The asset may have been deleted while it was being probed.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have run during the probe; TypeScript keeps the narrowing from before the await (microsoft/TypeScript#9998)
    if (this.closed || store.assets.get(assetId) !== asset) return;
    if (!result.ok) return this.markErrored(assetId, "invalid_input", result.message);
    asset.status = "ready";
    asset.media = result.media;
    store.save();
    webhooks.emit("video.asset.ready", { type: "asset", id: asset.id }, assetWebhookData(asset));
    this.deps.onReady?.(asset);
    this.deps.onSettled?.(asset);
  }

  /** Cuts `clip` of its source's stored file into `path`; the failure's message, or undefined. */
  private cut(clip: NonNullable<AssetRecord["clip"]>, path: string): Promise<string | undefined> {
    const { ffmpeg, store } = this.deps;
    if (!ffmpeg) return Promise.resolve("Clips need ffmpeg; the emulator runs without it.");
    const partial = `${path}.cut.mp4`;
    const args = [
      ...["-y", "-v", "error", "-i", store.assetFilePath(clip.source_asset_id), "-ss", String(clip.start_time), "-to", String(clip.end_time)],
      ...["-map", "0:v:0?", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", "-f", "mp4", partial],
    ];
    return new Promise((resolve) => {
      execFile(ffmpeg, args, { timeout: 300_000 }, (error, _stdout, stderr) => {
        if (error) {
          rmSync(partial, { force: true });
          return resolve(`ffmpeg could not cut the clip: ${stderr.trim().split("\n").pop() ?? error.message}`);
        }
        renameSync(partial, path);
        resolve(undefined);
      });
    });
  }

  private markErrored(assetId: string, type: string, message: string): void {
    const { store, webhooks } = this.deps;
    const asset = store.assets.get(assetId);
    if (!asset || this.closed) return;
    asset.status = "errored";
    asset.errors = { type, messages: [message] };
    store.save();
    webhooks.emit("video.asset.errored", { type: "asset", id: asset.id }, assetWebhookData(asset));
    this.deps.onSettled?.(asset);
  }
}
