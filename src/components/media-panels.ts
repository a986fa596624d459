// The panels a lesson's ready video brings (captions, chapters, poster frame), loaded by `VideoManager` and
// `LessonForm` with `import()` (see `mediaPanels`): a page creating a lesson, or one without a video yet,
// does not download them with its first load.
export { CaptionsPanel } from "./video/organisms/CaptionsPanel.js";
export { ChaptersEditor } from "./form/molecules/ChaptersEditor.js";
export { PosterFramePicker } from "./video/molecules/PosterFramePicker.js";
