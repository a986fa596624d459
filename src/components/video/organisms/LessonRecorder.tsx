"use client";
import { forwardRef, useState, type HTMLAttributes } from "react";
import { lazyModule } from "../../../core/lazy-module.js";
import type { RecordingStore } from "../../../core/recording-store.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { useAllMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";

/** What to record: the camera (with the microphone) or the screen (with the tab's or system's audio where offered). */
export type RecordingSourceKind = "camera" | "screen";

/** Props of `LessonRecorder`; other `div` attributes go to its root. */
export interface LessonRecorderProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  /** Sent with the upload; the backend keeps it as the asset's passthrough. */
  lessonId?: string | undefined;
  /** Which sources to offer, in order. Default camera and screen. */
  sources?: readonly RecordingSourceKind[] | undefined;
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
  /** Called when the person records again: the take is dropped and its upload cancelled (tell a form that took it). */
  onDiscard?: (() => void) | undefined;
  /**
   * Keeps each recording's pieces on the device until its upload reached processing (`createIndexedDbRecordingStore()`);
   * a recording left there by a page that went away is offered again: upload it, download it, or discard it.
   */
  store?: RecordingStore | undefined;
  /**
   * Opens a source. Default: `getUserMedia({ video: true, audio: true })` for the camera, `getDisplayMedia({ video:
   * true, audio: true })` for the screen. Stories and tests pass a canvas stream.
   */
  getMedia?: ((source: RecordingSourceKind) => Promise<MediaStream>) | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

/** Whether this browser can record: `MediaRecorder` and the media APIs the sources need. */
export function canRecord(source: RecordingSourceKind): boolean {
  if (typeof globalThis.MediaRecorder !== "function" || typeof navigator === "undefined") return false;
  const media = navigator.mediaDevices as MediaDevices | undefined;
  return source === "camera" ? typeof media?.getUserMedia === "function" : typeof media?.getDisplayMedia === "function";
}

/**
 * Records a lesson in the browser and uploads it while it records: pick the camera or the screen, see a preview,
 * record (pause, resume, stop, the time recorded), then review the recording and keep it or record again (the
 * abandoned upload is cancelled at the backend). Caps on duration and size stop it by itself; a camera unplugged or
 * screen sharing stopped from the browser's bar stops it with the recording kept. Needs a `VideoProvider` above it.
 * The preview, recording and review views load when a source is chosen. `data-state` is the recorder's step.
 */
export const LessonRecorder = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonRecorderProps>(function LessonRecorder(props, ref) {
  return (
    <LiveAnnouncer>
      <LessonRecorderView {...props} ref={ref} />
    </LiveAnnouncer>
  );
});

const LessonRecorderView = /* @__PURE__ */ forwardRef<HTMLDivElement, LessonRecorderProps>(function LessonRecorderView(
  { lessonId, sources = ["camera", "screen"], maxDurationMs, maxBytes, shared = true, onUploaded, onKeep, onDiscard, store, getMedia, messages: messagesProp, unstyled, className, ...divProps },
  ref,
) {
  const messages = useAllMessages(messagesProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const [chosen, setChosen] = useState<RecordingSourceKind | undefined>(undefined);
  const [step, setStep] = useState("choose");
  const views = useLazyModule(recorderViews, chosen !== undefined || store !== undefined);
  const offered = sources.filter((source) => getMedia !== undefined || canRecord(source));
  return (
    <section
      {...divProps}
      ref={ref}
      aria-label={messages.recorder.heading}
      data-state={chosen ? step : "choose"}
      className={componentClassName(unstyled, "lvk-recorder", className)}
    >
      {chosen === undefined ? (
        offered.length === 0 ? (
          <p className={kit("lvk-notice")} role="alert">
            {messages.errors.recording_unsupported}
          </p>
        ) : (
          <>
          {store && views.module ? <views.module.RecoveredRecordings store={store} shared={shared} messages={messages} unstyled={unstyled} onUploaded={onUploaded} /> : null}
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
        <LazyPart state={views} messages={messages} unstyled={unstyled}>
          {(parts) => (
            <parts.RecorderSession
              source={chosen}
              lessonId={lessonId}
              maxDurationMs={maxDurationMs}
              maxBytes={maxBytes}
              shared={shared}
              onUploaded={onUploaded}
              onKeep={onKeep}
              onDiscard={onDiscard}
              store={store}
              getMedia={getMedia}
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

/** The preview, recording and review views: loaded when a source is chosen. */
const recorderViews = /* @__PURE__ */ lazyModule(() => import("./recorder-views.js"));
