// Browser-test command (runs in Node): writes a folder of lesson videos, with sub-folders and a file that is not a
// video, under the project root, so a test can hand it to an `<input webkitdirectory>` with `userEvent.upload`
// (Playwright uploads a directory the way a person picking it does). Each video is the MP4 fixture followed by a
// `free` box of random bytes, so every file differs and the emulator still reads it as a video.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { BrowserCommand } from "vitest/node";
import { ensureFixtures } from "../../fixtures/make-fixtures.js";

declare module "vitest/browser" {
  interface BrowserCommands {
    /** Writes `files` (paths inside the folder → size in bytes, or `"text"`) and returns the folder's path from the project root. */
    makeCourseFolder: (files: Record<string, number | "text">) => Promise<string>;
  }
}

export const makeCourseFolder: BrowserCommand<[files: Record<string, number | "text">]> = async (context, files) => {
  const root = context.project.config.root;
  const folder = join(root, ".tmp", `course-${randomUUID().slice(0, 8)}`, "Course");
  const base = readFileSync((await ensureFixtures()).mp4.path);
  for (const [path, size] of Object.entries(files)) {
    const target = join(folder, path);
    mkdirSync(dirname(target), { recursive: true });
    if (size === "text") {
      writeFileSync(target, "Lesson notes, not a video.\n");
      continue;
    }
    const box = Buffer.alloc(Math.max(8, size - base.length));
    box.writeUInt32BE(box.length, 0);
    box.write("free", 4, "latin1");
    randomBytes(box.length - 8).copy(box, 8);
    writeFileSync(target, Buffer.concat([base, box]));
  }
  return relative(root, folder);
};
