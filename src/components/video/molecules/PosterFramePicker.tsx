"use client";
import { forwardRef, useEffect, useId, useRef, useState, type CSSProperties, type HTMLAttributes } from "react";
import { formatChapterTime } from "../../../core/chapters.js";
import type { VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { cssAspectRatio } from "../../shared/format.js";
import { useAnnounce } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { posterAtTime } from "../../shared/poster-time.js";
import { useControllableState } from "../../shared/use-controllable-state.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";

/** `none` (the backend picks), `chosen` (the preview shows the chosen frame) or `changed` (scrubbed elsewhere). */
export type PosterFramePickerState = "none" | "chosen" | "changed";

export interface PosterFramePickerProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange" | "defaultValue"> {
  /** A ready asset with a `duration`; its `playback.src`, `storyboardSrc` or `poster` gives the preview. */
  asset: VideoAsset;
  /** Chosen frame in seconds (controlled); `undefined` lets the backend pick (Mux: the middle). */
  value?: number | undefined;
  /** Initial frame when uncontrolled. */
  defaultValue?: number | undefined;
  onChange?: ((thumbnailTime: number | undefined) => void) | undefined;
  /** Scrub step in seconds. Default 0.1. */
  step?: number | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** One storyboard tile: where in the sprite the frame for `start`–`end` is. */
interface StoryboardTile {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Choose the frame that represents the lesson: scrub with a slider (arrow keys, Page Up/Down, Home/End)
 * and see the frame, from the video itself where the asset has a direct `src`, from the storyboard
 * (`playback.storyboardSrc`) otherwise, else from the poster URL with `?time=`. "Use this frame" saves
 * the time (`thumbnailTime`); the player and thumbnails use it. `data-state` is a `PosterFramePickerState`.
 */
export const PosterFramePicker = /* @__PURE__ */ forwardRef<HTMLDivElement, PosterFramePickerProps>(function PosterFramePicker(
  { asset, value: valueProp, defaultValue, onChange, step = 0.1, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const announce = useAnnounce();
  const [value, setValue] = useControllableState<number | undefined>(valueProp, defaultValue, onChange);
  const duration = asset.duration !== undefined && asset.duration > 0 ? asset.duration : 0;
  const [scrub, setScrub] = useState(() => value ?? duration / 2);
  const sliderId = useId();
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const src = asset.playback?.src;
  const storyboardSrc = src ? undefined : asset.playback?.storyboardSrc;
  const tiles = useStoryboard(storyboardSrc);

  // The chosen frame moved from outside: show it (set while rendering, so the old frame never shows).
  const [shownValue, setShownValue] = useState(value);
  if (!Object.is(value, shownValue)) {
    setShownValue(value);
    if (value !== undefined) setScrub(value);
  }

  useEffect(() => {
    const video = videoRef.current;
    if (video && video.readyState >= 1 && Math.abs(video.currentTime - scrub) > 0.01) video.currentTime = scrub;
  }, [scrub]);

  const time = formatChapterTime(scrub);
  const previewLabel = formatMessage(messages.poster.previewLabel, { time }, messages.locale);
  const state: PosterFramePickerState = value === undefined ? "none" : Math.abs(value - scrub) < step / 2 ? "chosen" : "changed";
  const ratio = cssAspectRatio(asset.aspectRatio);
  const tile = tiles?.find((t) => scrub >= t.start && scrub < t.end) ?? tiles?.[tiles.length - 1];

  const use = () => {
    const chosen = Math.round(scrub * 1000) / 1000;
    setValue(chosen);
    announce(formatMessage(messages.poster.chosen, { time: formatChapterTime(chosen) }, messages.locale));
  };

  let preview = null;
  if (src) {
    preview = (
      <video
        ref={videoRef}
        src={src}
        muted
        playsInline
        preload="auto"
        aria-label={previewLabel}
        className={kit("lvk-poster-picker__frame")}
        onLoadedMetadata={(event) => {
          event.currentTarget.currentTime = scrub;
        }}
      />
    );
  } else if (tile) {
    const style: CSSProperties = {
      aspectRatio: `${tile.width} / ${tile.height}`,
      backgroundImage: `url("${tile.url}")`,
      backgroundPosition: `-${tile.x}px -${tile.y}px`,
      width: tile.width,
    };
    preview = <div role="img" aria-label={previewLabel} className={kit("lvk-poster-picker__tile")} style={style} />;
  } else if (asset.playback?.poster) {
    preview = <img src={posterAtTime(asset.playback.poster, scrub)} alt={previewLabel} className={kit("lvk-poster-picker__frame")} />;
  }

  return (
    <div {...divProps} ref={ref} data-state={state} className={componentClassName(unstyled, "lvk-poster-picker", className)}>
      <div className={kit("lvk-poster-picker__preview")} style={{ aspectRatio: ratio }}>
        {preview}
      </div>
      <div className={kit("lvk-field")}>
        <label htmlFor={sliderId} className={kit("lvk-field__label")}>
          {messages.poster.scrubLabel}
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={duration}
          step={step}
          value={scrub}
          disabled={duration === 0}
          aria-valuetext={formatMessage(messages.poster.position, { time, duration: formatChapterTime(duration) }, messages.locale)}
          className={kit("lvk-poster-picker__slider")}
          onChange={(event) => setScrub(Number(event.target.value))}
        />
        <p className={kit("lvk-hint")} aria-hidden="true">
          {formatMessage(messages.poster.position, { time, duration: formatChapterTime(duration) }, messages.locale)}
        </p>
      </div>
      <p className={kit("lvk-poster-picker__current")}>
        {value === undefined ? messages.poster.none : formatMessage(messages.poster.current, { time: formatChapterTime(value) }, messages.locale)}
      </p>
      <div className={kit("lvk-actions")}>
        <button type="button" className={kit("lvk-button lvk-button--primary")} disabled={duration === 0 || state === "chosen"} onClick={use}>
          {messages.poster.use}
        </button>
        {value !== undefined ? (
          <button type="button" className={kit("lvk-button lvk-button--quiet")} onClick={() => setValue(undefined)}>
            {messages.poster.reset}
          </button>
        ) : null}
      </div>
    </div>
  );
});

/** Loads and reads a storyboard VTT (`<sprite url>#xywh=x,y,w,h` per cue); `null` until loaded or without one. */
function useStoryboard(url: string | undefined): StoryboardTile[] | null {
  // Kept with the URL they came from: another URL has none until its own arrive.
  const [loaded, setLoaded] = useState<{ url: string; tiles: StoryboardTile[] } | null>(null);
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    fetch(url, { signal: controller.signal })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => setLoaded({ url, tiles: parseStoryboard(text, url) }))
      .catch(() => {
        // No storyboard: the picker falls back to the poster URL.
      });
    return () => controller.abort();
  }, [url]);
  return loaded !== null && loaded.url === url ? loaded.tiles : null;
}

/** Reads the cues of a storyboard VTT; sprite URLs are resolved against the VTT's URL. */
export function parseStoryboard(text: string, baseUrl: string): StoryboardTile[] {
  const tiles: StoryboardTile[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const stamp = (s: string) => s.split(":").reduce((total, part) => total * 60 + Number(part), 0);
  for (const [i, line] of lines.entries()) {
    const [, from, to] = /^\s*([\d:.]+)\s+-->\s+([\d:.]+)/.exec(line) ?? [];
    const target = lines[i + 1]?.trim();
    if (from === undefined || to === undefined || !target) continue;
    const [, written, x, y, width, height] = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target) ?? [];
    if (written === undefined) continue;
    let url = written;
    try {
      url = new URL(url, new URL(baseUrl, typeof location === "undefined" ? "http://localhost/" : location.href)).toString();
    } catch {
      // Keep the URL as written.
    }
    tiles.push({ start: stamp(from), end: stamp(to), url, x: Number(x), y: Number(y), width: Number(width), height: Number(height) });
  }
  return tiles;
}
