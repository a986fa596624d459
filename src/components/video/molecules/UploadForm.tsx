"use client";
import { forwardRef, type HTMLAttributes, type ReactNode } from "react";
import { overDefaults } from "../../../core/over-defaults.js";
import type { UploadLimits } from "../../../core/types.js";
import { acceptAttribute } from "../../../core/upload-limits.js";
import { useVideoLimits } from "../../../react/use-video-messages.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { formatBytes } from "../../shared/format.js";
import { useUploadMessages } from "../../shared/messages-context.js";
import { formatMessage, type MessagesOverride, type UploadMessages } from "../../messages.js";
import { UploadButton } from "../atoms/UploadButton.js";

/** Props of `UploadForm`; other `div` attributes go to its root (the ref reaches the drop zone's button). */
export interface UploadFormProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** Called with the chosen or dropped file (validation happens when the upload starts). */
  onFileSelect: (file: File) => void;
  /** Limits shown to the user and used for the picker's `accept`; default: the provider's. */
  limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined } | undefined;
  /** Turns the drop zone off (`data-state="disabled"`), e.g. while another upload runs. */
  disabled?: boolean | undefined;
  /** Replaces the default constraint line ("MP4, MOV, WebM or MKV, up to 5 GB"). */
  constraints?: ReactNode | undefined;
  /** Forces the drop zone's drag state (stories, screenshots). */
  dragState?: "dragging" | "rejecting" | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

const extensionNames: Record<string, string> = {
  ".mp4": "MP4",
  ".mov": "MOV",
  ".webm": "WebM",
  ".mkv": "MKV",
};

/** "MP4, MOV, WebM or MKV, up to 5 GB" from the limits, in the messages' words. */
export function describeUploadLimits(limits: UploadLimits, messages: UploadMessages): string {
  const named = limits.allowedExtensions.map((ext) => extensionNames[ext]).filter((name): name is string => Boolean(name));
  const types = new Intl.ListFormat(messages.locale, { style: "short", type: "disjunction" }).format(
    named.length > 0 ? named : limits.allowedExtensions.map((ext) => ext.replace(/^\./, "").toUpperCase()),
  );
  return formatMessage(messages.upload.constraints, { types, size: formatBytes(limits.maxFileSize, messages.locale) }, messages.locale);
}

/** A drop zone with a file picker and the constraints a file must meet. */
export const UploadForm = /* @__PURE__ */ forwardRef<HTMLButtonElement, UploadFormProps>(function UploadForm(
  { onFileSelect, limits: limitsProp, disabled, constraints, dragState, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useUploadMessages(messagesProp);
  const providerLimits = useVideoLimits();
  const limits = overDefaults(providerLimits, limitsProp);
  const accept = acceptAttribute(limits);
  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <div {...divProps} data-state={disabled ? "disabled" : "idle"} className={componentClassName(unstyled, "lvk-upload-form", className)}>
        <UploadButton
          ref={ref}
          variant="dropzone"
          accept={accept}
          disabled={disabled}
          dragState={dragState}
          onFileSelect={onFileSelect}
          description={constraints ?? describeUploadLimits(limits, messages)}
        />
      </div>
    </KitSettingsProvider>
  );
});
