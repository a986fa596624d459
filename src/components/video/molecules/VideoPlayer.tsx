"use client";
import type { MuxPlayerProps, MuxPlayerRefAttributes } from "@mux/mux-player-react";
import { forwardRef, lazy, Suspense, useCallback, useEffect, useInsertionEffect, useRef, useState, type HTMLAttributes, type ReactNode } from "react";
import { clippedSrc, effectiveTrim, trimChapters, trimClipping, trimmedDuration, trimPosterTime, trimShiftsTimes } from "../../../core/trim.js";
import type { CaptionTrack, Chapter, PlaybackTokens, VideoAsset, VideoTrim } from "../../../core/types.js";
import { definedProps } from "../../shared/defined-props.js";
import { posterAtTime } from "../../shared/poster-time.js";
import { componentClassName, visuallyHidden } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { cssAspectRatio } from "../../shared/format.js";
import { useInBrowser } from "../../shared/use-in-browser.js";
import { useMessages } from "../../shared/use-messages.js";
import { useMuxDataSettings } from "../../../react/use-video-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";

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
  /**
   * MIME type of `src` (e.g. `"video/mp4"`); default `asset.playback.type`. Needed when the URL has no
   * extension the player recognises (it logs "Media type … is an unrecognized or unsupported type").
   */
  type?: string | undefined;
  /**
   * Poster frame in seconds (a lesson's `thumbnailTime`): the poster URL gets `?time=` and, for Mux
   * playback ids without a `poster`, the player asks Mux for that frame.
   */
  thumbnailTime?: number | undefined;
  /** Chapters for the player's chapter menu, in any order. */
  chapters?: readonly Chapter[] | undefined;
  /**
   * Play only part of the video (a lesson's `trim`, seconds of the uploaded video), without re-uploading. Mux
   * playback ids get `assetStartTime`/`assetEndTime` (on a signed one the clip must be in the token's claims: see
   * the token route's `clip`); a Mux-shaped `src` (the emulator's) gets `asset_start_time`/`asset_end_time`; any other
   * `src` a media fragment `#t=start,end` (see `VideoPlayback.clipping`). Clipped by Mux or the emulator, the video's
   * times start at 0 at the trim's start: chapters and caption tracks move with it; the poster frame stays inside
   * the trim (one outside it becomes the trim's first frame). A trim of the whole video clips nothing.
   */
  trim?: VideoTrim | undefined;
  /**
   * Caption tracks (default `asset.captions`). For direct `src` playback, ready tracks with a `src` become
   * `<track>` elements; Mux playback ids list theirs in the HLS manifest.
   */
  captions?: readonly CaptionTrack[] | undefined;
  /** Show captions when the video starts (a lesson's `captionsOnByDefault`); default: the player's own (on). */
  captionsOnByDefault?: boolean | undefined;
  /** Shown in the player and used as its accessible name. */
  title?: string | undefined;
  /** Kept by the skeleton and the player, e.g. `"16:9"`. */
  aspectRatio?: string | number | undefined;
  /**
   * Present the media as audio: a card with the title (and `poster`, when given) above the player's controls, no
   * video frame. Default `asset.audioOnly` (an uploaded audio file).
   */
  audio?: boolean | undefined;
  /**
   * Mux Data metadata, over `video_id` (the asset's id), `video_title` (`title`) and `viewer_user_id` (the
   * provider's `muxData.viewerId`).
   */
  metadata?: VideoPlayerMetadata | undefined;
  /** Mux Data environment key; default the provider's `muxData.envKey`. */
  envKey?: string | undefined;
  /**
   * Turn Mux Data (beacons to litix.io) off. Default: off for `src` playback (the emulator, non-Mux
   * backends: there is no Mux view to report), on for Mux playback ids, as `@mux/mux-player-react` does.
   */
  disableTracking?: boolean | undefined;
  /**
   * Offer casting (Chromecast, AirPlay, the Remote Playback API). Default false: the media gets
   * `disableremoteplayback`, so the player never loads Google's Cast SDK (www.gstatic.com) and makes no
   * request off the machine for `src` playback. Set true for mux-player's default: the SDK loads and
   * the cast button shows when a device is found.
   */
  casting?: boolean | undefined;
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
 * How a video plays, apart from what plays (the asset or source, its captions, aspect ratio and title): the poster
 * frame, chapters, captions on at start, Mux Data, casting, autoplay, the player's own props, and attributes for its
 * root. A component that shows a `VideoPlayer` for you (`VideoManager`, `VideoSection`, `LessonForm`) takes them as
 * one `player` prop and hands them on whole, so a new `VideoPlayer` prop reaches them without touching them.
 */
