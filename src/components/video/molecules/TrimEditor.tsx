"use client";
import { forwardRef, useContext, useEffect, useId, useRef, useState, type CSSProperties, type FieldsetHTMLAttributes, type ReactNode } from "react";
import { formatChapterTime, parseChapterTime } from "../../../core/chapters.js";
import { defaultTrimMinLengthSeconds, validateTrim, type TrimIssue } from "../../../core/trim.js";
import type { VideoAsset, VideoTrim } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { cssAspectRatio } from "../../shared/format.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useAnnounce } from "../../shared/live-announcer.js";
import { posterAtTime } from "../../shared/poster-time.js";
import { useMessagesOver } from "../../shared/messages-context.js";
import { useControllableState } from "../../shared/use-controllable-state.js";
import { defaultSingleMessages, defaultTrimMessages } from "../../default-messages.js";
import { formatMessage, type ComponentMessages, type MessagesOverride, type SingleComponentMessages } from "../../messages.js";
import { FormField } from "../../form/atoms/FormField.js";
import { toVideoError, type VideoError } from "../../../core/errors.js";
import { VideoContext } from "../../../react/video-context.js";
import { ErrorDisplay } from "../atoms/ErrorDisplay.js";

/** `full` (no trim: the whole video plays), `trimmed` (a valid trim) or `invalid` (the edited times cannot be saved). */
export type TrimEditorState = "full" | "trimmed" | "invalid";

/** Props of `TrimEditor`; other `fieldset` attributes go to its root. */
export interface TrimEditorProps extends Omit<FieldsetHTMLAttributes<HTMLFieldSetElement>, "children" | "onChange" | "defaultValue"> {
  /** A ready asset with a `duration`; its `playback.src` (else its poster with `?time=`) gives the preview. */
  asset: VideoAsset;
  /** The trim (controlled); `undefined`: no trim, the whole video plays. */
  value?: VideoTrim | undefined;
  /** Initial trim when uncontrolled. */
  defaultValue?: VideoTrim | undefined;
  /**
   * A new valid trim, or `undefined` when the edit keeps the whole video (or after Reset). Edits that cannot be
   * saved (end before start, shorter than `minLengthSeconds`, past the end) show their message and are not reported.
   */
  onChange?: ((trim: VideoTrim | undefined) => void) | undefined;
  /**
   * Offer "Save as a new video": a frame-accurate new asset cut from the kept part (`transport.createClip`, Mux's
   * clipped asset), instead of trimming at playback; called with that asset (usually `preparing`) and the trim it was
   * cut with (to move chapters and the poster time onto it: `trimChapters`, `trimPosterTime`). The button shows only
   * with this callback, inside a `VideoProvider` whose transport has `createClip`. The uploaded video stays as it is.
   */
  onClipCreated?: ((asset: VideoAsset, trim: VideoTrim) => void) | undefined;
  /** Slider step in seconds. Default 0.1. */
  step?: number | undefined;
  /** Shortest trimmed video in seconds. Default 1. */
  minLengthSeconds?: number | undefined;
  /** Heading of the group; default "Trim". */
  legend?: ReactNode | undefined;
  /** Overrides of this component's strings (the `trim` group), merged over the nearest `MessagesProvider`'s and the defaults. */
  messages?: MessagesOverride | undefined;
  /** Render without the kit's class names (your `className` stays). */
  unstyled?: boolean | undefined;
}

type Handle = "start" | "end";

/** The single components' defaults with the `trim` group, which only this component carries. */
const trimEditorDefaults: SingleComponentMessages & Pick<ComponentMessages, "trim"> = /* @__PURE__ */ Object.assign({}, defaultSingleMessages, {
  trim: defaultTrimMessages,
});

/**
 * Cut the beginning or the end of a lesson video without re-uploading: a start and an end slider over the video's
 * timeline (arrow keys, Page Up/Down, Home/End), time fields (`0:20`, `1:02:03.5`), a preview that shows the frame
 * at the handle being moved, and "Reset to the full video". The band under the sliders shows the kept part. Each
 * problem (not a time, end before start, under `minLengthSeconds`, past the end) shows on its field. The value is
 * a `VideoTrim` (seconds of the uploaded video); players apply it (`VideoPlayer`'s `trim`). `data-state` is a
 * `TrimEditorState`.
 */
