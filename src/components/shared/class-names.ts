import { clsx, type ClassValue } from "clsx";

/** The kit's own class names are dropped on the `unstyled` path; the caller's `className` always stays. */
export function componentClassName(
  unstyled: boolean | undefined,
  kitClasses: ClassValue,
  className: ClassValue,
): string | undefined {
  return clsx(unstyled ? undefined : kitClasses, className) || undefined;
}

/** Hides content visually but keeps it for screen readers; inline so it works without the stylesheet. */
export const visuallyHidden = {
  position: "absolute",
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;
