// `npm run docs` builds the guides of docs/ and the API reference (TypeDoc, typedoc.json) into one site. This
// runs the same TypeDoc build into a temp dir, once, and checks that it succeeds, that every guide and every
// entry point has its page, that links between guides land on pages of the site, and that no guide links to an
// anchor or a symbol that does not exist. (Storybook's own build is tested by the storybook projects.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** Warnings about the source's types (an exported type that names an unexported one), not about the docs. */
const sourceWarnings = [/is referenced by .* but not included in the documentation/, /which was resolved but is not included in the documentation/];

let out: string;
let log: string;
let failed: string | undefined;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "lvk-docs-site-"));
  const result = spawnSync(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--out", out, "--logLevel", "Warn"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  // TypeDoc writes its warnings to stderr.
  log = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) failed = log || String(result.error);
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the docs site (npm run docs)", () => {
  it("builds without errors", () => {
    expect(failed).toBeUndefined();
    expect(existsSync(join(out, "index.html"))).toBe(true);
  });

  it("has no broken links or anchors in the guides and the TSDoc", () => {
    const warnings = log
      .split("\n")
      .filter((line) => line.includes("[warning]") && !/Found \d+ errors and \d+ warnings/.test(line))
      .filter((line) => !sourceWarnings.some((pattern) => pattern.test(line)));
    expect(warnings).toEqual([]);
  });

  it("renders every guide of docs/ as a page, named after its file", () => {
    const guides = readdirSync(join(root, "docs")).filter((file) => /^[a-z].*\.md$/.test(file));
    expect(guides.length).toBeGreaterThan(10);
    for (const guide of guides) expect(existsSync(join(out, "documents", guide.replace(/\.md$/, ".html"))), guide).toBe(true);
  });

  it("has a module page for every entry point, and links guides to pages of the site", () => {
    const modules = readdirSync(join(out, "modules"));
    for (const entry of ["lesson-video-kit", "core", "server", "redis", "emulator", "testing"]) {
      expect(modules.some((page) => page.includes(entry)), entry).toBe(true);
    }
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).toContain('href="documents/nextjs-app-router.html"');
    expect(index).toContain('href="storybook/index.html"');
    const guide = readFileSync(join(out, "documents/nextjs-app-router.html"), "utf8");
    expect(guide).toContain('href="../storybook/index.html"');
    expect(guide).not.toMatch(/href="[^"]*\.md(#[^"]*)?"/);
  });
});
