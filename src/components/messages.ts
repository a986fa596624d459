import { inLocale } from "../core/format-number.js";
import { overDefaults } from "../core/over-defaults.js";
import { defaultErrorMessages, type UrlRefusalReason, type VideoErrorCode } from "../core/errors.js";
import type { CaptionIssue } from "../core/caption-messages.js";
import type { ChapterProblem } from "../core/chapters.js";
import type { TrimProblem } from "../core/trim.js";

/**
 * Every string a person reads in the components. English by default; pass a partial object to
 * `VideoProvider` or to any component's `messages` prop to translate or reword. `{name}` placeholders
 * are filled at render time.
 */
export interface ComponentMessages {
  /** BCP 47 locale used for numbers, sizes and durations (default: the browser's). */
  locale?: string | undefined;
  /** One message per error code. */
  errors: Record<VideoErrorCode, string>;
  upload: {
    chooseFile: string;
    chooseAnotherFile: string;
    dropzoneHint: string;
    dropzoneActive: string;
    dropzoneReject: string;
    /** `{types}` and `{size}`. */
    constraints: string;
  };
  status: {
    idle: string;
    validating: string;
    requesting: string;
    uploading: string;
    paused: string;
    pausedOffline: string;
    processing: string;
    complete: string;
    error: string;
    /** Label of a file refused before any byte was sent (not a video, too large, empty); the reason shows below it. */
    refused: string;
    /** `{attempt}`. */
    retrying: string;
    /** `{sent}` and `{total}`. */
    bytes: string;
    /** `{sent}`: bytes sent of a source whose total is not known yet (a stream still being produced). */
    bytesSent: string;
    /** `{speed}`, already formatted with its unit per second (e.g. `2.5 MB/s`). */
    speed: string;
    /** `{time}`. */
    eta: string;
    /** In place of `eta` when less than a second is left. */
    almostDone: string;
    progressLabel: string;
    processingLabel: string;
    /** A part of a component whose code could not load (offline, a new deploy); a Retry follows it. */
    partNotLoaded: string;
    pause: string;
    resume: string;
    cancel: string;
    retry: string;
  };
  announce: {
    /** `{name}`. */
    started: string;
    /** `{percent}`, already formatted (e.g. `42%`). */
    progress: string;
    paused: string;
    pausedOffline: string;
    resumed: string;
    /** `{message}`. */
    error: string;
    processing: string;
    ready: string;
    cancelled: string;
    removed: string;
  };
  player: {
    loading: string;
    /** Button that loads a deferred player. */
    play: string;
    /** `{name}`: that button's accessible name, with the video's title. */
    playTitled: string;
    /** Accessible name of the player when the video has no title. */
    label: string;
    /** Shown above the controls of an audio-only lesson, where a video would be. */
    audioOnly: string;
  };
  thumbnail: {
    unavailable: string;
  };
  manager: {
    heading: string;
    noVideo: string;
    preparing: string;
    ready: string;
    errored: string;
    replace: string;
    cancelReplace: string;
    remove: string;
    /** Question asked before removing. */
    confirmRemove: string;
    confirmRemoveYes: string;
    confirmRemoveNo: string;
  };
  form: {
    details: string;
    title: string;
    titleHint: string;
    description: string;
    descriptionHint: string;
    video: string;
    videoHint: string;
    required: string;
    /** An empty title, and an empty description where one is required: whole sentences, so each language words them. */
    titleRequired: string;
    descriptionRequired: string;
    /** `{field}` and `{count}` (the most characters; plural by it). */
    fieldTooLong: PluralMessage;
    /** `{length}` (typed) of `{count}` (the most; plural by it). */
    characterCount: PluralMessage;
    /** `{count}` (plural). */
    errorSummary: PluralMessage;
    submitCreate: string;
    submitEdit: string;
    saving: string;
    saved: string;
    saveFailed: string;
    waitForUpload: string;
    saveNowVideoContinues: string;
    videoContinues: string;
  };
  /** Caption tracks of a video (`CaptionsPanel`, `CaptionFileInput`, `CaptionTrackList`). `{name}` is a track's name. */
  captions: {
    heading: string;
    hint: string;
    none: string;
    listLabel: string;
    fileLabel: string;
    /** `{size}`. */
    fileHint: string;
    fileChecking: string;
    /** `{name}`, `{count}` (cues; plural) and `{format}`. */
    fileAccepted: PluralMessage;
    language: string;
    closedCaptions: string;
    closedCaptionsHint: string;
    add: string;
    adding: string;
    generateHeading: string;
    generateHint: string;
    generateLanguage: string;
    generate: string;
    generating: string;
    statusPreparing: string;
    statusReady: string;
    statusErrored: string;
    closedCaptionsBadge: string;
    generatedBadge: string;
    remove: string;
    removeLabel: string;
    confirmRemove: string;
    confirmRemoveYes: string;
    confirmRemoveNo: string;
    added: string;
    ready: string;
    errored: string;
    removed: string;
    generateRequested: string;
    loadFailed: string;
    onByDefault: string;
    onByDefaultHint: string;
    /** Messages of refused caption files by `details.reason`, `{line}` first; missing ones fall back to English. */
    issues: { [Issue in CaptionIssue]?: string | undefined };
  };
  /** `ChaptersEditor`. `{number}` is a chapter's position, from 1. */
  chapters: {
    heading: string;
    hint: string;
    none: string;
    time: string;
    title: string;
    add: string;
    remove: string;
    removed: string;
    /** `{duration}` for `time_past_end`, `{count}` (the most characters; plural by it) for `title_too_long`. */
    problems: Record<ChapterProblem, PluralMessage>;
  };
  /** `BulkUploader`: many videos, a folder, a batch resumed after a reload. Placeholders as named. */
  bulk: {
    dropzoneHint: string;
    dropzoneActive: string;
    chooseFiles: string;
    chooseFolder: string;
    listLabel: string;
    /** `{done}` of `{count}` (plural by it). */
    summary: PluralMessage;
    overallProgressLabel: string;
    pauseAll: string;
    resumeAll: string;
    /** `{count}` (plural). */
    retryFailed: PluralMessage;
    /** `{message}`: why the queue is on hold (the quota's message). */
    held: string;
    heldRetry: string;
    /** `{count}` (plural). */
    restored: PluralMessage;
    reopen: string;
    queued: string;
    needsFile: string;
    refused: string;
    cancelled: string;
    /** `{name}`: the accessible name of one file's progress bar. */
    itemProgress: string;
    /** `{name}` in each action's accessible name. */
    pauseItem: string;
    resumeItem: string;
    cancelItem: string;
    retryItem: string;
    removeItem: string;
    uploadNext: string;
    /** `{count}` (plural). */
    announceAdded: PluralMessage;
    /** `{count}` (plural) and `{names}` (a list in the locale's words). */
    announceRefused: PluralMessage;
    /** `{done}`, `{failed}`. */
    announceFinished: string;
    /** `{message}`. */
    announceHeld: string;
    /** "Add from link": the button, the field, its hint, and the form's buttons. */
    addLink: string;
    linkLabel: string;
    linkHint: string;
    linkSubmit: string;
    linkCancel: string;
    /** `{url}`. */
    announceLinkAdded: string;
  };
  /** `LessonRecorder`. `{time}` is a formatted duration. */
  recorder: {
    heading: string;
    camera: string;
    screen: string;
    "screen-camera": string;
    previewLabel: string;
    reviewLabel: string;
    record: string;
    pause: string;
    resume: string;
    stop: string;
    keep: string;
    retake: string;
    cancelPreview: string;
    /** `{time}`. */
    elapsed: string;
    recording: string;
    paused: string;
    stopped: string;
    /** Why it stopped by itself. */
    stoppedMaxDuration: string;
    stoppedMaxBytes: string;
    stoppedTrackEnded: string;
    kept: string;
    /** `{name}` and `{size}`: a recording a store kept from a page that went away. */
    recovered: string;
    recoverUpload: string;
    recoverDownload: string;
    recoverDiscard: string;
    /** The microphone menu: its label, the browser's default one, and none. */
    microphone: string;
    defaultMicrophone: string;
    noMicrophone: string;
    microphoneLevel: string;
    /** `{number}`: a microphone the browser gives no name (before the page may see names). */
    microphoneNumbered: string;
    /** Whether the shared tab's or screen's own sound is recorded (where the browser shared it). */
    systemAudio: string;
    /** The camera bubble's place over the screen, and its four corners. */
    cameraPosition: string;
    "top-left": string;
    "top-right": string;
    "bottom-left": string;
    "bottom-right": string;
    /** Before the countdown's number. */
    countdownLabel: string;
    /** `{count}` seconds (plural): announced once when the countdown starts. */
    countdownStarted: PluralMessage;
    cancelCountdown: string;
    /** After a source could not be opened. */
    tryAgain: string;
    chooseSource: string;
    /** Where this browser cannot record. */
    uploadInstead: string;
  };
  /** `LessonPlayer`: resume, completion, chapters and the transcript. `{time}` is a clock time (`12:34`). */
  learner: {
    /** `{time}`. */
    resumeAt: string;
    startOver: string;
    /** `{time}`. */
    resumeOffer: string;
    completed: string;
    chapters: string;
    transcript: string;
    transcriptLanguage: string;
    transcriptLoading: string;
    transcriptUnavailable: string;
    search: string;
    /** `{current}` and `{count}`. */
    matches: string;
    noMatches: string;
    previousMatch: string;
    nextMatch: string;
    progressSaveFailed: string;
  };
  /** Why a link was refused for import, one per `UrlRefusalReason` (`details.reason` of a `url_refused` error). */
  linkRefusals: Record<UrlRefusalReason, string>;
  /** `PosterFramePicker`. `{time}` and `{duration}` are formatted times. */
  poster: {
    heading: string;
    hint: string;
    scrubLabel: string;
    position: string;
    previewLabel: string;
    use: string;
    current: string;
    none: string;
    reset: string;
    chosen: string;
  };
  /** `TrimEditor`. `{time}`, `{duration}`, `{length}` and `{min}` are formatted times. */
  trim: {
    heading: string;
    hint: string;
    /** The sliders' labels. */
    startSlider: string;
    endSlider: string;
    /** The time fields' labels. */
    startTime: string;
    endTime: string;
    /** `{time}` of `{duration}`: a slider's spoken value. */
    position: string;
    /** `{time}`: the preview's name. */
    previewLabel: string;
    /** `{length}` of `{duration}`. */
    length: string;
    /** No trim: the whole video plays. */
    full: string;
    reset: string;
    /** Announced after Reset. */
    resetDone: string;
    /** The button that makes a new, frame-accurate video of the kept part (`onClipCreated`). */
    createClip: string;
    /** What it does, under the buttons. */
    createClipHint: string;
    /** The button's text while the new video is being made. */
    creatingClip: string;
    /** Announced once the new video exists (it then processes). */
    clipCreated: string;
    /** Heading of the error when the new video could not be made. */
    clipFailed: string;
    /** `{duration}` for `past_end`, `{min}` for `too_short`. */
    problems: Record<TrimProblem, string>;
  };
  /** `VideoDownloads`: an asset's files to download. `{quality}` is e.g. `720p`; `{size}` a formatted size; `{name}` a file's label. */
  downloads: {
    /** The section's accessible name. */
    heading: string;
    loading: string;
    loadFailed: string;
    video: string;
    videoWithSize: string;
    /** `{quality}` of the best file when its height is not known yet. */
    bestQuality: string;
    audio: string;
    audioWithSize: string;
    /** A file the backend is still making (creators see these). */
    preparing: string;
    /** A file the backend will not make (skipped, or failed). */
    unavailable: string;
  };
  /** `LessonInsights`: completion and the drop-off curve of a lesson. Placeholders as named; times are formatted durations. */
  insights: {
    heading: string;
    loading: string;
    /** No learner has started the lesson. */
    empty: string;
    /** Above the error's message when the insights could not be loaded. */
    loadFailed: string;
    started: string;
    completed: string;
    completionRate: string;
    chartHeading: string;
    /** The chart's accessible name: `{duration}`, `{first}` and `{last}` (viewers at the start and at the end). */
    chartSummary: string;
    /** Follows `chartSummary` when viewers drop somewhere: `{count}` viewers (plural) between `{start}` and `{end}`. */
    chartLargestDrop: PluralMessage;
    /** A chapter mark's name: `{title}` and `{time}`. */
    chapterMark: string;
    showTable: string;
    tableCaption: string;
    timeColumn: string;
    viewersColumn: string;
    chapterColumn: string;
    /** A stretch of the video: `{start}` and `{end}`. */
    timeRange: string;
    /** `{viewers}` and `{percent}` (of the learners who started). */
    viewersShare: string;
    /** A chapter that starts in a stretch: `{title}` and `{time}`. */
    chapterStarts: string;
  };
}

