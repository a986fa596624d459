"use client";
import { forwardRef, useEffect, useRef, type HTMLAttributes, type ReactNode } from "react";
import { lazyModule } from "../../../core/lazy-module.js";
import type { UploadState, VideoAsset } from "../../../core/types.js";
import { preloadUploadWork } from "../../../core/upload-controller.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { LiveAnnouncer } from "../../shared/live-announcer.js";
import { useUploadMessages } from "../../shared/messages-context.js";
import type { MessagesOverride } from "../../messages.js";
import { UploadForm } from "../molecules/UploadForm.js";
import { useUploadAnnouncements } from "../use-upload-announcements.js";
import { useUploadCallbacks } from "../use-upload-callbacks.js";

/** Which part of the flow shows: the drop zone, the running upload, the error, or the finished video. */
export type VideoUploaderView = "pick" | "progress" | "error" | "ready";

/** Props of `VideoUploader`; other `div` attributes go to its root. */
export interface VideoUploaderProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** Sent with the upload; the backend keeps it as the asset's passthrough. */
  lessonId?: string | undefined;
  /**
   * `true` (default): the provider's upload, the one `useVideo()` and `LessonForm` see. `false`: an
   * upload of this uploader alone (several uploaders on one page).
   */
  shared?: boolean | undefined;
  /** Called once the new video is ready to play. */
  onUploaded?: ((asset: VideoAsset) => void) | undefined;
  /** Called on every upload state change. */
  onStateChange?: ((state: UploadState) => void) | undefined;
  /** Shows a Remove button next to the finished video. */
  onRemove?: (() => void) | undefined;
  /** Title for the player of the finished video. */
  videoTitle?: string | undefined;
  /** Extra actions in the finished state (e.g. "Keep current video"). */
  actions?: ReactNode | undefined;
  /** Overrides of this component's strings, merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

export function uploaderView(state: UploadState): VideoUploaderView {
  switch (state.status) {
    case "idle":
      return "pick";
    case "error":
      return "error";
    case "complete":
      return "ready";
    default:
      return "progress";
  }
}

/**
 * The whole flow for one video: drop or pick → upload (pause, resume, cancel) → processing → ready to
 * play, with retry after errors and replace/remove at the end. Needs a `VideoProvider` above it.
 * `data-status` is the upload status; the ref reaches the root element.
 *
 * @example
 * <VideoProvider transport={createHttpTransport()}>
 *   <VideoUploader lessonId={lesson.id} onUploaded={(asset) => saveLessonVideo(lesson.id, asset.id)} />
 * </VideoProvider>
 */
export const VideoUploader = /* @__PURE__ */ forwardRef<HTMLDivElement, VideoUploaderProps>(function VideoUploader(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <VideoUploaderView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const VideoUploaderView = /* @__PURE__ */ forwardRef<HTMLDivElement, VideoUploaderProps>(function VideoUploaderView(
  {
    lessonId,
    shared = true,
    onUploaded,
    onStateChange,
    onRemove,
    videoTitle,
    actions,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...divProps
  },
  forwardedRef,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useUploadMessages(messagesProp);
  const upload = useUploadIn("<VideoUploader>", { shared });
  const { state, asset } = upload;
  const view = uploaderView(state);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  useUploadAnnouncements(state, messages);

  const rootRef = useRef<HTMLDivElement | null>(null);
  const setRoot = (node: HTMLDivElement | null) => {
    rootRef.current = node;
    if (typeof forwardedRef === "function") forwardedRef(node);
    else if (forwardedRef) forwardedRef.current = node;
  };

  useUploadCallbacks(state, asset, { onStateChange, onUploaded });

  // When the view changes under the user's focus (their button disappeared), move focus to what replaced it.
  // The views' arrival replaces the loading line the same way.
  const views = useLazyModule(uploaderViews);
  // The upload's own code (sniffing, the chunked sender) loads in the background too, before a file is picked.
  useEffect(preloadUploadWork, []);
  const shown = view === "pick" || views.module ? view : "loading";
  const previousView = useRef(shown);
  useEffect(() => {
    if (previousView.current === shown) return;
    previousView.current = shown;
    const root = rootRef.current;
    if (!root) return;
    const active = root.ownerDocument.activeElement;
    const focusWasHere = !active || active === root.ownerDocument.body || root.contains(active);
    if (!focusWasHere) return;
    const target =
      root.querySelector<HTMLElement>("[data-lvk-focus-first] button:not([disabled])") ??
      root.querySelector<HTMLElement>("[data-lvk-focus]");
    target?.focus();
  }, [shown]);

  const start = (file: File) => void upload.start(file, lessonId ? { lessonId } : {});

  return (
    <div
      {...divProps}
      ref={setRoot}
      data-status={state.status}
      data-view={view}
      className={componentClassName(unstyled, "lvk-uploader", className)}
    >
      {view === "pick" ? (
        <div data-lvk-focus-first="">
          <UploadForm onFileSelect={start} />
        </div>
      ) : views.module === undefined ? (
        // The views' code is still on its way (it starts loading with the drop zone), or it failed to load:
        // the upload goes on, and the status line says where it is until the views arrive. (The live region
        // announces the changes, as with the views.)
        <div data-lvk-focus-first="" className={kit("lvk-uploader__loading")}>
          <p data-lvk-focus="" tabIndex={-1}>
            {messages.status[state.status]}
          </p>
          <LazyPart state={views}>
            {() => null}
          </LazyPart>
        </div>
      ) : view === "progress" ? (
        <views.module.UploaderProgressView state={state} onPause={() => upload.pause()} onResume={() => upload.resume()} onCancel={() => upload.cancel()} />
      ) : view === "error" ? (
        <views.module.UploaderErrorView state={state} onRetry={() => upload.retry()} onFileSelect={start} />
      ) : (
        <views.module.UploaderReadyView asset={asset} videoTitle={videoTitle} actions={actions} onFileSelect={start} onRemove={onRemove} />
      )}
    </div>
  );
});

/** The progress, error and finished views, loaded while the drop zone shows: the first load carries only the drop zone. */
const uploaderViews = /* @__PURE__ */ lazyModule(() => import("./uploader-views.js"));
