/**
 * `VideoBackend` on `@mux/mux-node`: real Mux with real tokens, or the local emulator (or any server
 * speaking Mux's API) through `baseURL`.
 */
import { APIError, Mux } from "@mux/mux-node";
import { isMuxApiUrl, uploadSizeCapHeader } from "./mux-host.js";
import type { CaptionTrack } from "../../core/types.js";
import type { BackendCreateUploadInput, BackendUploadInfo, VideoBackend, WebhookVerification } from "../backend.js";
import { httpError } from "../errors.js";
import { signPlaybackTokens, type SigningKey } from "../playback-tokens.js";
import { defaultWebhookToleranceSeconds, precheckMuxSignature, verifyMuxSignature } from "../webhooks.js";
import { toCaptionTrack, toListedAsset, toUploadInfo, toVideoAsset, toWebhookEvent, type MuxTrackFields } from "./mux-mapping.js";

/** Languages Mux generates captions in (`AssetGeneratedSubtitleSettings.language_code`). */
const generatedLanguages = ["en", "es", "it", "pt", "de", "fr", "pl", "ru", "nl", "ca", "tr", "sv", "uk", "no", "fi", "sk", "el", "cs", "hr", "da", "ro", "bg"] as const;
type GeneratedLanguage = (typeof generatedLanguages)[number];

/** Mux's generated-subtitle language for a BCP 47 code ("pt-BR" → "pt"); a 400 for languages Mux cannot generate. */
function generatedLanguage(code: string): GeneratedLanguage {
  const [subtag = ""] = code.split("-");
  const primary = subtag.toLowerCase();
  if ((generatedLanguages as readonly string[]).includes(primary)) return primary as GeneratedLanguage;
  throw httpError(400, "bad_request", `Captions cannot be generated in "${code}"; Mux generates ${generatedLanguages.join(", ")}.`);
}

/**
 * Options of `createMuxBackend`. Every option falls back to an environment variable, so
 * `createMuxBackend()` with no options works once `MUX_TOKEN_ID` and `MUX_TOKEN_SECRET` are set.
 */
