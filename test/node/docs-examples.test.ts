// Every ```ts and ```tsx block in README.md and docs/**/*.md is type-checked against the packed package, as
// a user pastes it into an app: strict + exactOptionalPropertyTypes, entry points mixed exactly as the block
// mixes them. What a block takes from the host app (its auth, database, analytics) is declared in
// test/docs/host-app.d.ts. A block that does not compile fails this test, named by file and line. The files of the
// app guides (a block headed by just its path, on the pages test/guides builds into apps) are compiled there, together,
// by the app's own build.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appGuidePages, guideFiles, isGuideFile } from "../guides/guide-files.js";
import { markdownFiles } from "./markdown-files.js";
import { createPackedConsumer, root, typecheck } from "./packed-consumer.js";

interface CodeBlock {
  file: string;
  line: number;
  lang: "ts" | "tsx";
  code: string;
}

/** The fenced blocks tagged ts or tsx, with the line of their first code line. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|tsx)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ file, line: start + 1, lang: open[1] as "ts" | "tsx", code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

let consumer: string;
let remove: (() => void) | undefined;

beforeAll(() => {
  ({ dir: consumer, remove } = createPackedConsumer("docs-examples", [
    "react@19",
    "react-dom@19",
    "@types/react@19",
    "@types/react-dom@19",
    "@types/node@20",
    "@mux/mux-node@15",
    "@testing-library/react@16",
    "@testing-library/dom@10",
    "vitest@4.1",
    "express@5",
    "@types/express@5",
    "pg@8",
    "@types/pg@8",
    "@electric-sql/pglite@0.5",
    "ioredis@5",
  ]));
}, 600_000);

afterAll(() => remove?.());

describe("code examples in the docs", () => {
  const blocks = markdownFiles(["README.md"])
    .flatMap((file) => codeBlocks(file, readFileSync(join(root, file), "utf8")))
    .filter((block) => !(appGuidePages.includes(block.file) && isGuideFile(block.code)));

  it("finds the examples (README.md's quick start and the guides' blocks)", () => {
    const readme = blocks.filter((block) => block.file === "README.md");
    expect(readme.map((block) => block.lang)).toEqual(expect.arrayContaining(["ts", "tsx"]));
    expect(blocks.filter((block) => block.file.startsWith("docs/")).length).toBeGreaterThan(10);
    // The app guides' files are compiled by their apps' builds (test/guides), not here.
    expect(appGuidePages.flatMap((page) => guideFiles(page)).length).toBeGreaterThan(20);
  });

  it("type-check against the packed package under strict + exactOptionalPropertyTypes", () => {
    const dir = join(consumer, "examples");
    mkdirSync(dir, { recursive: true });
    const names = new Map<string, CodeBlock>();
    for (const block of blocks) {
      const name = `${block.file.replace(/[^A-Za-z0-9]+/g, "-")}-${block.line}.${block.lang}`;
      // Each block is its own module, so two blocks may declare the same names.
      writeFileSync(join(dir, name), `${block.code}\nexport {};\n`);
      names.set(name, block);
    }
    copyFileSync(join(root, "test/docs/host-app.d.ts"), join(dir, "host-app.d.ts"));
    writeFileSync(
      join(consumer, "tsconfig.examples.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          jsx: "react-jsx",
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          // As Next.js and Vite templates set it: @mux/mux-video's own declarations do not compile under
          // exactOptionalPropertyTypes.
          skipLibCheck: true,
          esModuleInterop: true,
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          types: ["node"],
        },
        include: ["examples"],
      }),
    );
    const diagnostics = typecheck("tsconfig.examples.json", consumer);
    // Point each error at the Markdown line it comes from.
    const located = diagnostics.replace(/examples\/([^(\s]+)\((\d+),(\d+)\)/g, (match, name: string, line: string) => {
      const block = names.get(name);
      return block ? `${block.file}:${block.line + Number(line) - 1}` : match;
    });
    expect(located).toBe("");
  });
});
