"use client";
import { forwardRef, useEffect, useRef, useState, type FormHTMLAttributes, type ReactNode, type SubmitEvent } from "react";
import { normalizeChapters, validateChapters } from "../../../core/chapters.js";
import type { Chapter, Lesson, UploadPhase, VideoAsset, VideoTrim } from "../../../core/types.js";
import { useUploadIn } from "../../../react/use-upload.js";
import { componentClassName } from "../../shared/class-names.js";
import { definedProps } from "../../shared/defined-props.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { LiveAnnouncer, useAnnounce } from "../../shared/live-announcer.js";
import { useMessages } from "../../shared/use-messages.js";
import { useLazyModule } from "../../shared/use-lazy-module.js";
import { LazyPart } from "../../shared/lazy-part.js";
import { mediaPanels } from "../../shared/media-panels-loader.js";
import { useControllableState } from "../../shared/use-controllable-state.js";
import { formatMessage, type MessagesOverride, type SingleComponentMessages } from "../../messages.js";
import { ErrorDisplay, type DisplayableError } from "../../video/atoms/ErrorDisplay.js";
import type { VideoPlayerOptions } from "../../video/molecules/VideoPlayer.js";
import { MetadataSection, type LessonMetadata, type LessonMetadataErrors } from "../molecules/MetadataSection.js";
import { VideoSection } from "../molecules/VideoSection.js";

/** What the form edits. `id` present means an existing lesson (edit mode). */
export interface LessonFormValue {
  id?: string | undefined;
  title: string;
  description: string;
  /** The lesson's video, or null. */
  video: VideoAsset | null;
  /** Chapters of the video (edited once the lesson has a video). */
  chapters?: Chapter[] | undefined;
  /** Poster frame in seconds; `undefined` lets the backend pick. */
  thumbnailTime?: number | undefined;
  /** Show captions when the video starts. */
  captionsOnByDefault?: boolean | undefined;
  /**
   * The part of the video learners see (edited with `TrimEditor` once the video is ready); `undefined`: all of it.
   * Replacing the video removes it.
   */
  trim?: VideoTrim | undefined;
}

/** The upload a submission was made with: in flight (`uploading`, `paused`, …) or finished (`processing`, `complete`). */
export interface LessonSubmissionUpload {
  uploadId: string;
  status: UploadPhase;
}

/** What `onSubmit` receives: the `Lesson` fields the form owns, ready to store. */
export interface LessonSubmission {
  id?: string | undefined;
  title: string;
  description: string;
  muxAssetId?: string | undefined;
  muxPlaybackId?: string | undefined;
  videoStatus: Lesson["videoStatus"];
  /**
   * The upload that is the lesson's video: **store it with the lesson** (`lessons.mux_upload_id`), whatever the
   * order of save and upload. It is the form's upload while it runs and after it finished (processing or
   * ready), or the upload the lesson's video came from when the form did not upload one. The webhooks find
   * the lesson by it. `null` when the form knows no upload (no video, or a video given without its
   * `uploadId`): keep what the lesson has.
   */
  uploadId: string | null;
  /**
   * The form's own upload with where it is (`uploading`, `paused`, `processing`, `complete`, `error`), when one
   * was started in this form. Its id equals `uploadId` unless the upload failed (`error`): a failed upload is
   * not the lesson's video.
   */
  upload?: LessonSubmissionUpload | undefined;
  /** Chapters ordered by start time, titles trimmed; present once the value has chapters. */
  chapters?: Chapter[] | undefined;
  /** Poster frame in seconds (`thumbnail_time`), when one was chosen or given. */
  thumbnailTime?: number | undefined;
  /** Present when the value sets it. */
  captionsOnByDefault?: boolean | undefined;
  /**
   * The trim (`trim_start_time`, `trim_end_time`), when the lesson has one; absent: learners see the whole video
   * (store NULLs, so a trim removed with "Reset to the full video" is removed from the lesson too).
   */
  trim?: VideoTrim | undefined;
}

/** What `onSubmit` may resolve with when it created a lesson: the saved lesson's id. */
export interface SavedLesson {
  id: string;
}

/** A save that failed: its message shows in the form; `fieldErrors` show on their fields. */
export interface LessonSubmitError extends DisplayableError {
  fieldErrors?: Partial<Record<keyof LessonMetadata, string>> | undefined;
}

/** `idle`, `submitting`, `saved` (until the next edit) or `error` (the server refused). */
export type LessonFormState = "idle" | "submitting" | "saved" | "error";

