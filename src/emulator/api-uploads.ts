/** `/video/v1/uploads…`: create, list (page-numbered), retrieve and cancel direct uploads; cancel cuts off a PUT still sending. */
import { rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { expireIfDue, type EmulatorContext } from "./context.js";
import { uploadJson } from "./mux-json.js";
import { invalidParameters, methodNotAllowed, notFound, readJsonObject, readPageQuery, sendData } from "./responses.js";
import { newId } from "./store.js";
import { readStaticRenditionRequests } from "./static-renditions.js";
import { readGeneratedSubtitles } from "./text-tracks.js";
import type { NewAssetSettings, PlaybackPolicy, UploadRecord } from "./types.js";
import { readUploadSizeCap } from "./upload-size-cap.js";

const POLICIES: readonly PlaybackPolicy[] = ["public", "signed"];
const VIDEO_QUALITIES = ["basic", "plus", "premium"] as const;
export const RESOLUTION_TIERS = ["1080p", "1440p", "2160p"] as const;
/** Longest `meta` values Mux takes, in code points. */
const META_LIMITS: Readonly<Record<string, number>> = { title: 512, creator_id: 128, external_id: 128 };

function readPolicies(value: unknown, field: string): PlaybackPolicy[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((p) => typeof p === "string")) {
    throw invalidParameters(`${field} must be an array of "public" or "signed".`);
  }
  for (const policy of value) {
    if (policy === "drm") throw invalidParameters("The emulator does not support drm playback policies.");
    if (!POLICIES.includes(policy as PlaybackPolicy)) throw invalidParameters(`${field} contains an unknown policy "${policy}".`);
  }
  return value as PlaybackPolicy[];
}

/**
 * Reads new-asset settings: `new_asset_settings` of a direct upload (`prefix` "new_asset_settings.", its first
 * input without `url`), or the body of `POST /video/v1/assets` (`prefix` "", its first input with the file's `url`).
 */
export function readAssetSettings(value: unknown, prefix = "new_asset_settings.", input: "upload" | "url" = "upload"): NewAssetSettings {
  const name = prefix.replace(/\.$/, "") || "body";
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidParameters(`${name} must be an object.`);
  const settings = { ...(value as Record<string, unknown>) } as NewAssetSettings;
  const policies = readPolicies(settings.playback_policies, `${prefix}playback_policies`);
  const legacy = readPolicies(settings.playback_policy, `${prefix}playback_policy`);
  if (policies) settings.playback_policies = policies;
  else if (legacy) {
    // Mux accepts the deprecated spelling and answers with the current one.
    settings.playback_policies = legacy;
    delete settings.playback_policy;
  }
  if (settings.passthrough !== undefined) {
    if (typeof settings.passthrough !== "string") throw invalidParameters(`${prefix}passthrough must be a string.`);
    if (settings.passthrough.length > 255) throw invalidParameters(`${prefix}passthrough must be at most 255 characters.`);
  }
  if (settings.meta !== undefined) {
    const meta = settings.meta as unknown;
    if (typeof meta !== "object" || meta === null || Array.isArray(meta) || !Object.values(meta).every((v) => typeof v === "string")) {
      throw invalidParameters(`${prefix}meta must be an object of strings.`);
    }
    for (const [key, most] of Object.entries(META_LIMITS)) {
      const value = (meta as Record<string, string>)[key];
      // Mux counts code points, not UTF-16 units.
      if (value !== undefined && Array.from(value).length > most) throw invalidParameters(`${prefix}meta.${key} must be at most ${most} code points.`);
    }
  }
  if (settings.video_quality !== undefined && !VIDEO_QUALITIES.includes(settings.video_quality as never)) {
    throw invalidParameters(`${prefix}video_quality must be one of ${VIDEO_QUALITIES.join(", ")}.`);
  }
  if (settings.max_resolution_tier !== undefined && !RESOLUTION_TIERS.includes(settings.max_resolution_tier as never)) {
    throw invalidParameters(`${prefix}max_resolution_tier must be one of ${RESOLUTION_TIERS.join(", ")}.`);
  }
  if (settings.static_renditions !== undefined) settings.static_renditions = readStaticRenditionRequests(settings.static_renditions, `${prefix}static_renditions`);
  if (settings.advanced_playback_policies !== undefined) {
    const advanced = settings.advanced_playback_policies as unknown;
    if (!Array.isArray(advanced) || !advanced.every((entry) => typeof entry === "object" && entry !== null && !Array.isArray(entry))) {
      throw invalidParameters(`${prefix}advanced_playback_policies must be an array of { policy, drm_configuration_id? }.`);
    }
    const policiesOf = readPolicies(
      advanced.map((entry: Record<string, unknown>) => entry.policy ?? "public"),
      `${prefix}advanced_playback_policies[].policy`,
    );
    // Mux answers with the policies as playback ids either way; the emulator keeps one list.
    settings.playback_policies = [...(settings.playback_policies ?? []), ...(policiesOf ?? [])];
    delete settings.advanced_playback_policies;
  }
  // Mux takes `input` (deprecated spelling) or `inputs`; for a direct upload the first input is the uploaded
  // file (no `url`), for an asset from a URL it names the file's `url`; either may carry `generated_subtitles`.
  // Extra inputs (overlays, side-loaded tracks) are not emulated.
  const inputs = settings.inputs ?? settings.input;
  delete settings.input;
  if (input === "url" && inputs === undefined) throw invalidParameters("inputs must hold one object with the input file's url.");
  if (inputs !== undefined) {
    const what = input === "url" ? "the input file's url" : "the uploaded file";
    if (!Array.isArray(inputs) || inputs.length !== 1 || typeof inputs[0] !== "object" || inputs[0] === null || Array.isArray(inputs[0])) {
      throw invalidParameters(`${prefix}inputs must hold one object (${what}); further inputs are not emulated.`);
    }
    const first = inputs[0] as Record<string, unknown>;
    const clip = input === "url" && typeof first.url === "string" && first.url.startsWith("mux://assets/");
    const known = input === "url" ? ["url", "generated_subtitles", ...(clip ? ["start_time", "end_time"] : [])] : ["generated_subtitles"];
    const unknownKeys = Object.keys(first).filter((key) => !known.includes(key));
    if (unknownKeys.length > 0) throw invalidParameters(`${prefix}inputs[0] may hold ${known.join(" and ")} only in the emulator (got ${unknownKeys.join(", ")}).`);
    const url = first.url;
    if (input === "url" && (typeof url !== "string" || url === "")) throw invalidParameters(`${prefix}inputs[0].url must be the input file's URL.`);
    settings.inputs = [
      {
        ...(typeof url === "string" ? { url } : {}),
        ...(clip ? readClipTimes(first, `${prefix}inputs[0]`) : {}),
        ...(first.generated_subtitles === undefined ? {} : { generated_subtitles: readGeneratedSubtitles(first.generated_subtitles, `${prefix}inputs[0].generated_subtitles`) }),
      },
    ];
  }
  return settings;
}

