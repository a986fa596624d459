/**
 * Text tracks of the emulator, as Mux has them: `POST /video/v1/assets/:id/tracks` downloads a WebVTT or
 * SRT file from a URL (loopback or a listed host only, so the emulator cannot be pointed at the network),
 * `DELETE …/tracks/:trackId`, and `POST …/tracks/:audioTrackId/generate-subtitles` (also started by
 * `generated_subtitles` on an upload's `new_asset_settings.inputs[0]`). Every track starts `preparing` and
 * ends `ready` or `errored` after the processing delay, with `video.asset.track.*` webhooks.
 *
 * Speech is never transcribed: generated tracks get the WebVTT a test supplied (`generatedCaptions`,
 * `setGeneratedCaptions`, `POST /_emulator/generated-captions`), or end `errored` saying so.
 */
import { rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCaptionBytes, parseCaptionText } from "../server/caption-format.js";
import { hostName } from "./allowed-hosts.js";
import { assetWebhookData, audioTrackId, textTrackJson } from "./mux-json.js";
import { invalidParameters, methodNotAllowed, MuxHttpError, notFound, readJsonObject, sendData } from "./responses.js";
import { newId, type EmulatorStore } from "./store.js";
import type { AssetRecord, GeneratedSubtitleSettings, TextTrackRecord } from "./types.js";
import type { WebhookSender } from "./webhooks.js";

/** Largest caption file the emulator downloads. */
export const maxTrackFileBytes = 1024 * 1024;

/** The languages Mux generates subtitles in (`AssetGeneratedSubtitleSettings.language_code` in `@mux/mux-node` 15). */
export const generatedSubtitleLanguages: ReadonlySet<string> = new Set(
  ["en", "es", "it", "pt", "de", "fr", "pl", "ru", "nl", "ca", "tr", "sv", "uk", "no", "fi", "sk", "el", "cs", "hr", "da", "ro", "bg", "auto"],
);

/** The message of a generated track when no WebVTT was supplied. */
export const notEmulatedMessage = "speech-to-text is not emulated: supply the captions with --generated-captions or POST /_emulator/generated-captions";

const languagePattern = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;

/** What `video.asset.track.*` webhooks carry: the track and the id of its asset. */
const trackWebhookData = (asset: AssetRecord, track: TextTrackRecord) => ({ ...textTrackJson(track), asset_id: asset.id });

/** Mux names a track after its language when no name is given ("English", "English (generated)"). */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface TextTrackWorkerDeps {
  store: EmulatorStore;
  webhooks: WebhookSender;
  delayMs: number;
  generatedCaptions?: string | undefined;
  sourceHosts?: string[] | undefined;
}

/** Runs the tracks of one emulator: downloads, generated text, timers; nothing module-level. */
export class TextTrackWorker {
  readonly #deps: TextTrackWorkerDeps;
  readonly #sourceHosts: Set<string>;
  #defaultGenerated: string | undefined;
  readonly #generatedByAsset = new Map<string, string>();
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(deps: TextTrackWorkerDeps) {
    this.#deps = deps;
    this.#sourceHosts = new Set();
    for (const name of deps.sourceHosts ?? []) {
      const host = hostName(name);
      if (host === undefined) throw new Error(`trackSourceHosts: "${name}" is not a host name.`);
      this.#sourceHosts.add(host);
    }
    if (deps.generatedCaptions !== undefined) this.setGenerated(deps.generatedCaptions);
  }

  /** Sets (or with `undefined` removes) the WebVTT generated tracks get, for one asset or as the default. */
  setGenerated(text: string | undefined, assetId?: string): void {
    let vtt: string | undefined;
    if (text !== undefined) {
      const parsed = parseCaptionText(text);
      if (!parsed.ok) throw new Error(`Generated captions: ${parsed.message}`);
      vtt = parsed.vtt;
    }
    if (assetId === undefined) this.#defaultGenerated = vtt;
    else if (vtt === undefined) this.#generatedByAsset.delete(assetId);
    else this.#generatedByAsset.set(assetId, vtt);
  }

  /** May a track URL be downloaded? Loopback and listed hosts, http(s) only. */
  sourceAllowed(url: URL): boolean {
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    if (url.username || url.password) return false;
    return isLoopbackHost(url.hostname) || this.#sourceHosts.has(url.hostname);
  }

  /** Adds an uploaded track (`preparing`) and schedules its download. */
  addUploaded(asset: AssetRecord, fields: Omit<TextTrackRecord, "id" | "status" | "createdAt" | "text_source">): TextTrackRecord {
    const track: TextTrackRecord = { ...fields, id: newId(), text_source: "uploaded", status: "preparing", createdAt: Date.now() };
    this.#add(asset, track);
    return track;
  }