/** A partial `ComponentMessages`, one level deep: override only the strings you need (`undefined` keeps the default). */
export type MessagesOverride = {
  [K in keyof ComponentMessages]?:
    | (ComponentMessages[K] extends string | undefined
        ? ComponentMessages[K]
        : { [Key in keyof ComponentMessages[K]]?: ComponentMessages[K][Key] | undefined })
    | undefined;
};

/**
 * The groups the drop zone, the upload's status line and its announcements read: what an idle
 * `VideoUploader` renders with. Kept apart from the other groups so that a page's first load carries
 * only these strings.
 */
export type UploadMessages = Pick<ComponentMessages, "locale" | "errors" | "upload" | "status" | "announce">;

/** The drop zone and upload buttons. */
const uploadGroup: ComponentMessages["upload"] = {
  chooseFile: "Choose a video",
  chooseAnotherFile: "Choose another video",
  dropzoneHint: "Drag a video here or choose a file",
  dropzoneActive: "Drop the video to upload it",
  dropzoneReject: "Only video files can be uploaded",
  constraints: "{types}, up to {size}",
};

/** The status line of an upload. */
const statusGroup: ComponentMessages["status"] = {
  idle: "No upload yet",
  validating: "Checking the file…",
  requesting: "Preparing the upload…",
  uploading: "Uploading",
  paused: "Paused",
  pausedOffline: "Paused: waiting for the connection",
  processing: "Processing the video…",
  complete: "Upload complete",
  error: "Upload failed",
  refused: "File not accepted",
  retrying: "Retrying (attempt {attempt})",
  bytes: "{sent} of {total}",
  bytesSent: "{sent} sent",
  speed: "{speed}",
  eta: "About {time} left",
  almostDone: "Almost done",
  progressLabel: "Upload progress",
  partNotLoaded: "This part of the page could not load. Check the connection, then retry.",
  processingLabel: "Processing progress",
  pause: "Pause",
  resume: "Resume",
  cancel: "Cancel upload",
  retry: "Retry",
};

