"use client";
import { forwardRef, useState, type HTMLAttributes } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { cssAspectRatio } from "../../shared/format.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";

/** `loading` until the image arrives, then `loaded`; `error` (or `empty` without `src`) shows a placeholder. */
export type VideoThumbnailState = "empty" | "loading" | "loaded" | "error";

/** Props of `VideoThumbnail`; other `div` attributes go to its root. */
export interface VideoThumbnailProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  /** Poster or thumbnail URL. */
  src?: string | undefined;
  /** Describes the picture for people who cannot see it. Pass `""` if the thumbnail is decorative. */
  alt: string;
  /** Kept while loading and after, e.g. `"16:9"` or `1.5`. */
  aspectRatio?: string | number | undefined;
  /** Image width in CSS pixels hint for the browser (`sizes` stays the caller's). */
  width?: number | undefined;
  /** The image's `loading`. Default `lazy`; `eager` for a thumbnail above the fold. */
  loading?: "lazy" | "eager" | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/** A poster image with its aspect ratio kept: a skeleton while it loads, a placeholder if it fails. */
export const VideoThumbnail = /* @__PURE__ */ forwardRef<HTMLDivElement, VideoThumbnailProps>(function VideoThumbnail(
  { src, alt, aspectRatio, width, loading = "lazy", messages: messagesProp, unstyled: unstyledProp, className, style, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  // What the image said, kept with the `src` it was said for: a new `src` starts at `loading` in the same render, and
  // nothing resets a load that finished before an effect could run (a cached image loads during commit).
  const [settled, setSettled] = useState<{ src: string; state: "loaded" | "error" } | undefined>(undefined);
  const state: VideoThumbnailState = !src ? "empty" : settled?.src === src ? settled.state : "loading";
  const settle = (next: "loaded" | "error") => {
    if (src && (settled?.src !== src || settled.state !== next)) setSettled({ src, state: next });
  };
  const showImage = Boolean(src) && state !== "error";
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const describedPlaceholder = !showImage && alt !== "";
  return (
    <div
      {...divProps}
      ref={ref}
      role={describedPlaceholder ? "img" : divProps.role}
      aria-label={describedPlaceholder ? alt : divProps["aria-label"]}
      data-state={state}
      className={componentClassName(unstyled, "lvk-thumbnail", className)}
      style={{ aspectRatio: cssAspectRatio(aspectRatio), ...style }}
    >
      {showImage ? (
        <img
          // An image already in the cache may finish before React listens for `load` or `error`.
          ref={(image) => {
            if (image?.complete && image.currentSrc) settle(image.naturalWidth > 0 ? "loaded" : "error");
          }}
          src={src}
          alt={alt}
          width={width}
          loading={loading}
          decoding="async"
          className={kit("lvk-thumbnail__image")}
          onLoad={() => settle("loaded")}
          onError={() => settle("error")}
        />
      ) : (
        <span aria-hidden="true" className={kit("lvk-thumbnail__placeholder")}>
          <svg width="32" height="32" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" focusable="false">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <path d="m10 9 5 3-5 3z" fill="currentColor" stroke="none" />
          </svg>
          {state === "error" ? <span>{messages.thumbnail.unavailable}</span> : null}
        </span>
      )}
    </div>
  );
});
