// `npm run size`: the first load a page pays, min+gzip, for the usual imports (build first). A bundler that
// splits code keeps what sits behind a dynamic `import()` out of that load (the player, the stock Mux
// uploader, the asset watcher's polling and server-sent events, the uploader's progress/error/finished
// views, the upload's work: sniffing, fingerprint, chunked sender, resume records), so this config leaves
// dynamic imports out of the count: what a bundler that splits by module (Vite) ships; `npm run bench`
// (bench/bundle-size.mjs) measures real apps with Vite and with esbuild's code splitting. The budgets are
// the figures reached; a change that grows the first load has to move them on purpose (2026-12-07: +60 B for
// the HTTP transport's progress calls, `getProgress`/`saveProgress`, which LessonPlayer's resume and completion use;
// +50 B for the engine's `cancel({ discardAsset })` and the transport's `discardUpload`; +80 B for LessonForm's
// `trim`: the value, the submission, dropping it with a replaced video; TrimEditor and its strings load with the
// media panels, not with the form; +20 B for the transport's `requested` asset settings and the forwarder of
// `getDownloads`, whose code loads with the caption calls; +20 B for file pickers reading the provider's limits,
// `limits.audio`; -2.97 kB for LessonForm: VideoManager's processing bar, and Radix's progress with it, loads with the
// media panels; -1 to -8 B for the others: the chunked sender's `waitForOnline` left online-manager, and the error
// helpers and English error texts joined core/errors; -0.96 to -0.99 kB for each: a run's work after `started`
// (validation, createUpload, the transfer, watching processing, the speed meter) loads with the upload's code).

/** An esbuild plugin: every dynamic `import()` stays an import, loaded later, not bundled into the check. */
const dynamicImportsExternal = {
  name: "dynamic-imports-external",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined));
  },
};

/** @param {import("esbuild").BuildOptions} config */
const initialChunk = (config) => ({ ...config, plugins: [...(config.plugins ?? []), dynamicImportsExternal] });

const reactExternal = ["react", "react-dom", "react/jsx-runtime"];

export default [
  {
    name: "VideoProvider + VideoUploader + createHttpTransport (initial chunk)",
    path: "dist/esm/index.js",
    import: "{ VideoProvider, VideoUploader, createHttpTransport }",
    ignore: reactExternal,
    modifyEsbuildConfig: initialChunk,
    gzip: true,
    limit: "11.86 kB",
  },
  {
    name: "lesson-video-kit/uploader: VideoProvider + VideoUploader + createHttpTransport (initial chunk)",
    path: "dist/esm/entries/uploader.js",
    import: "{ VideoProvider, VideoUploader, createHttpTransport }",
    ignore: reactExternal,
    modifyEsbuildConfig: initialChunk,
    gzip: true,
    limit: "11.86 kB",
  },
  {
    name: "VideoProvider + LessonForm + createHttpTransport (initial chunk)",
    path: "dist/esm/index.js",
    import: "{ VideoProvider, LessonForm, createHttpTransport }",
    ignore: reactExternal,
    modifyEsbuildConfig: initialChunk,
    gzip: true,
    limit: "19.04 kB",
  },
  {
    name: "lesson-video-kit/core: UploadController + AssetWatcher (headless, initial chunk)",
    path: "dist/esm/entries/core.js",
    import: "{ UploadController, AssetWatcher }",
    modifyEsbuildConfig: initialChunk,
    gzip: true,
    limit: "4.38 kB",
  },
];
