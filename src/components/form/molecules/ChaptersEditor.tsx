"use client";
import { forwardRef, useEffect, useId, useRef, useState, type FieldsetHTMLAttributes, type ReactNode } from "react";
import { defaultChapterTitleMaxLength, formatChapterTime, parseChapterTime, validateChapters, type ChapterIssue } from "../../../core/chapters.js";
import type { Chapter } from "../../../core/types.js";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useAnnounce } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { useControllableState } from "../../shared/use-controllable-state.js";
import { formatMessage, type MessagesOverride, type SingleComponentMessages } from "../../messages.js";
import { FormField } from "../atoms/FormField.js";

export interface ChaptersEditorProps extends Omit<FieldsetHTMLAttributes<HTMLFieldSetElement>, "children" | "onChange" | "defaultValue"> {
  /** Controlled chapters. A start time that is not a time yet is `NaN` (and reported as `time_invalid`). */
  value?: Chapter[] | undefined;
  /** Initial chapters when uncontrolled. */
  defaultValue?: Chapter[] | undefined;
  onChange?: ((chapters: Chapter[]) => void) | undefined;
  /** The video's duration in seconds: chapters must start before it. */
  durationSeconds?: number | undefined;
  /** Longest title. Default 100. */
  maxTitleLength?: number | undefined;
  /** Show every problem now (e.g. after a submit), not only on fields the viewer left. */
  showAllErrors?: boolean | undefined;
  /** Heading of the group; default "Chapters". */
  legend?: ReactNode | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** The message of a chapter problem, with `{duration}` and `{count}` (the most characters) filled. */
export function chapterProblemMessage(
  issue: ChapterIssue,
  messages: SingleComponentMessages,
  values: { durationSeconds?: number | undefined; maxTitleLength: number },
): string {
  return formatMessage(messages.chapters.problems[issue.problem], {
    duration: values.durationSeconds === undefined ? "" : formatChapterTime(values.durationSeconds),
    count: values.maxTitleLength,
  }, messages.locale);
}

/**
 * Chapters of a lesson video as rows of start time (`1:15`, `1:02:03`) and title: add, edit, remove,
 * all with the keyboard (a new row's time field takes focus; removing focuses the previous row). Each
 * problem (not a time, same start as another, after the end, no title) shows on its field once the
 * viewer leaves it. `data-state` is `empty`, `valid` or `invalid`.
 */
export const ChaptersEditor = /* @__PURE__ */ forwardRef<HTMLFieldSetElement, ChaptersEditorProps>(function ChaptersEditor(
  {
    value: valueProp,
    defaultValue = [],
    onChange,
    durationSeconds,
    maxTitleLength = defaultChapterTitleMaxLength,
    showAllErrors = false,
    legend,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...fieldsetProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const announce = useAnnounce();
  const [chapters, setChapters] = useControllableState(valueProp, defaultValue, onChange);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const hintId = useId();
  const kit = (cls: string) => componentClassName(unstyled, cls, undefined);
  const rootRef = useRef<HTMLFieldSetElement | null>(null);

  // Stable row keys so a row's half-typed time survives edits of other rows; a list that grows or shrinks
  // from outside gains or loses keys at its end (adjusted while rendering, as for any state that follows a prop).
  const [rows, setRows] = useState(() => ({ keys: chapters.map((_, index) => index), next: chapters.length }));
  let keys = rows.keys;
  if (keys.length !== chapters.length) {
    let next = rows.next;
    keys = keys.slice(0, chapters.length);
    while (keys.length < chapters.length) keys.push(next++);
    setRows({ keys, next });
  }

  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    const selector = pendingFocus.current;
    pendingFocus.current = null;
    if (selector) rootRef.current?.querySelector<HTMLElement>(selector)?.focus();
  });

  const issues = validateChapters(chapters, { durationSeconds, maxTitleLength });
  const issueOf = (index: number, field: ChapterIssue["field"]) => issues.find((issue) => issue.index === index && issue.field === field);
  const shown = (index: number, field: ChapterIssue["field"]) => {
    const issue = issueOf(index, field);
    if (!issue || !(showAllErrors || touched[`${keys[index] ?? index}-${field}`])) return undefined;
    return chapterProblemMessage(issue, messages, { durationSeconds, maxTitleLength });
  };

  const update = (index: number, patch: Partial<Chapter>) =>
    setChapters((current) => current.map((chapter, i) => (i === index ? { ...chapter, ...patch } : chapter)));

  const add = () => {
    const last = chapters.reduce((latest, chapter) => (Number.isFinite(chapter.startTime) ? Math.max(latest, chapter.startTime) : latest), -1);
    // A new chapter starts a minute after the last one (inside the video when its length is known).
    let start = last < 0 ? 0 : last + 60;
    if (durationSeconds !== undefined && start >= durationSeconds) start = Math.max(0, Math.floor((last + durationSeconds) / 2));
    pendingFocus.current = `[data-row="${chapters.length}"] input[name="chapter-time"]`;
    setChapters((current) => [...current, { startTime: start, title: "" }]);
  };

  const remove = (index: number) => {
    setRows((current) => ({ ...current, keys: current.keys.filter((_, i) => i !== index) }));
    pendingFocus.current = index > 0 ? `[data-row="${index - 1}"] [data-action="remove"]` : `[data-action="add"]`;
    setChapters((current) => current.filter((_, i) => i !== index));
    announce(formatMessage(messages.chapters.removed, { number: index + 1 }, messages.locale));
  };

  const setRoot = (node: HTMLFieldSetElement | null) => {
    rootRef.current = node;
    if (typeof ref === "function") ref(node);
    else if (ref) ref.current = node;
  };

  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <fieldset
        {...fieldsetProps}
        ref={setRoot}
        aria-describedby={hintId}
        data-state={chapters.length === 0 ? "empty" : issues.length > 0 ? "invalid" : "valid"}
        className={componentClassName(unstyled, "lvk-section lvk-chapters", className)}
      >
        <legend className={kit("lvk-section__legend")}>{legend ?? messages.chapters.heading}</legend>
        <p id={hintId} className={kit("lvk-hint")}>
          {messages.chapters.hint}
        </p>
        {chapters.length === 0 ? <p className={kit("lvk-hint")}>{messages.chapters.none}</p> : null}
        {chapters.length > 0 ? (
          <ol className={kit("lvk-chapters__list")}>
            {chapters.map((chapter, index) => {
              const key = keys[index] ?? index;
              const number = index + 1;
              return (
                <li key={key} data-row={index} className={kit("lvk-chapters__row")}>
                  <FormField
                    label={formatMessage(messages.chapters.time, { number }, messages.locale)}
                    error={shown(index, "startTime")}
                    className={kit("lvk-chapters__time")}
                  >
                    {(control) => (
                      <ChapterTimeInput
                        {...control}
                        seconds={chapter.startTime}
                        className={kit("lvk-field__control")}
                        onSeconds={(startTime) => update(index, { startTime })}
                        onBlur={() => setTouched((current) => ({ ...current, [`${key}-startTime`]: true }))}
                      />
                    )}
                  </FormField>
                  <FormField
                    label={formatMessage(messages.chapters.title, { number }, messages.locale)}
                    error={shown(index, "title")}
                    className={kit("lvk-chapters__title")}
                  >
                    <input
                      type="text"
                      name="chapter-title"
                      autoComplete="off"
                      value={chapter.title}
                      className={kit("lvk-field__control")}
                      onChange={(event) => update(index, { title: event.target.value })}
                      onBlur={() => setTouched((current) => ({ ...current, [`${key}-title`]: true }))}
                    />
                  </FormField>
                  <button
                    type="button"
                    data-action="remove"
                    className={kit("lvk-button lvk-button--quiet lvk-chapters__remove")}
                    onClick={() => remove(index)}
                  >
                    {formatMessage(messages.chapters.remove, { number }, messages.locale)}
                  </button>
                </li>
              );
            })}
          </ol>
        ) : null}
        <div className={kit("lvk-actions")}>
          <button type="button" data-action="add" className={kit("lvk-button")} onClick={add}>
            {messages.chapters.add}
          </button>
        </div>
      </fieldset>
    </KitSettingsProvider>
  );
});

interface ChapterTimeInputProps {
  id: string;
  "aria-describedby"?: string | undefined;
  "aria-invalid"?: true | undefined;
  seconds: number;
  className?: string | undefined;
  onSeconds: (seconds: number) => void;
  onBlur: () => void;
}

/** A text field for a start time: keeps what the viewer typed, reports seconds (or `NaN`) as they type. */
function ChapterTimeInput({ seconds, onSeconds, onBlur, ...inputProps }: ChapterTimeInputProps) {
  const [text, setText] = useState(() => formatChapterTime(seconds));
  // A new time from outside (not the one this text reads as) replaces the text; only a change of `seconds`
  // can make the text stale. Set while rendering, so the stale text never shows.
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
      name="chapter-time"
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
      onBlur={onBlur}
    />
  );
}
