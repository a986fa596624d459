import type { ValidatableFile } from "./validation.js";

/**
 * What identifies a file across a page reload (browsers cannot reopen it; the user picks it again):
 * name, size, type, last modification and hashes of its first and last MiB.
 */
export interface FileFingerprint {
  /** The file's name (`""` for a `Blob` without one). */
  name: string;
  /** Bytes. */
  size: number;
  /** The declared MIME type. */
  type: string;
  /** `File.lastModified` (ms since epoch), when the file has one. */
  lastModified?: number | undefined;
  /** FNV-1a hash (hex) of the first MiB. */
  head: string;
  /** FNV-1a hash (hex) of the last MiB. */
  tail: string;
}

const SAMPLE_BYTES = 1024 * 1024;

/**
 * FNV-1a, 32 bits: enough to tell a changed file from the same one; not a security hash. Saved fingerprints
 * (manifests, upload records) are compared with new ones, so the value must never change. An indexed loop over
 * int32 steps: about 4× faster than iterating the bytes, and the same value (`>>> 0` once, at the end).
 */
function fnv1a(bytes: Uint8Array): string {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0, n = bytes.length; i < n; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

async function readRange(file: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/**
 * Reads at most 2 MiB (head and tail) of `file`, never the whole file: both ranges at once, and one range when they
 * are the same (a file of 1 MiB or less).
 */
export async function fingerprintFile(file: ValidatableFile & { lastModified?: number }): Promise<FileFingerprint> {
  const headEnd = Math.min(file.size, SAMPLE_BYTES);
  const tailStart = Math.max(0, file.size - SAMPLE_BYTES);
  const headRead = readRange(file, 0, headEnd);
  const tailRead = tailStart === 0 ? headRead : readRange(file, tailStart, file.size);
  const [headBytes, tailBytes] = await Promise.all([headRead, tailRead]);
  const head = fnv1a(headBytes);
  const tail = tailBytes === headBytes ? head : fnv1a(tailBytes);
  return {
    name: file.name ?? "",
    size: file.size,
    type: file.type,
    ...(typeof file.lastModified === "number" ? { lastModified: file.lastModified } : {}),
    head,
    tail,
  };
}

/** True when both fingerprints describe the same file content. */
export function sameFile(a: FileFingerprint, b: FileFingerprint): boolean {
  const modifiedMatches = a.lastModified === undefined || b.lastModified === undefined || a.lastModified === b.lastModified;
  return a.size === b.size && a.name === b.name && a.type === b.type && modifiedMatches && a.head === b.head && a.tail === b.tail;
}