  /** Adds generated tracks (`preparing`), one per settings entry, and schedules them. */
  addGenerated(asset: AssetRecord, settings: GeneratedSubtitleSettings[]): TextTrackRecord[] {
    return settings.map((entry) => {
      const language = entry.language_code === "auto" ? "en" : entry.language_code;
      const track: TextTrackRecord = {
        id: newId(),
        text_type: "subtitles",
        text_source: "generated_vod",
        language_code: entry.language_code,
        name: entry.name ?? `${languageName(language)} (generated)`,
        closed_captions: false,
        status: "preparing",
        createdAt: Date.now(),
        ...(entry.passthrough === undefined ? {} : { passthrough: entry.passthrough }),
      };
      this.#add(asset, track);
      return track;
    });
  }

  /** Removes a track and its file. */
  remove(asset: AssetRecord, track: TextTrackRecord): void {
    asset.text_tracks = (asset.text_tracks ?? []).filter((t) => t !== track);
    rmSync(this.#deps.store.textTrackPath(track.id), { force: true });
    this.#deps.store.save();
    this.#deps.webhooks.emit("video.asset.track.deleted", { type: "track", id: track.id }, { ...trackWebhookData(asset, track), status: "deleted" });
  }

  /** The asset is going away: forget its supplied captions (its track files go with its other files). */
  forgetAsset(assetId: string): void {
    this.#generatedByAsset.delete(assetId);
  }

  /** Picks up tracks a previous run left `preparing`. */
  resumePending(): void {
    for (const asset of this.#deps.store.assets.values()) {
      for (const track of asset.text_tracks ?? []) if (track.status === "preparing") this.#schedule(asset.id, track.id);
    }
  }

  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  close(): void {
    this.#closed = true;
    for (const [timer, cancel] of this.#timers) {
      clearTimeout(timer);
      cancel();
    }
    this.#timers.clear();
  }

  #add(asset: AssetRecord, track: TextTrackRecord): void {
    asset.text_tracks = [...(asset.text_tracks ?? []), track];
    this.#deps.store.save();
    this.#deps.webhooks.emit("video.asset.track.created", { type: "track", id: track.id }, trackWebhookData(asset, track));
    this.#schedule(asset.id, track.id);
  }

