"use client";
import { forwardRef, type HTMLAttributes, type ReactNode } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";

export interface ValidationMessageProps extends HTMLAttributes<HTMLParagraphElement> {
  /** Nothing renders without a message; the element keeps its id so `aria-describedby` stays valid. */
  children?: ReactNode | undefined;
  unstyled?: boolean | undefined;
}

/**
 * A field's error text. Its `id` goes into the field's `aria-describedby`, so screen readers read it
 * with the field; `FormField` does that wiring.
 */
export const ValidationMessage = /* @__PURE__ */ forwardRef<HTMLParagraphElement, ValidationMessageProps>(function ValidationMessage(
  { children, unstyled: unstyledProp, className, ...paragraphProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  if (children === undefined || children === null || children === false || children === "") return null;
  return (
    <p
      {...paragraphProps}
      ref={ref}
      data-state="invalid"
      className={componentClassName(unstyled, "lvk-validation", className)}
    >
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" focusable="false">
        <circle cx="12" cy="12" r="9" />
        <path d="M12 7.5v5.5" />
        <path d="M12 16.5h.01" />
      </svg>
      <span>{children}</span>
    </p>
  );
});
