/**
 * Signed playback: RS256 JWTs for video (`aud: "v"`), thumbnail (`"t"`) and storyboard (`"s"`) with a
 * short expiry, signed by `@mux/mux-node` with a Mux signing key, in the shape the player wants.
 */
import type { Mux } from "@mux/mux-node";
import type { PlaybackTokens, SignedPlaybackTokens, VideoAsset } from "../core/types.js";
import type { SignedPlayback } from "./backend.js";

export interface SigningKey {
  /** Signing key id (`MUX_SIGNING_KEY_ID`); Mux reads it from the token's `kid` claim. */
  id: string;
  /** RSA private key, PEM or base64 of PEM as Mux hands it out (`MUX_SIGNING_KEY_PRIVATE`). */
  privateKey: string;
}

export const defaultTokenExpiresInSeconds = 3600;

/** Signs the three tokens a player needs for one signed playback id. */
export async function signPlaybackTokens(
  mux: Mux,
  playbackId: string,
  key: SigningKey,
  options: { expiresInSeconds: number; now?: number },
): Promise<SignedPlayback> {
  const now = options.now ?? Date.now();
  const tokens = await mux.jwt.signPlaybackId(playbackId, {
    keyId: key.id,
    keySecret: key.privateKey,
    type: ["video", "thumbnail", "storyboard"],
    expiration: `${options.expiresInSeconds}s`,
  });
  const playback = tokens["playback-token"];
  const thumbnail = tokens["thumbnail-token"];
  const storyboard = tokens["storyboard-token"];
  if (!playback || !thumbnail || !storyboard) throw new Error("@mux/mux-node returned an incomplete set of playback tokens");
  // The SDK reads the clock after us and floors to seconds, so this is never later than the real `exp`.
  const expiresAt = Math.floor(now / 1000) * 1000 + options.expiresInSeconds * 1000;
  return { tokens: { playback, thumbnail, storyboard }, expiresAt };
}

function withToken(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("token", token);
  return parsed.toString();
}

/**
 * The asset with its signed tokens, as the routes serve it: `playback.tokens` for the player, and
 * `?token=` on `src`, `poster` and `storyboardSrc` when the backend serves media itself (the player
 * adds tokens only to the Mux URLs it builds). Use it when a page renders an asset without the routes.
 */
export function withPlaybackTokens(asset: VideoAsset, tokens: SignedPlaybackTokens): VideoAsset {
  const playback = { ...asset.playback, tokens };
  if (playback.src !== undefined) playback.src = withToken(playback.src, tokens.playback);
  if (playback.poster !== undefined) playback.poster = withToken(playback.poster, tokens.thumbnail);
  if (playback.storyboardSrc !== undefined) playback.storyboardSrc = withToken(playback.storyboardSrc, tokens.storyboard);
  return { ...asset, playback };
}
