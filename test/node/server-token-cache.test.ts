// Reuse of signed playback tokens between viewers: one signature for many requests while the tokens
// are young, fresh ones once half their life is gone, and no memory of a failed signature.
import type { SignedPlayback } from "../../src/server/backend.js";
import { PlaybackTokenCache } from "../../src/server/token-cache.js";

function signer(now: () => number) {
  let calls = 0;
  let fail = false;
  return {
    sign: async (playbackId: string): Promise<SignedPlayback> => {
      calls++;
      if (fail) throw new Error("no signing key");
      const t = `${playbackId}-${calls}`;
      return { tokens: { playback: t, thumbnail: t, storyboard: t }, expiresAt: now() + 600_000 };
    },
    failNext: (value: boolean) => (fail = value),
    get calls() {
      return calls;
    },
  };
}

describe("PlaybackTokenCache", () => {
  it("signs once for many concurrent viewers of one playback id", async () => {
    const time = 0;
    const s = signer(() => time);
    const cache = new PlaybackTokenCache(s.sign, { lifetimeSeconds: 600, now: () => time });
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get("p1")));
    expect(s.calls).toBe(1);
    expect(new Set(results.map((r) => r.tokens.playback))).toEqual(new Set(["p1-1"]));
    await cache.get("p2");
    expect(s.calls).toBe(2);
  });

  it("signs fresh tokens once half of their life is gone", async () => {
    let time = 0;
    const s = signer(() => time);
    const cache = new PlaybackTokenCache(s.sign, { lifetimeSeconds: 600, now: () => time });
    await cache.get("p1");
    time = 299_000;
    await expect(cache.get("p1")).resolves.toMatchObject({ tokens: { playback: "p1-1" } });
    time = 301_000;
    await expect(cache.get("p1")).resolves.toMatchObject({ tokens: { playback: "p1-2" }, expiresAt: 901_000 });
  });

  it("does not remember a failed signature", async () => {
    const time = 0;
    const s = signer(() => time);
    const cache = new PlaybackTokenCache(s.sign, { lifetimeSeconds: 600, now: () => time });
    s.failNext(true);
    await expect(cache.get("p1")).rejects.toThrow("no signing key");
    s.failNext(false);
    await expect(cache.get("p1")).resolves.toMatchObject({ tokens: { playback: "p1-2" } });
  });

  it("keeps at most maxEntries playback ids", async () => {
    const time = 0;
    const s = signer(() => time);
    const cache = new PlaybackTokenCache(s.sign, { lifetimeSeconds: 600, now: () => time, maxEntries: 2 });
    await cache.get("a");
    await cache.get("b");
    await cache.get("c");
    await cache.get("a");
    expect(s.calls).toBe(4);
  });
});
