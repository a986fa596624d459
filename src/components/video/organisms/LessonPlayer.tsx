"use client";
import type { MuxPlayerRefAttributes } from "@mux/mux-player-react";
import { forwardRef, useCallback, useEffect, useInsertionEffect, useRef, useState, useSyncExternalStore, type HTMLAttributes } from "react";
import { lazyModule } from "../../../core/lazy-module.js";
import { effectiveTrim, trimChapters, trimClipping, trimShiftsTimes } from "../../../core/trim.js";
import type { Chapter, VideoAsset } from "../../../core/types.js";
import { WatchProgress, type WatchProgressSnapshot } from "../../../core/watch-progress.js";
import { useProvidedVideoClient } from "../../../react/video-context.js";
import { componentClassName } from "../../shared/class-names.js";
import { clock } from "../../shared/format.js";
import { definedProps } from "../../shared/defined-props.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { useAllMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { VideoDownloads } from "../molecules/VideoDownloads.js";
import { VideoPlayer, type VideoPlayerOptions } from "../molecules/VideoPlayer.js";


/** Props of `LessonPlayer`; other `div` attributes go to its root. */
export interface LessonPlayerProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "title" | "onProgress"> {
  /** The lesson: progress is read and saved for it, and it is the video's id in Mux Data. */
  lessonId: string;
  /** The lesson's video (its playback, captions, duration). */
  asset: VideoAsset;
  /** The lesson's title: the player's name and the video's title in Mux Data. */
  title?: string | undefined;
  /** The lesson's chapters: a list beside the video (the current one marked; select one to go there). */
  chapters?: readonly Chapter[] | undefined;
  /** Show the transcript built from the caption tracks (searchable, follows playback). Default true. */
  transcript?: boolean | undefined;
  /**
   * Offer the video's files to download below it (`VideoDownloads`: the MP4 and the audio's M4A, once the backend
   * made them), to learners the server's `canDownload` allows. Default false.
   */
  downloads?: boolean | undefined;
  /** Offer the saved position back ("Resume at 12:34 · Start over"). Default true. */
  resume?: boolean | undefined;
  /** Share of the duration, in distinct seconds watched, that completes the lesson. Default 0.9. */
  completionThreshold?: number | undefined;
  /** After each stretch watched, with where the learner is and what they watched. */
  onProgress?: ((progress: WatchProgressSnapshot) => void) | undefined;
  /** Once, when the learner completes the lesson here (not when it was completed before). */
  onComplete?: ((progress: WatchProgressSnapshot) => void) | undefined;
  /**
   * How the video plays: the lesson's `thumbnailTime` and `captionsOnByDefault`, Mux Data, casting, the player's own
   * props. Mux Data's `video_id` is `lessonId`; the environment key and viewer id come from the provider's `muxData`.
   */
  player?: VideoPlayerOptions | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/**
 * A learner's lesson: the video with its chapters and an interactive transcript (the current cue highlighted and
 * kept in view without moving focus, select a cue to go there, search with a match count, following the caption
 * language), the learner's position saved while watching and offered back ("Resume at 12:34 · Start over"), and
 * completion at `completionThreshold` of distinct seconds watched (seeking to the end does not complete,
 * rewatching does not count twice), recorded once. Progress goes through the provider's transport
 * (`getProgress`/`saveProgress`); without them it is kept in memory. Needs a `VideoProvider` above it. The chapters
 * and transcript load with the player. `data-state`: `loading` (the saved progress), `watching`, `completed`.
 */
export const LessonPlayer = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonPlayerProps>(function LessonPlayer(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LessonPlayerView {...props} ref={ref} />
    </KitSettingsProvider>
  );
});

