// The SQL docs/database.md gives host apps, read from the page itself so the tests run exactly what a user
// copies: the webhook hooks' UPDATEs and the lesson save of lib/lessons.ts ("The lesson store"), and the orphan
// clean-up's `isReferenced` query.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export type HookName = "onUploadAssetCreated" | "onAssetReady" | "onAssetErrored";

export interface HookArgs {
  lessonId?: string | null | undefined;
  uploadId?: string | null | undefined;
  assetId: string;
  playbackId?: string | null | undefined;
}

const readme = () => readFileSync(resolve(import.meta.dirname, "../../docs/database.md"), "utf8");

/** The text of a README section, from its heading to the next heading of the same or a higher level. */
export function readmeSection(heading: string): string {
  const text = readme();
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no section "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = text.slice(start + heading.length + 2);
  const next = new RegExp(`^#{1,${level}} `, "m").exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

/**
 * The parameter lists the README passes, as written there, and how the tests build them: a change to the
 * README's parameters fails here instead of silently binding the wrong values.
 */
const hookParams: Record<HookName, { text: string; build(args: HookArgs): unknown[] }> = {
  onUploadAssetCreated: {
    text: "[lessonId ?? null, uploadId, assetId]",
    build: ({ lessonId, uploadId, assetId }) => [lessonId ?? null, uploadId, assetId],
  },
  onAssetReady: {
    text: "[lessonId ?? null, uploadId ?? null, assetId, playbackId ?? null]",
    build: ({ lessonId, uploadId, assetId, playbackId }) => [lessonId ?? null, uploadId ?? null, assetId, playbackId ?? null],
  },
  onAssetErrored: {
    text: "[lessonId ?? null, uploadId ?? null, assetId]",
    build: ({ lessonId, uploadId, assetId }) => [lessonId ?? null, uploadId ?? null, assetId],
  },
};

/** The README's UPDATE for a hook, with a function that binds its parameters as the README does. */
export function readmeHook(hook: HookName): { sql: string; params(args: HookArgs): unknown[] } {
  const section = readmeSection("## The lesson store");
  const match = new RegExp(
    `async ${hook}\\([^)]*\\) \\{\\s*await asService\\(\\(query\\) =>\\s*query\\(\\s*\`(update public\\.lessons[^\`]*)\`,\\s*(\\[[^\\]]*\\])`,
  ).exec(section);
  if (!match?.[1] || !match[2]) throw new Error(`The README shows no UPDATE for ${hook}`);
  const expected = hookParams[hook];
  if (match[2] !== expected.text) {
    throw new Error(`The README binds ${hook}'s UPDATE to ${match[2]}; the tests expect ${expected.text}`);
  }
  return { sql: match[1], params: expected.build };
}

export interface ReadmeSave {
  /** `[title, description, uploadId]`, as the user. */
  insert: string;
  /** `[id, title, description]`, as the user. */
  updateText: string;
  /** `[id, uploadId]`, as the user: a different upload replaces the video. */
  switchUpload: string;
  /** `[id]`, as the user, when the submission has no upload and no video: the video was removed. */
  removeVideo: string;
}

/**
 * The SQL of the page's `saveLesson`, in the order it runs. It takes the upload id from the submission (the
 * tests do the same around this SQL).
 */
export function readmeSave(): ReadmeSave {
  const section = readmeSection("## The lesson store");
  const start = section.indexOf("export async function saveLesson(");
  if (start === -1) throw new Error("The lesson store section has no saveLesson");
  const body = section.slice(start, section.indexOf("\n}\n", start));
  if (!body.includes("const { uploadId } = lesson;") || !body.includes("if (uploadId === null && lesson.muxAssetId === undefined)")) {
    throw new Error("The page's saveLesson no longer takes the upload id from the submission, or removes the video, as the tests do");
  }
  const statements = [...body.matchAll(/`((?:insert into|update) public\.lessons[^`]*)`,\s*(\[[^\]]*\])/g)].map((m) => ({
    sql: m[1]!,
    params: m[2]!,
  }));
  const expected = [
    "[lesson.title, lesson.description, uploadId]",
    "[id, lesson.title, lesson.description]",
    "[id, uploadId]",
    "[id]",
  ];
  if (statements.map((s) => s.params).join("|") !== expected.join("|")) {
    throw new Error(`The README's saveLesson runs ${statements.map((s) => s.params).join(", ")}; the tests expect ${expected.join(", ")}`);
  }
  const [insert, updateText, switchUpload, removeVideo] = statements.map((s) => s.sql) as [string, string, string, string];
  return { insert, updateText, switchUpload, removeVideo };
}

/** The README's `isReferenced` query of the orphan clean-up: `[assetId, uploadId, lessonId]`. */
export function readmeIsReferencedSql(): string {
  const section = readmeSection("### Orphan clean-up");
  const match = /`(select 1 from public\.lessons[^`]*)`,\s*(\[[^\]]*\])/.exec(section);
  if (!match?.[1]) throw new Error("The README's orphan clean-up shows no isReferenced query");
  if (match[2] !== "[assetId, uploadId ?? null, lessonId ?? null]") {
    throw new Error(`The README binds isReferenced to ${match[2]}`);
  }
  return match[1];
}