export const TrimEditor = /* @__PURE__ */ forwardRef<HTMLFieldSetElement, TrimEditorProps>(function TrimEditor(
  {
    asset,
    value: valueProp,
    defaultValue,
    onChange,
    onClipCreated,
    step = 0.1,
    minLengthSeconds = defaultTrimMinLengthSeconds,
    legend,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...fieldsetProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessagesOver(trimEditorDefaults, messagesProp);
  const announce = useAnnounce();
  const [value, setValue] = useControllableState<VideoTrim | undefined>(valueProp, defaultValue, onChange);
  const duration = asset.duration !== undefined && asset.duration > 0 ? asset.duration : 0;
  const whole = (): VideoTrim => ({ startTime: 0, endTime: duration });
  const [draft, setDraft] = useState<VideoTrim>(() => value ?? whole());
  const [moving, setMoving] = useState<Handle>("start");
  const [touched, setTouched] = useState<Partial<Record<Handle, boolean>>>({});
  const hintId = useId();
  const startSliderId = useId();
  const endSliderId = useId();
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  // "Save as a new video" needs the provider's createClip; without a provider the editor still trims.
  const createClip = useContext(VideoContext)?.transport.createClip;
  const [clipping, setClipping] = useState<{ busy: boolean; error?: VideoError | undefined }>({ busy: false });
  const clipRequest = useRef<AbortController | null>(null);
  useEffect(() => () => clipRequest.current?.abort(), []);

  // A trim set from outside (or a duration that arrived later) replaces the draft; set while rendering.
  const [shown, setShown] = useState({ value, duration });
  if (!sameTrim(shown.value, value) || shown.duration !== duration) {
    setShown({ value, duration });
    if (!sameTrim(value, draft) && !(value === undefined && sameTrim(draft, whole()))) setDraft(value ?? whole());
  }

  const issues = validateTrim(draft, { durationSeconds: duration > 0 ? duration : undefined, minLengthSeconds });
  const issueOf = (field: TrimIssue["field"]) => issues.find((issue) => issue.field === field);
  const problemText = (issue: TrimIssue | undefined) =>
    issue
      ? formatMessage(messages.trim.problems[issue.problem], { duration: formatChapterTime(duration), min: formatChapterTime(minLengthSeconds) }, messages.locale)
      : undefined;
  const isWhole = draft.startTime <= 0 && draft.endTime >= duration - 0.001;
  const state: TrimEditorState = issues.length > 0 ? "invalid" : isWhole ? "full" : "trimmed";

  const commit = (next: VideoTrim) => {
    setDraft(next);
    const nextIssues = validateTrim(next, { durationSeconds: duration > 0 ? duration : undefined, minLengthSeconds });
    if (nextIssues.length > 0) return;
    const keepsAll = next.startTime <= 0 && next.endTime >= duration - 0.001;
    setValue(keepsAll ? undefined : toMilliseconds(next));
  };

  const previewTime = moving === "start" ? finiteOr(draft.startTime, 0) : Math.max(0, finiteOr(draft.endTime, duration) - 0.05);
  useEffect(() => {
    const video = videoRef.current;
    if (video && video.readyState >= 1 && Math.abs(video.currentTime - previewTime) > 0.01) video.currentTime = previewTime;
  }, [previewTime]);

  const clipHintId = useId();
  const offerClip = createClip !== undefined && onClipCreated !== undefined;
  const saveAsClip = async () => {
    if (!createClip || !onClipCreated || clipping.busy || state !== "trimmed") return;
    const trim = toMilliseconds(draft);
    const controller = new AbortController();
    clipRequest.current = controller;
    setClipping({ busy: true });
    try {
      const clip = await createClip(asset.id, trim, { signal: controller.signal });
      if (controller.signal.aborted) return;
      setClipping({ busy: false });
      announce(messages.trim.clipCreated);
      onClipCreated(clip, trim);
    } catch (thrown) {
      if (controller.signal.aborted) return;
      setClipping({ busy: false, error: toVideoError(thrown) });
    }
  };

  const src = asset.playback?.src;
  const previewLabel = formatMessage(messages.trim.previewLabel, { time: formatChapterTime(previewTime) }, messages.locale);
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
        className={kit("lvk-trim__frame")}
        onLoadedMetadata={(event) => {
          event.currentTarget.currentTime = previewTime;
        }}
      />
    );
  } else if (asset.playback?.poster) {
    preview = <img src={posterAtTime(asset.playback.poster, previewTime)} alt={previewLabel} className={kit("lvk-trim__frame")} />;
  }

  const sliderValue = (handle: Handle) => {
    const seconds = handle === "start" ? draft.startTime : draft.endTime;
    return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), duration) : handle === "start" ? 0 : duration;
  };
  const moveSlider = (handle: Handle, seconds: number) => {
    setMoving(handle);
    // A slider never crosses the other handle: it stops `minLengthSeconds` before it.
    const other = handle === "start" ? sliderValue("end") : sliderValue("start");
    const limit = Math.min(minLengthSeconds, duration);
    const clamped = handle === "start" ? Math.min(seconds, Math.max(0, other - limit)) : Math.max(seconds, Math.min(duration, other + limit));
    commit(handle === "start" ? { startTime: clamped, endTime: sliderValue("end") } : { startTime: sliderValue("start"), endTime: clamped });
  };
  const slider = (handle: Handle, id: string) => {
    const time = formatChapterTime(sliderValue(handle));
    const spoken = formatMessage(messages.trim.position, { time, duration: formatChapterTime(duration) }, messages.locale);
    return (
      <div className={kit("lvk-field lvk-trim__handle")} data-handle={handle}>
        <label htmlFor={id} className={kit("lvk-field__label")}>
          {handle === "start" ? messages.trim.startSlider : messages.trim.endSlider}
        </label>
        <input
          id={id}
          type="range"
          name={`trim-${handle}`}
          min={0}
          max={duration}
          step={step}
          value={sliderValue(handle)}
          disabled={duration === 0}
          aria-valuetext={spoken}
          className={kit("lvk-trim__slider")}
          onFocus={() => setMoving(handle)}
          onChange={(event) => moveSlider(handle, Number(event.target.value))}
        />
      </div>
    );
  };

  const kept: CSSProperties = {
    ["--lvk-trim-from" as string]: `${duration > 0 ? (sliderValue("start") / duration) * 100 : 0}%`,
    ["--lvk-trim-to" as string]: `${duration > 0 ? (sliderValue("end") / duration) * 100 : 100}%`,
  };
  const length = Number.isFinite(draft.endTime - draft.startTime) ? Math.max(0, draft.endTime - draft.startTime) : 0;

  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <fieldset
        {...fieldsetProps}
        ref={ref}
        aria-describedby={hintId}
        data-state={state}
        className={componentClassName(unstyled, "lvk-section lvk-trim", className)}
      >
        <legend className={kit("lvk-section__legend")}>{legend ?? messages.trim.heading}</legend>
        <p id={hintId} className={kit("lvk-hint")}>
          {messages.trim.hint}
        </p>
        <div className={kit("lvk-trim__preview")} style={{ aspectRatio: cssAspectRatio(asset.aspectRatio) }} data-handle={moving}>
          {preview}
        </div>
        <div className={kit("lvk-trim__timeline")} style={kept}>
          <div className={kit("lvk-trim__band")} aria-hidden="true" />
          {slider("start", startSliderId)}
          {slider("end", endSliderId)}
        </div>
        <div className={kit("lvk-trim__times")}>
          <FormField label={messages.trim.startTime} error={touched.start ? problemText(issueOf("startTime")) : undefined} className={kit("lvk-trim__time")}>
            {(control) => (
              <TrimTimeInput
                {...control}
                name="trim-start-time"
                seconds={draft.startTime}
                className={kit("lvk-field__control")}
                onFocus={() => setMoving("start")}
                onSeconds={(startTime) => {
                  setMoving("start");
                  commit({ ...draft, startTime });
                }}
                onBlur={() => setTouched((current) => ({ ...current, start: true }))}
              />
            )}
          </FormField>
          <FormField label={messages.trim.endTime} error={touched.end || touched.start ? problemText(issueOf("endTime")) : undefined} className={kit("lvk-trim__time")}>
            {(control) => (
              <TrimTimeInput
                {...control}
                name="trim-end-time"
                seconds={draft.endTime}
                className={kit("lvk-field__control")}
                onFocus={() => setMoving("end")}
                onSeconds={(endTime) => {
                  setMoving("end");
                  commit({ ...draft, endTime });
                }}
                onBlur={() => setTouched((current) => ({ ...current, end: true }))}
              />
            )}
          </FormField>
        </div>
        <p className={kit("lvk-trim__current")} aria-live="polite">
          {state === "full"
            ? messages.trim.full
            : state === "trimmed"
              ? formatMessage(messages.trim.length, { length: formatChapterTime(length), duration: formatChapterTime(duration) }, messages.locale)
              : null}
        </p>
        {clipping.error ? <ErrorDisplay error={clipping.error} title={messages.trim.clipFailed} onRetry={() => void saveAsClip()} /> : null}
        <div className={kit("lvk-actions")}>
          {offerClip ? (
            <button
              type="button"
              data-action="create-clip"
              className={kit("lvk-button")}
              aria-describedby={clipHintId}
              aria-disabled={clipping.busy || undefined}
              disabled={state !== "trimmed"}
              onClick={() => void saveAsClip()}
            >
              {clipping.busy ? messages.trim.creatingClip : messages.trim.createClip}
            </button>
          ) : null}
          <button
            type="button"
            data-action="reset"
            className={kit("lvk-button lvk-button--quiet")}
            disabled={duration === 0 || state === "full"}
            onClick={() => {
              setDraft(whole());
              setTouched({});
              setMoving("start");
              setValue(undefined);
              announce(messages.trim.resetDone);
            }}
          >
            {messages.trim.reset}
          </button>
        </div>
        {offerClip ? (
          <p id={clipHintId} className={kit("lvk-hint")}>
            {messages.trim.createClipHint}
          </p>
        ) : null}
      </fieldset>
    </KitSettingsProvider>
  );
});

