/** Number formatting for sizes, speeds and durations in the reader's locale. */
import { formatChapterTime } from "../../core/chapters.js";

const byteUnits = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"] as const;

/**
 * A size in SI units, the ones `Intl.NumberFormat` names (kB, MB, GB: powers of 1000), so the number and
 * its label agree: `108_053_826` → `"108 MB"`, `1_500_000` → `"1.5 MB"`, `512` → `"512 bytes"`. One
 * decimal below 100 of a unit. The words follow `locale` (default: the runtime's).
 */
export function formatBytes(bytes: number, locale?: string): string {
  return formatSize(bytes, locale, "");
}

/** A speed in SI units per second, in the locale's words: `2_500_000` → `"2.5 MB/s"` (`"2,5 MB/s"` in German). */
export function formatSpeed(bytesPerSecond: number, locale?: string): string {
  return formatSize(bytesPerSecond, locale, "-per-second");
}

/** A whole percent in the locale's way: `42` → `"42%"` (`"42 %"` in French, `"%42"` in Turkish). */
export function formatPercent(percent: number, locale?: string): string {
  const whole = Math.round(Number.isFinite(percent) ? Math.min(Math.max(percent, 0), 100) : 0);
  return numberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(whole / 100);
}

function formatSize(bytes: number, locale: string | undefined, per: "" | "-per-second"): string {
  let value = Math.max(0, Number.isFinite(bytes) ? bytes : 0);
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // 999_950 bytes rounds to "1,000 kB"; one unit up reads better.
  if (unit > 0 && unit < byteUnits.length - 1 && Math.round(value) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat(locale, {
    style: "unit",
    unit: `${byteUnits[unit]}${per}`,
    // "bytes", not the short form's "byte" for every count.
    unitDisplay: unit === 0 && per === "" ? "long" : "short",
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** `Intl.NumberFormat` in `locale`, or in the runtime's default when Intl does not take the code. */
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, options);
  } catch {
    return new Intl.NumberFormat(undefined, options);
  }
}

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
  try {
    return new Intl.ListFormat(locale, { type, style: type === "unit" ? "narrow" : "long" });
  } catch {
    return new Intl.ListFormat(undefined, { type, style: type === "unit" ? "narrow" : "long" });
  }
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
