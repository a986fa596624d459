// Every shipped locale (src/locales/<code>.ts) against the English messages: the same keys, nothing extra, each
// message with English's placeholders, plural messages with every plural category the language has (and none it
// lacks), right-to-left languages marked so, and the loader offering each file.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Locale, PluralForms } from "../../../src/components/messages.js";
import en from "../../../src/locales/en.js";
import { shippedLocales } from "../../../src/locales/load.js";

const folder = join(process.cwd(), "src/locales");
/** Translated locales: every `<code>.ts` but English, the pseudo-locale (`en-XA`) and the loader. */
const codes = readdirSync(folder)
  .filter((name) => /^[a-z]{2,3}(-[A-Z]{2})?\.ts$/.test(name) && name !== "en.ts" && name !== "en-XA.ts")
  .map((name) => name.replace(/\.ts$/, ""));
const rightToLeft = new Set(["ar", "he", "fa", "ur"]);

type Leaf = string | PluralForms;
/** Every message as [path, value], plural forms kept whole. */
function leaves(value: unknown, path = ""): Array<[string, Leaf]> {
  if (typeof value === "string") return [[path, value]];
  const record = value as Record<string, unknown>;
  if (typeof record.other === "string") return [[path, record as unknown as PluralForms]];
  return Object.entries(record).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key));
}
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!));
const formsOf = (leaf: Leaf): string[] => (typeof leaf === "string" ? [leaf] : Object.values(leaf).filter((form): form is string => typeof form === "string"));
const union = (leaf: Leaf) => new Set(formsOf(leaf).flatMap((form) => [...placeholders(form)]));
const sorted = (set: Set<string>) => [...set].sort();

const english = new Map(leaves(en.messages));

it("finds the translated locales, and the loader offers each of them", () => {
  expect(codes.length).toBeGreaterThan(0);
  for (const code of codes) expect(shippedLocales as readonly string[]).toContain(code);
});

describe.each(codes)("locale %s", (code) => {
  let locale: Locale;
  beforeAll(async () => {
    locale = ((await import(`../../../src/locales/${code}.ts`)) as { default: Locale }).default;
  });

  it("names itself and its direction", () => {
    expect(locale.code).toBe(code);
    expect(locale.dir).toBe(rightToLeft.has(code) ? "rtl" : "ltr");
  });

  it("has every English message and no other", () => {
    expect(leaves(locale.messages).map(([path]) => path).sort()).toEqual([...english.keys()].sort());
  });

  it("keeps each message's placeholders", () => {
    const wrong: string[] = [];
    for (const [path, leaf] of leaves(locale.messages)) {
      const expected = union(english.get(path)!);
      if (typeof leaf === "string") {
        if (sorted(placeholders(leaf)).join() !== sorted(expected).join()) wrong.push(`${path}: ${leaf}`);
        continue;
      }
      // `other` says everything; a form for one, two or zero may leave the number out ("one video"), nothing else.
      if (sorted(placeholders(leaf.other)).join() !== sorted(expected).join()) wrong.push(`${path}.other: ${leaf.other}`);
      for (const [category, form] of Object.entries(leaf)) {
        if (typeof form !== "string") continue;
        const found = placeholders(form);
        const extra = [...found].filter((name) => !expected.has(name));
        const missing = [...expected].filter((name) => !found.has(name) && !(name === "count" && ["zero", "one", "two"].includes(category)));
        if (extra.length > 0 || missing.length > 0) wrong.push(`${path}.${category}: ${form}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives plural messages exactly the plural categories of the language", () => {
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories.slice().sort();
    const wrong: string[] = [];
    for (const [path, leaf] of leaves(locale.messages)) {
      const englishLeaf = english.get(path)!;
      if (typeof leaf === "string") {
        if (typeof englishLeaf !== "string" && categories.length > 1) wrong.push(`${path}: one text where ${categories.join(", ")} are needed`);
        continue;
      }
      const given = Object.keys(leaf).filter((key) => typeof leaf[key as keyof PluralForms] === "string").sort();
      if (given.join() !== categories.join()) wrong.push(`${path}: ${given.join(", ")} instead of ${categories.join(", ")}`);
    }
    expect(wrong).toEqual([]);
  });

  it("is translated: no empty message, and few left as the English text", () => {
    const all = leaves(locale.messages);
    // Empty only where English is (a hint English leaves out).
    const empty = all.filter(([path, leaf]) => formsOf(leaf).some((form) => form.trim() === "") && !formsOf(english.get(path)!).some((form) => form === ""));
    expect(empty.map(([path]) => path)).toEqual([]);
    const same = all.filter(([path, leaf]) => JSON.stringify(leaf) === JSON.stringify(english.get(path)));
    // Names and format words ("WebVTT", "OK", "Video") may stay; a locale that copies English does not pass.
    expect(same.length / all.length).toBeLessThan(0.1);
  });
});
