/**
 * The server-side contract the routes need from a video service. `createMuxBackend` implements it on
 * `@mux/mux-node`; a host plugs any other service (S3 + a transcoder, an internal API) into the same
 * routes by implementing these five methods.
 */
import type { PlaybackTokens, SignedPlaybackTokens, UploadInfo, VideoAsset } from "../core/types.js";
import type { WebhookRejectionReason } from "./events.js";

export type PlaybackPolicy = "public" | "signed";

export interface BackendCreateUploadInput {
  /** Origin the browser uploads from; the backend must allow only this origin on the upload URL. */
  corsOrigin: string;
  /** Host data carried onto the asset (the lesson id). */
  passthrough?: string | undefined;
  /**
   * Who created the upload, as an opaque key (the routes pass a hash of `authorize`'s user id, never the id
   * itself). Keep it with the upload and its asset and return it from `getUpload` and `getAsset`: the
   * routes answer reads and cancels only to the owner (or whom the host's hooks allow). A backend that
   * returns no key makes uploads and assets reachable through the hooks only. Mux: `meta.creator_id`.
   */
  ownerKey?: string | undefined;
  /** Seconds the upload URL stays usable. */
  timeoutSeconds: number;
  playbackPolicy: PlaybackPolicy;
}

export interface BackendUpload {
  uploadId: string;
  url: string;
  /** Extra headers the client adds to every byte request, if the backend needs them. */
  headers?: Record<string, string> | undefined;
}

/** `UploadInfo` plus what the routes check ownership with. */
export interface BackendUploadInfo extends UploadInfo {
  passthrough?: string | undefined;
  /** The `ownerKey` the upload was created with. */
  ownerKey?: string | undefined;
}

/** `VideoAsset` plus the `ownerKey` of the upload that created it (never sent to clients). */
export interface BackendAsset extends VideoAsset {
  ownerKey?: string | undefined;
}

/** An asset as a backend lists it: with when it was created, which the orphan clean-up's grace period needs. */
export interface BackendListedAsset extends BackendAsset {
  /** When the asset was created (its upload finished), ms since epoch. */
  createdAt: number;
}

export interface SignedPlayback {
  tokens: SignedPlaybackTokens;
  /** When the tokens stop working, ms since epoch. */
  expiresAt: number;
}

/** A verified webhook, reduced to what the routes act on. */
export type BackendWebhookEvent =
  | { id: string; type: "upload.asset_created"; uploadId: string; assetId: string; passthrough?: string; createdAt?: number }
  | { id: string; type: "upload.errored" | "upload.cancelled"; uploadId: string; passthrough?: string; createdAt?: number }
  | {
      id: string;
      type: "asset.created" | "asset.updated" | "asset.ready" | "asset.errored" | "asset.deleted";
      asset: BackendAsset;
      /** When the asset was created (the upload finished), ms since epoch. */
      assetCreatedAt?: number | undefined;
      createdAt?: number | undefined;
    }
  | { id: string; type: "other"; backendType: string; createdAt?: number };

export type WebhookVerification =
  | { ok: true; event: BackendWebhookEvent }
  | { ok: false; reason: WebhookRejectionReason; eventId?: string };

export interface VideoBackend {
  /** Path segment of the webhook route: `POST /webhooks/<name>`. */
  readonly name: string;
  createUpload(input: BackendCreateUploadInput): Promise<BackendUpload>;
  /** Throws a `VideoError` with code `not_found` (status 404) for an unknown id. */
  getUpload(uploadId: string): Promise<BackendUploadInfo>;
  cancelUpload(uploadId: string): Promise<void>;
  /** Throws a `VideoError` with code `not_found` (status 404) for an unknown id. */
  getAsset(assetId: string): Promise<BackendAsset>;
  /** Playback, thumbnail and storyboard tokens for a signed playback id. */
  signPlayback(playbackId: string, options: { expiresInSeconds: number }): Promise<SignedPlayback>;
  /** Checks the delivery's signature and timestamp against the raw body and parses it. Never throws for bad input. */
  verifyWebhook(rawBody: string, headers: Headers): Promise<WebhookVerification>;
  /**
   * Optional cheap check before the body is read: the signature header's shape and timestamp. Returns
   * why the delivery is refused, or undefined to go on and read the body.
   */
  precheckWebhook?(headers: Headers): Extract<WebhookRejectionReason, "signature_missing" | "signature_invalid" | "timestamp_out_of_tolerance"> | undefined;
  /**
   * Optional, for the orphan clean-up (`findOrphanAssets`): every asset of the account, page after page, in
   * any order. Assets deleted while the walk runs may or may not appear; none may appear twice.
   */
  listAssets?(options?: { signal?: AbortSignal | undefined }): AsyncIterable<BackendListedAsset>;
  /**
   * Optional, for the orphan clean-up (`deleteOrphanAssets`): deletes an asset and its media. Throws a
   * `VideoError` with code `not_found` (status 404) for an unknown id, e.g. one deleted already.
   */
  deleteAsset?(assetId: string): Promise<void>;
}
