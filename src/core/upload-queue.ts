import { fingerprintFile, sameFile, type FileFingerprint } from "./file-fingerprint.js";
import { createVideoError, toVideoError, VideoError } from "./errors.js";
import type { VideoEventListener } from "./events.js";
import { LazyAssetWatcher, type AssetWatcherLike } from "./lazy-watcher.js";
import { createBrowserOnlineManager } from "./online-manager.js";
import type { FileHandleLike, QueueManifestEntry, QueueManifestStatus, QueueManifestStore } from "./queue-manifest.js";
import { Subscribable } from "./subscribable.js";
import type { UploadLimits, UploadState, VideoAsset, VideoTransport } from "./types.js";
import { UploadController, type UploadControllerOptions } from "./upload-controller.js";
import { acceptedFileKinds } from "./audio-kinds.js";
import { resolveUploadLimits } from "./upload-limits.js";
import type { UploadRecord, UploadRecordStore } from "./upload-record-store.js";

/**
 * Where an item of the queue is: `queued` (waits for a free slot, or for the queue to go on), `needs_file` (restored
 * after a reload: drop or pick the same file again, or `resumeFromHandles()`), `refused` (never sent: not a video
 * type, empty, too large, a duplicate, or the host hook refused it), `cancelled`, or its upload's own status.
 */
export type QueueItemStatus =
  | "queued"
  | "needs_file"
  | "refused"
  | "cancelled"
  | "validating"
  | "requesting"
  | "uploading"
  | "paused"
  | "processing"
  | "complete"
  | "error";

/** One file of the queue, as the UI shows it. The same object until the item changes. */
export interface QueueItem<TMeta = unknown> {
  id: string;
  name: string;
  size: number;
  type: string;
  /** Where the file was in a dropped or picked folder (`"Week 1/intro.mp4"`); else its name. */
  path: string;
  status: QueueItemStatus;
  /** Bytes the backend has (the file's size once sent). */
  bytesSent: number;
  /** Percent of the file at the backend, 0–100. */
  progress: number;
  /** Bytes per second while uploading, else 0. */
  speed: number;
  /** Seconds left while uploading, when known. */
  eta?: number | undefined;
  /** Why it is `refused` or `error`. */
  error?: VideoError | undefined;
  /** Whether `retry(id)` can go on (a retryable error, or a cancelled item). */
  retryable: boolean;
  uploadId?: string | undefined;
  assetId?: string | undefined;
  /** The asset while it processes and once ready (not known for an item restored as already complete). */
  asset?: VideoAsset | undefined;
  lessonId?: string | undefined;
  /** What the host hook returned. */
  meta?: TMeta | undefined;
  /** The live upload, while there is one. */
  upload?: UploadState | undefined;
  /** The link, for an item imported from one (`addLink`): the backend fetches it, nothing is uploaded. */
  url?: string | undefined;
  /** A restored item the browser kept a handle for: `resumeFromHandles()` can read its file again. */
  reopenable: boolean;
}

/** What the whole queue adds up to. */
export interface QueueTotals {
  /** Items by status. */
  counts: Record<QueueItemStatus, number>;
  /** Bytes at the backend, of every item still meant to be sent. */
  bytesSent: number;
  /** Bytes of every item still meant to be sent (not refused or cancelled). */
  totalBytes: number;
  /** 0–100. */
  progress: number;
  /** Bytes per second, all uploads together. */
  speed: number;
  /** Seconds left at the current speed, when known. */
  eta?: number | undefined;
}

/** A snapshot of the queue; a new object on every change. */
export interface UploadQueueSnapshot<TMeta = unknown> {
  items: readonly QueueItem<TMeta>[];
  totals: QueueTotals;
  /** `pauseAll()` holds the queue: nothing starts until `resumeAll()`. */
  paused: boolean;
  /**
   * The server refused an upload for quota (`quota_exceeded`): nothing more starts, the items keep waiting, until
   * `resumeAll()` (after the user made room, or the period turned).
   */
  held?: VideoError | undefined;
  /** How many uploads may send at once. */
  concurrency: number;
}

/** A file handed to the queue, with where it was in a folder and, in Chromium, a handle to read it again later. */
export interface QueueFileInput {
  file: File;
  /** Path inside the dropped or picked folder. Default: the file's `webkitRelativePath`, else its name. */
  path?: string | undefined;
  handle?: FileHandleLike | undefined;
}

/** What the host hook sees of a new item: a file, or a link to import (`addLink`). */
export interface QueueItemAdded {
  id: string;
  /** The file; absent for a link. */
  file?: File | undefined;
  /** The link, for an item imported from one. */
  url?: string | undefined;
  path: string;
}

/** What the host hook may answer: the lesson the upload is for (the asset's passthrough), and anything else. */
export interface QueueItemPrepared<TMeta> {
  lessonId?: string | undefined;
  meta?: TMeta | undefined;
}

/** What `addFiles` did with each file. */
export interface AddFilesResult {
  /** Ids of the items added (waiting, or going on where a restored item matched). */
  added: string[];
  /** Ids of restored items the files were matched to. */
  matched: string[];
  /** Files refused at once (with the refused item's id), and files already in the queue (without). */
  refused: { path: string; id?: string | undefined; error: VideoError }[];
}

