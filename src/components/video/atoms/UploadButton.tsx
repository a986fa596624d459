"use client";
import {
  forwardRef,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type ChangeEvent,
  type DragEvent,
  type ReactNode,
} from "react";
import { acceptAttribute } from "../../../core/upload-limits.js";
import { useVideoLimits } from "../../../react/use-video-messages.js";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useUploadMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";

/** `button`: a button that opens the file picker. `dropzone`: a larger area that also takes a dropped file. */
export type UploadButtonVariant = "button" | "dropzone";

/** `idle`, `dragging` (a video is over the drop zone), `rejecting` (something else is), `disabled`. */
export type UploadButtonState = "idle" | "dragging" | "rejecting" | "disabled";

/** Props of `UploadButton`; other `button` attributes go to the button. */
export interface UploadButtonProps
  extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onDrop" | "onChange" | "type" | "children"> {
  /** Called with the chosen or dropped file. */
  onFileSelect: (file: File) => void;
  /**
   * `button` opens the file picker; `dropzone` also accepts a dropped file. Both work from the keyboard.
   * Default `button`.
   */
  variant?: UploadButtonVariant | undefined;
  /**
   * Accepted types for the picker and the drag hint, e.g. `"video/*"`. Default: what the provider's limits accept
   * (`video/*`, `audio/*` when `limits.audio` is on, and the allowed extensions).
   */
  accept?: string | undefined;
  /** Visible label; defaults to the messages' "Choose a video" or the drop-zone hint. */
  children?: ReactNode | undefined;
  /** Extra text under the drop zone's label (e.g. allowed types and size). */
  description?: ReactNode | undefined;
  /** Look of the `button` variant. Default `primary`. */
  appearance?: "primary" | "secondary" | undefined;
  /** Forces the drag state (for stories and screenshots). */
  dragState?: "dragging" | "rejecting" | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names. */
  unstyled?: boolean | undefined;
}

/**
 * Opens the file picker, and as a drop zone accepts a dropped video. It is a real `<button>`, so it is
 * reachable with Tab and operated with Enter or Space; the ref reaches that button.
 */
export const UploadButton = /* @__PURE__ */ forwardRef<HTMLButtonElement, UploadButtonProps>(function UploadButton(
  {
    onFileSelect,
    variant = "button",
    accept: acceptProp,
    children,
    description,
    appearance = "primary",
    dragState,
    disabled,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    onClick,
    ...buttonProps
  },
  ref,
) {
  const limits = useVideoLimits();
  const accept = acceptProp ?? acceptAttribute(limits);
  const unstyled = useUnstyled(unstyledProp);
  const messages = useUploadMessages(messagesProp);
  const inputRef = useRef<HTMLInputElement>(null);
  const descriptionId = useId();
  const [dragging, setDragging] = useState<"dragging" | "rejecting" | undefined>(undefined);
  const isDropzone = variant === "dropzone";
  const activeDrag = dragState ?? dragging;
  const state: UploadButtonState = disabled ? "disabled" : (activeDrag ?? "idle");

  const pickFirst = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) onFileSelect(file);
  };

  const onInputChange = (event: ChangeEvent<HTMLInputElement>) => {
    pickFirst(event.target.files);
    // Choosing the same file twice in a row must fire again.
    event.target.value = "";
  };

  const dragHandlers = !disabled
    ? {
        onDragEnter: (event: DragEvent<HTMLElement>) => {
          event.preventDefault();
          setDragging(dragLooksAcceptable(event, accept) ? "dragging" : "rejecting");
        },
        onDragOver: (event: DragEvent<HTMLElement>) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = dragLooksAcceptable(event, accept) ? "copy" : "none";
        },
        onDragLeave: (event: DragEvent<HTMLElement>) => {
          if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
          setDragging(undefined);
        },
        onDrop: (event: DragEvent<HTMLElement>) => {
          event.preventDefault();
          setDragging(undefined);
          pickFirst(event.dataTransfer.files);
        },
      }
    : {};

  const label =
    children ??
    (isDropzone
      ? activeDrag === "dragging"
        ? messages.upload.dropzoneActive
        : activeDrag === "rejecting"
          ? messages.upload.dropzoneReject
          : messages.upload.dropzoneHint
      : messages.upload.chooseFile);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const describedBy =
    [buttonProps["aria-describedby"], description ? descriptionId : undefined].filter(Boolean).join(" ") || undefined;

  const fileInput = (
    <input
      ref={inputRef}
      type="file"
      accept={accept}
      tabIndex={-1}
      aria-hidden="true"
      hidden
      data-lvk-file-input=""
      onChange={onInputChange}
    />
  );

  const button = (
    <button
      {...buttonProps}
      {...(isDropzone ? {} : dragHandlers)}
      ref={ref}
      type="button"
      disabled={disabled}
      aria-describedby={describedBy}
      data-state={state}
      data-variant={variant}
      className={
        isDropzone
          ? kit("lvk-dropzone__button")
          : componentClassName(unstyled, ["lvk-button", appearance === "primary" && "lvk-button--primary"], className)
      }
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) inputRef.current?.click();
      }}
    >
      {label}
    </button>
  );

  if (!isDropzone) {
    return (
      <>
        {button}
        {description ? (
          <span id={descriptionId} className={kit("lvk-hint")}>
            {description}
          </span>
        ) : null}
        {fileInput}
      </>
    );
  }

  // The whole zone takes drops and clicks; the button inside is what keyboards and screen readers use.
  return (
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions -- the zone's click is a mouse shortcut to the button inside, which keyboards and screen readers use
    <div
      {...dragHandlers}
      data-state={state}
      data-variant={variant}
      className={componentClassName(unstyled, "lvk-dropzone", className)}
      onClick={(event) => {
        // The button opens the picker itself, and the picker's own click bubbles up here too.
        const target = event.target as HTMLElement;
        if (disabled || target === inputRef.current || target.closest("button")) return;
        inputRef.current?.click();
      }}
    >
      <span aria-hidden="true" className={kit("lvk-dropzone__icon")}>
        <UploadIcon />
      </span>
      {button}
      {description ? (
        <span id={descriptionId} className={kit("lvk-dropzone__description")}>
          {description}
        </span>
      ) : null}
      {fileInput}
    </div>
  );
});

/**
 * During a drag the browser shows only MIME types, not names or bytes; the real check runs after the
 * drop (core validation sniffs the bytes). This only decides which hint to show.
 */
function dragLooksAcceptable(event: DragEvent, accept: string): boolean {
  // The DOM's DragEvent may carry no dataTransfer (one made by a script); React's type leaves that out.
  const items = Array.from(event.nativeEvent.dataTransfer?.items ?? []).filter((item) => item.kind === "file");
  if (items.length === 0) return true;
  // Extensions cannot be checked during a drag; only MIME patterns decide.
  const patterns = accept.split(",").map((part) => part.trim().toLowerCase()).filter((part) => part.includes("/"));
  if (patterns.length === 0) return true;
  return items.some((item) => {
    const type = item.type.toLowerCase();
    if (type === "") return true;
    return patterns.some((pattern) => (pattern.endsWith("/*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type));
  });
}

function UploadIcon() {
  return (
    <svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" focusable="false">
      <path d="M12 16V4" />
      <path d="m7 9 5-5 5 5" />
      <path d="M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
    </svg>
  );
}
