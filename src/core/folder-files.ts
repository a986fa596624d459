import type { FileHandleLike } from "./queue-manifest.js";
import type { QueueFileInput } from "./upload-queue.js";

/** The parts of the File and Directory Entries API (`webkitGetAsEntry`) a drop of a folder gives. */
interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntryLike extends EntryLike {
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}
interface DirectoryEntryLike extends EntryLike {
  createReader(): { readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void };
}
interface DirectoryHandleLike {
  readonly kind: "directory";
  readonly name: string;
  values(): AsyncIterable<FileHandleLike | DirectoryHandleLike>;
}
type DropItem = Omit<DataTransferItem, "webkitGetAsEntry"> & {
  webkitGetAsEntry?: (() => EntryLike | null) | undefined;
  getAsFileSystemHandle?: () => Promise<FileHandleLike | DirectoryHandleLike | null>;
};

/** Folders deeper than this are not read (a link loop, or a drop of a whole disk). */
const MAX_DEPTH = 16;

const withoutLeadingSlash = (path: string) => path.replace(/^\/+/, "");

async function readDirectory(directory: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = directory.createReader();
  const all: EntryLike[] = [];
  // `readEntries` answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function filesOfEntry(entry: EntryLike, depth: number, out: QueueFileInput[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileEntryLike).file(resolve, reject));
    out.push({ file, path: withoutLeadingSlash(entry.fullPath) || file.name });
    return;
  }
  if (!entry.isDirectory || depth >= MAX_DEPTH) return;
  const children = await readDirectory(entry as DirectoryEntryLike);
  children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const child of children) await filesOfEntry(child, depth + 1, out);
}

async function filesOfHandle(handle: FileHandleLike | DirectoryHandleLike, prefix: string, depth: number, out: QueueFileInput[]): Promise<void> {
  const path = prefix ? `${prefix}/${handle.name}` : handle.name;
  if (handle.kind === "file") {
    out.push({ file: await handle.getFile(), path, handle });
    return;
  }
  if (depth >= MAX_DEPTH) return;
  const children: (FileHandleLike | DirectoryHandleLike)[] = [];
  for await (const child of handle.values()) children.push(child);
  children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const child of children) await filesOfHandle(child, path, depth + 1, out);
}

/**
 * Every file of a drop, folders read recursively (in name order, `"Week 1/intro.mp4"` paths). Where the browser
 * gives file handles (Chromium), each file comes with its handle, so a queue can read it again after a reload.
 * Call it from the `drop` handler itself: the browser empties the `DataTransfer` once the handler returns, so this
 * takes what it needs synchronously and reads the folders afterwards.
 */
export function filesFromDataTransfer(data: DataTransfer): Promise<QueueFileInput[]> {
  const items: DropItem[] = Array.from(data.items).filter((item) => item.kind === "file");
  if (items.length === 0) return Promise.resolve(Array.from(data.files, (file) => ({ file })));
  // Synchronously, before the handler returns: the entries, the handles' promises and the plain files.
  const taken = items.map((item) => ({
    entry: item.webkitGetAsEntry?.() ?? null,
    handle: item.getAsFileSystemHandle?.().catch(() => null) ?? Promise.resolve(null),
    file: item.getAsFile(),
  }));
  return (async () => {
    const out: QueueFileInput[] = [];
    for (const { entry, handle, file } of taken) {
      const fileHandle = await handle;
      if (fileHandle?.kind === "directory" || (!fileHandle && entry?.isDirectory)) {
        if (fileHandle?.kind === "directory") await filesOfHandle(fileHandle, "", 0, out);
        else if (entry) await filesOfEntry(entry, 0, out);
        continue;
      }
      if (file) out.push(fileHandle?.kind === "file" ? { file, handle: fileHandle } : { file });
    }
    return out;
  })();
}

/** Every file of an `<input type="file" webkitdirectory>` pick (or a plain multiple pick), with its folder path. */
export function filesFromInput(files: FileList | readonly File[]): QueueFileInput[] {
  return Array.from(files, (file) => {
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
    return relative ? { file, path: relative } : { file };
  });
}