export interface UploadQueueOptions<TMeta = unknown> {
  transport: VideoTransport;
  /**
   * How many uploads send at once; each upload's chunks go one after another, as Mux's upload URL requires.
   * Default 3 (see `npm run bench`: more adds nothing on one link and delays every file's first asset).
   */
  concurrency?: number | undefined;
  /** Checked for each file when it is added (type, extension, size) and again, with its first bytes, when it starts. */
  limits?: UploadControllerOptions["limits"] | undefined;
  onEvent?: VideoEventListener | undefined;
  /**
   * Called for each added file before it uploads, e.g. to make a draft lesson in your database: its `lessonId`
   * is sent with the upload (the asset's passthrough). The item waits for it; if it throws, the item is refused
   * with the error (a `VideoError`, or `server` for anything else).
   */
  onItemAdded?: ((item: QueueItemAdded) => QueueItemPrepared<TMeta> | undefined | Promise<QueueItemPrepared<TMeta> | undefined>) | undefined;
  /** Called once per item when the backend created its upload: store the upload id with your draft record. */
  onItemUpload?: ((item: QueueItem<TMeta>) => void) | undefined;
  /**
   * Keeps the batch across a reload (`createIndexedDbQueueManifestStore()` in browsers); call `restore()` on the
   * next page. Without it nothing is saved.
   */
  manifest?: QueueManifestStore | undefined;
  /** Options for every item's `UploadController` (chunk size, retries, the online source, a shared watcher). */
  controller?: Omit<UploadControllerOptions, "transport" | "limits" | "onEvent" | "records"> | undefined;
  /** New item ids. Default `crypto.randomUUID()`. */
  createId?: (() => string) | undefined;
}

/** What a new entry is made of: a file added now, or one restored from the manifest (then without its file). */
interface EntryFields {
  id?: string | undefined;
  name: string;
  size: number;
  type: string;
  lastModified: number | undefined;
  path: string;
  file: File | undefined;
  handle: FileHandleLike | undefined;
}

const fileFields = (file: File) => ({ name: file.name, size: file.size, type: file.type, lastModified: file.lastModified });

/** An item inside the queue: what is shown, plus what runs it. */
interface Entry<TMeta> extends EntryFields {
  id: string;
  fingerprint: FileFingerprint | undefined;
  controller: UploadController | undefined;
  unsubscribe: (() => void) | undefined;
  /** Whether the user paused this one item (it then keeps no slot and does not resume with the others). */
  userPaused: boolean;
  /** The host hook has answered (or there is none). */
  prepared: boolean;
  lessonId: string | undefined;
  meta: TMeta | undefined;
  refusal: VideoError | undefined;
  cancelled: boolean;
  /** The resume record of a transfer under way (kept in the manifest). */
  record: UploadRecord | undefined;
  /** A restored item whose bytes were all sent: watched until its asset is ready. */
  restored: { status: QueueManifestStatus; uploadId?: string | undefined; assetId?: string | undefined; asset?: VideoAsset | undefined; error?: VideoError | undefined } | undefined;
  /** The upload (or imported asset) `onItemUpload` was last called for: once per upload, also across a reload. */
  announcedUpload: string | undefined;
  item: QueueItem<TMeta> | undefined;
  /** A retry the queue scheduled after a `rate_limited` answer (the message says it retries shortly). */
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** An item imported from a link: the backend fetches it. */
  link: string | undefined;
  linkRun: LinkRun | undefined;
}

/** Where an import from a link is. */
interface LinkRun {
  status: "requesting" | "processing" | "complete" | "error";
  asset?: VideoAsset | undefined;
  /** Known before the asset is (an item restored after a reload). */
  assetId?: string | undefined;
  error?: VideoError | undefined;
  stop?: (() => void) | undefined;
}

const ACTIVE: ReadonlySet<string> = new Set(["validating", "requesting", "uploading"]);
const STATUSES: readonly QueueItemStatus[] = [
  "queued",
  "needs_file",
  "refused",
  "cancelled",
  "validating",
  "requesting",
  "uploading",
  "paused",
  "processing",
  "complete",
  "error",
];

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot).toLowerCase();
};

/** The checks that need no bytes: size, and the declared type or the extension. The first bytes are read when the item starts. */
function quickRefusal(file: File, limits: UploadLimits): VideoError | undefined {
  if (file.size === 0) return createVideoError("file_empty");
  if (file.size > limits.maxFileSize) return createVideoError("file_too_large", { details: { maxBytes: limits.maxFileSize } });
  const { types, extensions } = acceptedFileKinds(limits);
  const typeAllowed = file.type === "" || types.includes(file.type);
  if (!typeAllowed || !extensions.includes(extensionOf(file.name))) return createVideoError("file_type_not_allowed");
  return undefined;
}

/** How a link shows in the list: its host and the last part of its path. */
function linkName(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  const last = parsed.pathname.split("/").filter(Boolean).at(-1);
  if (!last) return parsed.host;
  try {
    return `${parsed.host}/…/${decodeURIComponent(last)}`;
  } catch {
    return `${parsed.host}/…/${last}`;
  }
}

