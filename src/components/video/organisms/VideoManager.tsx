"use client";
import { forwardRef, useEffect, useId, useRef, useState, type HTMLAttributes } from "react";
import type { CaptionTrack, Chapter, VideoAsset } from "../../../core/types.js";
import { definedProps } from "../../shared/defined-props.js";
import { useAsset } from "../../../react/use-asset.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LiveAnnouncer, useAnnounce } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { mediaPanels } from "../../shared/media-panels-loader.js";
import { useControllableState } from "../../shared/use-controllable-state.js";
import type { MessagesOverride } from "../../messages.js";
import { ErrorDisplay } from "../atoms/ErrorDisplay.js";
import type { VideoPlayerOptions } from "../molecules/VideoPlayer.js";
import { VideoThumbnail } from "../atoms/VideoThumbnail.js";
import { VideoUploader } from "./VideoUploader.js";

/** `empty` (no video), `preparing`, `ready`, `errored`, `replacing` (uploader open), `confirming` (remove?). */
export type VideoManagerState = "empty" | "preparing" | "ready" | "errored" | "replacing" | "confirming";

export interface VideoManagerProps extends Omit<HTMLAttributes<HTMLDivElement>, "children" | "onChange"> {
  /** The lesson's current video (controlled). `null` means none. */
  asset?: VideoAsset | null | undefined;
  /** Initial video when uncontrolled. */
  defaultAsset?: VideoAsset | null | undefined;
  /** Called when the video is replaced, removed, or finishes processing. */
  onAssetChange?: ((asset: VideoAsset | null) => void) | undefined;
  /** Sent with uploads as the asset's passthrough. */
  lessonId?: string | undefined;
  /** Title for the player. */
  videoTitle?: string | undefined;
  /** Ask before removing. Default true. */
  confirmRemove?: boolean | undefined;
  /** Use the provider's shared upload (default) or one of its own. */
  shared?: boolean | undefined;
  /**
   * Show the `CaptionsPanel` (add, list, remove, generate) under a ready video. Default true; it renders
   * nothing anyway when the transport has no caption methods.
   */
  captions?: boolean | undefined;
  /**
   * Show the video's downloadable files and their status under a ready video (Mux static renditions: being made,
   * ready with their size, or not made), for a creator checking what learners can download. Default false. Renders
   * nothing when the transport has no `getDownloads` or the server offers no file; loads with the player's code.
   */
  downloads?: boolean | undefined;
  /**
   * How the ready video plays: a lesson's `thumbnailTime`, `chapters` and `captionsOnByDefault`, and any other
   * `VideoPlayer` option (`casting`, `metadata`, `playerProps`, …), handed to the player whole.
   */
  player?: VideoPlayerOptions | undefined;
  /**
   * Poster frame for the player (a lesson's `thumbnailTime`).
   * @deprecated Use `player={{ thumbnailTime }}`; read only when `player` does not set it.
   */
  thumbnailTime?: number | undefined;
  /**
   * Chapters for the player's chapter menu.
   * @deprecated Use `player={{ chapters }}`; read only when `player` does not set them.
   */
  chapters?: readonly Chapter[] | undefined;
  /**
   * Show captions when the video starts (a lesson's `captionsOnByDefault`).
   * @deprecated Use `player={{ captionsOnByDefault }}`; read only when `player` does not set it.
   */
  captionsOnByDefault?: boolean | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * A lesson's video: what is there now and its status, replace it with a new upload, or remove it after
 * a confirmation. Needs a `VideoProvider`. `data-state` is a `VideoManagerState`.
 */
export const VideoManager = /* @__PURE__ */ forwardRef<HTMLDivElement, VideoManagerProps>(function VideoManager(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <VideoManagerView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

type Mode = "view" | "replacing" | "confirming";

const VideoManagerView = /* @__PURE__ */ forwardRef<HTMLDivElement, VideoManagerProps>(function VideoManagerView(
  {
    asset: assetProp,
    defaultAsset = null,
    onAssetChange,
    lessonId,
    videoTitle,
    confirmRemove = true,
    shared = true,
    captions = true,
    downloads = false,
    player,
    /* eslint-disable @typescript-eslint/no-deprecated -- the deprecated aliases are read here, under `player` */
    thumbnailTime,
    chapters,
    captionsOnByDefault,
    /* eslint-enable @typescript-eslint/no-deprecated */
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...divProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  // The player's and the captions panel's code loads with the manager (they show with a ready video); until it
  // arrives the video's poster stands in for the player, and a processing video shows its hint without the bar.
  const panels = useLazyModule(mediaPanels);
  const announce = useAnnounce();
  const [asset, setAsset] = useControllableState<VideoAsset | null>(assetProp, defaultAsset, onAssetChange);
  const upload = useUploadIn("<VideoManager>", { shared });
  const [mode, setMode] = useState<Mode>("view");
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const questionId = useId();
  const playerOptions: VideoPlayerOptions = { ...definedProps({ thumbnailTime, chapters, captionsOnByDefault }), ...definedProps(player ?? {}) };

  // A video still processing is watched until it is ready or errored; the owner hears about it.
  const watched = useAsset(asset && asset.status === "preparing" ? asset.id : null);
  useEffect(() => {
    if (watched.asset && asset && watched.asset.id === asset.id && watched.asset.status !== asset.status) {
      setAsset({ ...asset, ...watched.asset });
    }
  }, [watched.asset, asset, setAsset]);

  const removeButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement | null>(null);
  const pendingFocus = useRef<"keep" | "remove" | "replace" | "uploader" | null>(null);
  useEffect(() => {
    const target = pendingFocus.current;
    pendingFocus.current = null;
    if (target === "keep") keepButton.current?.focus();
    else if (target === "remove") removeButton.current?.focus();
    else if (target === "replace") replaceButton.current?.focus();
    else if (target === "uploader") rootRef.current?.querySelector<HTMLElement>("button:not([disabled])")?.focus();
  }, [mode, asset]);

  const startReplacing = () => {
    if (upload.state.status === "complete" || upload.state.status === "error") upload.cancel();
    pendingFocus.current = "uploader";
    setMode("replacing");
  };
  const stopReplacing = () => {
    upload.cancel();
    pendingFocus.current = "replace";
    setMode("view");
  };
  const askRemove = () => {
    if (!confirmRemove) return remove();
    pendingFocus.current = "keep";
    setMode("confirming");
  };
  const remove = () => {
    upload.cancel();
    setAsset(null);
    announce(messages.announce.removed);
    pendingFocus.current = "uploader";
    setMode("view");
  };
  const keep = () => {
    pendingFocus.current = "remove";
    setMode("view");
  };
  // The panel's list is the asset's `captions`, so the player shows the tracks that are ready.
  const tracksChanged = (tracks: CaptionTrack[]) =>
    setAsset((current) => (current && JSON.stringify(current.captions ?? []) !== JSON.stringify(tracks) ? { ...current, captions: tracks } : current));
  const uploaded = (next: VideoAsset) => {
    setAsset(next);
    pendingFocus.current = "replace";
    setMode("view");
  };

  const state: VideoManagerState =
    mode === "replacing" ? "replacing" : mode === "confirming" ? "confirming" : !asset ? "empty" : asset.status;

  const setRoot = (node: HTMLDivElement | null) => {
    rootRef.current = node;
    if (typeof ref === "function") ref(node);
    else if (ref) ref.current = node;
  };

  const rootProps = {
    ...divProps,
    ref: setRoot,
    "data-state": state,
    className: componentClassName(unstyled, "lvk-manager", className),
  };

  if (!asset || mode === "replacing") {
    return (
      <div {...rootProps}>
        {!asset && upload.state.status === "idle" ? <p className={kit("lvk-hint")}>{messages.manager.noVideo}</p> : null}
        <VideoUploader
          lessonId={lessonId}
          shared={shared}
          videoTitle={videoTitle}
          onUploaded={uploaded}
        />
        {asset ? (
          <div className={kit("lvk-actions")}>
            <button type="button" className={kit("lvk-button lvk-button--quiet")} onClick={stopReplacing}>
              {messages.manager.cancelReplace}
            </button>
          </div>
        ) : null}
      </div>
    );
  }

  const statusText =
    asset.status === "ready"
      ? messages.manager.ready
      : asset.status === "preparing"
        ? messages.status.processing
        : messages.manager.errored;

  return (
    <div {...rootProps}>
      {asset.status === "ready" && panels.module ? (
        <panels.module.VideoPlayer {...playerOptions} asset={asset} title={videoTitle} />
      ) : (
        <VideoThumbnail
          src={asset.playback?.poster}
          alt={videoTitle ?? messages.player.label}
          aspectRatio={asset.aspectRatio}
        />
      )}
      {asset.status === "preparing" ? (
        <>
          {panels.module ? <panels.module.ProgressBar label={messages.status.processingLabel} value={null} /> : null}
          <p className={kit("lvk-hint")}>{messages.manager.preparing}</p>
        </>
      ) : null}
      {asset.status === "errored" ? (
        <ErrorDisplay
          error={{ code: "processing_failed", message: asset.errors?.[0]?.message ?? messages.errors.processing_failed }}
        />
      ) : null}
      {mode === "confirming" ? (
        <div role="group" aria-labelledby={questionId} className={kit("lvk-confirm")}>
          <p id={questionId} className={kit("lvk-confirm__question")}>
            {messages.manager.confirmRemove}
          </p>
          <div className={kit("lvk-actions")}>
            <button type="button" className={kit("lvk-button lvk-button--danger-solid")} onClick={remove}>
              {messages.manager.confirmRemoveYes}
            </button>
            <button ref={keepButton} type="button" className={kit("lvk-button")} onClick={keep}>
              {messages.manager.confirmRemoveNo}
            </button>
          </div>
        </div>
      ) : (
        <div className={kit("lvk-manager__summary")}>
          <span className={kit("lvk-badge")} data-status={asset.status}>
            {statusText}
          </span>
          <div className={kit("lvk-actions")}>
            <button ref={replaceButton} type="button" className={kit("lvk-button")} onClick={startReplacing}>
              {messages.manager.replace}
            </button>
            <button ref={removeButton} type="button" className={kit("lvk-button lvk-button--danger")} onClick={askRemove}>
              {messages.manager.remove}
            </button>
          </div>
        </div>
      )}
      {/* The player's code could not load: the notice with Retry, unless the captions panel's place shows it. */}
      {asset.status === "ready" && !panels.module && !(captions && mode === "view") ? (
        <LazyPart state={panels}>
          {() => null}
        </LazyPart>
      ) : null}
      {captions && asset.status === "ready" && mode === "view" ? (
        <LazyPart state={panels}>
          {({ CaptionsPanel }) => <CaptionsPanel asset={asset} onTracksChange={tracksChanged} />}
        </LazyPart>
      ) : null}
      {downloads && asset.status === "ready" && mode === "view" && panels.module ? (
        <panels.module.VideoDownloads assetId={asset.id} showStatus />
      ) : null}
    </div>
  );
});
