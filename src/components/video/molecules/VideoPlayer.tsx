"use client";
import type { MuxPlayerProps, MuxPlayerRefAttributes } from "@mux/mux-player-react";
import { forwardRef, lazy, Suspense, useEffect, useState, type HTMLAttributes, type ReactNode } from "react";
import type { PlaybackTokens, VideoAsset } from "../../../core/types.js";
import { definedProps } from "../../shared/defined-props.js";
import { componentClassName, visuallyHidden } from "../../shared/class-names.js";
import { cssAspectRatio } from "../../shared/format.js";
import { useMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";

// The player (~330 KB gz) loads only when a VideoPlayer mounts in the browser; bundlers split it out.
const MuxPlayer = /* @__PURE__ */ lazy(() => import("@mux/mux-player-react"));

/**
 * `deferred` (poster and Play button, `defer` only), `loading` while the player's code downloads (the
 * skeleton shows), then `ready`; `error` if it failed to play.
 */
export type VideoPlayerState = "deferred" | "loading" | "ready" | "error";

/** Mux Data metadata (`video_id`, `video_title`, `viewer_user_id`, …). */
export type VideoPlayerMetadata = Record<string, string | number | boolean | undefined>;

export interface VideoPlayerProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "title" | "onError"> {
  /** Take playback id, URLs, tokens and aspect ratio from an asset; explicit props win. */
  asset?: VideoAsset | undefined;
  /** Mux playback id; the player builds Mux stream and image URLs from it. */
  playbackId?: string | undefined;
  /** Signed playback tokens for `signed` playback ids. */
  tokens?: PlaybackTokens | undefined;
  /** Direct media URL, for the emulator and non-Mux backends (disables Mux Data tracking unless you set it). */
  src?: string | undefined;
  poster?: string | undefined;
  storyboardSrc?: string | undefined;
  /** Shown in the player and used as its accessible name. */
  title?: string | undefined;
  /** Kept by the skeleton and the player, e.g. `"16:9"`. */
  aspectRatio?: string | number | undefined;
  /** Mux Data metadata. */
  metadata?: VideoPlayerMetadata | undefined;
  /** Mux Data environment key. */
  envKey?: string | undefined;
  /** Turn Mux Data off; defaults to on for `src` playback (nothing to report to) and off for Mux ids. */
  disableTracking?: boolean | undefined;
  autoPlay?: boolean | undefined;
  muted?: boolean | undefined;
  startTime?: number | undefined;
  /** Any other `@mux/mux-player-react` prop. */
  playerProps?: Partial<MuxPlayerProps> | undefined;
  /**
   * Keep the poster and a Play button until the viewer presses it, then load the player and play
   * (saves the player download on pages where few people watch).
   */
  defer?: boolean | undefined;
  /** Shown instead of the default skeleton while the player loads. */
  fallback?: ReactNode | undefined;
  onPlayerError?: ((event: Event) => void) | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * Plays a lesson video with `@mux/mux-player-react`, loaded lazily behind a skeleton of the video's
 * aspect ratio. The server renders only the skeleton. The ref reaches the `<mux-player>` element.
 */
export const VideoPlayer = /* @__PURE__ */ forwardRef<MuxPlayerRefAttributes, VideoPlayerProps>(function VideoPlayer(
  {
    asset,
    playbackId = asset?.playbackId,
    tokens = asset?.playback?.tokens,
    src = asset?.playback?.src,
    poster = asset?.playback?.poster,
    storyboardSrc = asset?.playback?.storyboardSrc,
    title,
    aspectRatio = asset?.aspectRatio,
    metadata,
    envKey,
    disableTracking,
    autoPlay,
    muted,
    startTime,
    playerProps,
    defer = false,
    fallback,
    onPlayerError,
    messages: messagesProp,
    unstyled,
    className,
    style,
    ...divProps
  },
  ref,
) {
  const messages = useMessages(messagesProp);
  const [mounted, setMounted] = useState(false);
  const [state, setState] = useState<VideoPlayerState>("loading");
  const [activated, setActivated] = useState(!defer);
  useEffect(() => setMounted(true), []);
  const ratio = cssAspectRatio(aspectRatio);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const name = title ?? messages.player.label;

  const waitingForViewer = !activated;
  const skeleton = fallback ?? (
    <div className={kit("lvk-player__skeleton")} data-state={waitingForViewer ? "deferred" : "loading"} aria-busy={!waitingForViewer}>
      {poster ? <img src={poster} alt="" className={kit("lvk-player__poster")} /> : null}
      {waitingForViewer ? (
        <button type="button" className={kit("lvk-player__play")} aria-label={`${messages.player.play}: ${name}`} onClick={() => setActivated(true)}>
          <PlayIcon />
        </button>
      ) : (
        <>
          <span aria-hidden="true" className={kit("lvk-player__play")}>
            <PlayIcon />
          </span>
          <span style={visuallyHidden}>{messages.player.loading}</span>
        </>
      )}
    </div>
  );

  const sourceProps: Partial<MuxPlayerProps> = src
    ? { src, disableTracking: disableTracking ?? true }
    : { ...definedProps({ playbackId, tokens: tokens && definedProps(tokens) }), disableTracking: disableTracking ?? false };

  return (
    <div
      {...divProps}
      role="group"
      aria-label={name}
      data-state={activated ? state : "deferred"}
      className={componentClassName(unstyled, "lvk-player", className)}
      style={{ aspectRatio: ratio, ...style }}
    >
      {mounted && activated ? (
        <Suspense fallback={skeleton}>
          <MuxPlayer
            ref={ref}
            {...sourceProps}
            {...definedProps({ poster, storyboardSrc, title, envKey, muted, startTime, className: kit("lvk-player__element") })}
            metadata={{ video_id: asset?.id, video_title: title, ...metadata }}
            {...definedProps({ autoPlay: defer ? true : autoPlay })}
            style={{ aspectRatio: ratio, width: "100%", height: "100%" }}
            onError={(event) => {
              setState("error");
              onPlayerError?.(event);
            }}
            {...playerProps}
          />
          <PlayerLoaded onLoaded={() => setState((current) => (current === "loading" ? "ready" : current))} />
        </Suspense>
      ) : (
        skeleton
      )}
    </div>
  );
});

function PlayIcon() {
  return (
    <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M8 5.5v13l11-6.5z" fill="currentColor" />
    </svg>
  );
}

/** Renders only once the lazy player resolved, telling the wrapper to leave its loading state. */
function PlayerLoaded({ onLoaded }: { onLoaded: () => void }) {
  useEffect(() => {
    onLoaded();
  }, [onLoaded]);
  return null;
}
