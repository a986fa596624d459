// Sizes, speeds and percents in a reader's locale, with `Intl.NumberFormat` (shared by the components and by core's
// messages, such as a caption file's size limit).

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

/**
 * An `Intl` formatter (`Intl.NumberFormat`, `Intl.PluralRules`, `Intl.ListFormat`, …) in `locale`, or in the runtime's
 * default when Intl does not take the code (a typo in a host's `messages.locale`): text in the wrong locale, not a
 * thrown `RangeError`.
 */
export function inLocale<Options, Formatter>(
  Format: new (locale?: string, options?: Options) => Formatter,
  locale: string | undefined,
  options?: Options,
): Formatter {
  try {
    return new Format(locale, options);
  } catch {
    return new Format(undefined, options);
  }
}

/** `Intl.NumberFormat` in `locale` (`inLocale`). */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return inLocale(Intl.NumberFormat, locale, options);
}

