/**
 * `VideoBackend` on `@mux/mux-node`: real Mux with real tokens, or the local emulator (or any server
 * speaking Mux's API) through `baseURL`.
 */
import { APIError, Mux } from "@mux/mux-node";
import type { BackendUploadInfo, VideoBackend, WebhookVerification } from "../backend.js";
import { httpError } from "../errors.js";
import { signPlaybackTokens, type SigningKey } from "../playback-tokens.js";
import { defaultWebhookToleranceSeconds, precheckMuxSignature, verifyMuxSignature } from "../webhooks.js";
import { toListedAsset, toUploadInfo, toVideoAsset, toWebhookEvent } from "./mux-mapping.js";

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
  env?: Record<string, string | undefined>;
}

const muxApiHost = /(^|\.)mux\.com$/i;

/** The error a server gets at startup when no Mux credentials are configured; it says how to run the emulator. */
export class MissingMuxCredentialsError extends Error {
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

/** A `VideoBackend` on Mux: with the optional listing and deletion the orphan clean-up uses, and its Mux client. */
export type MuxBackend = VideoBackend & Required<Pick<VideoBackend, "listAssets" | "deleteAsset">> & { readonly mux: Mux };

export function createMuxBackend(options: MuxBackendOptions = {}): MuxBackend {
  const env = options.env ?? readEnv();
  const tokenId = nonEmpty(options.tokenId ?? env.MUX_TOKEN_ID);
  const tokenSecret = nonEmpty(options.tokenSecret ?? env.MUX_TOKEN_SECRET);
  if (!tokenId || !tokenSecret) throw new MissingMuxCredentialsError();

  const baseURL = nonEmpty(options.baseURL ?? env.MUX_BASE_URL) ?? "https://api.mux.com";
  const isRealMux = muxApiHost.test(new URL(baseURL).hostname);
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

  return {
    name: "mux",
    mux,

    async createUpload(input) {
      const upload = await mux.video.uploads.create({
        cors_origin: input.corsOrigin,
        timeout: input.timeoutSeconds,
        test: options.testAssets ?? false,
        new_asset_settings: {
          playback_policies: [input.playbackPolicy],
          ...(input.passthrough === undefined ? {} : { passthrough: input.passthrough }),
          // Mux's field for "the creator of the asset" (max 128 code points); the key is a hash, not an id.
          ...(input.ownerKey === undefined ? {} : { meta: { creator_id: input.ownerKey } }),
        },
      });
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

    async getAsset(assetId) {
      const asset = await mux.video.assets.retrieve(assetId).catch((error: unknown) => translateMuxError(error, "asset"));
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

    async signPlayback(playbackId, { expiresInSeconds }) {
      if (!signingKey) {
        throw new Error("Signed playback needs a signing key: set MUX_SIGNING_KEY_ID and MUX_SIGNING_KEY_PRIVATE or pass signingKey.");
      }
      return signPlaybackTokens(mux, playbackId, signingKey, { expiresInSeconds });
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