export interface LessonFormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, "children" | "onSubmit" | "onChange" | "defaultValue"> {
  /** Controlled value. */
  value?: LessonFormValue | undefined;
  /** Initial value when uncontrolled. */
  defaultValue?: LessonFormValue | undefined;
  onChange?: ((value: LessonFormValue) => void) | undefined;
  /**
   * Saves the lesson; the form waits for the promise and shows a rejection's message. Resolve with the saved
   * lesson (`{ id }`) when creating: the form takes the id, so a second save (e.g. after "Save now, video
   * continues") edits that lesson instead of creating another.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `void` is what lets a handler that returns nothing (`async (lesson) => { await save(lesson); }`) type-check; `undefined` would refuse it
  onSubmit: (lesson: LessonSubmission) => Promise<SavedLesson | void> | SavedLesson | void;
  /** `create` or `edit`; default: `edit` when the value has an `id`. */
  mode?: "create" | "edit" | undefined;
  /** Id sent with uploads (the asset's passthrough); default the value's `id`. */
  lessonId?: string | undefined;
  titleMaxLength?: number | undefined;
  descriptionMaxLength?: number | undefined;
  descriptionRequired?: boolean | undefined;
  /** Offer "Save now, video continues" while an upload runs. Default true; false only disables Save. */
  allowSaveDuringUpload?: boolean | undefined;
  /** Extra content before the buttons (e.g. a Cancel link). */
  footer?: ReactNode | undefined;
  /**
   * How the lesson's video plays in the form (Mux Data `metadata`, `casting`, `playerProps`, …). The value's
   * `thumbnailTime`, `chapters`, `captionsOnByDefault` and `trim` are the lesson's own and win over these.
   */
  player?: VideoPlayerOptions | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

const emptyLesson: LessonFormValue = { title: "", description: "", video: null };

interface ValidationRules {
  titleMaxLength: number;
  descriptionMaxLength: number;
  descriptionRequired: boolean;
}

/** Field errors of a value; empty when it can be saved. */
export function validateLesson(value: LessonMetadata, rules: ValidationRules, messages: SingleComponentMessages): LessonMetadataErrors {
  const errors: LessonMetadataErrors = {};
  const title = value.title.trim();
  if (title === "") errors.title = messages.form.titleRequired;
  else if (value.title.length > rules.titleMaxLength) {
    errors.title = formatMessage(messages.form.fieldTooLong, { field: messages.form.title, count: rules.titleMaxLength }, messages.locale);
  }
  if (rules.descriptionRequired && value.description.trim() === "") {
    errors.description = messages.form.descriptionRequired;
  } else if (value.description.length > rules.descriptionMaxLength) {
    errors.description = formatMessage(messages.form.fieldTooLong, {
      field: messages.form.description,
      count: rules.descriptionMaxLength,
    }, messages.locale);
  }
  return errors;
}

function videoStatusOf(video: VideoAsset | null, uploading: boolean): Lesson["videoStatus"] {
  if (uploading) return "processing";
  if (!video) return "pending";
  if (video.status === "ready") return "ready";
  if (video.status === "errored") return "error";
  return "processing";
}

/**
 * The upload a submission stores: the form's own unless it failed or finished as another video than the lesson's
 * (a clip made from it since: "Save as a new video"), else the one the video came from.
 */
function lessonUploadId(state: { status: UploadPhase; uploadId?: string | undefined; assetId?: string | undefined }, video: VideoAsset | null): string | null {
  const replaced = state.status === "complete" && video !== null && state.assetId !== undefined && state.assetId !== video.id;
  const ownUpload = state.status !== "idle" && state.status !== "error" && !replaced ? state.uploadId : undefined;
  return ownUpload ?? video?.uploadId ?? null;
}

/**
 * Create or edit a lesson: title and description with validation, the video (upload, replace,
 * remove), and Save. Save waits while a video uploads, or offers "Save now, video continues".
 * `onSubmit`'s promise is awaited; a rejection shows in the form. Needs a `VideoProvider`.
 * `data-state` is a `LessonFormState`; the ref reaches the `<form>`.
 */
export const LessonForm = /* @__PURE__ */ forwardRef<HTMLFormElement, LessonFormProps>(function LessonForm(props, ref) {
  return (
    <KitSettingsProvider messages={props.messages} unstyled={props.unstyled}>
      <LiveAnnouncer>
        <LessonFormView {...props} ref={ref} />
      </LiveAnnouncer>
    </KitSettingsProvider>
  );
});

const LessonFormView = /* @__PURE__ */ forwardRef<HTMLFormElement, LessonFormProps>(function LessonFormView(
  {
    value: valueProp,
    defaultValue = emptyLesson,
    onChange,
    onSubmit,
    mode: modeProp,
    lessonId: lessonIdProp,
    titleMaxLength = 120,
    descriptionMaxLength = 5000,
    descriptionRequired = false,
    allowSaveDuringUpload = true,
    footer,
    player,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...formProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  // The poster-frame picker and the chapters editor load with the form (they show once it has a video).
  const panels = useLazyModule(mediaPanels);
  const announce = useAnnounce();
  const [value, setValue] = useControllableState(valueProp, defaultValue, onChange);
  const upload = useUploadIn("<LessonForm>", {});
  const [submitState, setSubmitState] = useState<LessonFormState>("idle");
  const [serverError, setServerError] = useState<LessonSubmitError | null>(null);
  const [touched, setTouched] = useState<Partial<Record<keyof LessonMetadata, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement | null>(null);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);

  const mode = modeProp ?? (value.id ? "edit" : "create");
  const rules = { titleMaxLength, descriptionMaxLength, descriptionRequired };
  const errors = validateLesson(value, rules, messages);
  const fieldErrors = { ...serverError?.fieldErrors };
  const shownErrors: LessonMetadataErrors = {
    title: (submitted || touched.title ? errors.title : undefined) ?? fieldErrors.title,
    description: (submitted || touched.description ? errors.description : undefined) ?? fieldErrors.description,
  };

  const chapterIssues = validateChapters(value.chapters ?? [], { durationSeconds: value.video?.duration });
  const uploadStatus = upload.state.status;
  const uploading = uploadStatus === "validating" || uploadStatus === "requesting" || uploadStatus === "uploading" || uploadStatus === "paused";
  const submitting = submitState === "submitting";

  // Any edit after a save or a refused save returns the form to idle.
  const lastSaved = useRef<LessonFormValue | null>(null);
  useEffect(() => {
    if ((submitState === "saved" || submitState === "error") && lastSaved.current && lastSaved.current !== value) {
      setSubmitState("idle");
    }
  }, [value, submitState]);

  const setRoot = (node: HTMLFormElement | null) => {
    formRef.current = node;
    if (typeof ref === "function") ref(node);
    else if (ref) ref.current = node;
  };

  const save = async (duringUpload: boolean) => {
    setSubmitted(true);
    const problems = Object.keys(errors).length + new Set(chapterIssues.map((issue) => issue.index)).size;
    if (problems > 0) {
      announce(formatMessage(messages.form.errorSummary, { count: problems }, messages.locale));
      // Wait a frame so the error texts exist when the screen reader reads the field's description.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
      return;
    }
    // A new video that finished uploading and is processing wins over the one it replaces.
    const video = (uploadStatus === "processing" ? upload.asset : null) ?? value.video;
    const lesson: LessonSubmission = {
      ...(value.id ? { id: value.id } : {}),
      title: value.title.trim(),
      description: value.description.trim(),
      ...(video ? { muxAssetId: video.id } : {}),
      ...(video?.playbackId ? { muxPlaybackId: video.playbackId } : {}),
      videoStatus: videoStatusOf(duringUpload ? null : video, duringUpload),
      uploadId: lessonUploadId(upload.state, video),
      ...(upload.state.uploadId && uploadStatus !== "idle" ? { upload: { uploadId: upload.state.uploadId, status: uploadStatus } } : {}),
      ...(value.chapters ? { chapters: normalizeChapters(value.chapters) } : {}),
      ...(value.thumbnailTime !== undefined ? { thumbnailTime: value.thumbnailTime } : {}),
      ...(value.captionsOnByDefault !== undefined ? { captionsOnByDefault: value.captionsOnByDefault } : {}),
      ...(value.trim !== undefined && video === value.video ? { trim: value.trim } : {}),
    };
    setServerError(null);
    setSubmitState("submitting");
    lastSaved.current = value;
    try {
      const saved = await onSubmit(lesson);
      // A new lesson's id from the host: later saves edit that lesson instead of creating another.
      const savedId = savedLessonId(saved);
      if (savedId && !lesson.id) {
        setValue((current) => {
          const next = { ...current, id: savedId };
          if (current === lastSaved.current) lastSaved.current = next;
          return next;
        });
      }
      setSubmitState("saved");
      announce(duringUpload ? `${messages.form.saved} ${messages.form.videoContinues}` : messages.form.saved);
    } catch (thrown) {
      const error = toSubmitError(thrown, messages.form.saveFailed);
      setServerError(error);
      setSubmitState("error");
    }
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting || uploading) return;
    void save(false);
  };

  return (
    <form
      {...formProps}
      ref={setRoot}
      noValidate
      aria-busy={submitting || undefined}
      data-state={submitState}
      data-mode={mode}
      className={componentClassName(unstyled, "lvk-form", className)}
      onSubmit={submit}
    >
      <MetadataSection
        value={value}
        onChange={(next) => setValue((current) => ({ ...current, ...next }))}
        onFieldBlur={(field) => setTouched((current) => ({ ...current, [field]: true }))}
        errors={shownErrors}
        titleMaxLength={titleMaxLength}
        descriptionMaxLength={descriptionMaxLength}
        descriptionRequired={descriptionRequired}
      />
      <VideoSection
        asset={value.video}
        onAssetChange={(video) =>
          // A trim is of one video: another video starts whole.
          setValue((current) => (current.trim !== undefined && video?.id !== current.video?.id ? { ...current, video, trim: undefined } : { ...current, video }))
        }
        lessonId={lessonIdProp ?? value.id}
        videoTitle={value.title || undefined}
        player={{ ...player, ...definedProps({ thumbnailTime: value.thumbnailTime, chapters: value.chapters, trim: value.trim }) }}
        captionsOnByDefault={value.captionsOnByDefault}
        onCaptionsOnByDefaultChange={(captionsOnByDefault) => setValue((current) => ({ ...current, captionsOnByDefault }))}
      />
      {value.video || (value.chapters?.length ?? 0) > 0 ? (
        <LazyPart state={panels}>
          {({ ChaptersEditor, PosterFramePicker, LessonTrim }) => (
            <>
              {value.video?.status === "ready" ? (
                <fieldset className={kit("lvk-section")}>
                  <legend className={kit("lvk-section__legend")}>{messages.poster.heading}</legend>
                  <p className={kit("lvk-hint")}>{messages.poster.hint}</p>
                  <PosterFramePicker
                    asset={value.video}
                    value={value.thumbnailTime}
                    onChange={(thumbnailTime) => setValue((current) => ({ ...current, thumbnailTime }))}
                  />
                </fieldset>
              ) : null}
              {value.video?.status === "ready" && (value.video.duration ?? 0) > 0 ? (
                <LessonTrim video={value.video} value={value} setValue={setValue} />
              ) : null}
              <ChaptersEditor
                value={value.chapters ?? []}
                onChange={(chapters) => setValue((current) => ({ ...current, chapters }))}
                durationSeconds={value.video?.duration}
                showAllErrors={submitted}
              />
            </>
          )}
        </LazyPart>
      ) : null}
      <div className={kit("lvk-form__footer")}>
        {serverError ? (
          <ErrorDisplay live error={serverError} title={messages.form.saveFailed} />
        ) : null}
        {uploading ? <p className={kit("lvk-notice")}>{messages.form.waitForUpload}</p> : null}
        {submitState === "saved" ? (
          <p className={kit("lvk-form__saved")}>
            <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" focusable="false">
              <path d="m5 12.5 4.5 4.5L19 7.5" />
            </svg>
            {messages.form.saved}
          </p>
        ) : null}
        <div className={kit("lvk-actions")}>
          <button type="submit" className={kit("lvk-button lvk-button--primary")} disabled={uploading || submitting}>
            {submitting ? messages.form.saving : mode === "edit" ? messages.form.submitEdit : messages.form.submitCreate}
          </button>
          {uploading && allowSaveDuringUpload ? (
            // Enabled once the backend made the upload: a save before that would have no upload id to keep.
            <button type="button" className={kit("lvk-button")} disabled={submitting || !upload.state.uploadId} onClick={() => void save(true)}>
              {messages.form.saveNowVideoContinues}
            </button>
          ) : null}
          {footer}
        </div>
      </div>
    </form>
  );
});

/** The `id` of what `onSubmit` resolved with, when it is a saved lesson (`{ id: string }`). */
function savedLessonId(saved: unknown): string | undefined {
  const id = typeof saved === "object" && saved !== null ? (saved as { id?: unknown }).id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function toSubmitError(thrown: unknown, fallback: string): LessonSubmitError {
  if (typeof thrown === "object" && thrown !== null) {
    const candidate = thrown as Partial<LessonSubmitError>;
    const message = typeof candidate.message === "string" && candidate.message !== "" ? candidate.message : fallback;
    return {
      message,
      ...(typeof candidate.code === "string" ? { code: candidate.code } : {}),
      ...(candidate.fieldErrors ? { fieldErrors: candidate.fieldErrors } : {}),
    };
  }
  return { message: typeof thrown === "string" && thrown !== "" ? thrown : fallback };
}
