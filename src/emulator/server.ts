/**
 * `startMuxEmulator()`: one node:http server that routes Mux's API paths (Basic auth), the direct-upload
 * URL, playback and image URLs, and the `/_emulator` admin endpoints. Every route first checks the `Host`
 * header (421 unless loopback, the bound host, `publicUrl`'s host or `allowedHosts`), against DNS rebinding.
 * Everything it owns hangs off the returned object, so several emulators can run in one process.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expireUploadsNow, handleAdmin, readAdminOrigins } from "./admin.js";
import { createHostCheck } from "./allowed-hosts.js";
import { handleAssetsApi } from "./api-assets.js";
import { handleSigningKeysApi, ownSigningKey } from "./api-signing-keys.js";
import { handleUploadsApi } from "./api-uploads.js";
import { expireIfDue, type EmulatorContext } from "./context.js";
import { FaultInjector } from "./faults.js";
import { resolveTools } from "./media-tools.js";
import { handlePlayback } from "./playback.js";
import { AssetProcessor } from "./processing.js";
import { MuxHttpError, notFound, sendMuxError } from "./responses.js";
import { isRenditionFileName, serveStaticRendition, StaticRenditionWorker } from "./static-renditions.js";
import { EmulatorStore } from "./store.js";
import { TextTrackWorker } from "./text-tracks.js";
import { ThumbnailMaker } from "./thumbnail.js";
import type { EmulatorFaults, MuxEmulator, MuxEmulatorOptions } from "./types.js";
import { handleUploadUrl } from "./upload-endpoint.js";
import { UploadWrites } from "./upload-writes.js";
import { WebhookSender } from "./webhooks.js";

export const DEFAULT_TOKEN_ID = "emulator-token-id";
export const DEFAULT_TOKEN_SECRET = "emulator-token-secret";
export const DEFAULT_WEBHOOK_SECRET = "emulator-webhook-secret";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkBasicAuth(req: IncomingMessage, tokenId: string, tokenSecret: string): void {
  const header = req.headers.authorization ?? "";
  const match = /^Basic\s+(.+)$/i.exec(header);
  const decoded = match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  const ok = colon > 0 && sameSecret(decoded.slice(0, colon), tokenId) && sameSecret(decoded.slice(colon + 1), tokenSecret);
  if (!ok) throw new MuxHttpError(401, "unauthorized", ["Unauthorized request"]);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a local Mux emulator and resolves once it listens.
 *
 * @example
 * const emulator = await startMuxEmulator({ port: 0, dataDir: ".emulator-data" });
 * const mux = new Mux({ tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, baseURL: emulator.url });
 * // ... upload to `upload.url`, play `${emulator.url}/stream/<playback id>.mp4`; for a signed playback id,
 * // sign tokens with `emulator.signingKey` (createMuxBackend({ signingKey: emulator.signingKey, … }))
 * await emulator.close();
 */
