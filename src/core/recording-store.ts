/**
 * Where a recording's pieces are kept on the device until the server has them all: after a crash, a closed tab or a
 * reload, what was recorded is still there to upload or download. `MediaRecording` appends each piece as it comes
 * (`store` option); the host (or `LessonRecorder`) removes the recording once its upload reached processing.
 */
export interface RecordingStore {
  /** Adds a piece of recording `id` (pieces of one recording arrive in order). */
  append(id: string, piece: Blob, info: StoredRecordingInfo): Promise<void>;
  /** Recordings left on the device, oldest first. */
  list(): Promise<StoredRecording[]>;
  /** The whole recording as one Blob, or `undefined` when it is gone. */
  read(id: string): Promise<Blob | undefined>;
  /** Forgets a recording (its upload has every byte, or the person discarded it). */
  remove(id: string): Promise<void>;
}

/** What is saved with a recording's first piece. */
export interface StoredRecordingInfo {
  name: string;
  type: string;
  /** When the recording started, ms since epoch. */
  startedAt: number;
  lessonId?: string | undefined;
}

/** A recording left on the device. */
export interface StoredRecording extends StoredRecordingInfo {
  id: string;
  /** Bytes kept. */
  bytes: number;
  pieces: number;
}

/** Options of `createIndexedDbRecordingStore`. */
export interface IndexedDbRecordingStoreOptions {
  /** Database name. Default `"lesson-video-kit-recordings"`. */
  database?: string | undefined;
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory | undefined;
}

const PIECES = "pieces";
const RECORDINGS = "recordings";

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB write failed"));
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB write aborted"));
  });
}

/**
 * A `RecordingStore` in IndexedDB (Blobs are stored as they are, not copied into memory). Without IndexedDB it keeps
 * nothing and lists nothing; the recording still uploads.
 */
export function createIndexedDbRecordingStore(options: IndexedDbRecordingStoreOptions = {}): RecordingStore {
  let opened: Promise<IDBDatabase | undefined> | undefined;
  const open = (): Promise<IDBDatabase | undefined> =>
    (opened ??= (async () => {
      const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
      if (!factory) return undefined;
      const request = factory.open(options.database ?? "lesson-video-kit-recordings", 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(RECORDINGS)) db.createObjectStore(RECORDINGS, { keyPath: "id" });
        if (!db.objectStoreNames.contains(PIECES)) db.createObjectStore(PIECES, { autoIncrement: true }).createIndex("id", "id");
      };
      return done(request).catch(() => undefined);
    })());
  // One write at a time per store, so pieces keep their order and the totals stay exact.
  let writing: Promise<void> = Promise.resolve();
  return {
    append(id, piece, info) {
      const write = writing.then(async () => {
        const db = await open();
        if (!db) return;
        const transaction = db.transaction([RECORDINGS, PIECES], "readwrite");
        const recordings = transaction.objectStore(RECORDINGS);
        const known = (await done(recordings.get(id) as IDBRequest<StoredRecording | undefined>)) ?? { id, bytes: 0, pieces: 0, ...info };
        recordings.put({ ...known, bytes: known.bytes + piece.size, pieces: known.pieces + 1 });
        transaction.objectStore(PIECES).add({ id, piece });
        await committed(transaction);
      });
      writing = write.catch(() => undefined);
      return write;
    },
    async list() {
      await writing;
      const db = await open();
      if (!db) return [];
      const all = await done(db.transaction(RECORDINGS, "readonly").objectStore(RECORDINGS).getAll() as IDBRequest<StoredRecording[]>);
      return all.sort((a, b) => a.startedAt - b.startedAt);
    },
    async read(id) {
      await writing;
      const db = await open();
      if (!db) return undefined;
      const transaction = db.transaction([RECORDINGS, PIECES], "readonly");
      const info = await done(transaction.objectStore(RECORDINGS).get(id) as IDBRequest<StoredRecording | undefined>);
      if (!info) return undefined;
      const pieces = await done(transaction.objectStore(PIECES).index("id").getAll(id) as IDBRequest<{ piece: Blob }[]>);
      return new Blob(pieces.map((entry) => entry.piece), { type: info.type });
    },
    async remove(id) {
      await writing;
      const db = await open();
      if (!db) return;
      const transaction = db.transaction([RECORDINGS, PIECES], "readwrite");
      transaction.objectStore(RECORDINGS).delete(id);
      const pieces = transaction.objectStore(PIECES);
      const keys = await done(pieces.index("id").getAllKeys(id));
      for (const key of keys) pieces.delete(key);
      await committed(transaction);
    },
  };
}