export type VideoPlayerOptions = Omit<
  VideoPlayerProps,
  "asset" | "playbackId" | "tokens" | "src" | "poster" | "storyboardSrc" | "type" | "captions" | "aspectRatio" | "title" | "messages" | "unstyled"
>;

/**
 * Plays a lesson video with `@mux/mux-player-react`, loaded lazily behind a skeleton of the video's
 * aspect ratio. The server renders only the skeleton. The ref reaches the `<mux-player>` element.
 */
export const VideoPlayer = /* @__PURE__ */ forwardRef<MuxPlayerRefAttributes, VideoPlayerProps>(function VideoPlayer(
  {
    asset,
    playbackId = asset?.playbackId,
    tokens = asset?.playback?.tokens,
    src: srcProp = asset?.playback?.src,
    poster: posterProp,
    storyboardSrc = asset?.playback?.storyboardSrc,
    type = asset?.playback?.type,
    thumbnailTime: thumbnailTimeProp,
    chapters: chaptersProp,
    trim,
    captions = asset?.captions,
    captionsOnByDefault,
    title,
    aspectRatio = asset?.aspectRatio,
    audio = asset?.audioOnly === true,
    metadata,
    envKey: envKeyProp,
    disableTracking,
    casting = false,
    autoPlay,
    muted,
    startTime,
    playerProps,
    defer = false,
    fallback,
    onPlayerError,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    style,
    ...divProps
  },
  ref,
) {
  // An audio-only asset's "poster" is a backend's placeholder frame: shown only when given explicitly.
  const poster = posterProp ?? (audio ? undefined : asset?.playback?.poster);
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const muxData = useMuxDataSettings();
  const envKey = envKeyProp ?? muxData?.envKey;
  const inBrowser = useInBrowser();
  const [state, setState] = useState<VideoPlayerState>("loading");
  const [activated, setActivated] = useState(!defer);
  const ratio = cssAspectRatio(aspectRatio);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const name = title ?? messages.player.label;
  // The trim: the source clipped, and (unless a media fragment keeps the upload's timeline) the chapters moved onto
  // the clip. Poster URLs are the upload's images: the frame stays an upload time, inside the trim.
  const clip = effectiveTrim(trim, asset?.duration);
  const clipping = trimClipping(srcProp, asset?.playback?.clipping);
  const timeline = clip && trimShiftsTimes(clipping) ? clip : undefined;
  const src = srcProp !== undefined && clip ? clippedSrc(srcProp, clip, clipping) : srcProp;
  const thumbnailTime = clip ? clip.startTime + (trimPosterTime(thumbnailTimeProp ?? clip.startTime, clip) ?? 0) : thumbnailTimeProp;
  const clipStart = timeline?.startTime;
  const clipEnd = timeline?.endTime;
  const posterUrl = poster === undefined ? undefined : posterAtTime(poster, thumbnailTime);
  const duration = timeline ? trimmedDuration(timeline) : asset?.duration;

  // `type`, remote playback and chapters go to the element itself: mux-player 3.14 forwards neither a
  // `type` prop nor `disableremoteplayback` to its <mux-video>. The media reads `type` when it loads `src`
  // (a microtask after the attribute changes), and media-chrome asks it for `remote` (castable-video then
  // loads the Cast SDK unless remote playback is disabled) once it attaches, after the insertion's
  // microtasks: setting both while React attaches the ref is in time.
  const playerRef = useRef<MuxPlayerRefAttributes | null>(null);
  const mediaSettings = useRef({ type, casting });
  // Before the commit attaches the player's ref (insertion effects run first), never during a render.
  useInsertionEffect(() => {
    mediaSettings.current = { type, casting };
  });
  const [player, setPlayer] = useState<MuxPlayerRefAttributes | null>(null);
  const setPlayerRef = useCallback(
    (node: MuxPlayerRefAttributes | null) => {
      playerRef.current = node;
      if (node?.media) setMediaAttributes(node.media, mediaSettings.current);
      setPlayer(node);
      if (typeof ref === "function") ref(node);
      else if (ref) ref.current = node;
    },
    [ref],
  );
  useEffect(() => {
    const element = playerRef.current?.media;
    if (element) setMediaAttributes(element, { type, casting });
  }, [player, type, casting]);
  useEffect(() => {
    // On a clipped timeline the chapters move with it (those outside the clip go).
    const chapters =
      chaptersProp === undefined || clipStart === undefined || clipEnd === undefined ? chaptersProp : trimChapters(chaptersProp, { startTime: clipStart, endTime: clipEnd });
    if (!player || !chapters || chapters.length === 0) return;
    const sorted = [...chapters].sort((a, b) => a.startTime - b.startTime);
    const cues = sorted.map((chapter, index) => ({
      startTime: chapter.startTime,
      ...definedProps({ endTime: sorted[index + 1]?.startTime ?? duration }),
      value: chapter.title,
    }));
    const add = () => void player.addChapters(cues)?.catch(() => undefined);
    // The player drops text tracks when it (re)loads its media; add them once metadata is there.
    if ((player.media?.readyState ?? 0) >= 1) add();
    player.addEventListener("loadedmetadata", add);
    return () => player.removeEventListener("loadedmetadata", add);
  }, [player, chaptersProp, clipStart, clipEnd, duration]);

  const waitingForViewer = !activated;
  const skeleton = fallback ?? (
    <div className={kit("lvk-player__skeleton")} data-state={waitingForViewer ? "deferred" : "loading"} aria-busy={!waitingForViewer}>
      {posterUrl ? <img src={posterUrl} alt="" className={kit("lvk-player__poster")} /> : null}
      {waitingForViewer ? (
        <button type="button" className={kit("lvk-player__play")} aria-label={formatMessage(messages.player.playTitled, { name }, messages.locale)} onClick={() => setActivated(true)}>
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
    : {
        ...definedProps({ playbackId, tokens: tokens && definedProps(tokens), thumbnailTime, assetStartTime: clip?.startTime, assetEndTime: clip?.endTime }),
        disableTracking: disableTracking ?? false,
      };
  // Direct `src` playback: the caption files as <track> children (mux-video copies them to its <video>).
  const trackElements = src
    ? (captions ?? [])
        .filter((track): track is CaptionTrack & { src: string } => track.status === "ready" && typeof track.src === "string")
        .map((track, index) => (
          <track
            key={track.id}
            kind={track.closedCaptions ? "captions" : "subtitles"}
            src={clip && clipping === "query" ? clippedSrc(track.src, clip, "query") : track.src}
            srcLang={track.languageCode}
            label={track.name}
            default={captionsOnByDefault === true && index === 0}
          />
        ))
    : null;

  return (
    <div
      {...divProps}
      role="group"
      aria-label={name}
      data-state={activated ? state : "deferred"}
      data-kind={audio ? "audio" : "video"}
      className={componentClassName(unstyled, "lvk-player", className)}
      style={audio ? style : { aspectRatio: ratio, ...style }}
    >
      {audio ? (
        <div className={kit("lvk-player__audio-card")}>
          {poster ? <img src={poster} alt="" className={kit("lvk-player__audio-poster")} /> : <WaveIcon />}
          <span className={kit("lvk-player__audio-text")}>
            <span className={kit("lvk-player__audio-label")}>{messages.player.audioOnly}</span>
            {title ? <span className={kit("lvk-player__audio-title")}>{title}</span> : null}
          </span>
        </div>
      ) : null}
      {inBrowser && activated ? (
        <Suspense fallback={skeleton}>
          <MuxPlayer
            ref={setPlayerRef}
            {...sourceProps}
            {...definedProps({ poster: posterUrl, storyboardSrc, title, envKey, muted, startTime, className: kit("lvk-player__element") })}
            {...(captionsOnByDefault === undefined ? {} : { defaultHiddenCaptions: !captionsOnByDefault })}
            metadata={{ video_id: asset?.id, video_title: title, viewer_user_id: muxData?.viewerId, ...metadata }}
            {...definedProps({ autoPlay: defer ? true : autoPlay })}
            {...(audio ? { audio: true } : {})}
            style={audio ? { width: "100%" } : { aspectRatio: ratio, width: "100%", height: "100%" }}
            onError={(event) => {
              setState("error");
              onPlayerError?.(event);
            }}
            {...playerProps}
          >
            {trackElements}
          </MuxPlayer>
          <PlayerLoaded onLoaded={() => setState((current) => (current === "loading" ? "ready" : current))} />
        </Suspense>
      ) : (
        skeleton
      )}
    </div>
  );
});

/** What mux-player does not forward to its <mux-video>: the media `type`, and remote playback off unless casting. */
function setMediaAttributes(media: Element, { type, casting }: { type: string | undefined; casting: boolean }) {
  if (type) media.setAttribute("type", type);
  else media.removeAttribute("type");
  media.toggleAttribute("disableremoteplayback", !casting);
}

/** The audio card's picture when there is no poster: a few bars of a waveform. */
function WaveIcon() {
  return (
    <svg width="40" height="40" viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="lvk-player__audio-icon">
      <path d="M3 10v4M7 7v10M11 4v16M15 8v8M19 10v4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
    </svg>
  );
}

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