export async function startMuxEmulator(options: MuxEmulatorOptions = {}): Promise<MuxEmulator> {
  const tokenId = options.tokenId ?? DEFAULT_TOKEN_ID;
  const tokenSecret = options.tokenSecret ?? DEFAULT_TOKEN_SECRET;
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const host = options.host ?? "127.0.0.1";
  // Option mistakes throw before anything is opened or bound.
  const allowedOrigins = readAdminOrigins(options.adminOrigins);
  const hostAllowed = createHostCheck({ bindHost: host, publicUrl: options.publicUrl, allowedHosts: options.allowedHosts });
  const toolsFound = resolveTools(options.tools);
  const store = EmulatorStore.open(options.dataDir);
  // Making an RSA key takes a moment of a worker thread: meanwhile ffmpeg and ffprobe are looked for.
  const [tools, signingKey] = await Promise.all([toolsFound, ownSigningKey(store)]);
  // Aborted by close(): ffmpeg runs still grabbing thumbnails or cutting clips would go on writing into the data dir.
  const shutdown = new AbortController();
  const thumbnails = new ThumbnailMaker(tools.ffmpeg, options.thumbnails, shutdown.signal);

  const faults = new FaultInjector(options.faults);
  const webhooks = new WebhookSender({
    secret: webhookSecret,
    urls: options.webhookUrls ?? [],
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1000, 5000, 30000, 120000],
    onGiveUp: (event, url, status) => {
      console.warn(`[mux-emulator] webhook ${event.type} to ${url} gave up after ${event.attempts.length} attempts (last status ${status ?? "no answer"})`);
    },
  });
  let baseUrl = "";
  const textTracks = new TextTrackWorker({
    store,
    webhooks,
    delayMs: options.processingDelayMs ?? 1000,
    generatedCaptions: options.generatedCaptions,
    sourceHosts: options.trackSourceHosts,
  });
  const renditions = new StaticRenditionWorker({ store, webhooks, ffmpeg: tools.ffmpeg });
  const processor = new AssetProcessor({
    onCreated: (asset) => renditions.announce(asset),
    onSettled: (asset) => renditions.assetSettled(asset),
    onReady: (asset) => {
      const pending = asset.pending_generated_subtitles;
      if (!pending) return;
      delete asset.pending_generated_subtitles;
      textTracks.addGenerated(asset, pending);
    },
    store,
    faults,
    webhooks,
    ffprobe: tools.ffprobe,
    ffmpeg: tools.ffmpeg,
    delayMs: options.processingDelayMs ?? 1000,
    baseUrl: () => baseUrl,
    // Input URLs of `POST /video/v1/assets` follow the text tracks' rule: loopback and `trackSourceHosts` only.
    inputAllowed: (url) => textTracks.sourceAllowed(url),
  });
  const ctx: EmulatorContext = {
    store,
    faults,
    webhooks,
    processor,
    tools,
    thumbnails,
    textTracks,
    renditions,
    baseUrl: () => baseUrl,
    uploadWrites: new UploadWrites(),
    shutdown: shutdown.signal,
  };
  const setFaults = (next: EmulatorFaults) => {
    faults.set(next);
    expireUploadsNow(ctx);
  };
  const setWebhookUrls = (urls: string[]) => webhooks.setUrls(urls);
  const setGeneratedCaptions = (vtt: string | undefined, assetId?: string) => textTracks.setGenerated(vtt, assetId);
  expireUploadsNow(ctx);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host)) {
      throw new MuxHttpError(421, "misdirected_request", [
        `This emulator does not answer for Host ${req.headers.host ?? "(none)"}. Use localhost or 127.0.0.1, or start it with allowedHosts (--allowed-host).`,
      ]);
    }
    const latency = faults.latencyMs;
    if (latency > 0) await sleep(latency);
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const segments = url.pathname.split("/").filter((s) => s !== "");
    const [first, second, third, ...rest] = segments;
    if ((first === "video" || first === "system") && second === "v1") {
      checkBasicAuth(req, tokenId, tokenSecret);
      if (first === "video" && third === "uploads") return handleUploadsApi(ctx, req, res, rest, url.searchParams);
      if (first === "video" && third === "assets") return handleAssetsApi(ctx, req, res, rest, url.searchParams);
      if (first === "system" && third === "signing-keys") return handleSigningKeysApi(ctx, req, res, rest, url.searchParams);
      throw notFound();
    }
    if (first === "upload" && second && third === undefined) return handleUploadUrl(ctx, req, res, second);
    if (first === "stream" && second && third && rest.length === 0 && isRenditionFileName(third)) return serveStaticRendition(ctx, req, res, second, third, url.searchParams);
    if (first === "stream" || first === "image") return handlePlayback(ctx, req, res, segments, url.searchParams);
    if (first === "_emulator") return handleAdmin(ctx, { setFaults, setWebhookUrls, setGeneratedCaptions, allowedOrigins }, req, res, segments.slice(1));
    throw notFound();
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof MuxHttpError) {
        req.resume();
        return sendMuxError(res, error);
      }
      console.error("[mux-emulator] internal error:", error);
      sendMuxError(res, new MuxHttpError(500, "internal_error", ["The emulator failed to handle this request."]));
    });
  });
  // Long keep-alive: on a loaded machine a client's idle-socket timer can fire late, and a server that
  // closes first makes the client's next request fail with ECONNRESET.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const listenHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${listenHost === "0.0.0.0" ? "127.0.0.1" : listenHost}:${address.port}`;
  baseUrl = (options.publicUrl ?? url).replace(/\/+$/, "");

  processor.resumePending();
  textTracks.resumePending();
  renditions.resumePending();
  // Uploads past their timeout turn `timed_out` even when nobody asks about them.
  const sweeper = setInterval(() => {
    for (const upload of store.uploads.values()) expireIfDue(ctx, upload);
  }, 1000);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    tokenId,
    tokenSecret,
    webhookSecret,
    dataDir: store.dir,
    signingKey,
    setFaults,
    setWebhookUrls,
    setGeneratedCaptions,
    flushWebhooks: () => webhooks.flush(),
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        shutdown.abort();
        processor.close();
        textTracks.close();
        renditions.close();
        // A probe or download already running finishes before its files can be removed.
        await processor.idle();
        await textTracks.idle();
        await renditions.idle();
        webhooks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await webhooks.flush();
        store.dispose();
      })();
      return closing;
    },
  };
}
