"use client";
import { forwardRef, useState, type HTMLAttributes } from "react";
import { lazyModule } from "../../../core/lazy-module.js";
import type { RecordingSourceKind } from "../../../core/recording-media.js";
import type { RecordingStore } from "../../../core/recording-store.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { useAllMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";

/** Props of `LessonRecorder`; other `div` attributes go to its root. */
export interface LessonRecorderProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  /** Sent with the upload; the backend keeps it as the asset's passthrough. */
  lessonId?: string | undefined;
  /**
   * Which sources to offer, in order: `camera`, `screen`, `screen-camera` (the camera as a round bubble over the
   * screen, movable). Default all three; those this browser cannot open are left out.
   */
  sources?: readonly RecordingSourceKind[] | undefined;
  /** Seconds counted down, visibly, between Start and the recording. Default 3; `0` starts at once. */
  countdownSeconds?: number | undefined;
  /** Stops the recording by itself after this long, ms (pauses left out). */
  maxDurationMs?: number | undefined;
  /** Stops the recording by itself once it reached this many bytes. */
  maxBytes?: number | undefined;
  /**
   * `true` (default): the provider's upload, the one `useVideo()` and `LessonForm` see. `false`: an upload of this
   * recorder alone.
   */
  shared?: boolean | undefined;
  /** Called once the recording's video is ready to play. */
  onUploaded?: ((asset: VideoAsset) => void) | undefined;
  /** Called when the person keeps a recording, with its upload as it is then (it may still be sending or processing). */
  onKeep?: ((upload: UploadState) => void) | undefined;
  /**
   * Called when the person records again: the take is dropped and its upload cancelled. Gets the abandoned take's
   * upload as it was (its `uploadId`), to tell a form that took it.
   */
  onDiscard?: ((upload: UploadState) => void) | undefined;
  /**
   * Keeps each recording's pieces on the device until its upload reached processing (`createIndexedDbRecordingStore()`);
   * a recording left there by a page that went away is offered again: upload it, download it, or discard it.
   */
  store?: RecordingStore | undefined;
  /**
   * Where the camera, microphones and screen come from. Default `navigator.mediaDevices`; stories and tests pass
   * canvas streams.
   */
  mediaDevices?: Partial<Pick<MediaDevices, "getUserMedia" | "getDisplayMedia">> | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/**
 * Whether this browser can record `source`: `MediaRecorder`, and `getUserMedia` (camera) and/or `getDisplayMedia`
 * (screen) on `mediaDevices` (default `navigator.mediaDevices`; phones have no `getDisplayMedia`).
 */
export function canRecord(source: RecordingSourceKind, mediaDevices?: Partial<Pick<MediaDevices, "getUserMedia" | "getDisplayMedia">>): boolean {
  if (typeof globalThis.MediaRecorder !== "function") return false;
  const media = mediaDevices ?? (typeof navigator === "undefined" ? undefined : (navigator.mediaDevices));
  const camera = typeof media?.getUserMedia === "function";
  const screen = typeof media?.getDisplayMedia === "function";
  return source === "camera" ? camera : source === "screen" ? screen : camera && screen;
}

/**
 * Records a lesson in the browser and uploads it while it records: pick the camera, the screen, or the screen with
 * the camera as a movable bubble; choose the microphone (with a level meter) and whether the shared tab's sound is
 * recorded; a countdown, then record (pause, resume, stop, the time recorded); review the recording and keep it or
 * record again (the abandoned upload is cancelled at the backend). Caps on duration and size stop it by itself; a
 * camera unplugged or screen sharing stopped from the browser's bar stops it with the recording kept. A browser that
 * cannot record offers a file upload instead. Needs a `VideoProvider` above it. The preview, recording and review
 * views load when a source is chosen. `data-state` is the recorder's step (`choose`, `opening`, `preview`,
 * `countdown`, `recording`, `paused`, `review`, `kept`, `error`, `unsupported`).
 */
export const LessonRecorder = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonRecorderProps>(function LessonRecorder(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <LessonRecorderView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const LessonRecorderView = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonRecorderProps>(function LessonRecorderView(
  {
    lessonId,
    sources = allSources,
    countdownSeconds = 3,
    maxDurationMs,
    maxBytes,
    shared = true,
    onUploaded,
    onKeep,
    onDiscard,
    store,
    mediaDevices,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...divProps
  },
  ref,
) {
  const messages = useAllMessages(messagesProp);
  const unstyled = useUnstyled(unstyledProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const [chosen, setChosen] = useState<RecordingSourceKind | undefined>(undefined);
  const [step, setStep] = useState("choose");
  const offered = sources.filter((source) => canRecord(source, mediaDevices));
  const unsupported = offered.length === 0;
  const views = useLazyModule(recorderViews, chosen !== undefined || store !== undefined || unsupported);
  return (
    <section
      {...divProps}
      ref={ref}
      aria-label={messages.recorder.heading}
      data-state={chosen ? step : unsupported ? "unsupported" : "choose"}
      className={componentClassName(unstyled, "lvk-recorder", className)}
    >
      {chosen === undefined ? (
        unsupported ? (
          <>
            <p className={kit("lvk-notice")} role="alert">
              {messages.errors.recording_unsupported}
            </p>
            {views.module ? <views.module.FileInstead lessonId={lessonId} shared={shared} messages={messages} unstyled={unstyled} onUploaded={onUploaded} /> : null}
          </>
        ) : (
          <>
          {store && views.module ? <views.module.RecoveredRecordings store={store} lessonId={lessonId} shared={shared} messages={messages} unstyled={unstyled} onUploaded={onUploaded} /> : null}
          <div className={kit("lvk-recorder__sources")}>
            {offered.map((source) => (
              <button key={source} type="button" className={kit("lvk-button lvk-button--primary")} onClick={() => setChosen(source)}>
                {messages.recorder[source]}
              </button>
            ))}
          </div>
          </>
        )
      ) : (
        <LazyPart state={views}>
          {(parts) => (
            <parts.RecorderSession
              source={chosen}
              lessonId={lessonId}
              countdownSeconds={countdownSeconds}
              maxDurationMs={maxDurationMs}
              maxBytes={maxBytes}
              shared={shared}
              onUploaded={onUploaded}
              onKeep={onKeep}
              onDiscard={onDiscard}
              store={store}
              mediaDevices={mediaDevices}
              messages={messages}
              messagesOverride={messagesProp}
              unstyled={unstyled}
              onStep={setStep}
              onClose={() => setChosen(undefined)}
            />
          )}
        </LazyPart>
      )}
    </section>
  );
});

const allSources: readonly RecordingSourceKind[] = ["camera", "screen", "screen-camera"];

/** The preview, recording and review views: loaded when a source is chosen. */
const recorderViews = /* @__PURE__ */ lazyModule(() => import("./recorder-views.js"));
