"use client";
import { forwardRef, useEffect, useId, useRef, useState, type HTMLAttributes } from "react";
import type { CaptionTrack } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { languageName } from "../atoms/LanguageSelect.js";

export interface CaptionTrackListProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  tracks: readonly CaptionTrack[];
  /** Removes a track after the viewer confirmed; without it no Remove buttons show. */
  onRemove?: ((track: CaptionTrack) => void | Promise<void>) | undefined;
  /** Id of a track being removed (its buttons are disabled). */
  removingId?: string | undefined;
  /** Ask before removing. Default true. */
  confirmRemove?: boolean | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * The caption tracks of a video: name, language, closed captions or generated, and a status badge
 * (`preparing`, `ready`, `errored` with the reason). Remove asks first. `data-state` is `empty` or `list`;
 * each row's `data-status` is the track's status.
 */
export const CaptionTrackList = /* @__PURE__ */ forwardRef<HTMLDivElement, CaptionTrackListProps>(function CaptionTrackList(
  { tracks, onRemove, removingId, confirmRemove = true, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const [confirming, setConfirming] = useState<string | null>(null);
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);
  const rootRef = useRef<HTMLDivElement | null>(null);
  const pendingFocus = useRef<{ trackId: string; action: "keep" | "remove" } | null>(null);
  const baseId = useId();

  // Focus follows the question: "keep" when it opens, the row's Remove button when it closes.
  useEffect(() => {
    const target = pendingFocus.current;
    pendingFocus.current = null;
    if (!target) return;
    const rows = rootRef.current?.querySelectorAll<HTMLElement>("[data-track-id]") ?? [];
    const row = [...rows].find((element) => element.dataset.trackId === target.trackId);
    row?.querySelector<HTMLElement>(`[data-action="${target.action}"]`)?.focus();
  }, [confirming]);

  const ask = (track: CaptionTrack) => {
    if (!confirmRemove) return void onRemove?.(track);
    pendingFocus.current = { trackId: track.id, action: "keep" };
    setConfirming(track.id);
  };
  const keep = (track: CaptionTrack) => {
    pendingFocus.current = { trackId: track.id, action: "remove" };
    setConfirming(null);
  };
  const remove = (track: CaptionTrack) => {
    setConfirming(null);
    void onRemove?.(track);
  };

  const statusText = (track: CaptionTrack) =>
    track.status === "ready"
      ? messages.captions.statusReady
      : track.status === "errored"
        ? messages.captions.statusErrored
        : messages.captions.statusPreparing;

  const setRoot = (node: HTMLDivElement | null) => {
    rootRef.current = node;
    if (typeof ref === "function") ref(node);
    else if (ref) ref.current = node;
  };

  return (
    <div {...divProps} ref={setRoot} data-state={tracks.length === 0 ? "empty" : "list"} className={componentClassName(unstyled, "lvk-tracks", className)}>
      {tracks.length === 0 ? (
        <p className={kit("lvk-hint")}>{messages.captions.none}</p>
      ) : (
        <ul aria-label={messages.captions.listLabel} className={kit("lvk-tracks__list")}>
          {tracks.map((track, index) => {
            const questionId = `${baseId}-${index}`;
            const language = languageName(track.languageCode, messages.locale);
            return (
              <li key={track.id} data-track-id={track.id} data-status={track.status} className={kit("lvk-tracks__item")}>
                <div className={kit("lvk-tracks__row")}>
                  <span className={kit("lvk-tracks__name")}>
                    {track.name}
                    {track.name !== language ? <span className={kit("lvk-tracks__language")}>{` (${language})`}</span> : null}
                  </span>
                  <span className={kit("lvk-tracks__badges")}>
                    {track.closedCaptions ? <span className={kit("lvk-badge")}>{messages.captions.closedCaptionsBadge}</span> : null}
                    {track.source === "generated" ? <span className={kit("lvk-badge")}>{messages.captions.generatedBadge}</span> : null}
                    <span className={kit("lvk-badge")} data-status={track.status}>
                      {statusText(track)}
                    </span>
                  </span>
                  {onRemove && confirming !== track.id ? (
                    <button
                      type="button"
                      data-action="remove"
                      className={kit("lvk-button lvk-button--danger lvk-button--small")}
                      aria-label={formatMessage(messages.captions.removeLabel, { name: track.name }, messages.locale)}
                      disabled={removingId === track.id}
                      onClick={() => ask(track)}
                    >
                      {messages.captions.remove}
                    </button>
                  ) : null}
                </div>
                {track.status === "errored" && track.error ? <p className={kit("lvk-tracks__error")}>{track.error.message}</p> : null}
                {confirming === track.id ? (
                  <div role="group" aria-labelledby={questionId} className={kit("lvk-confirm")}>
                    <p id={questionId} className={kit("lvk-confirm__question")}>
                      {formatMessage(messages.captions.confirmRemove, { name: track.name }, messages.locale)}
                    </p>
                    <div className={kit("lvk-actions")}>
                      <button type="button" className={kit("lvk-button lvk-button--danger-solid")} onClick={() => remove(track)}>
                        {messages.captions.confirmRemoveYes}
                      </button>
                      <button type="button" data-action="keep" className={kit("lvk-button")} onClick={() => keep(track)}>
                        {messages.captions.confirmRemoveNo}
                      </button>
                    </div>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
});
