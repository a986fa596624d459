// Every relative link in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/**/*.md points at a file or folder
// of the repository, and every #anchor at a heading of its target Markdown file (GitHub's heading ids), so
// a guide moved or a heading renamed fails here, named by file and line, instead of in a reader's browser.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { markdownFiles } from "./markdown-files.js";

const root = resolve(import.meta.dirname, "../..");

export interface MarkdownLink {
  file: string;
  line: number;
  target: string;
}

/** The lines of a Markdown text outside fenced code blocks, with inline code spans blanked out. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((line, index) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker) {
      fence = fence === marker ? undefined : (fence ?? marker);
      return;
    }
    if (fence) return;
    out.push({ line: index + 1, text: line.replace(/`+[^`]*`+/g, (code) => " ".repeat(code.length)) });
  });
  return out;
}

/** Inline links and images, `[text](target)` and `![alt](target "title")`, that stay inside the repository. */
export function relativeLinks(file: string, text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { line, text: prose } of proseLines(text)) {
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      links.push({ file, line, target });
    }
  }
  return links;
}

/** GitHub's id for a heading: lower case, punctuation and symbols dropped, spaces to hyphens (github-slugger). */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link's text
    .replace(/<[^>]+>/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

/** The ids of every heading of a Markdown text, numbered as GitHub numbers repeated ones (`-1`, `-2`). */
export function headingIds(text: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker) fence = fence === marker ? undefined : (fence ?? marker);
    if (fence || marker) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    ids.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return ids;
}

/** What is at a repository path: a file, a folder, or nothing. */
const onDisk = (path: string): "file" | "dir" | undefined => {
  const absolute = join(root, path);
  if (!existsSync(absolute)) return undefined;
  return statSync(absolute).isDirectory() ? "dir" : "file";
};

/** Why a link is broken, or undefined when it resolves. */
export function brokenReason(
  link: MarkdownLink,
  read: (path: string) => string | undefined,
  kind: (path: string) => "file" | "dir" | undefined = onDisk,
): string | undefined {
  const [rawPath = "", anchor] = link.target.split("#", 2);
  const path = decodeURIComponent(rawPath);
  const targetFile = path === "" ? link.file : relative(root, resolve(root, dirname(link.file), path));
  if (targetFile.startsWith("..")) return "points outside the repository";
  const found = kind(targetFile);
  if (found === undefined) return `${targetFile} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (found === "dir" || !targetFile.endsWith(".md")) return `#${anchor} on a file that is not Markdown`;
  const text = read(targetFile);
  if (text === undefined || !headingIds(text).has(anchor)) return `${targetFile} has no heading #${anchor}`;
  return undefined;
}

describe("links in the README and the guides", () => {
  const cache = new Map<string, string>();
  const read = (path: string) => {
    if (!cache.has(path)) cache.set(path, readFileSync(join(root, path), "utf8"));
    return cache.get(path);
  };
  const files = markdownFiles(["README.md", "CONTRIBUTING.md", "CHANGELOG.md"]);
  const links = files.flatMap((file) => relativeLinks(file, read(file)!));

  it("finds the guides and their links", () => {
    expect(files).toContain("docs/README.md");
    expect(links.filter((link) => link.file === "README.md").length).toBeGreaterThan(10);
  });

  it("every relative link and #anchor resolves", () => {
    const broken = links
      .map((link) => ({ link, reason: brokenReason(link, read) }))
      .filter((entry) => entry.reason !== undefined)
      .map(({ link, reason }) => `${link.file}:${link.line} (${link.target}): ${reason}`);
    expect(broken).toEqual([]);
  });

  it("the README is short and reaches every guide in docs/ (directly or through docs/README.md)", () => {
    const readme = read("README.md")!;
    expect(readme.split("\n").length).toBeLessThanOrEqual(220);
    const reached = new Set(
      ["README.md", "docs/README.md"].flatMap((file) =>
        relativeLinks(file, read(file)!).map((link) => relative(root, resolve(root, dirname(file), link.target.split("#")[0]!))),
      ),
    );
    const guides = files.filter((file) => file.startsWith("docs/") && file !== "docs/README.md");
    expect(guides.filter((guide) => !reached.has(guide))).toEqual([]);
  });
});

describe("the link checker itself", () => {
  it("computes GitHub's heading ids", () => {
    expect(headingSlug("Keeping `video_status` in step with the backend")).toBe("keeping-video_status-in-step-with-the-backend");
    expect(headingSlug("Lesson ↔ upload")).toBe("lesson--upload");
    expect(headingSlug("Mux's stock uploader, bridged")).toBe("muxs-stock-uploader-bridged");
    expect([...headingIds("# A\n## A\n```\n# not a heading\n```\n## B")]).toEqual(["a", "a-1", "b"]);
  });

  it("reports a missing file, a missing anchor and ignores links in code", () => {
    const text = "[ok](#b) [gone](nope.md) [bad anchor](#c) `[code](nope.md)`\n```\n[x](nope.md)\n```\n## B";
    const links = relativeLinks("docs/x.md", text);
    expect(links.map((link) => link.target)).toEqual(["#b", "nope.md", "#c"]);
    const read = () => text;
    const kind = (path: string) => (path === "docs/x.md" ? "file" : undefined);
    expect(links.map((link) => brokenReason(link, read, kind))).toEqual([
      undefined,
      "docs/nope.md does not exist",
      "docs/x.md has no heading #c",
    ]);
  });
});
