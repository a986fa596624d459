import type { FileFingerprint } from "./file-fingerprint.js";

/**
 * An upload in flight, as recorded so that a reload can resume it from the last committed byte. Holds
 * nothing else: no file bytes, no headers, no user data beyond the file's name.
 */
export interface UploadRecord {
  /** The backend's upload id; one record per id. */
  uploadId: string;
  /** The resumable upload URL. */
  url: string;
  /** The upload target's `chunkSize`, when the backend gave one; restored into the target on resume. */
  chunkSize?: number | undefined;
  /** When the upload URL stops working (ms since epoch), if known. */
  expiresAt?: number | undefined;
  /** The `lessonId` the upload was started with. */
  lessonId?: string | undefined;
  /** Identifies the file, so a resume can tell whether the user picked the same one again. */
  file: FileFingerprint;
  /** Bytes sent when last saved (a hint: the server's offset is asked before resuming). */
  bytesSent: number;
  /** When the record was last saved (ms since epoch). */
  savedAt: number;
}

/** Where upload records live. Small and synchronous so any storage fits. */
export interface UploadRecordStore {
  /** Records still valid, newest first. */
  list(): UploadRecord[];
  /** Adds `record`, or replaces the one with the same `uploadId`. */
  save(record: UploadRecord): void;
  /** Forgets the record of `uploadId` (finished, cancelled, or the user chose not to resume). */
  remove(uploadId: string): void;
}

/** How many upload records a store keeps, and for how long. */
export interface UploadRecordStoreOptions {
  /** Most records kept; the oldest go first. Default 5. */
  maxEntries?: number | undefined;
  /** Records older than this are dropped, ms. Default 24 h (Mux upload URLs live 1 h by default). */
  maxAgeMs?: number | undefined;
  /** The clock ages are measured with, ms since epoch. Default `Date.now` (tests pass a fake one). */
  now?: (() => number) | undefined;
}

/** Options of `createLocalStorageUploadRecordStore`: the shared limits plus where the records are stored. */
export interface LocalStorageUploadRecordStoreOptions extends UploadRecordStoreOptions {
  /** Storage key. Default "lesson-video-kit:uploads". */
  key?: string | undefined;
  /** Default `globalThis.localStorage` when there is one. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined;
}

function prune(records: UploadRecord[], options: UploadRecordStoreOptions): UploadRecord[] {
  const now = (options.now ?? Date.now)();
  const maxAge = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  return records
    .filter((r) => now - r.savedAt <= maxAge && (r.expiresAt === undefined || r.expiresAt > now))
    .sort((a, b) => b.savedAt - a.savedAt)
    .slice(0, options.maxEntries ?? 5);
}

function upsert(records: UploadRecord[], record: UploadRecord): UploadRecord[] {
  return [record, ...records.filter((r) => r.uploadId !== record.uploadId)];
}

/** Keeps records in memory (tests, or apps that persist elsewhere). */
export function createMemoryUploadRecordStore(options: UploadRecordStoreOptions = {}): UploadRecordStore {
  let records: UploadRecord[] = [];
  return {
    list: () => (records = prune(records, options)),
    save(record) {
      records = prune(upsert(records, record), options);
    },
    remove(uploadId) {
      records = records.filter((r) => r.uploadId !== uploadId);
    },
  };
}

/** Fields read from storage: anything until checked. */
type Unchecked<T> = { [K in keyof T]?: unknown };

function isRecord(value: unknown): value is UploadRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Unchecked<UploadRecord>;
  if (typeof r.file !== "object" || r.file === null) return false;
  const file = r.file as Unchecked<UploadRecord["file"]>;
  return (
    typeof r.uploadId === "string" && typeof r.url === "string" && typeof r.bytesSent === "number" && typeof r.savedAt === "number" &&
    typeof file.size === "number" && typeof file.head === "string" && typeof file.tail === "string"
  );
}

/**
 * Keeps records in `localStorage` under one key, bounded and expiring. Storage that is missing (server),
 * full or refused (private mode) makes it a no-op rather than an error: resuming is a bonus, never a
 * reason for an upload to fail.
 */
export function createLocalStorageUploadRecordStore(options: LocalStorageUploadRecordStoreOptions = {}): UploadRecordStore {
  const key = options.key ?? "lesson-video-kit:uploads";
  const storage = () => options.storage ?? (typeof localStorage === "undefined" ? undefined : localStorage);
  const read = (): UploadRecord[] => {
    try {
      const parsed: unknown = JSON.parse(storage()?.getItem(key) ?? "[]");
      return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
    } catch {
      return [];
    }
  };
  const write = (records: UploadRecord[]) => {
    try {
      if (records.length === 0) storage()?.removeItem(key);
      else storage()?.setItem(key, JSON.stringify(records));
    } catch {
      // Full or refused storage: resume after reload is lost, the upload is not.
    }
  };
  return {
    list: () => prune(read(), options),
    save: (record) => write(prune(upsert(read(), record), options)),
    remove: (uploadId) => write(prune(read(), options).filter((r) => r.uploadId !== uploadId)),
  };
}