const pathOf = (input: QueueFileInput): string =>
  input.path ?? ((input.file as File & { webkitRelativePath?: string }).webkitRelativePath || input.file.name);

/** How long a batch's changes wait to be heard together (about a frame). */
const NOTIFY_EVERY_MS = 16;
/** Files of a batch whose fingerprints are read at once. */
const READ_AHEAD = 4;

/**
 * Many uploads, a few at a time: each file is an `UploadController` run, started when a slot is free
 * (`concurrency`), in the order of the list (`move`, `prioritize`). Pause, resume, cancel, retry and remove work
 * per item and for all; a quota refusal holds the rest of the queue instead of failing it. With a `manifest`,
 * the batch survives a reload: `restore()` shows what was in flight, and the same files (dropped again and
 * matched by fingerprint, or read again through their handles) go on from the server's committed offset.
 * Framework-free: bind it with `subscribe` + `getSnapshot` (React: `useUploadQueue`).
 */
export class UploadQueue<TMeta = unknown> extends Subscribable {
  readonly #options: UploadQueueOptions<TMeta>;
  readonly #limits: UploadLimits;
  readonly #watcher: AssetWatcherLike;
  readonly #controllerOptions: Omit<UploadControllerOptions, "records">;
  #entries: Entry<TMeta>[] = [];
  #concurrency: number;
  #paused = false;
  #held: VideoError | undefined;
  #snapshot: UploadQueueSnapshot<TMeta> | undefined;
  #pumping = false;
  #holders = 0;
  #saving: Promise<void> | undefined;
  /** Changes asked to be saved; a write that started before the last one is followed by another. */
  #saveRequests = 0;
  #disposed = false;
  /** `addFiles` calls under way: while any is, listeners hear of changes at most once a frame (`#notifySoon`). */
  #adding = 0;
  #notifyTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #watches = new Map<string, AbortController>();

