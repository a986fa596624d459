"use client";
import { forwardRef, useRef, useState, type HTMLAttributes } from "react";
import { defaultCaptionMaxBytes, validateCaptionFile, type CaptionFormat } from "../../../core/captions.js";
import type { VideoError } from "../../../core/errors.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { formatBytes } from "../../shared/format.js";
import { useMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { FormField } from "../../form/atoms/FormField.js";

/** `empty` (no file), `checking`, `valid` or `invalid` (the message names the line). */
export type CaptionFileInputState = "empty" | "checking" | "valid" | "invalid";

/** A caption file that passed `validateCaptionFile`. */
export interface CheckedCaptionFile {
  file: File;
  format: CaptionFormat;
  cues: number;
}

export interface CaptionFileInputProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** Called with the checked file, or `null` when the choice was cleared or refused. */
  onFileChange: (file: CheckedCaptionFile | null) => void;
  /** The video's duration in seconds: cues after it are refused. */
  durationSeconds?: number | undefined;
  /** Largest file accepted, in bytes. Default 512 KiB. */
  maxBytes?: number | undefined;
  /** Called with the refusal, for hosts that log it. */
  onRefused?: ((error: VideoError) => void) | undefined;
  disabled?: boolean | undefined;
  /** Input `name`, for forms that post it. */
  name?: string | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * A labelled file input for WebVTT and SRT files that checks the file in the browser as soon as it is
 * chosen (`validateCaptionFile`): encoding, header, cue timings, duration and size. A refused file
 * shows the reason with its line number, linked to the input. `data-state` is a `CaptionFileInputState`.
 */
export const CaptionFileInput = /* @__PURE__ */ forwardRef<HTMLDivElement, CaptionFileInputProps>(function CaptionFileInput(
  { onFileChange, durationSeconds, maxBytes = defaultCaptionMaxBytes, onRefused, disabled, name, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const [state, setState] = useState<CaptionFileInputState>("empty");
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const check = useRef(0);
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);

  const choose = async (file: File | undefined) => {
    const run = ++check.current;
    setError(null);
    setAccepted(null);
    if (!file) {
      setState("empty");
      onFileChange(null);
      return;
    }
    setState("checking");
    const result = await validateCaptionFile(file, { maxBytes, durationSeconds, messages: messages.captions.issues, locale: messages.locale });
    // A newer choice superseded this one while it was read.
    if (run !== check.current) return;
    if (result.ok) {
      setState("valid");
      setAccepted(formatMessage(messages.captions.fileAccepted, { name: file.name, count: result.cues, format: result.format === "vtt" ? "WebVTT" : "SRT" }, messages.locale));
      onFileChange({ file, format: result.format, cues: result.cues });
    } else {
      setState("invalid");
      setError(result.error.message);
      onRefused?.(result.error);
      onFileChange(null);
    }
  };

  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <div {...divProps} ref={ref} data-state={state} className={componentClassName(unstyled, "lvk-caption-file", className)}>
        <FormField
          label={messages.captions.fileLabel}
          hint={formatMessage(messages.captions.fileHint, { size: formatBytes(maxBytes, messages.locale) }, messages.locale)}
          error={error}
          counter={state === "checking" ? messages.captions.fileChecking : accepted}
        >
          <input
            type="file"
            name={name}
            accept=".vtt,.srt,text/vtt,application/x-subrip"
            disabled={disabled}
            className={kit("lvk-field__control lvk-caption-file__input")}
            onChange={(event) => void choose(event.target.files?.[0])}
          />
        </FormField>
      </div>
    </KitSettingsProvider>
  );
});