/** `start_time`/`end_time` of a clip input: seconds, each optional, start before end. */
function readClipTimes(input: Record<string, unknown>, field: string): { start_time?: number; end_time?: number } {
  const times: { start_time?: number; end_time?: number } = {};
  for (const key of ["start_time", "end_time"] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalidParameters(`${field}.${key} must be a number of seconds ≥ 0.`);
    times[key] = value;
  }
  if (times.start_time !== undefined && times.end_time !== undefined && times.end_time <= times.start_time) {
    throw invalidParameters(`${field}.end_time must be after start_time.`);
  }
  return times;
}

async function createUpload(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonObject(req);
  const corsOrigin = body.cors_origin ?? "";
  if (typeof corsOrigin !== "string") throw invalidParameters("cors_origin must be a string.");
  const timeout = body.timeout ?? 3600;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 60 || timeout > 604800) {
    throw invalidParameters("timeout must be an integer number of seconds between 60 and 604800.");
  }
  if (body.test !== undefined && typeof body.test !== "boolean") throw invalidParameters("test must be a boolean.");
  const maxBytes = readUploadSizeCap(req.headers);
  const upload: UploadRecord = {
    id: newId(),
    status: "waiting",
    cors_origin: corsOrigin,
    timeout,
    test: body.test === true,
    new_asset_settings: readAssetSettings(body.new_asset_settings),
    createdAt: Date.now(),
    receivedBytes: 0,
    ...(maxBytes === undefined ? {} : { maxBytes }),
  };
  ctx.store.uploads.set(upload.id, upload);
  ctx.store.save();
  const json = uploadJson(upload, ctx.baseUrl());
  ctx.webhooks.emit("video.upload.created", { type: "upload", id: upload.id }, json);
  sendData(res, 201, json);
}

function uploadOr404(ctx: EmulatorContext, id: string): UploadRecord {
  const upload = ctx.store.uploads.get(id);
  if (!upload) throw notFound("upload");
  expireIfDue(ctx, upload);
  return upload;
}

/** Handles `/video/v1/uploads[/:id[/cancel]]`; `rest` are the path segments after `uploads`. */
export async function handleUploadsApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? "GET";
  const [id, action, ...extra] = rest;
  if (extra.length > 0) throw notFound();
  if (id === undefined) {
    if (method === "POST") return createUpload(ctx, req, res);
    if (method === "GET") {
      const { limit, page } = readPageQuery(query);
      const all = [...ctx.store.uploads.values()].sort((a, b) => b.createdAt - a.createdAt);
      for (const upload of all) expireIfDue(ctx, upload);
      const slice = all.slice((page - 1) * limit, page * limit);
      return sendData(res, 200, slice.map((u) => uploadJson(u, ctx.baseUrl())));
    }
    throw methodNotAllowed(method);
  }
  if (action === undefined) {
    if (method !== "GET") throw methodNotAllowed(method);
    return sendData(res, 200, uploadJson(uploadOr404(ctx, id), ctx.baseUrl()));
  }
  if (action === "cancel") {
    if (method !== "PUT") throw methodNotAllowed(method);
    const upload = uploadOr404(ctx, id);
    // Cuts off a PUT still receiving its body and waits for one committing, so cancel never races a last chunk.
    return ctx.uploadWrites.run(upload.id, async () => {
      if (upload.status !== "waiting") {
        throw invalidParameters(`Only uploads in the waiting state can be cancelled; this one is ${upload.status}.`);
      }
      upload.status = "cancelled";
      rmSync(ctx.store.partPath(upload.id), { force: true });
      ctx.store.save();
      const json = uploadJson(upload, ctx.baseUrl());
      ctx.webhooks.emit("video.upload.cancelled", { type: "upload", id: upload.id }, json);
      sendData(res, 200, json);
    });
  }
  throw notFound();
}
