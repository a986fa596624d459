/**
 * Emulator state: uploads, assets and signing keys in memory, mirrored to `<dataDir>/state.json` on every change
 * but the bytes a chunk adds (the `.part` file's length says how many an upload has; read back at open); bytes in
 * `<dataDir>/files/` (cached thumbnails there are dropped at open: a cache, not state); the private part of
 * the emulator's own signing key in `<dataDir>/signing-key.json`, readable by its owner only. File names are
 * made from ids the emulator generated itself, never from anything a client sent, so no upload name, header
 * or URL can reach the file system.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AssetRecord, EmulatorState, SigningKeyRecord, UploadRecord } from "./types.js";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ID_PATTERN = /^[A-Za-z0-9]{8,64}$/;

/** A Mux-looking id (letters and digits); 32 characters of base62 ≈ 190 bits. */
export function newId(length = 32): string {
  const bytes = randomBytes(length * 2);
  let id = "";
  for (const byte of bytes) {
    // Reject the top of the byte range so every character is equally likely.
    if (byte >= 248) continue;
    id += ID_ALPHABET.charAt(byte % 62);
    if (id.length === length) break;
  }
  return id.length === length ? id : newId(length);
}

/** True for strings that can be one of our ids (and so are safe inside a file name). */
export function isEmulatorId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export interface StoreLocation {
  dir: string;
  /** True when the dir is a throwaway temp dir that `dispose()` removes. */
  temporary: boolean;
}

export class EmulatorStore {
  readonly uploads = new Map<string, UploadRecord>();
  readonly assets = new Map<string, AssetRecord>();
  readonly signingKeys = new Map<string, SigningKeyRecord>();
  readonly dir: string;
  /** The emulator's own signing key, private part included (`ownSigningKey`). */
  readonly ownSigningKeyPath: string;
  private readonly temporary: boolean;
  private readonly filesDir: string;
  private readonly statePath: string;

  private constructor(location: StoreLocation) {
    this.dir = location.dir;
    this.temporary = location.temporary;
    this.filesDir = join(this.dir, "files");
    this.statePath = join(this.dir, "state.json");
    this.ownSigningKeyPath = join(this.dir, "signing-key.json");
  }

  /** Opens (or creates) a data dir; without one, a temp dir. Reads any state a previous run left. */
  static open(dataDir: string | undefined): EmulatorStore {
    const location: StoreLocation = dataDir
      ? { dir: dataDir, temporary: false }
      : { dir: mkdtempSync(join(tmpdir(), "lvk-emulator-")), temporary: true };
    mkdirSync(join(location.dir, "files"), { recursive: true });
    const store = new EmulatorStore(location);
    store.load();
    store.readCommittedBytes();
    store.removeThumbnailCaches();
    return store;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.statePath, "utf8");
    } catch {
      return;
    }
    // The file may come from another version of the emulator: its version is checked before the rest is read.
    let state: Omit<EmulatorState, "version"> & { version: unknown };
    try {
      state = JSON.parse(text) as typeof state;
    } catch {
      throw new Error(`${this.statePath} is not valid JSON; move it away to start with an empty emulator.`);
    }
    if (state.version !== 1) throw new Error(`Unsupported emulator state version in ${this.statePath}`);
    for (const upload of state.uploads) this.uploads.set(upload.id, upload);
    for (const asset of state.assets) this.assets.set(asset.id, asset);
    for (const key of state.signingKeys) this.signingKeys.set(key.id, key);
  }

  /** `receivedBytes` of waiting uploads from their `.part` files: chunks do not rewrite `state.json`. */
  private readCommittedBytes(): void {
    for (const upload of this.uploads.values()) {
      if (upload.status !== "waiting") continue;
      try {
        upload.receivedBytes = statSync(this.partPath(upload.id)).size;
      } catch {
        upload.receivedBytes = 0;
      }
    }
  }

  /** Writes the metadata atomically (temp file + rename), so a crash never leaves half a JSON file. */
  save(): void {
    const state: EmulatorState = {
      version: 1,
      uploads: [...this.uploads.values()],
      assets: [...this.assets.values()],
      signingKeys: [...this.signingKeys.values()],
    };
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.statePath);
  }

  /** Bytes received so far for an upload. */
  partPath(uploadId: string): string {
    return join(this.filesDir, `${safeId(uploadId)}.part`);
  }

  /** Body of a whole-file PUT in flight, before it is checked and renamed into place as the `.part` file. */
  incomingPath(uploadId: string): string {
    return join(this.filesDir, `${safeId(uploadId)}.incoming`);
  }

  /** The stored original of an asset. */
  assetFilePath(assetId: string): string {
    return join(this.filesDir, `${safeId(assetId)}.media`);
  }

  /** Cached thumbnails of an asset. */
  thumbnailDir(assetId: string): string {
    return join(this.filesDir, `${safeId(assetId)}.thumbs`);
  }

  /** Static renditions (MP4/M4A downloads) made of an asset. */
  renditionDir(assetId: string): string {
    return join(this.filesDir, `${safeId(assetId)}.renditions`);
  }

  /** The WebVTT text of a text track. */
  textTrackPath(trackId: string): string {
    return join(this.filesDir, `${safeId(trackId)}.vtt`);
  }

  findAssetByPlaybackId(playbackId: string): { asset: AssetRecord; policy: "public" | "signed" } | undefined {
    for (const asset of this.assets.values()) {
      const playback = asset.playback_ids.find((p) => p.id === playbackId);
      if (playback) return { asset, policy: playback.policy };
    }
    return undefined;
  }

  removeAssetFiles(assetId: string): void {
    for (const track of this.assets.get(assetId)?.text_tracks ?? []) rmSync(this.textTrackPath(track.id), { force: true });
    rmSync(this.assetFilePath(assetId), { force: true });
    rmSync(this.thumbnailDir(assetId), { recursive: true, force: true });
    rmSync(this.renditionDir(assetId), { recursive: true, force: true });
  }

  /** Thumbnails a previous run cached: the thumbnail cache bounds only the frames it made itself. */
  private removeThumbnailCaches(): void {
    for (const entry of readdirSync(this.filesDir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name.endsWith(".thumbs")) rmSync(join(this.filesDir, entry.name), { recursive: true, force: true });
    }
  }

  /** Memory mode: delete the temp dir. A real data dir is kept. */
  dispose(): void {
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
  }
}

function safeId(id: string): string {
  if (!isEmulatorId(id)) throw new Error(`Refusing to build a path from a non-id value`);
  return id;
}
