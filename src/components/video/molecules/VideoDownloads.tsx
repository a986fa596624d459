"use client";
import { forwardRef, useEffect, useState, type HTMLAttributes } from "react";
import { toVideoError, type VideoError } from "../../../core/errors.js";
import type { VideoDownload } from "../../../core/types.js";
import { useVideoClient } from "../../../react/video-context.js";
import { componentClassName } from "../../shared/class-names.js";
import { formatBytes } from "../../shared/format.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useAllMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { ErrorDisplay } from "../atoms/ErrorDisplay.js";

/** What `VideoDownloads` shows: `loading`, `ready` (the files, some maybe still being made), `error`. */
export type VideoDownloadsState = "loading" | "ready" | "error";

/** Props of `VideoDownloads`; other attributes go to its root `section`. */
export interface VideoDownloadsProps extends Omit<HTMLAttributes<HTMLElement>, "children"> {
  /** The asset whose files are offered. */
  assetId: string;
  /** Which kinds of file to offer. Default both: the video (MP4) and its audio (M4A). */
  kinds?: readonly VideoDownload["kind"][] | undefined;
  /** Show files still being made and those the backend will not make (for creators). Default false: ready files only. */
  showStatus?: boolean | undefined;
  /** How often to ask again while a file is being made, ms. Default 5000. */
  pollIntervalMs?: number | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * Download links for an asset's files (Mux static renditions): the video as MP4 and its audio as M4A, each with its
 * size, through the provider's `transport.getDownloads` (the routes hand a URL only to whom the host's `canDownload`
 * allows, with a playback token where playback is signed). Asks again while a file is being made. Renders nothing
 * when the transport has no downloads, the user may not download, or no file is ready (unless `showStatus`).
 */
export const VideoDownloads = /* @__PURE__ */ forwardRef<HTMLElement, VideoDownloadsProps>(function VideoDownloads(props, ref) {
  const { transport } = useVideoClient("<VideoDownloads>");
  if (!transport.getDownloads) return null;
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <VideoDownloadsView {...props} ref={ref} />
    </KitSettingsProvider>
  );
});

const VideoDownloadsView = /* @__PURE__ */ forwardRef<HTMLElement, VideoDownloadsProps>(function VideoDownloadsView(
  { assetId, kinds = ["video", "audio"], showStatus = false, pollIntervalMs = 5000, messages: messagesProp, unstyled: unstyledProp, className, ...sectionProps },
  ref,
) {
  const { transport } = useVideoClient("<VideoDownloads>");
  const allMessages = useAllMessages(messagesProp);
  const messages = allMessages.downloads;
  const unstyled = useUnstyled(unstyledProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const [files, setFiles] = useState<VideoDownload[] | undefined>(undefined);
  const [error, setError] = useState<VideoError | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const getDownloads = transport.getDownloads;
    if (!getDownloads) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const listed = await getDownloads.call(transport, assetId, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setFiles(listed);
        setError(undefined);
        if (listed.some((file) => file.status === "preparing")) timer = setTimeout(() => void load(), pollIntervalMs);
      } catch (thrown) {
        if (controller.signal.aborted) return;
        const failure = toVideoError(thrown);
        // Not found is also what a user who may not download gets: nothing to offer.
        if (failure.code === "not_found") setFiles([]);
        else setError(failure);
      }
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [transport, assetId, pollIntervalMs, attempt]);

  const offered = (files ?? []).filter((file) => kinds.includes(file.kind) && (showStatus || file.status === "ready"));
  if (!error && files !== undefined && offered.length === 0) return null;
  const state: VideoDownloadsState = error ? "error" : files === undefined ? "loading" : "ready";
  const label = (file: VideoDownload): string => {
    const size = file.size === undefined ? undefined : formatBytes(file.size, allMessages.locale);
    if (file.kind === "audio") return size ? formatMessage(messages.audioWithSize, { size }, allMessages.locale) : messages.audio;
    const quality = file.height !== undefined ? `${file.height}p` : file.resolution === "highest" ? messages.bestQuality : file.resolution;
    return size ? formatMessage(messages.videoWithSize, { quality, size }, allMessages.locale) : formatMessage(messages.video, { quality }, allMessages.locale);
  };
  return (
    <section {...sectionProps} ref={ref} aria-label={messages.heading} data-state={state} className={componentClassName(unstyled, "lvk-downloads", className)}>
      {state === "loading" ? <p className={kit("lvk-downloads__loading")}>{messages.loading}</p> : null}
      {error ? <ErrorDisplay error={error} title={messages.loadFailed} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {state === "ready" ? (
        <ul className={kit("lvk-downloads__list")}>
          {offered.map((file) => (
            <li key={file.name} className={kit("lvk-downloads__item")} data-status={file.status}>
              {file.status === "ready" && file.url ? (
                <a className={kit("lvk-button lvk-downloads__link")} href={file.url} download={file.name}>
                  {label(file)}
                </a>
              ) : (
                <span className={kit("lvk-downloads__pending")}>
                  {formatMessage(file.status === "preparing" ? messages.preparing : messages.unavailable, { name: label(file) }, allMessages.locale)}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
});
