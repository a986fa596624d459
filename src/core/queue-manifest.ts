import type { FileFingerprint } from "./file-fingerprint.js";
import type { UploadRecord } from "./upload-record-store.js";

/**
 * Where an item of an `UploadQueue` stands, as saved for a reload: `waiting` (not started, or stopped before any
 * byte was committed), `sending` (bytes are moving; `record` says from where to go on), `sent` (every byte is at
 * the backend, which makes the asset), `complete`, `failed` or `cancelled`.
 */
export type QueueManifestStatus = "waiting" | "sending" | "sent" | "complete" | "failed" | "cancelled";

/**
 * One item of a queue's manifest: enough to show it after a reload, to recognise its file when the user drops it
 * again (`fingerprint`, or name, size, type and modification time), and to go on from the server's offset
 * (`record`). Never the file's bytes.
 */
export interface QueueManifestEntry {
  id: string;
  name: string;
  size: number;
  type: string;
  lastModified?: number | undefined;
  /** Where the file was in a dropped or picked folder (`"Week 1/intro.mp4"`). */
  path?: string | undefined;
  /** False while the host hook (`onItemAdded`) had not answered: after a reload it runs again for this `id`. */
  prepared?: boolean | undefined;
  /** Set for an item imported from a link (`addLink`) instead of a file. */
  url?: string | undefined;
  status: QueueManifestStatus;
  /** The `lessonId` the upload is made for (the host hook's answer). */
  lessonId?: string | undefined;
  /** What the host hook returned besides `lessonId`, if it is JSON. */
  meta?: unknown;
  fingerprint?: FileFingerprint | undefined;
  /** The resume record of a transfer under way. */
  record?: UploadRecord | undefined;
  uploadId?: string | undefined;
  assetId?: string | undefined;
  /**
   * A handle to the file where the browser can keep one (the File System Access API in Chromium): after a
   * reload the queue reads the file again through it, once the user allows it.
   */
  handle?: FileHandleLike | undefined;
}

/** What the queue uses of a `FileSystemFileHandle`. */
export interface FileHandleLike {
  readonly kind: "file";
  readonly name: string;
  getFile(): Promise<File>;
  queryPermission?: ((descriptor?: { mode?: "read" | "readwrite" | undefined }) => Promise<PermissionState>) | undefined;
  requestPermission?: ((descriptor?: { mode?: "read" | "readwrite" | undefined }) => Promise<PermissionState>) | undefined;
}

/** Where a queue's manifest lives. Whole-manifest reads and writes: a batch is at most a few hundred entries. */
export interface QueueManifestStore {
  load(): Promise<QueueManifestEntry[]>;
  save(entries: QueueManifestEntry[]): Promise<void>;
}

/** A manifest in memory (tests, stories, and pages that do not resume after a reload). */
export function createMemoryQueueManifestStore(initial: QueueManifestEntry[] = []): QueueManifestStore & { entries(): QueueManifestEntry[] } {
  let saved = structuredClone(initial);
  return {
    load: () => Promise.resolve(structuredClone(saved)),
    save: (entries) => {
      saved = structuredClone(entries);
      return Promise.resolve();
    },
    entries: () => structuredClone(saved),
  };
}

/** Options of `createIndexedDbQueueManifestStore`. */
export interface IndexedDbQueueManifestStoreOptions {
  /** Database name. Default `"lesson-video-kit"`. */
  database?: string | undefined;
  /** Key of this queue's manifest, so a page can keep several queues. Default `"default"`. */
  key?: string | undefined;
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory | undefined;
}

const STORE = "upload-queues";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

/**
 * The manifest in IndexedDB, which (unlike localStorage) keeps file handles: after a reload in Chromium the queue
 * can read the same files again. Without IndexedDB (a private window that refuses it, a server render) it loads
 * an empty manifest and saves nothing, and the queue still works without resume.
 */
export function createIndexedDbQueueManifestStore(options: IndexedDbQueueManifestStoreOptions = {}): QueueManifestStore {
  const key = options.key ?? "default";
  let opened: Promise<IDBDatabase | undefined> | undefined;
  const open = (): Promise<IDBDatabase | undefined> =>
    (opened ??= (async () => {
      const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
      if (!factory) return undefined;
      const req = factory.open(options.database ?? "lesson-video-kit", 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      return request(req).catch(() => undefined);
    })());
  return {
    async load() {
      const db = await open();
      if (!db) return [];
      const saved = await request(db.transaction(STORE, "readonly").objectStore(STORE).get(key) as IDBRequest<unknown>);
      return Array.isArray(saved) ? (saved as QueueManifestEntry[]) : [];
    },
    async save(entries) {
      const db = await open();
      if (!db) return;
      const transaction = db.transaction(STORE, "readwrite");
      transaction.objectStore(STORE).put(entries, key);
      await new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB write failed"));
        transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB write aborted"));
      });
    },
  };
}
