/**
 * Signed playback: RS256 JWTs for video (`aud: "v"`), thumbnail (`"t"`) and storyboard (`"s"`) with a
 * short expiry, signed by `@mux/mux-node` with a Mux signing key, in the shape the player wants.
 */
import type { Mux } from "@mux/mux-node";
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

/** Adds `?token=` to a media URL a non-Mux backend serves (the player only adds tokens to URLs it builds). */
export function withToken(url: string | undefined, token: string): string | undefined {
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  parsed.searchParams.set("token", token);
  return parsed.toString();
}
