"use client";
import { forwardRef, type HTMLAttributes } from "react";
import type { UploadState } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { formatBytes, formatDuration, formatPercent, formatSpeed } from "../../shared/format.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride, type SingleComponentMessages } from "../../messages.js";
import { ErrorDisplay } from "../atoms/ErrorDisplay.js";
import { ProgressBar } from "../atoms/ProgressBar.js";
import { useUploadAnnouncements } from "../use-upload-announcements.js";

/** Props of `UploadStatus`; other `div` attributes go to its root. Each action button shows only with its callback. */
export interface UploadStatusProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  /** The upload to show, e.g. `useVideo().state.uploadState`. */
  state: UploadState;
  /** Shows Pause while uploading. */
  onPause?: (() => void) | undefined;
  /** Shows Resume while paused. */
  onResume?: (() => void) | undefined;
  /** Shows Cancel while the upload is running or paused. */
  onCancel?: (() => void) | undefined;
  /** Shows Retry on a retryable error. */
  onRetry?: (() => void) | undefined;
  /** Speak milestones through the live region (start, every 25 %, pause, error, done). Default true. */
  announce?: boolean | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/** Codes that mean the file itself was turned down (by the checks in the browser or by the server), not that sending it failed. */
const refusalCodes: ReadonlySet<string> = new Set(["file_empty", "file_too_large", "file_type_not_allowed", "file_not_video", "quota_exceeded"]);

/** Whether the upload ended because its file was refused before any byte was sent (the error says why). */
export function isRefusedFile(state: UploadState): boolean {
  return state.status === "error" && state.bytesSent === 0 && refusalCodes.has(state.error.code);
}

/**
 * The words for an upload's state, e.g. "Uploading", "Paused", "Retrying (attempt 2)"; "File not
 * accepted" for a file refused before any byte was sent.
 */
export function uploadStatusLabel(state: UploadState, messages: SingleComponentMessages): string {
  const retrying = state.attempt > 1 && (state.status === "requesting" || state.status === "uploading");
  if (retrying) return formatMessage(messages.status.retrying, { attempt: state.attempt }, messages.locale);
  if (state.status === "paused" && state.pausedReason === "offline") return messages.status.pausedOffline;
  if (isRefusedFile(state)) return messages.status.refused;
  return messages.status[state.status];
}

/** "About 1 min 5 sec left", or "Almost done" once less than a second is left (never "About 0 sec left"). */
export function timeLeftLabel(seconds: number, messages: SingleComponentMessages): string {
  if (Math.round(seconds) < 1) return messages.status.almostDone;
  return formatMessage(messages.status.eta, { time: formatDuration(seconds, messages.locale) }, messages.locale);
}

/**
 * One upload's state, percent, bytes, speed and time left, with Pause/Resume/Cancel. `data-status` is
 * the upload status; `data-total-unknown` marks a stream still being produced (bytes sent, no percent, an
 * indeterminate bar); `data-refused` marks a file refused before any byte was sent (labelled "File not
 * accepted", the reason below). The root is focusable (tabIndex -1) so organisms can move focus to it.
 */
export const UploadStatus = /* @__PURE__ */ forwardRef<HTMLDivElement, UploadStatusProps>(function UploadStatus(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <UploadStatusView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const UploadStatusView = /* @__PURE__ */ forwardRef<HTMLDivElement, UploadStatusProps>(function UploadStatusView(
  { state, onPause, onResume, onCancel, onRetry, announce = true, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  useUploadAnnouncements(state, messages, announce);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const locale = messages.locale;
  const { status } = state;
  const running = status === "validating" || status === "requesting" || status === "uploading" || status === "paused";
  // An error before any byte went out (validation, a refused request) has no progress worth showing.
  const failedBeforeBytes = status === "error" && state.bytesSent === 0;
  const determinate = status === "uploading" || status === "paused" || status === "complete" || status === "error";
  const percent = status === "complete" ? 100 : Math.round(state.progress);
  // A stream still being produced has no total yet: bytes sent, no percent, an indeterminate bar.
  const totalUnknown = state.totalUnknown === true;
  const sent = formatBytes(state.bytesSent, locale);
  const bytes = totalUnknown
    ? formatMessage(messages.status.bytesSent, { sent }, messages.locale)
    : state.totalBytes > 0
      ? formatMessage(messages.status.bytes, { sent, total: formatBytes(state.totalBytes, locale) }, messages.locale)
      : "";
  const showRate = status === "uploading" && state.speed > 0;

  return (
    <div
      tabIndex={-1}
      {...divProps}
      ref={ref}
      data-status={status}
      data-refused={isRefusedFile(state) ? "" : undefined}
      data-paused={state.status === "paused" ? "" : undefined}
      data-total-unknown={totalUnknown ? "" : undefined}
      className={componentClassName(unstyled, "lvk-status", className)}
    >
      <div className={kit("lvk-status__header")}>
        <p className={kit("lvk-status__name")} title={state.file?.name}>
          {state.file?.name || messages.status.idle}
        </p>
        <p className={kit("lvk-status__label")}>{uploadStatusLabel(state, messages)}</p>
      </div>
      {status === "idle" || failedBeforeBytes ? null : (
        <ProgressBar
          label={status === "processing" ? messages.status.processingLabel : messages.status.progressLabel}
          value={determinate && !totalUnknown ? percent : null}
          valueText={determinate ? [totalUnknown ? "" : formatPercent(percent, locale), bytes].filter(Boolean).join(", ") : undefined}
        />
      )}
      {determinate && status !== "complete" && !failedBeforeBytes ? (
        <p className={kit("lvk-status__details")}>
          {totalUnknown ? null : <span>{formatPercent(percent, locale)}</span>}
          {bytes ? <span>{bytes}</span> : null}
          {showRate ? (
            <span>{formatMessage(messages.status.speed, { speed: formatSpeed(state.speed, locale) }, locale)}</span>
          ) : null}
          {showRate && state.eta !== undefined && Number.isFinite(state.eta) ? (
            <span>{timeLeftLabel(state.eta, messages)}</span>
          ) : null}
        </p>
      ) : null}
      {state.status === "error" ? (
        <ErrorDisplay error={state.error} onRetry={onRetry} tabIndex={undefined} />
      ) : null}
      {running && (onPause || onResume || onCancel) ? (
        <div className={kit("lvk-actions")}>
          {status === "uploading" && onPause ? (
            <button type="button" className={kit("lvk-button")} onClick={onPause}>
              {messages.status.pause}
            </button>
          ) : null}
          {status === "paused" && onResume ? (
            <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={onResume}>
              {messages.status.resume}
            </button>
          ) : null}
          {onCancel ? (
            <button type="button" className={kit("lvk-button lvk-button--quiet")} onClick={onCancel}>
              {messages.status.cancel}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
});
