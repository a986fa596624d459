/**
 * `lesson-video-kit`: React components, the provider and hooks (a client entry: `"use client"`).
 *
 * It re-exports `lesson-video-kit/core` (the same objects, built once: `UploadController`, `VideoError`
 * and `VideoTransport` from either entry are one class and one type), the React layer and the
 * components. Each of the three lists is chosen by hand in its own file, as TanStack's
 * `@tanstack/react-query` re-exports `@tanstack/query-core`; `api/lesson-video-kit.api.md` records the
 * result and `npm test` fails when it changes without that file.
 */
export * from "./entries/core.js";
export * from "./react/index.js";
export * from "./components/index.js";
