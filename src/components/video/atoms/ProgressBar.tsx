"use client";
import * as Progress from "@radix-ui/react-progress";
import { forwardRef, type ComponentPropsWithoutRef } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { formatPercent } from "../../shared/format.js";

/** Props of `ProgressBar`; other Radix `Progress.Root` props go to its root. */
export interface ProgressBarProps
  extends Omit<ComponentPropsWithoutRef<typeof Progress.Root>, "value" | "max" | "getValueLabel" | "children"> {
  /** Percent done, 0–100; `null` or omitted shows an indeterminate bar (e.g. while processing). */
  value?: number | null | undefined;
  /** Accessible name, e.g. "Upload progress". Required: a progressbar needs a name. */
  label: string;
  /** Text screen readers read instead of the percent, e.g. "12 MB of 40 MB"; also read when indeterminate ("12 MB sent"). */
  valueText?: string | undefined;
  /** Render without the kit's class names. */
  unstyled?: boolean | undefined;
}

/**
 * A progress bar on `@radix-ui/react-progress`: `role="progressbar"` with `aria-valuenow` when
 * determinate, without it when indeterminate. `data-state` is `loading`, `complete` or `indeterminate`.
 */
export const ProgressBar = /* @__PURE__ */ forwardRef<HTMLDivElement, ProgressBarProps>(function ProgressBar(
  { value, label, valueText, unstyled: unstyledProp, className, ...rootProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const determinate = typeof value === "number" && Number.isFinite(value);
  const percent = determinate ? Math.min(100, Math.max(0, value)) : null;
  return (
    <Progress.Root
      {...rootProps}
      ref={ref}
      value={percent}
      max={100}
      aria-label={label}
      getValueLabel={(current) => valueText ?? formatPercent(current)}
      {...(percent === null && valueText ? { "aria-valuetext": valueText } : {})}
      className={componentClassName(unstyled, "lvk-progress", className)}
    >
      <Progress.Indicator
        className={componentClassName(unstyled, "lvk-progress__indicator", undefined)}
        // Styled, the kit's CSS moves the bar by --lvk-progress-rest in the writing direction; unstyled, a transform.
        style={percent === null ? undefined : unstyled ? { transform: `translateX(-${100 - percent}%)` } : { ["--lvk-progress-rest" as string]: `${100 - percent}%` }}
      />
    </Progress.Root>
  );
});
