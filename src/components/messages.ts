import { defaultErrorMessages } from "../core/messages.js";
import type { VideoErrorCode } from "../core/errors.js";

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
    /** `{attempt}`. */
    retrying: string;
    /** `{sent}` and `{total}`. */
    bytes: string;
    /** `{speed}`, already formatted with its unit. */
    speed: string;
    /** `{time}`. */
    eta: string;
    progressLabel: string;
    processingLabel: string;
    pause: string;
    resume: string;
    cancel: string;
    retry: string;
  };
  announce: {
    /** `{name}`. */
    started: string;
    /** `{percent}`. */
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
    /** Accessible name of the player when the video has no title. */
    label: string;
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
    /** `{field}`. */
    fieldRequired: string;
    /** `{field}` and `{max}`. */
    fieldTooLong: string;
    /** `{count}` and `{max}`. */
    characterCount: string;
    /** `{count}`. */
    errorSummary: string;
    submitCreate: string;
    submitEdit: string;
    saving: string;
    saved: string;
    saveFailed: string;
    waitForUpload: string;
    saveNowVideoContinues: string;
    videoContinues: string;
  };
}

/** A partial `ComponentMessages`, one level deep: override only the strings you need. */
export type MessagesOverride = {
  [K in keyof ComponentMessages]?: ComponentMessages[K] extends string | undefined
    ? ComponentMessages[K]
    : Partial<ComponentMessages[K]>;
};

/** English defaults; error texts are the core's `defaultErrorMessages`. */
export const defaultMessages: ComponentMessages = {
  errors: defaultErrorMessages,
  upload: {
    chooseFile: "Choose a video",
    chooseAnotherFile: "Choose another video",
    dropzoneHint: "Drag a video here or choose a file",
    dropzoneActive: "Drop the video to upload it",
    dropzoneReject: "Only video files can be uploaded",
    constraints: "{types}, up to {size}",
  },
  status: {
    idle: "No upload yet",
    validating: "Checking the file…",
    requesting: "Preparing the upload…",
    uploading: "Uploading",
    paused: "Paused",
    pausedOffline: "Paused: waiting for the connection",
    processing: "Processing the video…",
    complete: "Upload complete",
    error: "Upload failed",
    retrying: "Retrying (attempt {attempt})",
    bytes: "{sent} of {total}",
    speed: "{speed}/s",
    eta: "About {time} left",
    progressLabel: "Upload progress",
    processingLabel: "Processing progress",
    pause: "Pause",
    resume: "Resume",
    cancel: "Cancel upload",
    retry: "Retry",
  },
  announce: {
    started: "Uploading {name}.",
    progress: "{percent}% uploaded.",
    paused: "Upload paused.",
    pausedOffline: "Upload paused until the connection is back.",
    resumed: "Upload resumed.",
    error: "Upload failed. {message}",
    processing: "Upload finished. Processing the video.",
    ready: "The video is ready.",
    cancelled: "Upload cancelled.",
    removed: "Video removed.",
  },
  player: {
    loading: "Loading the video player",
    play: "Play video",
    label: "Lesson video",
  },
  thumbnail: {
    unavailable: "Preview not available",
  },
  manager: {
    heading: "Lesson video",
    noVideo: "This lesson has no video yet.",
    preparing: "The video is processing. It can be played when it is ready.",
    ready: "Ready to play",
    errored: "The video could not be processed.",
    replace: "Replace video",
    cancelReplace: "Keep current video",
    remove: "Remove video",
    confirmRemove: "Remove this video from the lesson?",
    confirmRemoveYes: "Yes, remove it",
    confirmRemoveNo: "No, keep it",
  },
  form: {
    details: "Lesson details",
    title: "Title",
    titleHint: "What learners see in the lesson list.",
    description: "Description",
    descriptionHint: "A few sentences about what the lesson covers.",
    video: "Video",
    videoHint: "",
    required: "required",
    fieldRequired: "Enter a {field}.",
    fieldTooLong: "{field} must be {max} characters or fewer.",
    characterCount: "{count} of {max} characters",
    errorSummary: "{count} fields need attention.",
    submitCreate: "Create lesson",
    submitEdit: "Save changes",
    saving: "Saving…",
    saved: "Lesson saved.",
    saveFailed: "The lesson could not be saved.",
    waitForUpload: "The video is still uploading. Wait for it to finish, or save now and the upload continues.",
    saveNowVideoContinues: "Save now, video continues",
    videoContinues: "The lesson is saved; the video is attached as soon as it finishes.",
  },
};

/** Merges overrides over a base, one level deep; later overrides win. */
export function mergeMessages(
  base: ComponentMessages,
  ...overrides: Array<MessagesOverride | undefined>
): ComponentMessages {
  return mergeOneLevel(base, overrides) as unknown as ComponentMessages;
}

/** Combines partial overrides (outer first) without filling in defaults. */
export function mergeMessageOverrides(...overrides: Array<MessagesOverride | undefined>): MessagesOverride {
  return mergeOneLevel({}, overrides) as MessagesOverride;
}

function mergeOneLevel(base: object, overrides: Array<MessagesOverride | undefined>): Record<string, unknown> {
  let merged = { ...base } as Record<string, unknown>;
  for (const override of overrides) {
    if (!override) continue;
    const next = { ...merged };
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) continue;
      const current = next[key];
      next[key] =
        typeof value === "object" && value !== null && typeof current === "object" && current !== null
          ? { ...current, ...value }
          : value;
    }
    merged = next;
  }
  return merged;
}

/** Fills `{name}` placeholders; unknown placeholders stay as they are. */
export function formatMessage(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