/** What the live region says as an upload moves on. */
const announceGroup: ComponentMessages["announce"] = {
  started: "Uploading {name}.",
  progress: "{percent} uploaded.",
  paused: "Upload paused.",
  pausedOffline: "Upload paused until the connection is back.",
  resumed: "Upload resumed.",
  error: "Upload failed. {message}",
  processing: "Upload finished. Processing the video.",
  ready: "The video is ready.",
  cancelled: "Upload cancelled.",
  removed: "Video removed.",
};

/** English defaults of `UploadMessages` (also in `defaultMessages`). */
export const defaultUploadMessages: UploadMessages = {
  errors: defaultErrorMessages,
  upload: uploadGroup,
  status: statusGroup,
  announce: announceGroup,
};

/** Merges overrides over a base, one level deep; later overrides win. */
export function mergeMessages<Base extends UploadMessages = ComponentMessages>(
  base: Base,
  ...overrides: Array<MessagesOverride | undefined>
): Base {
  return mergeOneLevel(base, overrides) as unknown as Base;
}

/** Combines partial overrides (outer first) without filling in defaults. */
export function mergeMessageOverrides(...overrides: Array<MessagesOverride | undefined>): MessagesOverride {
  return mergeOneLevel({}, overrides);
}

function mergeOneLevel(base: object, overrides: Array<MessagesOverride | undefined>): Record<string, unknown> {
  let merged = { ...base } as Record<string, unknown>;
  for (const override of overrides) {
    if (!override) continue;
    const next = { ...merged };
    // Plain data at run time, whatever its declared type says (a JavaScript caller may pass null).
    const entries: Array<[string, unknown]> = Object.entries(override);
    for (const [key, value] of entries) {
      if (value === undefined) continue;
      const current = next[key];
      next[key] =
        typeof value === "object" && value !== null && typeof current === "object" && current !== null
          ? overDefaults(current as Record<string, unknown>, value as Record<string, unknown>)
          : value;
    }
    merged = next;
  }
  return merged;
}

