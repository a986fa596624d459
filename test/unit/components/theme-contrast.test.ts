// @vitest-environment node
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const css = readFileSync(resolve(import.meta.dirname, "../../../src/components/styles.css"), "utf8");

/** The `--lvk-color-*` values declared in the first block whose selector list starts with `selector`. */
function colours(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector}`);
  const block = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--lvk-color-([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Text on background pairs the components actually render. */
const textPairs: Array<[string, string]> = [
  ["text", "bg"], ["text", "surface"], ["text", "surface-muted"], ["text-muted", "bg"], ["text-muted", "surface"],
  ["text-muted", "surface-muted"], ["text-muted", "accent-surface"], ["text-muted", "skeleton"], ["accent-contrast", "accent"],
  ["accent", "surface"], ["accent", "accent-surface"], ["danger", "danger-surface"], ["danger", "surface"], ["bg", "danger"],
  ["text", "danger-surface"], ["success", "success-surface"], ["success", "bg"], ["warning", "warning-surface"], ["text", "warning-surface"],
];

describe.each([
  ["light", ":root,"],
  ["dark", '[data-theme="dark"],'],
])("the %s theme", (_name, selector) => {
  const theme = colours(selector);

  it("declares every colour the pairs use", () => {
    for (const [fg, bg] of textPairs) {
      expect(theme[fg], fg).toMatch(/^#/);
      expect(theme[bg], bg).toMatch(/^#/);
    }
  });

  it.each(textPairs)("has AA contrast (4.5:1) for %s on %s", (fg, bg) => {
    expect(contrast(theme[fg]!, theme[bg]!)).toBeGreaterThanOrEqual(4.5);
  });

  it("has 3:1 for input borders against the surface", () => {
    expect(contrast(theme["border-strong"]!, theme.surface!)).toBeGreaterThanOrEqual(3);
  });
});

it("the OS dark preference uses the same colours as data-theme=dark", () => {
  const media = css.slice(css.indexOf("@media (prefers-color-scheme: dark)"));
  const fromMedia = Object.fromEntries([...media.slice(0, media.indexOf("}")).matchAll(/--lvk-color-([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
  expect(fromMedia).toEqual(colours('[data-theme="dark"],'));
});
