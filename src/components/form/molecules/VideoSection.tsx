"use client";
import { forwardRef, useId, type FieldsetHTMLAttributes, type ReactNode } from "react";
import type { VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { useMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";
import { VideoManager } from "../../video/organisms/VideoManager.js";

export interface VideoSectionProps extends Omit<FieldsetHTMLAttributes<HTMLFieldSetElement>, "children" | "onChange"> {
  /** The lesson's video (controlled). */
  asset: VideoAsset | null;
  onAssetChange: (asset: VideoAsset | null) => void;
  lessonId?: string | undefined;
  videoTitle?: string | undefined;
  /** Heading of the group; default "Video". */
  legend?: ReactNode | undefined;
  hint?: ReactNode | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** The form's video group: a `VideoManager` (upload, replace, remove) under a legend. */
export const VideoSection = /* @__PURE__ */ forwardRef<HTMLFieldSetElement, VideoSectionProps>(function VideoSection(
  { asset, onAssetChange, lessonId, videoTitle, legend, hint, messages: messagesProp, unstyled, className, ...fieldsetProps },
  ref,
) {
  const messages = useMessages(messagesProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const hintId = useId();
  const hintText = hint ?? (messages.form.videoHint || null);
  return (
    <fieldset
      {...fieldsetProps}
      ref={ref}
      aria-describedby={hintText ? hintId : undefined}
      data-state={asset ? asset.status : "empty"}
      className={componentClassName(unstyled, "lvk-section", className)}
    >
      <legend className={kit("lvk-section__legend")}>{legend ?? messages.form.video}</legend>
      {hintText ? (
        <p id={hintId} className={kit("lvk-hint")}>
          {hintText}
        </p>
      ) : null}
      <VideoManager
        asset={asset}
        onAssetChange={onAssetChange}
        lessonId={lessonId}
        videoTitle={videoTitle}
        messages={messagesProp}
        unstyled={unstyled}
      />
    </fieldset>
  );
});