  constructor(options: UploadQueueOptions<TMeta>) {
    super();
    this.#options = options;
    this.#limits = resolveUploadLimits(options.limits ?? {});
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 3));
    this.#watcher = options.controller?.watcher ?? new LazyAssetWatcher({ transport: options.transport });
    this.#controllerOptions = {
      ...options.controller,
      transport: options.transport,
      limits: options.limits,
      onEvent: options.onEvent,
      watcher: this.#watcher,
      online: options.controller?.online ?? createBrowserOnlineManager(),
    };
  }

  getSnapshot = (): UploadQueueSnapshot<TMeta> => (this.#snapshot ??= this.#makeSnapshot());

  /**
   * Adds files (a drop, a picker, a folder's files): each is checked at once (type, extension, size; a refused
   * one is listed with its reason), matched against restored items (same fingerprint: it goes on from the
   * server's offset) and against the items already here (a duplicate is skipped), then waits for a slot. Each
   * file is listed, and may start, as soon as it is checked, before the rest of the batch is read.
   */
  async addFiles(inputs: readonly (File | QueueFileInput)[]): Promise<AddFilesResult> {
    this.#adding++;
    try {
      return await this.#addFiles(inputs);
    } finally {
      this.#adding--;
      if (this.#adding === 0) this.#notifyNow();
    }
  }

  async #addFiles(inputs: readonly (File | QueueFileInput)[]): Promise<AddFilesResult> {
    const result: AddFilesResult = { added: [], matched: [], refused: [] };
    const files = inputs.map((raw): QueueFileInput => (raw instanceof Blob ? { file: raw } : raw));
    const refusals = files.map((input) => quickRefusal(input.file, this.#limits));
    // A few files are read ahead (their reads overlap; each is still listed in the order given). A file that cannot
    // be read (moved or deleted since it was picked) is refused; the rest of the batch goes on.
    const reads = new Map<number, Promise<FileFingerprint | VideoError>>();
    const readOf = (index: number, file: File): Promise<FileFingerprint | VideoError> => {
      const read = reads.get(index) ?? fingerprintFile(file).catch((error: unknown) => createVideoError("file_changed", { cause: error }));
      reads.set(index, read);
      return read;
    };
    for (const [index, input] of files.entries()) {
      const path = pathOf(input);
      const refusal = refusals[index];
      if (refusal) {
        result.refused.push(this.#refuse(input, path, refusal));
        continue;
      }
      const read = readOf(index, input.file);
      for (const [offset, next] of files.slice(index + 1, index + READ_AHEAD).entries()) {
        if (!refusals[index + 1 + offset]) void readOf(index + 1 + offset, next.file);
      }
      reads.delete(index);
      const fingerprint = await read;
      if (fingerprint instanceof VideoError) {
        result.refused.push(this.#refuse(input, path, fingerprint));
        continue;
      }
      const known = this.#entries.find((entry) => entry.fingerprint && sameFile(entry.fingerprint, fingerprint) && !entry.refusal);
      if (known && this.#status(known) === "needs_file") {
        this.#attach(known, input.file, input.handle);
        result.matched.push(known.id);
        this.#changed(true, known);
        continue;
      }
      if (known) {
        result.refused.push({ path, error: createVideoError("file_duplicate", { details: { duplicateOf: known.id } }) });
        continue;
      }
      const entry = this.#newEntry({ ...fileFields(input.file), path, file: input.file, handle: input.handle });
      entry.fingerprint = fingerprint;
      this.#entries.push(entry);
      result.added.push(entry.id);
      this.#prepare(entry);
      // Listed (and started, when a slot is free) at once: a course's hundred files do not wait for the last one's read.
      this.#changed(true, entry);
    }
    // Every file that changed the list was published with its own item; nothing is left to invalidate (which would
    // make every row of a long list render again).
    return result;
  }

  /**
   * Adds a video the backend imports from `url` (Mux's `input` URL) through the transport's `importFromUrl`. The
   * item goes through the host hook like a file, needs no slot (no bytes leave the browser), and is watched until its
   * asset is ready. The server decides what may be fetched: a refused link ends `error` with `url_refused` and its
   * `details.reason`. Throws a `VideoError` (`bad_request`) when the transport cannot import.
   */
  addLink(url: string): string {
    if (!this.#options.transport.importFromUrl) throw createVideoError("bad_request", { details: { reason: "transport_cannot_import" } });
    const entry = this.#newEntry({ name: linkName(url), size: 0, type: "", lastModified: undefined, path: url, file: undefined, handle: undefined });
    entry.link = url;
    this.#entries.push(entry);
    this.#prepare(entry);
    this.#changed(true, entry);
    return entry.id;
  }

  /** Whether `addLink` works: the transport has `importFromUrl`. */
  get canImport(): boolean {
    return this.#options.transport.importFromUrl !== undefined;
  }

  /** Items restored after a reload that wait for their file. */
  get needsFiles(): boolean {
    return this.#entries.some((entry) => this.#status(entry) === "needs_file");
  }

  /**
   * Shows the batch saved in the manifest (call it once, after a reload, before adding files): items in flight
   * wait for their file (`needs_file`), items whose bytes were all sent are watched until ready, finished ones
   * are listed as finished so the same files dropped again are not sent twice.
   */
  async restore(): Promise<void> {
    const saved = (await this.#options.manifest?.load()) ?? [];
    for (const item of saved) {
      if (this.#entries.some((entry) => entry.id === item.id)) continue;
      const entry = this.#newEntry({
        id: item.id,
        name: item.name,
        size: item.size,
        type: item.type,
        lastModified: item.lastModified,
        path: item.path ?? item.name,
        file: undefined,
        handle: item.handle,
      });
      entry.fingerprint = item.fingerprint;
      entry.lessonId = item.lessonId;
      entry.meta = item.meta as TMeta | undefined;
      // A reload before the host hook answered: it runs again (same `id`) when the file is back.
      entry.prepared = item.prepared !== false;
      entry.announcedUpload = item.uploadId ?? item.record?.uploadId ?? item.assetId;
      entry.record = item.record;
      entry.cancelled = item.status === "cancelled";
      this.#entries.push(entry);
      if (item.url !== undefined) {
        entry.link = item.url;
        this.#restoreLink(entry, item);
        if (!entry.prepared) this.#prepare(entry);
        continue;
      }
      entry.restored = { status: item.status, uploadId: item.uploadId ?? item.record?.uploadId, assetId: item.assetId };
      if (item.status === "sent") this.#watchRestored(entry);
    }
    this.#changed(false);
  }

  /**
   * Reads the files of restored items again through the handles the browser kept (Chromium), asking for read
   * permission where it lapsed — call it from a click (a permission prompt needs one). Returns the ids that could
   * not be read; those still wait for their file.
   */
  async resumeFromHandles(): Promise<string[]> {
    const missing: string[] = [];
    for (const entry of this.#entries) {
      if (this.#status(entry) !== "needs_file") continue;
      const handle = entry.handle;
      try {
        if (!handle) throw new Error("no handle");
        let permission = (await handle.queryPermission?.({ mode: "read" })) ?? "granted";
        if (permission === "prompt") permission = (await handle.requestPermission?.({ mode: "read" })) ?? "denied";
        if (permission !== "granted") throw new Error("permission refused");
        this.#attach(entry, await handle.getFile(), handle);
      } catch {
        missing.push(entry.id);
      }
    }
    this.#changed();
    return missing;
  }

  /** Holds the queue: uploads in flight pause (keeping their bytes), nothing new starts. */
  pauseAll(): void {
    this.#paused = true;
    for (const entry of this.#entries) if (entry.controller && ACTIVE.has(entry.controller.getSnapshot().status)) entry.controller.pause();
    this.#changed();
  }

  /** Goes on after `pauseAll()` or a quota hold: paused items resume as slots free up (items paused one by one stay paused). */
  resumeAll(): void {
    this.#paused = false;
    const held = this.#held;
    this.#held = undefined;
    // Nothing was created for an upload the quota refused: it starts afresh when its turn comes.
    if (held) for (const entry of this.#entries) if (this.#isQuotaError(entry)) this.#release(entry);
    this.#changed();
  }

  /** Pauses one item (its slot goes to the next); it waits until `resume(id)`. */
  pause(id: string): void {
    const entry = this.#entry(id);
    if (!entry) return;
    entry.userPaused = true;
    const status = entry.controller?.getSnapshot().status;
    if (status && ACTIVE.has(status)) entry.controller?.pause();
    this.#changed();
  }

  /** Lets a paused item go on when a slot is free. */
  resume(id: string): void {
    const entry = this.#entry(id);
    if (!entry) return;
    entry.userPaused = false;
    this.#changed();
  }

  /** Stops an item and cancels its upload at the backend; `retry(id)` starts it again from the start. */
  cancel(id: string): void {
    const entry = this.#entry(id);
    if (!entry || entry.refusal) return;
    entry.cancelled = true;
    this.#stopWatch(entry);
    entry.controller?.cancel();
    entry.record = undefined;
    this.#changed();
  }

  /** Takes an item off the list (cancelling its upload if it is under way). */
  remove(id: string): void {
    const entry = this.#entry(id);
    if (!entry) return;
    if (entry.controller && !["complete", "idle"].includes(entry.controller.getSnapshot().status)) entry.controller.cancel();
    this.#release(entry);
    this.#entries = this.#entries.filter((other) => other !== entry);
    this.#changed();
  }

  /** Retries one item: a retryable error goes on from the committed byte; a cancelled item starts over. */
  retry(id: string): boolean {
    const entry = this.#entry(id);
    if (!entry) return false;
    if (entry.cancelled) {
      entry.cancelled = false;
      entry.userPaused = false;
      this.#release(entry);
      entry.linkRun = undefined;
      this.#changed();
      return true;
    }
    if (entry.link !== undefined) {
      if (entry.linkRun?.status !== "error" || !(entry.linkRun.error?.retryable ?? false)) return false;
      this.#stopWatch(entry);
      entry.linkRun = undefined;
      this.#changed(true, entry);
      return true;
    }
    const retried = entry.controller?.retry() ?? false;
    if (retried) this.#changed();
    return retried;
  }

  /** Retries every item that failed with a retryable error. Returns how many. */
  retryFailed(): number {
    let count = 0;
    for (const entry of this.#entries) if (this.#status(entry) === "error" && this.#itemOf(entry).retryable && this.retry(entry.id)) count++;
    if (count) this.#changed();
    return count;
  }

  /** Moves an item to `index` in the list; waiting items start in list order. */
  move(id: string, index: number): void {
    const entry = this.#entry(id);
    if (!entry) return;
    const rest = this.#entries.filter((other) => other !== entry);
    rest.splice(Math.max(0, Math.min(index, rest.length)), 0, entry);
    this.#entries = rest;
    this.#changed();
  }

  /** Moves an item ahead of every other waiting item: it starts next. */
  prioritize(id: string): void {
    const first = this.#entries.findIndex((entry) => this.#status(entry) === "queued");
    if (first >= 0) this.move(id, first);
  }

  /** Sets how many uploads send at once (at least 1); more start at once if slots opened. */
  setConcurrency(concurrency: number): void {
    this.#concurrency = Math.max(1, Math.floor(concurrency));
    this.#changed();
  }

  /**
   * Held by a mounted component: the returned release disposes the queue a microtask later unless it was held
   * again meanwhile (StrictMode unmounts and mounts again at once).
   */
  retain(): () => void {
    this.#holders++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holders--;
      queueMicrotask(() => {
        if (this.#holders === 0) this.dispose();
      });
    };
  }

  /** Stops every upload (left paused, its bytes kept, nothing cancelled at the backend), every watch and listener. */
  dispose(): void {
    this.#disposed = true;
    if (this.#notifyTimer !== undefined) clearTimeout(this.#notifyTimer);
    for (const entry of this.#entries) this.#release(entry, true);
    for (const watch of this.#watches.values()) watch.abort();
    this.#watches.clear();
    this.clearListeners();
  }

  /** Lists a file that will not be sent, with why, at once. */
  #refuse(input: QueueFileInput, path: string, error: VideoError): AddFilesResult["refused"][number] {
    const entry = this.#newEntry({ ...fileFields(input.file), path, file: input.file, handle: input.handle });
    entry.refusal = error;
    entry.prepared = true;
    this.#entries.push(entry);
    this.#changed(true, entry);
    return { path, id: entry.id, error };
  }

  #entry(id: string): Entry<TMeta> | undefined {
    return this.#entries.find((entry) => entry.id === id);
  }

  #newEntry(fields: EntryFields): Entry<TMeta> {
    return {
      ...fields,
      id: fields.id ?? this.#options.createId?.() ?? crypto.randomUUID(),
      fingerprint: undefined,
      controller: undefined,
      unsubscribe: undefined,
      userPaused: false,
      prepared: false,
      lessonId: undefined,
      meta: undefined,
      refusal: undefined,
      cancelled: false,
      record: undefined,
      restored: undefined,
      announcedUpload: undefined,
      item: undefined,
      retryTimer: undefined,
      link: undefined,
      linkRun: undefined,
    };
  }

  /** Runs the host hook for a new item; it may start once the hook answered. */
  #prepare(entry: Entry<TMeta>): void {
    const hook = this.#options.onItemAdded;
    if (!hook || (!entry.file && !entry.link)) {
      entry.prepared = true;
      return;
    }
    const added: QueueItemAdded = entry.link ? { id: entry.id, url: entry.link, path: entry.path } : { id: entry.id, file: entry.file, path: entry.path };
    void (async () => {
      try {
        const prepared = await hook(added);
        entry.lessonId = prepared?.lessonId;
        entry.meta = prepared?.meta;
      } catch (error) {
        entry.refusal = toVideoError(error);
      }
      entry.prepared = true;
      this.#changed(true, entry);
    })();
  }

  /** A restored item gets its file back: it goes on from the record (or starts, if nothing was sent). */
  #attach(entry: Entry<TMeta>, file: File, handle: FileHandleLike | undefined): void {
    entry.file = file;
    entry.handle = handle ?? entry.handle;
    entry.restored = undefined;
    entry.item = undefined;
    if (!entry.prepared) this.#prepare(entry);
  }

  /** Drops an item's controller (keeping the resume record unless told), so it can start again. */
  #release(entry: Entry<TMeta>, keepRecord = false): void {
    clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    entry.unsubscribe?.();
    entry.unsubscribe = undefined;
    entry.controller?.dispose();
    entry.controller = undefined;
    this.#stopWatch(entry);
    if (!keepRecord) entry.record = undefined;
  }

  #stopWatch(entry: Entry<TMeta>): void {
    this.#watches.get(entry.id)?.abort();
    this.#watches.delete(entry.id);
    entry.linkRun?.stop?.();
    if (entry.linkRun) entry.linkRun.stop = undefined;
  }

  #setLink(entry: Entry<TMeta>, run: LinkRun): void {
    entry.linkRun = run;
    this.#changed(true, entry);
  }

  #importLink(entry: Entry<TMeta>, url: string): void {
    const importFromUrl = this.#options.transport.importFromUrl;
    if (!importFromUrl) return;
    const abort = new AbortController();
    this.#watches.set(entry.id, abort);
    entry.linkRun = { status: "requesting" };
    importFromUrl({ url, ...(entry.lessonId === undefined ? {} : { lessonId: entry.lessonId }) }, { signal: abort.signal }).then(
      (asset) => {
        if (abort.signal.aborted) return;
        this.#watchLinkAsset(entry, asset);
        entry.item = undefined;
        entry.announcedUpload = asset.id;
        this.#options.onItemUpload?.(this.#itemOf(entry));
      },
      (error: unknown) => {
        if (!abort.signal.aborted) this.#setLink(entry, { status: "error", error: toVideoError(error) });
      },
    );
  }

  /** Follows an imported asset until it is ready or errored, through the shared watcher. */
  #watchLinkAsset(entry: Entry<TMeta>, asset: Pick<VideoAsset, "id"> & Partial<VideoAsset>): void {
    if (asset.status === "ready") return this.#setLink(entry, { status: "complete", asset: asset as VideoAsset });
    const run: LinkRun = { status: "processing", asset: asset.status ? (asset as VideoAsset) : undefined, assetId: asset.id };
    const check = () => {
      if (entry.linkRun !== run) return;
      const snapshot = this.#watcher.getAssetSnapshot(asset.id);
      if (snapshot.status === "ready" && snapshot.asset) {
        run.stop?.();
        this.#setLink(entry, { status: "complete", asset: snapshot.asset });
      } else if (snapshot.status === "errored" || snapshot.status === "error") {
        run.stop?.();
        const error = snapshot.error ?? createVideoError("processing_failed", { details: { errors: snapshot.asset?.errors } });
        this.#setLink(entry, { status: "error", asset: snapshot.asset ?? undefined, error });
      } else if (snapshot.asset && snapshot.asset !== run.asset) {
        run.asset = snapshot.asset;
        entry.item = undefined;
        this.#changed(false, entry);
      }
    };
    this.#setLink(entry, run);
    run.stop = this.#watcher.subscribeAsset(asset.id, check);
    check();
  }

  /** A link item from the manifest: watched again if its asset exists; else left failed, for the user to retry. */
  #restoreLink(entry: Entry<TMeta>, item: QueueManifestEntry): void {
    if (item.status === "complete" && item.assetId) entry.linkRun = { status: "complete" };
    else if (item.assetId) this.#watchLinkAsset(entry, { id: item.assetId });
    else if (item.status !== "cancelled") entry.linkRun = { status: "error", error: createVideoError("network", { retryable: true }) };
    if (entry.linkRun && item.assetId) entry.linkRun.assetId ??= item.assetId;
  }

  /** A restored item whose bytes had all been sent: waits for its asset, as the controller would have. */
  #watchRestored(entry: Entry<TMeta>): void {
    const uploadId = entry.restored?.uploadId;
    if (!uploadId) return;
    const abort = new AbortController();
    this.#watches.set(entry.id, abort);
    this.#watcher
      .waitForReadyAsset(uploadId, {
        signal: abort.signal,
        onAssetId: (assetId) => this.#updateRestored(entry, { assetId }),
        onAsset: (asset) => this.#updateRestored(entry, { asset, assetId: asset.id }),
      })
      .then(
        (asset) => this.#updateRestored(entry, { status: "complete", asset, assetId: asset.id }),
        (error: unknown) => {
          if (!abort.signal.aborted) this.#updateRestored(entry, { status: "failed", error: toVideoError(error) });
        },
      );
  }

  #updateRestored(entry: Entry<TMeta>, change: Partial<NonNullable<Entry<TMeta>["restored"]>>): void {
    if (!entry.restored) return;
    entry.restored = { ...entry.restored, ...change };
    this.#changed();
  }

  #isQuotaError(entry: Entry<TMeta>): boolean {
    const state = entry.controller?.getSnapshot();
    return state?.status === "error" && state.error.code === "quota_exceeded";
  }

  #status(entry: Entry<TMeta>): QueueItemStatus {
    if (entry.refusal) return "refused";
    if (entry.cancelled) return "cancelled";
    if (entry.link !== undefined) return entry.linkRun?.status ?? "queued";
    const restored = entry.restored;
    if (restored) {
      if (restored.status === "complete") return "complete";
      if (restored.status === "sent") return "processing";
      if (restored.status === "failed" && restored.error) return "error";
      if (!entry.file) return "needs_file";
    }
    const state = entry.controller?.getSnapshot();
    if (entry.userPaused && (!state || state.status === "idle")) return "paused";
    if (!state || state.status === "idle") return "queued";
    // Held for quota: the item waits with the rest of the queue rather than failing.
    if (this.#isQuotaError(entry)) return "queued";
    if (state.status === "paused" && !entry.userPaused && state.pausedReason !== "offline") return this.#paused ? "paused" : "queued";
    return state.status;
  }

  /** Uploads that hold a slot: sending, or paused by going offline (they go on by themselves when back). */
  #activeCount(): number {
    return this.#entries.filter((entry) => {
      const state = entry.controller?.getSnapshot();
      return state !== undefined && (ACTIVE.has(state.status) || (state.status === "paused" && state.pausedReason === "offline"));
    }).length;
  }

  /**
   * Starts waiting items while slots are free, in list order. Not re-entrant: a start notifies synchronously, and
   * the nested change must not start a second item into the same slot.
   */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const tried = new Set<Entry<TMeta>>();
    try {
      // Imports take no slot: the backend fetches them.
      if (!this.#paused && !this.#disposed) {
        for (const entry of this.#entries) {
          if (entry.link !== undefined && entry.prepared && !entry.linkRun && !entry.cancelled && !entry.refusal) this.#importLink(entry, entry.link);
        }
      }
      while (!this.#paused && !this.#held && !this.#disposed && this.#activeCount() < this.#concurrency) {
        const next = this.#entries.find(
          (entry) => !tried.has(entry) && entry.prepared && !entry.userPaused && entry.file !== undefined && this.#status(entry) === "queued" && !this.#isQuotaError(entry),
        );
        if (!next?.file) return;
        tried.add(next);
        this.#run(next, next.file);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #run(entry: Entry<TMeta>, file: File): void {
    const paused = entry.controller?.getSnapshot().status === "paused";
    if (paused && entry.controller) {
      entry.controller.resume();
      return;
    }
    this.#release(entry, true);
    const records: UploadRecordStore = {
      list: () => (entry.record ? [entry.record] : []),
      save: (record) => {
        entry.record = record;
        this.#saveSoon();
      },
      remove: (uploadId) => {
        if (entry.record?.uploadId === uploadId) entry.record = undefined;
        this.#saveSoon();
      },
    };
    const controller = new UploadController({ ...this.#controllerOptions, records });
    entry.controller = controller;
    entry.unsubscribe = controller.subscribe(() => this.#controllerChanged(entry, controller));
    const record = entry.record;
    if (record) void controller.resumeFromRecord(file, record);
    else void controller.start(file, entry.lessonId === undefined ? {} : { lessonId: entry.lessonId });
  }

  #controllerChanged(entry: Entry<TMeta>, controller: UploadController): void {
    if (entry.controller !== controller) return;
    const state = controller.getSnapshot();
    // A pause asked for while the upload was still being checked or created applies once its bytes move.
    if (state.status === "uploading" && (this.#paused || entry.userPaused)) controller.pause();
    entry.item = undefined;
    if (state.uploadId && entry.announcedUpload !== state.uploadId) {
      entry.announcedUpload = state.uploadId;
      this.#options.onItemUpload?.(this.#itemOf(entry));
    }
    // Too many requests: the server says when to come back (`Retry-After`), and the item goes on by itself then.
    if (state.status === "error" && state.error.code === "rate_limited" && !entry.retryTimer) {
      const delayMs = Math.min(60, Math.max(1, state.error.retryAfter ?? 2)) * 1000;
      entry.retryTimer = setTimeout(() => {
        entry.retryTimer = undefined;
        if (entry.controller === controller && !this.#disposed) controller.retry();
      }, delayMs);
    }
    if (state.status === "error" && state.error.code === "quota_exceeded" && !this.#held) {
      this.#held = state.error;
      return this.#changed();
    }
    this.#changed(state.status !== "uploading", entry);
  }

  /**
   * Something changed (in `entry` only, or anywhere): the snapshot is made anew, free slots are filled, and the
   * manifest saved. Items that did not change keep their object.
   */
  #changed(save = true, entry?: Entry<TMeta>): void {
    if (this.#disposed) return;
    if (entry) entry.item = undefined;
    else for (const each of this.#entries) each.item = undefined;
    this.#snapshot = undefined;
    this.#pump();
    this.#snapshot = undefined;
    if (save) this.#saveSoon();
    if (this.#adding > 0) this.#notifySoon();
    else this.#notifyNow();
  }

  /**
   * While a batch is read, its files are listed a frame's worth at a time: small files are checked faster than a
   * list can render, and a render per file made a course's drop render its list a hundred times.
   */
  #notifySoon(): void {
    this.#notifyTimer ??= setTimeout(() => this.#notifyNow(), NOTIFY_EVERY_MS);
  }

  #notifyNow(): void {
    if (this.#notifyTimer !== undefined) clearTimeout(this.#notifyTimer);
    this.#notifyTimer = undefined;
    if (!this.#disposed) this.notifyListeners();
  }

  #itemOf(entry: Entry<TMeta>): QueueItem<TMeta> {
    if (entry.item) return entry.item;
    const status = this.#status(entry);
    const upload = entry.controller?.getSnapshot();
    const live = upload && upload.status !== "idle" ? upload : undefined;
    const restored = entry.restored;
    const done = status === "complete" || status === "processing";
    const bytesSent = done ? entry.size : (live?.bytesSent ?? entry.record?.bytesSent ?? 0);
    const link = entry.linkRun;
    const error =
      entry.refusal ??
      (live?.status === "error" && status === "error" ? live.error : undefined) ??
      (status === "error" ? (restored?.error ?? link?.error) : undefined);
    const item: QueueItem<TMeta> = {
      id: entry.id,
      name: entry.name,
      size: entry.size,
      type: entry.type,
      path: entry.path,
      status,
      bytesSent,
      progress: entry.size > 0 ? Math.min(100, Math.round((bytesSent / entry.size) * 1000) / 10) : status === "complete" ? 100 : 0,
      speed: status === "uploading" ? (live?.speed ?? 0) : 0,
      eta: status === "uploading" ? live?.eta : undefined,
      error,
      retryable: status === "cancelled" || (status === "error" && (error?.retryable ?? false)),
      uploadId: live?.uploadId ?? entry.record?.uploadId ?? restored?.uploadId,
      assetId: live?.assetId ?? restored?.assetId ?? link?.asset?.id ?? link?.assetId,
      asset: live?.asset ?? restored?.asset ?? link?.asset,
      lessonId: entry.lessonId,
      meta: entry.meta,
      upload: live,
      reopenable: status === "needs_file" && entry.handle !== undefined,
      url: entry.link,
    };
    entry.item = item;
    return item;
  }

  #makeSnapshot(): UploadQueueSnapshot<TMeta> {
    const items = this.#entries.map((entry) => this.#itemOf(entry));
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<QueueItemStatus, number>;
    let bytesSent = 0;
    let totalBytes = 0;
    let speed = 0;
    for (const item of items) {
      counts[item.status]++;
      if (item.status === "refused" || item.status === "cancelled") continue;
      bytesSent += item.bytesSent;
      totalBytes += item.size;
      speed += item.speed;
    }
    const left = totalBytes - bytesSent;
    return {
      items,
      totals: {
        counts,
        bytesSent,
        totalBytes,
        progress: totalBytes > 0 ? Math.min(100, Math.round((bytesSent / totalBytes) * 1000) / 10) : 0,
        speed,
        eta: speed > 0 && left > 0 ? left / speed : undefined,
      },
      paused: this.#paused,
      held: this.#held,
      concurrency: this.#concurrency,
    };
  }

  #manifestStatus(entry: Entry<TMeta>, status: QueueItemStatus): QueueManifestStatus {
    if (entry.link !== undefined && (status === "requesting" || status === "queued")) return "waiting";
    switch (status) {
      case "complete":
        return "complete";
      case "processing":
        return "sent";
      case "cancelled":
        return "cancelled";
      case "error":
        return entry.record ? "sending" : "failed";
      case "needs_file":
        return entry.restored?.status ?? "waiting";
      default:
        return entry.record ? "sending" : "waiting";
    }
  }

  /** Saves the manifest; one write at a time, the last state always written. */
  #saveSoon(): void {
    const store = this.#options.manifest;
    if (!store || this.#disposed) return;
    this.#saveRequests++;
    if (this.#saving) return;
    const write = async (): Promise<void> => {
      let written = -1;
      while (written !== this.#saveRequests) {
        written = this.#saveRequests;
        const entries = this.#entries
          .filter((entry) => !entry.refusal)
          .map((entry): QueueManifestEntry => {
            const item = this.#itemOf(entry);
            return {
              id: entry.id,
              name: entry.name,
              size: entry.size,
              type: entry.type,
              lastModified: entry.lastModified,
              path: entry.path,
              status: this.#manifestStatus(entry, item.status),
              lessonId: entry.lessonId,
              meta: entry.meta,
              fingerprint: entry.fingerprint,
              record: entry.record,
              uploadId: item.uploadId,
              assetId: item.assetId,
              handle: entry.handle,
              url: entry.link,
              prepared: entry.prepared,
            };
          });
        await store.save(entries).catch(() => undefined);
      }
    };
    this.#saving = write().finally(() => (this.#saving = undefined));
  }

  /** Resolves once the manifest holds the latest state (tests, and a page about to unload). */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }
}
