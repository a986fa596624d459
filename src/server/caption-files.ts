/**
 * Caption files the routes keep for the backend to download: Mux ingests text tracks from a URL, so
 * `POST /assets/:id/captions` stores the checked WebVTT and hands the backend a short-lived URL signed
 * with HMAC-SHA256 (`?expires=<ms>&sig=<base64url>`). The signature is checked with WebCrypto's
 * constant-time `verify`, and the expiry after it, so a tampered or stale URL reads nothing. WebCrypto
 * only: the routes run on edge runtimes too.
 */

/** A caption file waiting for its backend to fetch it. */
export interface StoredCaptionFile {
  /** The file as WebVTT (SRT is converted before it is stored). */
  vtt: string;
  /** Asset it was added to. */
  assetId: string;
  /** When the signed URL stops working, ms since epoch; the store may drop the file after this. */
  expiresAt: number;
}

/**
 * Where caption files wait for the backend. The default keeps them in this process's memory; with
 * several server instances behind a load balancer, pass a shared store (and the same `urlSecret`), since
 * the backend's download may reach another instance than the upload did.
 */
export interface CaptionFileStore {
  /** Keeps a checked caption file under a new random id; it should stay readable until `file.expiresAt`. */
  put(id: string, file: StoredCaptionFile): Promise<void>;
  /** The file, or undefined when unknown or past `expiresAt`. */
  get(id: string): Promise<StoredCaptionFile | undefined>;
  /** Forgets a file (the backend refused the track, so nobody will fetch it). Unknown ids are not an error. */
  delete(id: string): Promise<void>;
}

/** Options of `createMemoryCaptionFileStore`. */
export interface MemoryCaptionFileStoreOptions {
  /** Files kept at once; the oldest go first. Default 1000. */
  maxFiles?: number | undefined;
  /** Bytes of WebVTT kept at once; the oldest go first. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/**
 * A `CaptionFileStore` in this process's memory, bounded in files and bytes; expired files are dropped
 * as new ones arrive.
 *
 * @example
 * createVideoRoutes({ backend, authorize, captions: { store: createMemoryCaptionFileStore({ maxFiles: 100 }) } });
 */
export function createMemoryCaptionFileStore(options: MemoryCaptionFileStoreOptions = {}): CaptionFileStore {
  const maxFiles = options.maxFiles ?? 1000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const files = new Map<string, StoredCaptionFile & { bytes: number }>();
  let bytes = 0;
  const drop = (id: string) => {
    const file = files.get(id);
    if (!file) return;
    files.delete(id);
    bytes -= file.bytes;
  };
  return {
    async put(id, file) {
      drop(id);
      const size = new TextEncoder().encode(file.vtt).byteLength;
      const at = now();
      for (const [key, stored] of files) if (stored.expiresAt <= at) drop(key);
      files.set(id, { ...file, bytes: size });
      bytes += size;
      // A Map iterates in insertion order: the oldest file goes first.
      for (const key of files.keys()) {
        if (files.size <= maxFiles && bytes <= maxBytes) break;
        drop(key);
      }
    },
    async get(id) {
      const file = files.get(id);
      if (!file || file.expiresAt <= now()) return undefined;
      return { vtt: file.vtt, assetId: file.assetId, expiresAt: file.expiresAt };
    },
    async delete(id) {
      drop(id);
    },
  };
}

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Signs and checks caption-file URLs with one HMAC key. */
export class CaptionUrlSigner {
  readonly #key: Promise<CryptoKey>;

  /** `secret`: at least 32 characters; the same on every instance that serves the URLs. */
  constructor(secret: string | Uint8Array<ArrayBuffer>) {
    const raw = typeof secret === "string" ? encoder.encode(secret) : secret;
    if (raw.byteLength < 32) throw new Error("lesson-video-kit: captions.urlSecret must be at least 32 characters.");
    this.#key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  /** A signer with a random key: URLs work only in this process (fine for one server instance). */
  static random(): CaptionUrlSigner {
    return new CaptionUrlSigner(crypto.getRandomValues(new Uint8Array(32)));
  }

  /** The query string (`expires=…&sig=…`) for a file id. */
  async sign(fileId: string, expiresAt: number): Promise<string> {
    const signature = await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(`${fileId}.${expiresAt}`));
    return `expires=${expiresAt}&sig=${base64url(signature)}`;
  }

  /** Checks a URL's `expires` and `sig` for a file id: `valid`, `expired` (signed, but too late) or `invalid`. */
  async check(fileId: string, query: URLSearchParams, now: number): Promise<"valid" | "expired" | "invalid"> {
    const expires = query.get("expires") ?? "";
    const signature = fromBase64url(query.get("sig") ?? "");
    if (!/^\d{1,15}$/.test(expires) || !signature) return "invalid";
    // WebCrypto's verify compares in constant time.
    const ok = await crypto.subtle.verify("HMAC", await this.#key, signature, encoder.encode(`${fileId}.${expires}`));
    if (!ok) return "invalid";
    return Number(expires) > now ? "valid" : "expired";
  }
}