const LessonPlayerView = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonPlayerProps>(function LessonPlayerView(
  {
    lessonId,
    asset,
    title,
    chapters,
    transcript = true,
    downloads = false,
    resume = true,
    completionThreshold,
    onProgress,
    onComplete,
    player: playerProps,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...divProps
  },
  ref,
) {
  const messages = useAllMessages(messagesProp);
  const unstyled = useUnstyled(unstyledProp);
  const learner = messages.learner;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const { transport, emit } = useProvidedVideoClient("<LessonPlayer>");
  const callbacks = useRef({ onProgress, onComplete });
  useInsertionEffect(() => {
    callbacks.current = { onProgress, onComplete };
  });
  const [progress] = useState(
    () =>
      new WatchProgress({
        lessonId,
        transport,
        completionThreshold,
        onProgress: (snapshot) => callbacks.current.onProgress?.(snapshot),
        onComplete: (snapshot) => callbacks.current.onComplete?.(snapshot),
        onEvent: emit,
      }),
  );
  useEffect(() => {
    void progress.load();
    return () => {
      // What was watched since the last save is sent before the player goes.
      void progress.flush({ keepalive: true });
      progress.dispose();
    };
  }, [progress]);
  const snapshot = useSyncExternalStore(progress.subscribe, progress.getSnapshot, progress.getSnapshot);

  const [element, setElement] = useState<MuxPlayerRefAttributes | null>(null);
  const playerRef = useCallback((node: MuxPlayerRefAttributes | null) => setElement(node), []);
  useEffect(() => (element ? progress.attach(element) : undefined), [element, progress]);

  // A trimmed lesson (`player.trim`): the list of chapters and the transcript follow the clip's timeline when the
  // player's times start at 0 at the trim's start (Mux, the emulator); a media fragment keeps the upload's times.
  const clip = effectiveTrim(playerProps?.trim, asset.duration);
  const timeline = clip && trimShiftsTimes(trimClipping(asset.playback?.src, asset.playback?.clipping)) ? clip : undefined;
  const listedChapters = chapters && timeline ? trimChapters(chapters, timeline) : chapters;
  const hasChapters = (listedChapters?.length ?? 0) > 0;
  const hasCaptions = (asset.captions ?? []).some((track) => track.status === "ready");
  const parts = useLazyModule(lessonPlayerParts, hasChapters || (transcript && hasCaptions));
  const resumeAt = resume ? snapshot.resumeAt : undefined;
  const seek = (time: number) => {
    if (!element) return;
    element.currentTime = time;
  };

  return (
    <div
      {...divProps}
      ref={ref}
      className={componentClassName(unstyled, "lvk-lesson-player", className)}
      data-state={snapshot.status === "loading" ? "loading" : snapshot.completed ? "completed" : "watching"}
    >
      <div className={kit("lvk-lesson-player__main")}>
        {resumeAt !== undefined ? (
          <div className={kit("lvk-notice lvk-lesson-player__resume")} role="group" aria-label={formatMessage(learner.resumeOffer, { time: clock(resumeAt) }, messages.locale)}>
            <p>{formatMessage(learner.resumeOffer, { time: clock(resumeAt) }, messages.locale)}</p>
            <div className={kit("lvk-actions")}>
              <button
                type="button"
                className={kit("lvk-button lvk-button--primary")}
                disabled={!element}
                onClick={() => {
                  seek(resumeAt);
                  progress.dismissResume();
                  void element?.play().catch(() => undefined);
                }}
              >
                {formatMessage(learner.resumeAt, { time: clock(resumeAt) }, messages.locale)}
              </button>
              <button type="button" className={kit("lvk-button")} onClick={() => progress.dismissResume()}>
                {learner.startOver}
              </button>
            </div>
          </div>
        ) : null}
        <VideoPlayer
          ref={playerRef}
          asset={asset}
          title={title}
          {...playerProps}
          {...definedProps({ chapters })}
          metadata={{ video_id: lessonId, ...playerProps?.metadata }}
        />
        {downloads ? <VideoDownloads assetId={asset.id} className={kit("lvk-lesson-player__downloads")} /> : null}
        {snapshot.completed ? (
          <p className={kit("lvk-lesson-player__completed")} data-completed-at={snapshot.completedAt ?? undefined}>
            {learner.completed}
          </p>
        ) : null}
        {snapshot.errorDuring === "save" && snapshot.error?.code !== "not_found" ? (
          <p className={kit("lvk-lesson-player__save-error")}>{learner.progressSaveFailed}</p>
        ) : null}
      </div>
      {hasChapters || (transcript && hasCaptions) ? (
        <LazyPart state={parts}>
          {(loaded) => (
            <div className={kit("lvk-lesson-player__side")}>
              {hasChapters ? <loaded.ChapterList chapters={listedChapters ?? []} player={element} messages={messages} unstyled={unstyled} onSeek={seek} /> : null}
              {transcript && hasCaptions ? <loaded.Transcript asset={asset} trim={timeline} player={element} messages={messages} unstyled={unstyled} onSeek={seek} /> : null}
            </div>
          )}
        </LazyPart>
      ) : null}
    </div>
  );
});

/** The chapter list and the transcript: loaded with the player. */
const lessonPlayerParts = /* @__PURE__ */ lazyModule(() => import("./lesson-player-parts.js"));
