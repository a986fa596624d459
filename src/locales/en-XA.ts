import type { Locale, LocaleMessages } from "../components/messages.js";
import en from "./en.js";

const accents: Readonly<Record<string, string>> = {
  a: "å", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "î", j: "ĵ", k: "ķ", l: "ļ", m: "ɱ",
  n: "ñ", o: "ö", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "û", v: "ṽ", w: "ŵ", x: "ẋ", y: "ý", z: "ž",
  A: "Å", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Î", J: "Ĵ", K: "Ķ", L: "Ļ", M: "Ṁ",
  N: "Ñ", O: "Ö", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Û", V: "Ṽ", W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};

// Filler of punctuation: it lengthens and wraps like words, and accessibility checks that compare a control's
// visible text with its name ("Remove" within "Remove English") ignore it, as they ignore punctuation.
const filler = ["····", "···", "·····", "··", "······", "···"];

/**
 * A message as a pseudo-translation: every letter accented, placeholders (`{count}`) kept, and about 35 % longer
 * (dotted words added inside `⟦…⟧`), so a layout that truncates, overflows or has a string left in English shows in review.
 */
export function pseudoLocalize(text: string): string {
  const accented = text.replace(/\{\w+\}|[A-Za-z]/g, (part) => (part.length > 1 ? part : (accents[part] ?? part)));
  const extra: string[] = [];
  const wanted = Math.ceil(text.length * 0.35);
  for (let length = 0, index = 0; length < wanted; index += 1) {
    const word = filler[index % filler.length] ?? "···";
    extra.push(word);
    length += word.length + 1;
  }
  return `⟦${accented} ${extra.join(" ")}⟧`;
}

function pseudoOf<T>(value: T): T {
  if (typeof value === "string") return pseudoLocalize(value) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, pseudoOf(inner as unknown)])) as T;
}

/**
 * `en-XA`, the pseudo-locale for designers: English, accented and ~35 % longer, with English's plural forms.
 * Choose it in Storybook's toolbar, or `<MessagesProvider locale="en-XA">` in your app, to see every string the
 * kit shows and whether the layout takes longer words.
 */
const pseudo: Locale = { code: "en-XA", dir: "ltr", messages: pseudoOf<LocaleMessages>(en.messages) };

export default pseudo;