/**
 * A message that depends on a number: one text per plural category of the language (`Intl.PluralRules`: `zero`,
 * `one`, `two`, `few`, `many`, `other`), chosen by its `{count}` value. `other` is required; a language uses the
 * categories its rules have (English `one` and `other`; Arabic all six) and falls back to `other`.
 *
 * @example
 * ```ts
 * const added: PluralForms = { one: "{count} video added.", other: "{count} videos added." };
 * ```
 */
export interface PluralForms {
  zero?: string | undefined;
  one?: string | undefined;
  two?: string | undefined;
  few?: string | undefined;
  many?: string | undefined;
  other: string;
}

/** A message that may have plural forms: a plain text, or `PluralForms` chosen by `{count}`. */
export type PluralMessage = string | PluralForms;

/**
 * Fills `{name}` placeholders; unknown placeholders stay as they are. Numbers are written with `Intl.NumberFormat`
 * in `locale` (digit grouping, the locale's digits); a `PluralForms` message picks its form by `values.count` with
 * `Intl.PluralRules` in `locale`. Without `locale`, the runtime's default.
 */
export function formatMessage(template: PluralMessage, values: Record<string, string | number>, locale?: string): string {
  const count = values.count;
  const text = typeof template === "string" ? template : ((typeof count === "number" && template[inLocale(Intl.PluralRules, locale).select(count)]) || template.other);
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    return value === undefined ? whole : typeof value === "number" ? inLocale(Intl.NumberFormat, locale).format(value) : value;
  });
}

