/**
 * New-asset settings decided on the server: the client's `requested` part of `POST /uploads` and `POST /assets`
 * is checked for shape, the host's `assetSettings` hook decides, and a request the decision does not contain is
 * refused (403 with `details.setting`) rather than quietly changed.
 */
import type {
  AssetPlaybackPolicy,
  GenerateCaptionsRequest,
  MaxResolutionTier,
  RequestedAssetSettings,
  StaticRenditionResolution,
  VideoQuality,
} from "../../core/types.js";
import { staticRenditionResolutions } from "../../core/static-renditions.js";
import type { BackendAssetSettings, PlaybackPolicy } from "../backend.js";
import { httpError } from "../errors.js";
import type { RoutesContext } from "./context.js";
import type { AssetSettings, VideoUser } from "./options.js";

const playbackPolicies: readonly AssetPlaybackPolicy[] = ["public", "signed", "drm"];
const videoQualities: readonly VideoQuality[] = ["basic", "plus", "premium"];
const resolutionTiers: readonly MaxResolutionTier[] = ["1080p", "1440p", "2160p"];
const requestedKeys: ReadonlySet<string> = new Set(["playbackPolicy", "videoQuality", "maxResolutionTier", "staticRenditions"]);
/** Longest `meta.title` Mux takes, in code points. */
const maxTitleCodePoints = 512;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw httpError(400, "bad_request", `requested.${field} must be one of ${allowed.join(", ")}.`);
  }
  return value as T;
}

/** The `requested` part of a body, checked for shape; `{}` when absent. Throws a 400 `VideoError`. */
export function readRequestedSettings(value: unknown): RequestedAssetSettings {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw httpError(400, "bad_request", "requested must be an object of asset settings.");
  const unknownKeys = Object.keys(value).filter((key) => !requestedKeys.has(key));
  if (unknownKeys.length > 0) throw httpError(400, "bad_request", `requested may hold ${[...requestedKeys].join(", ")} only (got ${unknownKeys.join(", ")}).`);
  const requested: RequestedAssetSettings = {};
  const playbackPolicy = oneOf(value.playbackPolicy, playbackPolicies, "playbackPolicy");
  if (playbackPolicy) requested.playbackPolicy = playbackPolicy;
  const videoQuality = oneOf(value.videoQuality, videoQualities, "videoQuality");
  if (videoQuality) requested.videoQuality = videoQuality;
  const maxResolutionTier = oneOf(value.maxResolutionTier, resolutionTiers, "maxResolutionTier");
  if (maxResolutionTier) requested.maxResolutionTier = maxResolutionTier;
  const renditions = value.staticRenditions;
  if (renditions !== undefined && renditions !== null) {
    if (!Array.isArray(renditions) || renditions.length > staticRenditionResolutions.length) {
      throw httpError(400, "bad_request", `requested.staticRenditions must be a list of at most ${staticRenditionResolutions.length} resolutions.`);
    }
    const list = renditions.map((entry) => oneOf(entry, staticRenditionResolutions, "staticRenditions[]") as StaticRenditionResolution);
    if (new Set(list).size !== list.length) throw httpError(400, "bad_request", "requested.staticRenditions must not name a resolution twice.");
    requested.staticRenditions = list;
  }
  return requested;
}

/** What the routes hand the backend: the policy of the input and the rest of the settings. */
export interface DecidedAssetSettings {
  playbackPolicy: PlaybackPolicy;
  settings: BackendAssetSettings;
  generatedCaptions?: GenerateCaptionsRequest[] | undefined;
}

const refuse = (setting: keyof RequestedAssetSettings, what: string) =>
  httpError(403, "forbidden", `This server does not allow ${what} for this video.`, { details: { setting } });

/** `assetDefaults` with the older `playbackPolicy` option folded in. */
export function assetDefaultsOf<TUser extends VideoUser>(ctx: RoutesContext<TUser>): AssetSettings {
  const { assetDefaults, playbackPolicy } = ctx.options;
  return { ...assetDefaults, playbackPolicy: assetDefaults?.playbackPolicy ?? playbackPolicy ?? "public" };
}

/** A title cut to what Mux keeps, on a code point boundary. */
function cutTitle(title: string): string {
  const points = Array.from(title);
  return points.length <= maxTitleCodePoints ? title : points.slice(0, maxTitleCodePoints).join("");
}

/**
 * The settings of one new asset: the hook's decision over the defaults; throws 403 when the client asked for
 * something the decision does not contain, and a plain error (500) for a decision that cannot be carried out.
 */
export async function decideAssetSettings<TUser extends VideoUser>(
  ctx: RoutesContext<TUser>,
  user: TUser,
  asset: { kind: "upload" | "import" | "clip"; lessonId?: string | undefined; requested: RequestedAssetSettings },
  request: Request,
): Promise<DecidedAssetSettings> {
  const defaults = assetDefaultsOf(ctx);
  const hook = ctx.options.assetSettings;
  const decided: AssetSettings = hook ? { ...defaults, ...(await hook(user, { ...asset, defaults }, request)) } : defaults;
  const policy = decided.playbackPolicy ?? "public";
  const { requested } = asset;
  if (requested.playbackPolicy !== undefined && requested.playbackPolicy !== policy) throw refuse("playbackPolicy", `${requested.playbackPolicy} playback`);
  if (requested.videoQuality !== undefined && requested.videoQuality !== decided.videoQuality) throw refuse("videoQuality", `${requested.videoQuality} quality`);
  if (requested.maxResolutionTier !== undefined && requested.maxResolutionTier !== decided.maxResolutionTier) {
    throw refuse("maxResolutionTier", `a ${requested.maxResolutionTier} resolution tier`);
  }
  const missingRendition = requested.staticRenditions?.find((resolution) => !decided.staticRenditions?.includes(resolution));
  if (missingRendition !== undefined) throw refuse("staticRenditions", `the ${missingRendition} download`);
  if (policy === "drm" && !decided.drmConfigurationId) throw new Error("assetSettings: playbackPolicy \"drm\" needs a drmConfigurationId.");

  const settings: BackendAssetSettings = {};
  if (decided.videoQuality) settings.videoQuality = decided.videoQuality;
  if (decided.maxResolutionTier) settings.maxResolutionTier = decided.maxResolutionTier;
  if (decided.staticRenditions && decided.staticRenditions.length > 0) settings.staticRenditions = [...new Set(decided.staticRenditions)];
  if (policy === "drm" && decided.drmConfigurationId) settings.drmConfigurationId = decided.drmConfigurationId;
  if (decided.title !== undefined && decided.title.trim() !== "") settings.title = cutTitle(decided.title);
  if (asset.lessonId !== undefined) settings.externalId = asset.lessonId;
  return {
    // DRM is signed playback plus licences: a backend that cannot do DRM still never makes a public id.
    playbackPolicy: policy === "public" ? "public" : "signed",
    settings,
    ...(decided.generatedCaptions && decided.generatedCaptions.length > 0 ? { generatedCaptions: [...decided.generatedCaptions] } : {}),
  };
}
