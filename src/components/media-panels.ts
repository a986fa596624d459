// What a lesson's ready video brings (its player, the captions, chapters and poster-frame panels), loaded by
// `VideoManager` and `LessonForm` with `import()` (see `mediaPanels`): a page creating a lesson, or one without a
// video yet, does not download them with its first load. `VideoManager`'s processing bar comes with them too, so
// Radix's progress (which the uploader's views load with theirs) stays out of a lesson form's first load.
export { CaptionsPanel } from "./video/organisms/CaptionsPanel.js";
export { ChaptersEditor } from "./form/molecules/ChaptersEditor.js";
export { PosterFramePicker } from "./video/molecules/PosterFramePicker.js";
export { VideoDownloads } from "./video/molecules/VideoDownloads.js";
export { TrimEditor } from "./video/molecules/TrimEditor.js";
export { VideoPlayer } from "./video/molecules/VideoPlayer.js";
export { LessonTrim } from "./form/molecules/lesson-trim.js";
export { ProgressBar } from "./video/atoms/ProgressBar.js";
