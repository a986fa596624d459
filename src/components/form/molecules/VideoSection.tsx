"use client";
import { forwardRef, useId, type FieldsetHTMLAttributes, type ReactNode } from "react";
import type { Chapter, VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { definedProps } from "../../shared/defined-props.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";
import type { VideoPlayerOptions } from "../../video/molecules/VideoPlayer.js";
import { VideoManager, type VideoManagerProps } from "../../video/organisms/VideoManager.js";

export interface VideoSectionProps extends Omit<FieldsetHTMLAttributes<HTMLFieldSetElement>, "children" | "onChange"> {
  /** The lesson's video (controlled). */
  asset: VideoAsset | null;
  onAssetChange: (asset: VideoAsset | null) => void;
  lessonId?: string | undefined;
  videoTitle?: string | undefined;
  /** How the ready video plays (poster frame, chapters, Mux Data, casting, …): handed to the manager's player whole. */
  player?: VideoPlayerOptions | undefined;
  /**
   * Any other `VideoManager` prop, for the manager inside (`captions`, `confirmRemove`, `shared`, `className`, …).
   * What the section sets itself (the video, lesson id, title and player) is not here.
   */
  manager?:
    | Omit<
        VideoManagerProps,
        "asset" | "defaultAsset" | "onAssetChange" | "lessonId" | "videoTitle" | "player" | "thumbnailTime" | "chapters" | "captionsOnByDefault"
      >
    | undefined;
  /**
   * Poster frame for the player.
   * @deprecated Use `player={{ thumbnailTime }}`; read only when `player` does not set it.
   */
  thumbnailTime?: number | undefined;
  /**
   * Chapters for the player.
   * @deprecated Use `player={{ chapters }}`; read only when `player` does not set them.
   */
  chapters?: readonly Chapter[] | undefined;
  /**
   * Show captions when the video starts (over `player.captionsOnByDefault`); with `onCaptionsOnByDefaultChange` a
   * checkbox under a ready video edits it.
   */
  captionsOnByDefault?: boolean | undefined;
  onCaptionsOnByDefaultChange?: ((captionsOnByDefault: boolean) => void) | undefined;
  /** Heading of the group; default "Video". */
  legend?: ReactNode | undefined;
  hint?: ReactNode | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** The form's video group: a `VideoManager` (upload, replace, remove) under a legend. */
export const VideoSection = /* @__PURE__ */ forwardRef<HTMLFieldSetElement, VideoSectionProps>(function VideoSection(
  {
    asset,
    onAssetChange,
    lessonId,
    videoTitle,
    player,
    manager,
    /* eslint-disable @typescript-eslint/no-deprecated -- the deprecated aliases are read here, under `player` */
    thumbnailTime,
    chapters,
    /* eslint-enable @typescript-eslint/no-deprecated */
    captionsOnByDefault: captionsOnByDefaultProp,
    onCaptionsOnByDefaultChange,
    legend,
    hint,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...fieldsetProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const hintId = useId();
  const checkId = useId();
  const hintText = hint ?? (messages.form.videoHint || null);
  const captionsOnByDefault = captionsOnByDefaultProp ?? player?.captionsOnByDefault;
  const playerOptions: VideoPlayerOptions = { ...definedProps({ thumbnailTime, chapters }), ...definedProps({ ...player, captionsOnByDefault }) };
  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
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
        <VideoManager {...manager} asset={asset} onAssetChange={onAssetChange} lessonId={lessonId} videoTitle={videoTitle} player={playerOptions} />
        {asset?.status === "ready" && onCaptionsOnByDefaultChange ? (
          <div className={kit("lvk-check")}>
            <input
              id={checkId}
              type="checkbox"
              name="captionsOnByDefault"
              checked={captionsOnByDefault ?? false}
              aria-describedby={`${checkId}-hint`}
              className={kit("lvk-check__input")}
              onChange={(event) => onCaptionsOnByDefaultChange(event.target.checked)}
            />
            <label htmlFor={checkId} className={kit("lvk-check__label")}>
              {messages.captions.onByDefault}
            </label>
            <p id={`${checkId}-hint`} className={kit("lvk-hint lvk-check__hint")}>
              {messages.captions.onByDefaultHint}
            </p>
          </div>
        ) : null}
      </fieldset>
    </KitSettingsProvider>
  );
});
