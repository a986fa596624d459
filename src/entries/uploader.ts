/**
 * `lesson-video-kit/uploader`: a page that uploads a video and nothing more (the provider, `VideoUploader`,
 * the hooks that read its upload, and the HTTP transport), the same objects as the root entry exports.
 *
 * The root entry exports every component, so a bundler that keeps every file the entry reaches in the
 * first load when any chunk uses it (esbuild's code splitting) also keeps there the views `VideoUploader`
 * loads on demand. From this entry those views are reached only through `import()`, so they stay out of
 * the first load with every bundler. Vite, webpack and Rollup split the root entry as well.
 *
 * @example
 * import { VideoProvider, VideoUploader, createHttpTransport } from "lesson-video-kit/uploader";
 */
export { VideoProvider, type VideoProviderProps } from "../react/VideoProvider.js";
export type { MuxDataSettings } from "../react/video-context.js";
export { useVideo, type UseVideoResult } from "../react/use-video.js";
export { useUpload, type UseUploadOptions, type UseUploadResult } from "../react/use-upload.js";
export { VideoUploader, type VideoUploaderProps, type VideoUploaderView } from "../components/video/organisms/VideoUploader.js";
export { MessagesProvider, type MessagesProviderProps } from "../components/shared/messages-context.js";
export { KitSettingsProvider, type KitSettingsProviderProps } from "../components/shared/kit-settings.js";
export type { ComponentMessages, MessagesOverride } from "../components/messages.js";
export { createHttpTransport, type HttpTransport, type HttpTransportOptions, type PlaybackTokenResponse } from "../transports/http.js";
export { VideoError, isVideoError } from "../core/errors.js";
export type { UploadLimits, UploadState, VideoAsset, VideoTransport } from "../core/types.js";
