/**
 * Signed playback tokens reused while they are young. A token names only the playback id, not the
 * viewer, so every viewer `canView` allowed may share it; reuse saves three RSA signatures per request
 * when a page of viewers polls a signed asset. Tokens are handed out only in the first half of their life.
 */
import type { SignedPlayback } from "./backend.js";

export class PlaybackTokenCache {
  readonly #sign: (playbackId: string) => Promise<SignedPlayback>;
  readonly #now: () => number;
  readonly #lifetimeMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Promise<SignedPlayback>>();

  constructor(sign: (playbackId: string) => Promise<SignedPlayback>, options: { lifetimeSeconds: number; now: () => number; maxEntries?: number }) {
    this.#sign = sign;
    this.#now = options.now;
    this.#lifetimeMs = options.lifetimeSeconds * 1000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  async get(playbackId: string): Promise<SignedPlayback> {
    const cached = this.#entries.get(playbackId);
    if (cached) {
      const signed = await cached.catch(() => undefined);
      if (signed && signed.expiresAt - this.#now() > this.#lifetimeMs / 2) return signed;
      if (this.#entries.get(playbackId) === cached) this.#entries.delete(playbackId);
    }
    const signing = this.#sign(playbackId);
    this.#entries.set(playbackId, signing);
    signing.catch(() => this.#entries.delete(playbackId));
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return signing;
  }
}
