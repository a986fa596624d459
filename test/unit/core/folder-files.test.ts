import { filesFromDataTransfer, filesFromInput } from "../../../src/core/folder-files.js";

// Shapes of what Chromium gives for a dropped folder (the File and Directory Entries API, and File System Access
// handles), built by hand: a real folder drop cannot be synthesised in a browser test (its DataTransfer holds plain
// files only), so the traversal is checked here and a real folder pick in test/browser/components/bulk-uploader.test.tsx.
type Entry = { isFile: boolean; isDirectory: boolean; name: string; fullPath: string };

function fileEntry(fullPath: string): Entry & { file: (ok: (file: File) => void) => void } {
  const name = fullPath.split("/").at(-1)!;
  return { isFile: true, isDirectory: false, name, fullPath, file: (ok) => ok(new File([fullPath], name, { type: "video/mp4" })) };
}

/** A directory whose reader answers in batches of two, then an empty batch, as Chromium's does (in batches of 100). */
function dirEntry(fullPath: string, children: Entry[]): Entry & { createReader: () => { readEntries: (ok: (entries: Entry[]) => void) => void } } {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split("/").at(-1)!,
    fullPath,
    createReader: () => {
      let offset = 0;
      return {
        readEntries: (ok) => {
          const batch = children.slice(offset, offset + 2);
          offset += batch.length;
          ok(batch);
        },
      };
    },
  };
}

function transferOf(items: { entry?: Entry | null; file?: File | null; handle?: unknown }[]): DataTransfer {
  return {
    files: items.flatMap((item) => (item.file ? [item.file] : [])),
    items: items.map((item) => ({
      kind: "file",
      webkitGetAsEntry: () => item.entry ?? null,
      getAsFileSystemHandle: item.handle === undefined ? undefined : () => Promise.resolve(item.handle),
      getAsFile: () => item.file ?? null,
    })),
  } as unknown as DataTransfer;
}

describe("filesFromDataTransfer", () => {
  it("reads a dropped folder recursively, every batch of its reader, in name order with folder paths", async () => {
    const course = dirEntry("/Course", [
      fileEntry("/Course/week-10.mp4"),
      dirEntry("/Course/Week 1", [fileEntry("/Course/Week 1/intro.mp4"), dirEntry("/Course/Week 1/Extras", [fileEntry("/Course/Week 1/Extras/bonus.mp4")])]),
      fileEntry("/Course/week-2.mp4"),
      fileEntry("/Course/notes.txt"),
      fileEntry("/Course/week-1.mp4"),
    ]);
    const loose = new File(["x"], "loose.mp4", { type: "video/mp4" });
    const files = await filesFromDataTransfer(transferOf([{ entry: course }, { entry: fileEntry("/loose.mp4"), file: loose }]));
    expect(files.map((input) => input.path ?? input.file.name)).toEqual([
      "Course/notes.txt",
      "Course/Week 1/Extras/bonus.mp4",
      "Course/Week 1/intro.mp4",
      "Course/week-1.mp4",
      "Course/week-2.mp4",
      "Course/week-10.mp4",
      "loose.mp4",
    ]);
    expect(files.at(-1)!.file).toBe(loose);
  });

  it("takes file handles where the browser gives them, for a queue to read the files again after a reload", async () => {
    const file = new File(["x"], "intro.mp4", { type: "video/mp4" });
    const handle = { kind: "file", name: "intro.mp4", getFile: () => Promise.resolve(file) };
    const child = new File(["y"], "hooks.mp4", { type: "video/mp4" });
    const childHandle = { kind: "file", name: "hooks.mp4", getFile: () => Promise.resolve(child) };
    const folder = {
      kind: "directory",
      name: "Week 2",
      async *values() {
        yield childHandle;
      },
    };
    const files = await filesFromDataTransfer(transferOf([{ file, handle }, { handle: folder, entry: dirEntry("/Week 2", []) }]));
    expect(files).toEqual([
      { file, handle },
      { file: child, path: "Week 2/hooks.mp4", handle: childHandle },
    ]);
  });

  it("falls back to the plain file list when there are no items", async () => {
    const file = new File(["x"], "a.mp4", { type: "video/mp4" });
    expect(await filesFromDataTransfer({ files: [file], items: [] } as unknown as DataTransfer)).toEqual([{ file }]);
  });
});

describe("filesFromInput", () => {
  it("keeps a folder pick's relative paths", () => {
    const file = new File(["x"], "intro.mp4");
    Object.defineProperty(file, "webkitRelativePath", { value: "Course/Week 1/intro.mp4" });
    const plain = new File(["y"], "plain.mp4");
    expect(filesFromInput([file, plain])).toEqual([{ file, path: "Course/Week 1/intro.mp4" }, { file: plain }]);
  });
});
