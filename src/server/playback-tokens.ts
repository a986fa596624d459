/**
 * Signed playback: RS256 JWTs for video (`aud: "v"`), thumbnail (`"t"`) and storyboard (`"s"`) with a
 * short expiry, signed by `@mux/mux-node` with a Mux signing key, in the shape the player wants.
 */
import type { Mux } from "@mux/mux-node";
import type { SignedPlaybackTokens, VideoAsset, VideoTrim } from "../core/types.js";
import type { SignedPlayback } from "./backend.js";

/**
 * A Mux signing key for signed playback ids (Mux dashboard → Settings → Signing keys). `createMuxBackend`
 * reads it from `MUX_SIGNING_KEY_ID` and `MUX_SIGNING_KEY_PRIVATE` unless passed.
 */
export interface SigningKey {
  /** Signing key id (`MUX_SIGNING_KEY_ID`); Mux reads it from the token's `kid` claim. */
  id: string;
  /** RSA private key, PEM or base64 of PEM as Mux hands it out (`MUX_SIGNING_KEY_PRIVATE`). */
  privateKey: string;
}

/** Lifetime of signed playback tokens when `tokenExpiresInSeconds` is not set: 3600 s (one hour). */
export const defaultTokenExpiresInSeconds = 3600;

/**
 * Signs the three tokens a player needs for one signed playback id. `thumbnailTime` (seconds, the poster
 * frame) goes into the thumbnail token as the `time` claim only; `clip` (a lesson's trim) into the video token as
 * the `asset_start_time`/`asset_end_time` claims, which Mux (and the emulator) honour for signed playback ids
 * instead of the URL's (a viewer cannot lift them by editing the URL). The others carry no transform parameters.
 */
export async function signPlaybackTokens(
  mux: Mux,
  playbackId: string,
  key: SigningKey,
  options: { expiresInSeconds: number; now?: number | undefined; thumbnailTime?: number | undefined; clip?: VideoTrim | undefined },
): Promise<SignedPlayback> {
  const now = options.now ?? Date.now();
  const base = { keyId: key.id, keySecret: key.privateKey, expiration: `${options.expiresInSeconds}s` };
  const timed = options.thumbnailTime !== undefined;
  const clipped = options.clip !== undefined;
  const plain: Array<"video" | "thumbnail" | "storyboard"> = ["storyboard"];
  if (!clipped) plain.unshift("video");
  if (!timed) plain.push("thumbnail");
  const tokens = await mux.jwt.signPlaybackId(playbackId, { ...base, type: plain });
  const thumbnailTokens = timed
    ? await mux.jwt.signPlaybackId(playbackId, { ...base, type: ["thumbnail"], params: { time: String(options.thumbnailTime) } })
    : tokens;
  const videoTokens = options.clip
    ? await mux.jwt.signPlaybackId(playbackId, {
        ...base,
        type: ["video"],
        params: { asset_start_time: String(options.clip.startTime), asset_end_time: String(options.clip.endTime) },
      })
    : tokens;
  const playback = videoTokens["playback-token"];
  const thumbnail = thumbnailTokens["thumbnail-token"];
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
 * `?token=` on `src`, `poster`, `storyboardSrc` and caption tracks' `src` when the backend serves media itself (the player
 * adds tokens only to the Mux URLs it builds). Use it when a page renders an asset without the routes.
 */
export function withPlaybackTokens(asset: VideoAsset, tokens: SignedPlaybackTokens): VideoAsset {
  const playback = { ...asset.playback, tokens };
  if (playback.src !== undefined) playback.src = withToken(playback.src, tokens.playback);
  if (playback.poster !== undefined) playback.poster = withToken(playback.poster, tokens.thumbnail);
  if (playback.storyboardSrc !== undefined) playback.storyboardSrc = withToken(playback.storyboardSrc, tokens.storyboard);
  // Text tracks are served under the stream, so they take the video token.
  const captions = asset.captions?.map((track) => (track.src === undefined ? track : { ...track, src: withToken(track.src, tokens.playback) }));
  return { ...asset, playback, ...(captions === undefined ? {} : { captions }) };
}
