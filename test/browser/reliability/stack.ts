// Helpers shared by the reliability browser tests: the stack from setup/reliability.ts, an UploadController wired to
// it over the real HTTP transport, generated multi-chunk MP4s, and checks of what the emulator ended up holding.
import { AssetWatcher } from "../../../src/core/asset-watcher.js";
import { createXhrRequester, type ChunkRequester } from "../../../src/core/chunk-requester.js";
import type { VideoEvent } from "../../../src/core/events.js";
import type { UploadState } from "../../../src/core/types.js";
import { UploadController, type UploadControllerOptions } from "../../../src/core/upload-controller.js";
import { createHttpTransport } from "../../../src/transports/http.js";
import type { ReliabilityStack } from "../setup/reliability.js";

export const CHUNK = 256 * 1024;

export interface EmulatorAsset {
  id: string;
  status: string;
  upload_id?: string;
  errors?: { type?: string; messages?: string[] };
  playback_ids?: { id: string }[];
}

export interface EmulatorUpload {
  id: string;
  status: string;
  asset_id?: string;
}

export function parseStack(json: string): ReliabilityStack {
  return JSON.parse(json) as ReliabilityStack;
}

export async function listAssets(stack: ReliabilityStack): Promise<EmulatorAsset[]> {
  return (await (await fetch(`${stack.api}/assets`)).json()) as EmulatorAsset[];
}

export async function listUploads(stack: ReliabilityStack): Promise<EmulatorUpload[]> {
  return (await (await fetch(`${stack.api}/uploads`)).json()) as EmulatorUpload[];
}

export async function setFaults(stack: ReliabilityStack, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.api}/faults`, { method: "POST", body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`setting faults failed: ${response.status}`);
}

export async function fixtureBytes(stack: ReliabilityStack, key: "mp4" | "audio" | "webm"): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${stack.api}/fixtures/${key}`)).arrayBuffer());
}

/**
 * A valid MP4 of about `size` bytes: the generated fixture followed by a `free` box of random bytes (players and
 * probes skip `free` boxes), so every run sends different bytes and the file spans many 256 KiB chunks.
 */
export function paddedMp4(base: Uint8Array, size: number, name = "lesson.mp4"): File {
  const payload = Math.max(0, size - base.length - 8);
  const box = new Uint8Array(8 + payload);
  new DataView(box.buffer).setUint32(0, box.length);
  box.set([0x66, 0x72, 0x65, 0x65], 4); // "free"
  for (let offset = 8; offset < box.length; offset += 65536) {
    crypto.getRandomValues(box.subarray(offset, Math.min(box.length, offset + 65536)));
  }
  return new File([base as BlobPart, box], name, { type: "video/mp4", lastModified: 1_700_000_000_000 });
}

export async function sha256(data: ArrayBuffer | Blob): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface Harness {
  controller: UploadController;
  events: VideoEvent[];
  /** Resolves with the final snapshot once the upload is complete or errored. */
  settled(): Promise<UploadState>;
  /** Calls `action` once, the first time a snapshot satisfies `when`. */
  once(when: (state: UploadState) => boolean, action: (state: UploadState) => void): void;
}

export function makeController(stack: ReliabilityStack, options: Partial<UploadControllerOptions> = {}): Harness {
  const transport = createHttpTransport({ baseUrl: stack.routes, events: false });
  const events: VideoEvent[] = [];
  const controller = new UploadController({
    transport,
    watcher: new AssetWatcher({ transport, initialIntervalMs: 100, maxIntervalMs: 300 }),
    chunkSize: CHUNK,
    retry: { baseDelayMs: 200, maxDelayMs: 1500, retries: 8 },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return {
    controller,
    events,
    settled: () =>
      new Promise((resolve) => {
        const check = () => {
          const state = controller.getSnapshot();
          if (state.status === "complete" || state.status === "error") {
            stop();
            resolve(state);
          }
        };
        const stop = controller.subscribe(check);
        check();
      }),
    once(when, action) {
      let done = false;
      const stop = controller.subscribe(() => {
        const state = controller.getSnapshot();
        if (done || !when(state)) return;
        done = true;
        queueMicrotask(stop);
        action(state);
      });
    },
  };
}

/** The bytes the emulator plays back for this asset, hashed. */
export async function playedSha256(stack: ReliabilityStack, asset: EmulatorAsset): Promise<string> {
  const playbackId = asset.playback_ids?.[0]?.id;
  if (!playbackId) throw new Error(`asset ${asset.id} has no playback id`);
  const response = await fetch(`${stack.emulator}/stream/${playbackId}.mp4`);
  if (!response.ok) throw new Error(`playback of ${playbackId} answered ${response.status}`);
  return sha256(await response.arrayBuffer());
}

/** Assets that appeared since `before` was listed. */
export async function newAssets(stack: ReliabilityStack, before: EmulatorAsset[]): Promise<EmulatorAsset[]> {
  const known = new Set(before.map((a) => a.id));
  return (await listAssets(stack)).filter((a) => !known.has(a.id));
}

/**
 * Chunk PUTs over XHR, counted: how many the uploader asked for, and how many have not settled yet. What shows
 * that nothing moves while an upload is paused.
 */
export function countingRequester(): { request: ChunkRequester; readonly sent: number; readonly inFlight: number } {
  const xhr = createXhrRequester();
  let sent = 0;
  let inFlight = 0;
  return {
    request: async (req) => {
      if (req.body) sent++;
      inFlight++;
      try {
        return await xhr(req);
      } finally {
        inFlight--;
      }
    },
    get sent() {
      return sent;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

/**
 * Only for absences (nothing moves while paused): a span of time is the one thing that shows them. Wait for
 * events for everything else.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
