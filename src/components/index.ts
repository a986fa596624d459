// Components of lesson-video-kit. Every file below is a client component ("use client").
export { defaultMessages } from "./default-messages.js";
export type { ComponentMessages, Locale, LocaleMessages, MessagesOverride, PluralForms, PluralMessage } from "./messages.js";
export { MessagesProvider } from "./shared/messages-context.js";
export { useMessages } from "./shared/use-messages.js";
export type { MessagesProviderProps } from "./shared/messages-context.js";
export { KitSettingsProvider } from "./shared/kit-settings.js";
export type { KitSettingsProviderProps } from "./shared/kit-settings.js";
export { LiveAnnouncer, useAnnounce } from "./shared/live-announcer.js";
export type { Announce, LiveAnnouncerProps } from "./shared/live-announcer.js";
export { formatBytes, formatDuration } from "./shared/format.js";
export { posterAtTime } from "./shared/poster-time.js";

export { UploadButton } from "./video/atoms/UploadButton.js";
export type { UploadButtonProps, UploadButtonState, UploadButtonVariant } from "./video/atoms/UploadButton.js";
export { ProgressBar } from "./video/atoms/ProgressBar.js";
export type { ProgressBarProps } from "./video/atoms/ProgressBar.js";
export { VideoThumbnail } from "./video/atoms/VideoThumbnail.js";
export type { VideoThumbnailProps, VideoThumbnailState } from "./video/atoms/VideoThumbnail.js";
export { ErrorDisplay } from "./video/atoms/ErrorDisplay.js";
export type { DisplayableError, ErrorDisplayProps } from "./video/atoms/ErrorDisplay.js";

export { LanguageSelect, defaultCaptionLanguages, generatedCaptionLanguages, languageName } from "./video/atoms/LanguageSelect.js";
export type { LanguageSelectProps } from "./video/atoms/LanguageSelect.js";
export { CaptionFileInput } from "./video/atoms/CaptionFileInput.js";
export type { CaptionFileInputProps, CaptionFileInputState, CheckedCaptionFile } from "./video/atoms/CaptionFileInput.js";

export { VideoPlayer } from "./video/molecules/VideoPlayer.js";
export type { VideoPlayerMetadata, VideoPlayerOptions, VideoPlayerProps, VideoPlayerState } from "./video/molecules/VideoPlayer.js";
export { VideoDownloads } from "./video/molecules/VideoDownloads.js";
export type { VideoDownloadsProps, VideoDownloadsState } from "./video/molecules/VideoDownloads.js";

export { FormField } from "./form/atoms/FormField.js";
export type { FormFieldControlProps, FormFieldProps } from "./form/atoms/FormField.js";
export { ValidationMessage } from "./form/atoms/ValidationMessage.js";
export type { ValidationMessageProps } from "./form/atoms/ValidationMessage.js";

export { UploadStatus } from "./video/molecules/UploadStatus.js";
export type { UploadStatusProps } from "./video/molecules/UploadStatus.js";
export { UploadForm } from "./video/molecules/UploadForm.js";
export { CaptionTrackList } from "./video/molecules/CaptionTrackList.js";
export type { CaptionTrackListProps } from "./video/molecules/CaptionTrackList.js";
export { PosterFramePicker } from "./video/molecules/PosterFramePicker.js";
export type { PosterFramePickerProps, PosterFramePickerState } from "./video/molecules/PosterFramePicker.js";
export { TrimEditor } from "./video/molecules/TrimEditor.js";
export type { TrimEditorProps, TrimEditorState } from "./video/molecules/TrimEditor.js";
export { CaptionsPanel } from "./video/organisms/CaptionsPanel.js";
export type { CaptionsPanelProps, CaptionsPanelState } from "./video/organisms/CaptionsPanel.js";
export type { UploadFormProps } from "./video/molecules/UploadForm.js";
export { VideoUploader } from "./video/organisms/VideoUploader.js";
export type { VideoUploaderProps, VideoUploaderView } from "./video/organisms/VideoUploader.js";
export { BulkUploader } from "./video/organisms/BulkUploader.js";
export { LessonRecorder, canRecord } from "./video/organisms/LessonRecorder.js";
export { LessonPlayer } from "./video/organisms/LessonPlayer.js";
export type { LessonPlayerProps } from "./video/organisms/LessonPlayer.js";
export type { LessonRecorderProps } from "./video/organisms/LessonRecorder.js";
export type { BulkUploaderProps } from "./video/organisms/BulkUploader.js";
export { LessonInsights } from "./video/organisms/LessonInsights.js";
export type { LessonInsightsProps, LessonInsightsState } from "./video/organisms/LessonInsights.js";
export { VideoManager } from "./video/organisms/VideoManager.js";
export type { VideoManagerProps, VideoManagerState } from "./video/organisms/VideoManager.js";

export { MetadataSection } from "./form/molecules/MetadataSection.js";
export type { LessonMetadata, LessonMetadataErrors, MetadataSectionProps } from "./form/molecules/MetadataSection.js";
export { VideoSection } from "./form/molecules/VideoSection.js";
export { ChaptersEditor } from "./form/molecules/ChaptersEditor.js";
export type { ChaptersEditorProps } from "./form/molecules/ChaptersEditor.js";
export type { VideoSectionProps } from "./form/molecules/VideoSection.js";
export { LessonForm } from "./form/organisms/LessonForm.js";
export type {
  LessonFormProps,
  LessonFormState,
  LessonFormValue,
  LessonSubmission,
  LessonSubmissionUpload,
  LessonSubmitError,
  SavedLesson,
} from "./form/organisms/LessonForm.js";

export { MuxStockUploader } from "./video/organisms/MuxStockUploader.js";
export type { MuxStockUploaderProps } from "./video/organisms/MuxStockUploader.js";
