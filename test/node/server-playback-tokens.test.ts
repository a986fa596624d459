// Signed playback tokens as the routes hand them out, checked with node:crypto against the public key;
// and the mapping of Mux JSON to the kit's asset shape.
import { generateKeyPairSync, verify } from "node:crypto";
import { Mux } from "@mux/mux-node";
import { toVideoAsset, toWebhookEvent } from "../../src/server/backends/mux-mapping.js";
import { signPlaybackTokens, withPlaybackTokens } from "../../src/server/index.js";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privatePemBase64 = Buffer.from(privateKey.export({ type: "pkcs1", format: "pem" })).toString("base64");

function decode(token: string) {
  const [header = "", payload = "", signature = ""] = token.split(".");
  const validSignature = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"));
  return {
    validSignature,
    header: JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>,
  };
}

describe("signPlaybackTokens", () => {
  it("signs RS256 playback, thumbnail and storyboard tokens for the id, with the key id and a short expiry", async () => {
    const mux = new Mux({ tokenId: "id", tokenSecret: "secret", jwtSigningKey: null, jwtPrivateKey: null });
    const now = Date.now();
    const signed = await signPlaybackTokens(mux, "play123", { id: "key_1", privateKey: privatePemBase64 }, { expiresInSeconds: 600, now });

    const audiences = { playback: "v", thumbnail: "t", storyboard: "s" } as const;
    for (const [kind, aud] of Object.entries(audiences)) {
      const token = decode(signed.tokens[kind as keyof typeof audiences]);
      expect(token.validSignature).toBe(true);
      expect(token.header.alg).toBe("RS256");
      expect(token.claims).toMatchObject({ sub: "play123", aud, kid: "key_1" });
      const exp = token.claims.exp as number;
      expect(exp * 1000).toBeGreaterThanOrEqual(signed.expiresAt);
      expect(exp * 1000).toBeLessThanOrEqual(now + 601_000);
    }
  });

  it("refuses to sign with a key that is not a private key", async () => {
    const mux = new Mux({ tokenId: "id", tokenSecret: "secret" });
    await expect(signPlaybackTokens(mux, "play123", { id: "key_1", privateKey: "not a key" }, { expiresInSeconds: 600 })).rejects.toThrow();
  });
});

describe("withPlaybackTokens", () => {
  const tokens = { playback: "pt", thumbnail: "tt", storyboard: "st" };

  it("puts each token on the media URL it opens and keeps the URL's own query", () => {
    const asset = withPlaybackTokens(
      { id: "a", status: "ready", playbackId: "p", playback: { policy: "signed", src: "http://e/stream/p.mp4", poster: "http://e/image/p/thumbnail.jpg?time=2", storyboardSrc: "http://e/image/p/storyboard.vtt" } },
      tokens,
    );
    expect(asset.playback).toEqual({
      policy: "signed",
      tokens,
      src: "http://e/stream/p.mp4?token=pt",
      poster: "http://e/image/p/thumbnail.jpg?time=2&token=tt",
      storyboardSrc: "http://e/image/p/storyboard.vtt?token=st",
    });
  });

  it("adds only tokens when the player builds the URLs (real Mux)", () => {
    expect(withPlaybackTokens({ id: "a", status: "ready", playbackId: "p", playback: { policy: "signed" } }, tokens).playback).toEqual({ policy: "signed", tokens });
  });
});

describe("Mux JSON to VideoAsset", () => {
  const muxAsset = {
    id: "asset_1",
    status: "ready",
    playback_ids: [{ id: "pid_signed", policy: "signed" }],
    duration: 12.5,
    aspect_ratio: "16:9",
    upload_id: "up_1",
    passthrough: "lesson_9",
    created_at: "1764000000",
  };

  it("fills emulator media URLs from contract B when a playback base URL is given", () => {
    expect(toVideoAsset(muxAsset, "http://127.0.0.1:4010/")).toEqual({
      id: "asset_1",
      status: "ready",
      playbackId: "pid_signed",
      duration: 12.5,
      aspectRatio: "16:9",
      uploadId: "up_1",
      passthrough: "lesson_9",
      playback: {
        policy: "signed",
        src: "http://127.0.0.1:4010/stream/pid_signed.mp4",
        poster: "http://127.0.0.1:4010/image/pid_signed/thumbnail.jpg",
        storyboardSrc: "http://127.0.0.1:4010/image/pid_signed/storyboard.vtt",
      },
    });
  });

  it("leaves media URLs to the player for real Mux and prefers a public playback id", () => {
    const both = { ...muxAsset, playback_ids: [{ id: "s", policy: "signed" }, { id: "p", policy: "public" }] };
    expect(toVideoAsset(both, undefined)).toMatchObject({ playbackId: "p", playback: { policy: "public" } });
    expect(toVideoAsset(both, undefined).playback).not.toHaveProperty("src");
  });

  it("turns Mux's errors object into one entry per message", () => {
    const errored = { id: "a", status: "errored", errors: { type: "invalid_input", messages: ["not a video", "no streams"] } };
    expect(toVideoAsset(errored, undefined).errors).toEqual([
      { type: "invalid_input", message: "not a video" },
      { type: "invalid_input", message: "no streams" },
    ]);
  });

  it("reads a webhook's lesson id, asset id and times, and refuses envelopes without an id", () => {
    const event = toWebhookEvent(
      { id: "evt_1", type: "video.asset.ready", created_at: "2026-11-25T00:00:10.000Z", data: { ...muxAsset, created_at: Date.parse("2026-11-25T00:00:00Z") / 1000 } },
      undefined,
    );
    expect(event).toMatchObject({ id: "evt_1", type: "asset.ready", asset: { id: "asset_1", passthrough: "lesson_9" } });
    expect(event && "assetCreatedAt" in event && event.createdAt !== undefined && event.assetCreatedAt !== undefined ? event.createdAt - event.assetCreatedAt : -1).toBe(10_000);
    expect(toWebhookEvent({ type: "video.asset.ready", data: muxAsset }, undefined)).toBeUndefined();
    expect(
      toWebhookEvent({ id: "evt_2", type: "video.upload.asset_created", data: { id: "up_1", asset_id: "asset_1", new_asset_settings: { passthrough: "lesson_9" } } }, undefined),
    ).toEqual({ id: "evt_2", type: "upload.asset_created", uploadId: "up_1", assetId: "asset_1", passthrough: "lesson_9" });
  });
});
