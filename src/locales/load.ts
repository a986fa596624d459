import type { Locale } from "../components/messages.js";

/**
 * The locales the kit ships (`lesson-video-kit/locales/<code>`): every language Mux generates captions in, two
 * right-to-left languages, and `en-XA`, the pseudo-locale for design review.
 */
export const shippedLocales = [
  "en", "es", "it", "pt", "de", "fr", "pl", "ru", "nl", "ca", "tr", "sv", "uk", "no", "fi", "sk", "el", "cs", "hr", "da", "ro", "bg",
  "ar", "he",
  "en-XA",
] as const;

/** A code of `shippedLocales`. */
export type ShippedLocale = (typeof shippedLocales)[number];

// One `import()` per locale, written out so every bundler makes each its own chunk, loaded only when chosen.
const loaders: Record<ShippedLocale, () => Promise<{ default: Locale }>> = {
  en: () => import("./en.js"),
  es: () => import("./es.js"),
  it: () => import("./it.js"),
  pt: () => import("./pt.js"),
  de: () => import("./de.js"),
  fr: () => import("./fr.js"),
  pl: () => import("./pl.js"),
  ru: () => import("./ru.js"),
  nl: () => import("./nl.js"),
  ca: () => import("./ca.js"),
  tr: () => import("./tr.js"),
  sv: () => import("./sv.js"),
  uk: () => import("./uk.js"),
  no: () => import("./no.js"),
  fi: () => import("./fi.js"),
  sk: () => import("./sk.js"),
  el: () => import("./el.js"),
  cs: () => import("./cs.js"),
  hr: () => import("./hr.js"),
  da: () => import("./da.js"),
  ro: () => import("./ro.js"),
  bg: () => import("./bg.js"),
  ar: () => import("./ar.js"),
  he: () => import("./he.js"),
  "en-XA": () => import("./en-XA.js"),
};

/** Codes that name a shipped language another way: Norwegian Bokmål and Nynorsk, Hebrew's old code. */
const aliases: Readonly<Record<string, ShippedLocale>> = { nb: "no", nn: "no", iw: "he" };

/**
 * The shipped locale a BCP 47 code gets, by the fallback chain: the whole code (`en-XA`), then each shorter prefix
 * (`pt-BR` → `pt`, `zh-Hant-TW` → `zh-Hant` → `zh`), with Norwegian's `nb`/`nn` as `no`, and finally English. Case
 * and `_` separators do not matter (`pt_br` is `pt-BR`).
 *
 * @example
 * ```ts
 * resolveLocale("pt-BR"); // "pt"
 * resolveLocale("nb-NO"); // "no"
 * resolveLocale("ja"); // "en"
 * ```
 */
export function resolveLocale(code: string): ShippedLocale {
  let parts: string[];
  try {
    parts = (Intl.getCanonicalLocales(code.replace(/_/g, "-"))[0] ?? "").split("-");
  } catch {
    // Not a language tag at all.
    return "en";
  }
  for (let length = parts.length; length > 0; length -= 1) {
    const candidate = parts.slice(0, length).join("-");
    const shipped = shippedLocales.find((known) => known.toLowerCase() === candidate.toLowerCase()) ?? aliases[candidate.toLowerCase()];
    if (shipped) return shipped;
  }
  return "en";
}

/** Loads the shipped locale `code` resolves to (`resolveLocale`): its module arrives with `import()`, on demand. */
export async function loadLocale(code: string): Promise<Locale> {
  return (await loaders[resolveLocale(code)]()).default;
}
