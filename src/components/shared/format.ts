/** Number formatting for sizes, speeds and durations in the reader's locale. */
import { formatChapterTime } from "../../core/chapters.js";

const byteUnits = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"] as const;

/**
 * A size in SI units, the ones `Intl.NumberFormat` names (kB, MB, GB: powers of 1000), so the number and
 * its label agree: `108_053_826` → `"108 MB"`, `1_500_000` → `"1.5 MB"`, `512` → `"512 bytes"`. One
 * decimal below 100 of a unit. The words follow `locale` (default: the runtime's).
 */
export function formatBytes(bytes: number, locale?: string): string {
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
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: byteUnits[unit],
    // "bytes", not the short form's "byte" for every count.
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** `75` → `"1 min 15 sec"`; rounded so an ETA does not jitter every second. */
export function formatDuration(seconds: number, locale?: string): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const part = (value: number, unit: "hour" | "minute" | "second") =>
    new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value);
  if (hours > 0) return [part(hours, "hour"), minutes > 0 ? part(minutes, "minute") : ""].filter(Boolean).join(" ");
  if (minutes > 0) return [part(minutes, "minute"), secs > 0 ? part(secs, "second") : ""].filter(Boolean).join(" ");
  return part(secs, "second");
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
