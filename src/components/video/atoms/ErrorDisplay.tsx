"use client";
import { forwardRef, type HTMLAttributes, type ReactNode } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";
import { errorMessageFor } from "../../shared/error-message.js";

/** What `ErrorDisplay` needs of an error: a `VideoError`, its `toJSON()`, or any `{ message }`. */
export interface DisplayableError {
  /** Shown when `code` is missing or not a `VideoErrorCode`. */
  message: string;
  /** A `VideoErrorCode` picks the message from `messages.errors` instead of `message`. */
  code?: string | undefined;
  /** Shows Retry (with `onRetry`). */
  retryable?: boolean | undefined;
}

/** Props of `ErrorDisplay`; other `div` attributes go to its root. */
export interface ErrorDisplayProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "title"> {
  /** Nothing renders when there is no error. */
  error: DisplayableError | null | undefined;
  /** Shown as a Retry button when the error is retryable. */
  onRetry?: (() => void) | undefined;
  /** Heading above the message, e.g. "Upload failed". */
  title?: ReactNode | undefined;
  /** Extra actions next to Retry (e.g. "Choose another video"). */
  actions?: ReactNode | undefined;
  /**
   * Make the box itself an alert. Leave off inside the kit's organisms, which announce errors through
   * the shared live region; turn on where nothing else announces (e.g. an error boundary).
   */
  live?: boolean | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/** Shows an error's message by code, with a Retry button when a retry can fix it. Focusable (tabIndex -1). */
export const ErrorDisplay = /* @__PURE__ */ forwardRef<HTMLDivElement, ErrorDisplayProps>(function ErrorDisplay(
  { error, onRetry, title, actions, live, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  if (!error) return null;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const canRetry = Boolean(onRetry) && error.retryable === true;
  return (
    <div
      tabIndex={-1}
      {...divProps}
      ref={ref}
      role={live ? "alert" : divProps.role}
      data-state="error"
      data-code={error.code}
      data-retryable={canRetry ? "" : undefined}
      className={componentClassName(unstyled, "lvk-error", className)}
    >
      <span aria-hidden="true" className={kit("lvk-error__icon")}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" focusable="false">
          <circle cx="12" cy="12" r="9" />
          <path d="M12 7.5v5.5" />
          <path d="M12 16.5h.01" />
        </svg>
      </span>
      <div className={kit("lvk-error__body")}>
        {title ? <p className={kit("lvk-error__title")}>{title}</p> : null}
        <p className={kit("lvk-error__message")}>{errorMessageFor(error, messages)}</p>
        {canRetry || actions ? (
          <div className={kit("lvk-actions")}>
            {canRetry ? (
              <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={onRetry}>
                {messages.status.retry}
              </button>
            ) : null}
            {actions}
          </div>
        ) : null}
      </div>
    </div>
  );
});
