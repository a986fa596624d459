/**
 * Everything the studio reads from its environment, in one place. `npm start` sets the emulator's values;
 * a deployment sets real ones (see the README's "Example lesson studio").
 */
import { join } from "node:path";

/** Where the PGlite database lives when DATABASE_URL is not set. */
export function dataDir(): string {
  return process.env.STUDIO_DATA_DIR ?? join(/*turbopackIgnore: true*/ process.cwd(), ".data");
}

/** A PostgreSQL / Supabase connection string; without it the studio uses PGlite on disk. */
export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * The non-superuser role lesson queries run as, so the access policy applies. On Supabase use
 * `authenticated`; the studio creates the role when it is missing and it may.
 */
export function databaseRole(): string {
  return process.env.DATABASE_ROLE || "studio_app";
}

export function sessionSecret(): string {
  const secret = process.env.SESSION_SECRET;
  if (!secret) throw new Error("SESSION_SECRET is not set: `npm start` sets it; a deployment must set its own.");
  return secret;
}

export interface MuxSettings {
  /** "mux" with real tokens, "emulator" otherwise. */
  mode: "mux" | "emulator";
  tokenId: string;
  tokenSecret: string;
  webhookSecret: string;
  baseUrl?: string | undefined;
  playbackPolicy: "public" | "signed";
}

/**
 * Real Mux when MUX_TOKEN_ID is set; otherwise the local emulator at MUX_BASE_URL with its default API
 * token and the webhook secret it was started with (`npm start` makes one per data dir: the emulator's
 * default is public, and anyone could sign webhooks with it).
 */
export function muxSettings(): MuxSettings {
  const playbackPolicy = process.env.STUDIO_PLAYBACK_POLICY === "signed" ? "signed" : "public";
  if (process.env.MUX_TOKEN_ID) {
    const webhookSecret = process.env.MUX_WEBHOOK_SECRET;
    if (!process.env.MUX_TOKEN_SECRET || !webhookSecret) {
      throw new Error("With MUX_TOKEN_ID set, MUX_TOKEN_SECRET and MUX_WEBHOOK_SECRET are needed too.");
    }
    return {
      mode: "mux",
      tokenId: process.env.MUX_TOKEN_ID,
      tokenSecret: process.env.MUX_TOKEN_SECRET,
      webhookSecret,
      baseUrl: process.env.MUX_BASE_URL || undefined,
      playbackPolicy,
    };
  }
  const baseUrl = process.env.MUX_BASE_URL;
  if (!baseUrl) {
    throw new Error("MUX_BASE_URL is not set: run the studio with `npm start`, which starts the local Mux emulator.");
  }
  const webhookSecret = process.env.MUX_WEBHOOK_SECRET;
  if (!webhookSecret) {
    throw new Error("MUX_WEBHOOK_SECRET is not set: `npm start` starts the emulator with a secret of its own and sets it.");
  }
  return {
    mode: "emulator",
    tokenId: "emulator-token-id",
    tokenSecret: "emulator-token-secret",
    webhookSecret,
    baseUrl,
    playbackPolicy,
  };
}

/** The studio's own sample video, served at `/samples/<name>` in emulator mode (made by `npm start` with ffmpeg). */
export const sampleVideoName = "test-pattern.mp4";

/**
 * Hosts the video routes let the backend import links from although their address is not public
 * (`imports.allowedHosts`). On the emulator, the studio's own origin (`npm start` sets
 * LESSON_VIDEO_PUBLIC_ORIGIN to it), so "Add from link" can import the sample video the studio serves;
 * with real Mux, none: only public links.
 */
export function linkImportAllowedHosts(): string[] {
  const origin = process.env.LESSON_VIDEO_PUBLIC_ORIGIN;
  return muxSettings().mode === "emulator" && origin ? [origin] : [];
}

/** The link to the sample video a creator can paste into "Add from link", when there is one (emulator mode). */
export function sampleVideoLink(): string | undefined {
  const [origin] = linkImportAllowedHosts();
  return origin ? `${origin.replace(/\/$/, "")}/samples/${sampleVideoName}` : undefined;
}