  #schedule(assetId: string, trackId: string): void {
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const finish = () => {
      this.#running.delete(done);
      resolveDone();
    };
    this.#running.add(done);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#process(assetId, trackId)
        .catch((error: unknown) => this.#settle(assetId, trackId, { type: "internal_error", message: `Track processing failed: ${String(error)}` }))
        .finally(finish);
    }, this.#deps.delayMs);
    this.#timers.set(timer, finish);
  }

  #find(assetId: string, trackId: string): { asset: AssetRecord; track: TextTrackRecord } | undefined {
    const asset = this.#deps.store.assets.get(assetId);
    const track = asset?.text_tracks?.find((t) => t.id === trackId);
    return asset && track && track.status === "preparing" && !this.#closed ? { asset, track } : undefined;
  }

  async #process(assetId: string, trackId: string): Promise<void> {
    const found = this.#find(assetId, trackId);
    if (!found) return;
    const { track } = found;
    if (track.text_source === "generated_vod") {
      const vtt = this.#generatedByAsset.get(assetId) ?? this.#defaultGenerated;
      if (vtt === undefined) return this.#settle(assetId, trackId, { type: "not_emulated", message: notEmulatedMessage });
      return this.#settle(assetId, trackId, undefined, vtt);
    }
    const download = await this.#download(track.source_url ?? "");
    if (!download.ok) return this.#settle(assetId, trackId, { type: "invalid_input", message: download.message });
    const parsed = parseCaptionBytes(download.bytes);
    if (!parsed.ok) return this.#settle(assetId, trackId, { type: "invalid_input", message: `The text track file is not WebVTT or SRT: ${parsed.message}` });
    return this.#settle(assetId, trackId, undefined, parsed.vtt);
  }

  async #download(source: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
    const url = URL.canParse(source) ? new URL(source) : undefined;
    if (!url || !this.sourceAllowed(url)) return { ok: false, message: "The emulator downloads text tracks from loopback or listed hosts only." };
    let response: Response;
    try {
      // No redirects: a redirect could lead off the allowed hosts.
      response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      return { ok: false, message: `Could not download the text track file: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, message: `Downloading the text track file answered ${response.status}.` };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxTrackFileBytes) return { ok: false, message: `The text track file is larger than ${maxTrackFileBytes} bytes.` };
      chunks.push(chunk);
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  }

  #settle(assetId: string, trackId: string, error: { type: string; message: string } | undefined, vtt?: string): void {
    const found = this.#find(assetId, trackId);
    if (!found) return;
    const { asset, track } = found;
    if (error) {
      track.status = "errored";
      track.error = { type: error.type, messages: [error.message] };
    } else {
      writeFileSync(this.#deps.store.textTrackPath(track.id), vtt ?? "WEBVTT\n");
      track.status = "ready";
    }
    this.#deps.store.save();
    this.#deps.webhooks.emit(error ? "video.asset.track.errored" : "video.asset.track.ready", { type: "track", id: track.id }, trackWebhookData(asset, track));
    this.#deps.webhooks.emit("video.asset.updated", { type: "asset", id: asset.id }, assetWebhookData(asset));
  }
}

function readString(body: Record<string, unknown>, name: string, max: number, required: true): string;
function readString(body: Record<string, unknown>, name: string, max: number, required: false): string | undefined;
function readString(body: Record<string, unknown>, name: string, max: number, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw invalidParameters(`${name} must be a non-empty string.`);
  if (value.length > max) throw invalidParameters(`${name} must be at most ${max} characters.`);
  return value;
}

export function readGeneratedSubtitles(value: unknown, where: string): GeneratedSubtitleSettings[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 10) throw invalidParameters(`${where} must be an array of 1 to 10 objects.`);
  return value.map((entry, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw invalidParameters(`${where}[${index}] must be an object.`);
    const body = entry as Record<string, unknown>;
    const language = body.language_code ?? "en";
    if (typeof language !== "string" || !generatedSubtitleLanguages.has(language)) {
      throw invalidParameters(`${where}[${index}].language_code must be one of ${[...generatedSubtitleLanguages].join(", ")}.`);
    }
    const name = readString(body, "name", 255, false);
    const passthrough = readString(body, "passthrough", 255, false);
    return { language_code: language, ...(name === undefined ? {} : { name }), ...(passthrough === undefined ? {} : { passthrough }) };
  });
}

function assertReady(asset: AssetRecord): void {
  if (asset.status !== "ready") throw invalidParameters("Tracks can be added to ready assets only.");
}

function assertUniqueName(asset: AssetRecord, name: string): void {
  if ((asset.text_tracks ?? []).some((t) => t.name === name)) throw invalidParameters(`A text track named "${name}" exists already; names must be unique.`);
}

async function createTrack(worker: TextTrackWorker, req: IncomingMessage, res: ServerResponse, asset: AssetRecord): Promise<void> {
  const body = await readJsonObject(req);
  if (body.type === "audio") throw invalidParameters("The emulator does not add audio tracks.");
  if (body.type !== "text") throw invalidParameters('type must be "text" or "audio".');
  const textType = body.text_type ?? "subtitles";
  if (textType !== "subtitles") throw invalidParameters('text_type must be "subtitles".');
  const url = readString(body, "url", 2048, true);
  if (!URL.canParse(url)) throw invalidParameters("url must be an absolute URL.");
  if (!worker.sourceAllowed(new URL(url))) {
    throw invalidParameters("The emulator downloads text tracks from loopback hosts (and trackSourceHosts / --track-source-host) only.");
  }
  const language = readString(body, "language_code", 35, true);
  if (!languagePattern.test(language)) throw invalidParameters("language_code must be a BCP 47 language code such as en or pt-BR.");
  if (body.closed_captions !== undefined && typeof body.closed_captions !== "boolean") throw invalidParameters("closed_captions must be a boolean.");
  const name = readString(body, "name", 255, false) ?? languageName(language);
  const passthrough = readString(body, "passthrough", 255, false);
  assertReady(asset);
  assertUniqueName(asset, name);
  const track = worker.addUploaded(asset, {
    text_type: "subtitles",
    language_code: language,
    name,
    closed_captions: body.closed_captions === true,
    source_url: url,
    ...(passthrough === undefined ? {} : { passthrough }),
  });
  sendData(res, 201, textTrackJson(track));
}

async function generateSubtitles(worker: TextTrackWorker, req: IncomingMessage, res: ServerResponse, asset: AssetRecord, trackId: string): Promise<void> {
  const body = await readJsonObject(req);
  if (trackId !== audioTrackId(asset) || !asset.media?.hasAudio) throw notFound("audio track");
  assertReady(asset);
  const settings = readGeneratedSubtitles(body.generated_subtitles, "generated_subtitles");
  const tracks = worker.addGenerated(asset, settings);
  sendData(res, 201, tracks.map(textTrackJson));
}

/** Handles `/video/v1/assets/:id/tracks[/:trackId[/generate-subtitles]]`; `rest` are the segments after `tracks`. */
export async function handleTracksApi(worker: TextTrackWorker, req: IncomingMessage, res: ServerResponse, asset: AssetRecord, rest: string[]): Promise<void> {
  const method = req.method ?? "GET";
  const [trackId, action, ...extra] = rest;
  if (extra.length > 0) throw notFound();
  if (trackId === undefined) {
    if (method === "POST") return createTrack(worker, req, res, asset);
    throw methodNotAllowed(method);
  }
  if (action === "generate-subtitles") {
    if (method === "POST") return generateSubtitles(worker, req, res, asset, trackId);
    throw methodNotAllowed(method);
  }
  if (action !== undefined) throw notFound();
  const track = asset.text_tracks?.find((t) => t.id === trackId);
  if (method === "DELETE") {
    if (!track) {
      if (trackId === audioTrackId(asset)) throw new MuxHttpError(400, "invalid_parameters", ["The primary audio track cannot be deleted."]);
      throw notFound("track");
    }
    worker.remove(asset, track);
    res.writeHead(204).end();
    return;
  }
  throw methodNotAllowed(method);
}
