import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** `topLevel` (those that exist) and every Markdown file under docs/, relative to the repo. */
export function markdownFiles(topLevel: readonly string[]): string[] {
  const files = topLevel.filter((file) => existsSync(join(root, file)));
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) files.push(path);
    }
  };
  if (existsSync(join(root, "docs"))) walk("docs");
  return files;
}
