/** Number formatting for sizes, speeds and durations in the reader's locale. */
import { formatChapterTime } from "../../core/chapters.js";
import { inLocale, numberFormat } from "../../core/format-number.js";

export { formatBytes, formatPercent, formatSpeed } from "../../core/format-number.js";

/**
 * `75` → `"1 min 15 sec"` in the locale's words: each part with `Intl.NumberFormat`'s units, joined by
 * `Intl.ListFormat` (the same in every runtime, unlike `Intl.DurationFormat`, which Node 20 lacks); rounded so an ETA
 * does not jitter every second.
 */
export function formatDuration(seconds: number, locale?: string): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  // Two parts at most, the larger ones: "2 hr 5 min", "1 min 15 sec", "40 sec".
  const parts: Array<[number, "hour" | "minute" | "second"]> =
    hours > 0 ? [[hours, "hour"], [minutes, "minute"]] : minutes > 0 ? [[minutes, "minute"], [secs, "second"]] : [[secs, "second"]];
  const shown = parts.filter(([value], index) => index === 0 || value > 0);
  const words = shown.map(([value, unit]) => numberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value));
  return listFormat(locale).format(words);
}

/** A list in the locale's words: `["a.mp4", "b.mp4"]` → `"a.mp4 and b.mp4"`. */
export function formatList(items: readonly string[], locale?: string): string {
  return listFormat(locale, "conjunction").format(items);
}

function listFormat(locale: string | undefined, type: "unit" | "conjunction" = "unit"): Intl.ListFormat {
  return inLocale(Intl.ListFormat, locale, { type, style: type === "unit" ? "narrow" : "long" });
}

/** `"16:9"` → `"16 / 9"` for the CSS `aspect-ratio` property; numbers pass through. */
export function cssAspectRatio(ratio: string | number | undefined, fallback = "16 / 9"): string {
  if (typeof ratio === "number" && Number.isFinite(ratio) && ratio > 0) return String(ratio);
  if (typeof ratio === "string") {
    const match = /^\s*(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)\s*$/.exec(ratio);
    if (match && Number(match[1]) > 0 && Number(match[2]) > 0) return `${match[1]} / ${match[2]}`;
  }
  return fallback;
}

/** A time as a clock in whole seconds (`12:34`, `1:02:03`), as chapters and transcripts show it. */
export const clock = (seconds: number): string => formatChapterTime(Math.floor(seconds));
