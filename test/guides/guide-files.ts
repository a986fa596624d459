// The files an app guide asks a reader to create, read from its Markdown: a fenced block whose first line is just
// the file's path as a comment (`// lib/lessons.ts`, `<!-- index.html -->`) is that file, whole. A block whose
// first line says more (`// lib/db.ts, on PostgreSQL`) is an illustration, not a file of the app.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

const header = /^(?:\/\/|<!--)\s*([\w@.\-[\]]+(?:\/[\w@.\-[\]]+)*\.(?:ts|tsx|js|mjs|json|html|css))\s*(?:-->)?\s*$/;

export interface GuideFile {
  path: string;
  content: string;
  /** Where it comes from, `docs/x.md:line`, for messages. */
  source: string;
}

/** Every app file of a Markdown page (a path relative to the repository). */
export function guideFiles(doc: string): GuideFile[] {
  const lines = readFileSync(join(repoRoot, doc), "utf8").split("\n");
  const files: GuideFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```\w+\s*$/.test(lines[i]!)) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const path = header.exec(lines[i + 1] ?? "")?.[1];
    if (path) files.push({ path, content: `${lines.slice(i + 1, end).join("\n")}\n`, source: `${doc}:${i + 2}` });
    i = end;
  }
  return files;
}

/** The pages whose app files `npm test` builds into apps and runs (test/guides/*.test.ts). */
export const appGuidePages = ["docs/nextjs-app-router.md", "docs/vite-express.md", "docs/database.md"];

/** True when a code block (its text) is an app file by the rule above. */
export const isGuideFile = (code: string): boolean => header.test(code.split("\n", 1)[0] ?? "");

/**
 * The files of an app built from several pages: `pages` maps a page to the paths it contributes (`"*"`: all of
 * its files). A path given twice, or asked for and not found, fails with where.
 */
export function appFiles(pages: Record<string, readonly string[] | "*">): Map<string, GuideFile> {
  const files = new Map<string, GuideFile>();
  for (const [doc, wanted] of Object.entries(pages)) {
    const found = guideFiles(doc);
    const taken = wanted === "*" ? found : found.filter((file) => wanted.includes(file.path));
    if (wanted !== "*") {
      const missing = wanted.filter((path) => !found.some((file) => file.path === path));
      if (missing.length > 0) throw new Error(`${doc} shows no ${missing.join(", ")}`);
    }
    for (const file of taken) {
      const earlier = files.get(file.path);
      if (earlier) throw new Error(`${file.path} is shown twice: ${earlier.source} and ${file.source}`);
      files.set(file.path, file);
    }
  }
  return files;
}

/** The packages a guide's `npm install …` lines name (`sh` blocks), in order. */
export function installedPackages(doc: string): string[] {
  const text = readFileSync(join(repoRoot, doc), "utf8");
  return [...text.matchAll(/^npm install ([^\n#]+)$/gm)].flatMap((match) => match[1]!.trim().split(/\s+/));
}