export interface MuxBackendOptions {
  /** Default `MUX_TOKEN_ID`. */
  tokenId?: string | undefined;
  /** Default `MUX_TOKEN_SECRET`. */
  tokenSecret?: string | undefined;
  /** Mux API base URL. Default `MUX_BASE_URL`, else `https://api.mux.com`. Point it at the emulator locally. */
  baseURL?: string | undefined;
  /** Secret that signs webhooks. Default `MUX_WEBHOOK_SECRET`. Without it every webhook is refused. */
  webhookSecret?: string | undefined;
  /** Key for signed playback. Default `MUX_SIGNING_KEY_ID` + `MUX_SIGNING_KEY_PRIVATE`. */
  signingKey?: SigningKey | undefined;
  /**
   * Where playback, thumbnails and storyboards are served when `baseURL` is not Mux's API. Default:
   * `baseURL` (the emulator serves both). Ignored for real Mux: the player builds Mux URLs itself.
   */
  playbackBaseUrl?: string | undefined;
  /** Largest age of a webhook signature. Default 300 s. */
  webhookToleranceSeconds?: number | undefined;
  /** Retries of the Mux client for 408/409/429/5xx. Default 2. */
  maxRetries?: number | undefined;
  /** Mark created assets as Mux test assets (watermarked, deleted after 24 h). Default false. */
  testAssets?: boolean | undefined;
  /** Environment to read the defaults from. Default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
}

/** The error a server gets at startup when no Mux credentials are configured; it says how to run the emulator. */
export class MissingMuxCredentialsError extends Error {
  /** Always `"MissingMuxCredentialsError"`, to tell it apart after bundling. */
  override readonly name = "MissingMuxCredentialsError";
  constructor() {
    super(
      [
        "lesson-video-kit: no Mux API token configured (MUX_TOKEN_ID / MUX_TOKEN_SECRET are not set).",
        "For real Mux, create an access token in the Mux dashboard and set MUX_TOKEN_ID and MUX_TOKEN_SECRET.",
        "For local development, start the emulator with `npx lesson-video-kit-emulator` and set",
        "MUX_BASE_URL=<the URL it prints>, MUX_TOKEN_ID=emulator-token-id, MUX_TOKEN_SECRET=emulator-token-secret",
        "and MUX_WEBHOOK_SECRET=emulator-webhook-secret.",
      ].join("\n"),
    );
  }
}

function readEnv(): Record<string, string | undefined> {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return host.process?.env ?? {};
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);

/** Maps a Mux SDK failure onto what the routes answer; a 404 stays a 404, the rest is the server's problem. */
function translateMuxError(error: unknown, what: string): never {
  if (error instanceof APIError && error.status === 404) throw httpError(404, "not_found", `This ${what} does not exist.`);
  throw error;
}

/** Track requests Mux refuses (asset not ready, duplicate name, bad language) are the caller's to fix: 400/409, not 500. */
function translateTrackError(error: unknown, what: string): never {
  if (error instanceof APIError && (error.status === 400 || error.status === 422)) {
    throw httpError(400, "bad_request", `Mux refused the caption track: ${error.message}`);
  }
  return translateMuxError(error, what);
}

/** Mux's new-asset fields for the routes' decided settings: policy (DRM through `advanced_playback_policies`), quality, tier, renditions, meta. */
function muxAssetOptions(input: Pick<BackendCreateUploadInput, "playbackPolicy" | "passthrough" | "ownerKey" | "settings">): Mux.Video.AssetOptions {
  const settings = input.settings ?? {};
  const meta: Mux.Video.AssetMetadata = {
    // Mux's field for "the creator of the asset" (max 128 code points); the key is a hash, not an id.
    ...(input.ownerKey === undefined ? {} : { creator_id: input.ownerKey }),
    ...(settings.externalId === undefined ? {} : { external_id: settings.externalId }),
    ...(settings.title === undefined ? {} : { title: settings.title }),
  };
  return {
    ...(settings.drmConfigurationId !== undefined && input.playbackPolicy === "signed"
      ? { advanced_playback_policies: [{ policy: "drm" as const, drm_configuration_id: settings.drmConfigurationId }] }
      : { playback_policies: [input.playbackPolicy] }),
    ...(settings.videoQuality === undefined ? {} : { video_quality: settings.videoQuality }),
    ...(settings.maxResolutionTier === undefined ? {} : { max_resolution_tier: settings.maxResolutionTier }),
    ...(settings.staticRenditions === undefined || settings.staticRenditions.length === 0 ? {} : { static_renditions: settings.staticRenditions.map((resolution) => ({ resolution })) }),
    ...(input.passthrough === undefined ? {} : { passthrough: input.passthrough }),
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}

/** A `VideoBackend` on Mux: with the optional listing and deletion the orphan clean-up uses, the caption tracks, and its Mux client. */
export type MuxBackend = VideoBackend & {
  [Method in "createAssetFromUrl" | "createClip" | "listAssets" | "deleteAsset" | "listCaptions" | "addCaption" | "removeCaption" | "generateCaptions"]-?: NonNullable<VideoBackend[Method]>;
} & {
  /** The `@mux/mux-node` client the backend uses, for Mux calls the backend does not wrap. */
  readonly mux: Mux;
};

/**
 * A `VideoBackend` on `@mux/mux-node`, with the optional listing, deletion and caption methods. Talks to
 * real Mux, or to the local emulator (or any server speaking Mux's API) when `baseURL` / `MUX_BASE_URL`
 * points there. Webhooks are refused until a webhook secret is set; signed playback needs a signing key.
 *
 * @throws MissingMuxCredentialsError when no token id or secret is configured (the message says how to
 * start the emulator).
 *
 * @example
 * ```ts
 * // Real Mux: MUX_TOKEN_ID, MUX_TOKEN_SECRET, MUX_WEBHOOK_SECRET (and for signed playback
 * // MUX_SIGNING_KEY_ID, MUX_SIGNING_KEY_PRIVATE) in the environment.
 * const backend = createMuxBackend();
 *
 * // The local emulator (`npx lesson-video-kit-emulator` prints its URL):
 * const local = createMuxBackend({
 *   baseURL: "http://127.0.0.1:4010",
 *   tokenId: "emulator-token-id",
 *   tokenSecret: "emulator-token-secret",
 *   webhookSecret: "emulator-webhook-secret",
 * });
 * ```
 */
export function createMuxBackend(options: MuxBackendOptions = {}): MuxBackend {
  const env = options.env ?? readEnv();
  const tokenId = nonEmpty(options.tokenId ?? env.MUX_TOKEN_ID);
  const tokenSecret = nonEmpty(options.tokenSecret ?? env.MUX_TOKEN_SECRET);
  if (!tokenId || !tokenSecret) throw new MissingMuxCredentialsError();

  const baseURL = nonEmpty(options.baseURL ?? env.MUX_BASE_URL) ?? "https://api.mux.com";
  const isRealMux = isMuxApiUrl(baseURL);
  const playbackBaseUrl = isRealMux ? undefined : (options.playbackBaseUrl ?? baseURL);
  const webhookSecret = nonEmpty(options.webhookSecret ?? env.MUX_WEBHOOK_SECRET);
  const signingKeyId = options.signingKey?.id ?? nonEmpty(env.MUX_SIGNING_KEY_ID ?? env.MUX_SIGNING_KEY);
  const signingKeyPrivate = options.signingKey?.privateKey ?? nonEmpty(env.MUX_SIGNING_KEY_PRIVATE ?? env.MUX_PRIVATE_KEY);
  const signingKey = signingKeyId && signingKeyPrivate ? { id: signingKeyId, privateKey: signingKeyPrivate } : undefined;
  const tolerance = options.webhookToleranceSeconds ?? defaultWebhookToleranceSeconds;

  // Everything passed explicitly (null for "none") so the SDK reads no environment behind our back.
  const mux = new Mux({
    tokenId,
    tokenSecret,
    baseURL,
    webhookSecret: null,
    jwtSigningKey: null,
    jwtPrivateKey: null,
    authorizationToken: null,
    maxRetries: options.maxRetries ?? 2,
  });

  // Real Mux takes no size and its upload URL accepts any body up to Mux's own limits: there the declared size
  // bounds the routes' quota, not the bytes.
  const sizeCapOptions = (maxBytes: number | undefined) =>
    isRealMux || maxBytes === undefined ? {} : { headers: { [uploadSizeCapHeader]: String(maxBytes) } };

  /** A track Mux answered with, as a `CaptionTrack` (with its text URL when the backend serves media itself). */
  const captionOf = (track: MuxTrackFields, playbackId: string | undefined): CaptionTrack => {
    const where = playbackBaseUrl !== undefined && playbackId !== undefined ? { baseUrl: playbackBaseUrl, playbackId } : undefined;
    const caption = toCaptionTrack({ type: "text", ...track }, where);
    if (!caption) throw new Error("Mux returned a track that is not a caption track");
    return caption;
  };

  async function fetchAsset(assetId: string) {
    const asset = await mux.video.assets.retrieve(assetId).catch((error: unknown) => translateMuxError(error, "asset"));
    return toVideoAsset(asset, playbackBaseUrl);
  }

  return {
    name: "mux",
    mux,

    async createUpload(input) {
      const generated = (input.generatedCaptions ?? []).map((request) => ({
        language_code: generatedLanguage(request.languageCode),
        ...(request.name === undefined ? {} : { name: request.name }),
      }));
      const upload = await mux.video.uploads.create({
        cors_origin: input.corsOrigin,
        timeout: input.timeoutSeconds,
        test: options.testAssets ?? false,
        new_asset_settings: {
          ...muxAssetOptions(input),
          // The first input of a direct upload is the uploaded file itself, so it has no url.
          ...(generated.length === 0 ? {} : { inputs: [{ generated_subtitles: generated }] }),
        },
      }, sizeCapOptions(input.maxBytes));
      if (!upload.url) throw new Error("Mux returned a direct upload without a URL");
      return { uploadId: upload.id, url: upload.url };
    },

    async getUpload(uploadId): Promise<BackendUploadInfo> {
      const upload = await mux.video.uploads.retrieve(uploadId).catch((error: unknown) => translateMuxError(error, "upload"));
      return toUploadInfo(upload);
    },

    async cancelUpload(uploadId) {
      await mux.video.uploads.cancel(uploadId).catch((error: unknown) => {
        if (error instanceof APIError && (error.status === 400 || error.status === 409 || error.status === 422)) {
          throw httpError(409, "bad_request", "This upload can no longer be cancelled.");
        }
        return translateMuxError(error, "upload");
      });
    },

    getAsset: fetchAsset,

    async createAssetFromUrl(input) {
      const asset = await mux.video.assets
        .create(
          {
            inputs: [{ url: input.url }],
            ...muxAssetOptions(input),
            test: options.testAssets ?? false,
          },
          sizeCapOptions(input.maxBytes),
        )
        .catch((error: unknown) => {
          // Mux refusing the input URL (400/422) is the caller's to fix, not a server failure.
          if (error instanceof APIError && (error.status === 400 || error.status === 422)) throw httpError(400, "bad_request", `Mux refused the link: ${error.message}`);
          throw error;
        });
      return toVideoAsset(asset, playbackBaseUrl);
    },

    async createClip(assetId, input) {
      const asset = await mux.video.assets
        .create({
          inputs: [{ url: `mux://assets/${assetId}`, start_time: input.startTime, end_time: input.endTime }],
          ...muxAssetOptions(input),
          test: options.testAssets ?? false,
        })
        .catch((error: unknown) => {
          if (error instanceof APIError && (error.status === 400 || error.status === 422)) throw httpError(400, "bad_request", `Mux refused the clip: ${error.message}`);
          throw error;
        });
      return toVideoAsset(asset, playbackBaseUrl);
    },

    async *listAssets({ signal } = {}) {
      // The SDK follows Mux's `next_cursor` from page to page; 100 is the largest page Mux serves.
      for await (const asset of mux.video.assets.list({ limit: 100 }, signal === undefined ? {} : { signal })) {
        const listed = toListedAsset(asset, playbackBaseUrl);
        if (listed) yield listed;
      }
    },

    async deleteAsset(assetId) {
      await mux.video.assets.delete(assetId).catch((error: unknown) => translateMuxError(error, "asset"));
    },

    async listCaptions(assetId) {
      return (await fetchAsset(assetId)).captions ?? [];
    },

    async addCaption(assetId, input) {
      const asset = await fetchAsset(assetId);
      const track = await mux.video.assets
        .createTrack(assetId, {
          url: input.url,
          type: "text",
          text_type: "subtitles",
          language_code: input.languageCode,
          closed_captions: input.closedCaptions,
          ...(input.name === undefined ? {} : { name: input.name }),
        })
        .catch((error: unknown) => translateTrackError(error, "asset"));
      return captionOf(track, asset.playbackId);
    },

    async removeCaption(assetId, trackId) {
      const asset = await mux.video.assets.retrieve(assetId).catch((error: unknown) => translateMuxError(error, "asset"));
      // Only text tracks: the routes must not become a way to delete an asset's audio.
      if (!asset.tracks?.some((track) => track.id === trackId && track.type === "text")) throw httpError(404, "not_found", "This caption track does not exist.");
      await mux.video.assets.deleteTrack(assetId, trackId).catch((error: unknown) => translateMuxError(error, "caption track"));
    },

    async generateCaptions(assetId, request) {
      const language = generatedLanguage(request.languageCode);
      const asset = await mux.video.assets.retrieve(assetId).catch((error: unknown) => translateMuxError(error, "asset"));
      const audio = asset.tracks?.find((track) => track.type === "audio" && track.primary !== false) ?? asset.tracks?.find((track) => track.type === "audio");
      if (!audio?.id) throw httpError(409, "bad_request", "This video has no audio to generate captions from.");
      const tracks = await mux.video.assets
        .generateSubtitles(assetId, audio.id, {
          generated_subtitles: [{ language_code: language, ...(request.name === undefined ? {} : { name: request.name }) }],
        })
        .catch((error: unknown) => translateTrackError(error, "asset"));
      const first = tracks[0];
      if (!first) throw new Error("Mux returned no track for generate-subtitles");
      return captionOf(first, asset.playback_ids?.[0]?.id);
    },

    async signPlayback(playbackId, { expiresInSeconds, thumbnailTime, clip }) {
      if (!signingKey) {
        throw new Error("Signed playback needs a signing key: set MUX_SIGNING_KEY_ID and MUX_SIGNING_KEY_PRIVATE or pass signingKey.");
      }
      return signPlaybackTokens(mux, playbackId, signingKey, { expiresInSeconds, thumbnailTime, clip });
    },

    precheckWebhook(headers) {
      return precheckMuxSignature(headers.get("mux-signature"), { toleranceSeconds: tolerance });
    },

    async verifyWebhook(rawBody, headers): Promise<WebhookVerification> {
      if (!webhookSecret) return { ok: false, reason: "not_configured" };
      const check = await verifyMuxSignature({ rawBody, header: headers.get("mux-signature"), secret: webhookSecret, toleranceSeconds: tolerance });
      if (!check.ok) return { ok: false, reason: check.reason };
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        return { ok: false, reason: "malformed" };
      }
      const event = toWebhookEvent(body, playbackBaseUrl);
      return event ? { ok: true, event } : { ok: false, reason: "malformed" };
    },
  };
}