interface TrimTimeInputProps {
  id: string;
  name: string;
  "aria-describedby"?: string | undefined;
  "aria-invalid"?: true | undefined;
  seconds: number;
  className?: string | undefined;
  onSeconds: (seconds: number) => void;
  onFocus: () => void;
  onBlur: () => void;
}

/** A text field for a time: keeps what the viewer typed, reports seconds (or `NaN`) as they type. */
function TrimTimeInput({ seconds, onSeconds, ...inputProps }: TrimTimeInputProps) {
  const [text, setText] = useState(() => formatChapterTime(seconds));
  // A time from outside (a slider, Reset) replaces the text unless the text already reads as it.
  const [shownSeconds, setShownSeconds] = useState(seconds);
  if (!Object.is(seconds, shownSeconds)) {
    setShownSeconds(seconds);
    const parsed = parseChapterTime(text);
    const external = Number.isFinite(seconds) ? parsed === null || Math.abs(parsed - seconds) > 0.05 : parsed !== null;
    if (external) setText(formatChapterTime(seconds));
  }
  return (
    <input
      {...inputProps}
      type="text"
      // A clock time reads left to right in every language (and must parse back).
      dir="ltr"
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onSeconds(parseChapterTime(event.target.value) ?? Number.NaN);
      }}
    />
  );
}

function sameTrim(a: VideoTrim | undefined, b: VideoTrim | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Object.is(a.startTime, b.startTime) && Object.is(a.endTime, b.endTime);
}

function finiteOr(seconds: number, fallback: number): number {
  return Number.isFinite(seconds) ? seconds : fallback;
}

/** The trim to the millisecond, as it is reported and sent. */
function toMilliseconds({ startTime, endTime }: VideoTrim): VideoTrim {
  const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
  return { startTime: round(startTime), endTime: round(endTime) };
}