/**
 * Every message of the kit in one language, with nothing left out: what a locale module holds. Typed against the
 * English messages, so a missing or an extra key is a type error (the caption file issues too, which overrides may
 * leave out).
 */
export type LocaleMessages = Omit<ComponentMessages, "locale" | "captions"> & {
  captions: Omit<ComponentMessages["captions"], "issues"> & { issues: Record<CaptionIssue, string> };
};

/**
 * One language of the kit: a shipped locale (`import de from "lesson-video-kit/locales/de"`) or your own, for
 * `MessagesProvider`'s `locale`.
 */
export interface Locale {
  /** BCP 47 code: `de`, `pt`, `ar`. Numbers, sizes, durations and plural forms follow it. */
  code: string;
  /** Writing direction: `rtl` for Arabic and Hebrew. */
  dir: "ltr" | "rtl";
  /** Every message, in this language. */
  messages: LocaleMessages;
}

/**
 * The message groups only the components that use them load (`BulkUploader`, `LessonRecorder`, `LessonPlayer`,
 * `LessonInsights`, and `TrimEditor`, which loads with the media panels).
 */
export type OrganismMessageGroups = "bulk" | "linkRefusals" | "recorder" | "learner" | "insights" | "trim" | "downloads";

/** Every group but the organisms' own: what the single-upload components read. */
export type SingleComponentMessages = Omit<ComponentMessages, OrganismMessageGroups>;
