// Measurement 1: bundle size a consumer pays, min+gzip, React external, with two bundlers: esbuild (the
// same settings for all) and Vite's production build (Rolldown). Each consumer is a small app that renders
// the library the way its docs show, so tree-shaking keeps what a real page keeps. Initial chunk (what the
// page loads) and lazy chunks (loaded on demand via dynamic import, e.g. our player) are reported apart.
// Two bundlers because they split code differently: esbuild puts a whole file in a chunk the entry imports
// when it is reachable from the entry's import statements and live anywhere, while Rolldown places modules
// by the entries that actually use them, so under Vite `import()` moves code out of the first load as long
// as the bundler gets the modules apart (see `fromSources`: the package build hands it pre-merged chunks).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { build as tsup } from "tsup";
import { build as viteBuild } from "vite";
import { bundleLazyChunks, expandStarExports } from "../scripts/esm-build.mjs";
import { benchTmpDir, repoRoot } from "./lib/paths.mjs";

/**
 * Builds the ESM client entry exactly as the package does (tsup, the settings of tsup.config.ts: one file per
 * source module, `export *` of the root written out, lazy modules bundled, `"use client"` on the client entries; no types) into bench scratch space, so the bench measures what an installed copy ships
 * without touching dist/.
 */
export async function buildPackageEntry(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  await tsup({
    entry: ["src/**/*.ts", "src/**/*.tsx", "!src/**/*.d.ts"],
    format: ["esm"],
    bundle: false,
    outDir,
    platform: "neutral",
    target: "es2022",
    external: ["react", "react-dom", /^@mux\//, /^@radix-ui\//, "clsx", /^node:/],
    dts: false,
    sourcemap: false,
    config: false,
    silent: true,
  });
  await expandStarExports(join(outDir, "index.js"));
  await bundleLazyChunks(outDir, { sourcemap: false });
  for (const client of ["index.js", "entries/uploader.js"]) {
    const file = join(outDir, client);
    writeFileSync(file, `"use client";\n${readFileSync(file, "utf8")}`);
  }
  return join(outDir, "index.js");
}


/** The consumer apps. `ours` resolves `lesson-video-kit` to the package build, as an installed copy would. */
export const consumers = [
  {
    id: "ours-uploader",
    label: "lesson-video-kit: VideoProvider + VideoUploader",
    source: `
import { VideoProvider, VideoUploader, createHttpTransport } from "lesson-video-kit";
const transport = createHttpTransport({ baseUrl: "/api/video" });
export function App() {
  return <VideoProvider transport={transport}><VideoUploader /></VideoProvider>;
}`,
  },
  {
    id: "ours-uploader-entry",
    label: "lesson-video-kit/uploader: VideoProvider + VideoUploader",
    source: `
import { VideoProvider, VideoUploader, createHttpTransport } from "lesson-video-kit/uploader";
const transport = createHttpTransport({ baseUrl: "/api/video" });
export function App() {
  return <VideoProvider transport={transport}><VideoUploader /></VideoProvider>;
}`,
  },
  {
    id: "ours-lessonform",
    label: "lesson-video-kit: VideoProvider + LessonForm",
    source: `
import { VideoProvider, LessonForm, createHttpTransport } from "lesson-video-kit";
const transport = createHttpTransport({ baseUrl: "/api/video" });
export function App() {
  return <VideoProvider transport={transport}><LessonForm onSubmit={(lesson) => console.log(lesson)} /></VideoProvider>;
}`,
  },
  {
    id: "mux-uploader-react",
    label: "@mux/mux-uploader-react",
    source: `
import MuxUploader from "@mux/mux-uploader-react";
export function App() {
  return <MuxUploader endpoint={() => fetch("/api/upload").then((r) => r.text())} onSuccess={() => console.log("done")} />;
}`,
  },
  {
    id: "uppy",
    label: "@uppy/core + @uppy/react + @uppy/dashboard + @uppy/tus",
    source: `
import { useState } from "react";
import Uppy from "@uppy/core";
import Tus from "@uppy/tus";
// Uppy 4 docs: import the component file, the barrel re-exports plugins the app may not install.
import Dashboard from "@uppy/react/lib/Dashboard.js";
export function App() {
  const [uppy] = useState(() => new Uppy({ restrictions: { allowedFileTypes: ["video/*"] } }).use(Tus, { endpoint: "/files/" }));
  return <Dashboard uppy={uppy} />;
}`,
  },
  {
    id: "dropzone-upchunk",
    label: "react-dropzone + @mux/upchunk",
    source: `
import { useDropzone } from "react-dropzone";
import { useState } from "react";
import * as UpChunk from "@mux/upchunk";
export function App() {
  const [progress, setProgress] = useState(0);
  const { getRootProps, getInputProps } = useDropzone({
    accept: { "video/*": [] },
    onDrop: async ([file]) => {
      const endpoint = await fetch("/api/upload").then((r) => r.text());
      UpChunk.createUpload({ endpoint, file }).on("progress", (e) => setProgress(e.detail));
    },
  });
  return <div {...getRootProps()}><input {...getInputProps()} /><progress value={progress} max={100} /></div>;
}`,
  },
  {
    id: "filepond",
    label: "filepond + react-filepond",
    source: `
import { FilePond } from "react-filepond";
export function App() {
  return <FilePond server="/api/upload" acceptedFileTypes={["video/*"]} />;
}`,
  },
];

/** The settings every consumer is built with. */
export const esbuildSettings = {
  bundle: true,
  format: "esm",
  splitting: true,
  minify: true,
  platform: "browser",
  target: "es2022",
  jsx: "automatic",
  external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime", "react/jsx-dev-runtime"],
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".css": "empty" },
  legalComments: "none",
  logLevel: "silent",
};

const reactExternal = esbuildSettings.external;

/**
 * The Vite production build every consumer gets: the app file as the input (no HTML), its exports kept as
 * esbuild keeps them, React external, minified, Vite's default browser target, a manifest to read the
 * chunk graph from. No config file, `.env` or public folder is read; the root is the consumer's folder
 * inside the repository, so packages resolve from the repository's node_modules as they would in an app.
 */
/** `lesson-video-kit/uploader` next to the root entry: the package build mirrors `src/` (index → entries/uploader). */
const uploaderEntryOf = (packageEntry) => join(dirname(packageEntry), "entries", `uploader${extname(packageEntry)}`);

export function viteSettings({ dir, entry, outDir, packageEntry }) {
  return {
    configFile: false,
    envFile: false,
    publicDir: false,
    root: dir,
    cacheDir: join(dir, ".vite-cache"),
    mode: "production",
    logLevel: "error",
    define: { "process.env.NODE_ENV": '"production"' },
    oxc: { jsx: { runtime: "automatic" } },
    resolve: {
      alias: [
        { find: /^lesson-video-kit\/uploader$/, replacement: uploaderEntryOf(packageEntry) },
        { find: /^lesson-video-kit$/, replacement: packageEntry },
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      manifest: true,
      minify: true,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: { input: entry, preserveEntrySignatures: "strict", external: reactExternal },
    },
  };
}

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

// Vite wraps each dynamic `import()` in its preload helper (it preloads the lazy chunk's own imports and
// fires `vite:preloadError`); the helper lands in a chunk of the first load.
const preloadHelperMark = "vite:preloadError";

/**
 * Bundles one consumer; returns min and min+gzip bytes of the initial chunk and of lazy chunks. With
 * `modules`, also every input file of the initial chunks with its minified bytes (`initialModules`).
 */
export async function measureConsumer(consumer, workDir, packageEntry, { modules = false } = {}) {
  const dir = join(workDir, consumer.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "app.jsx");
  writeFileSync(entry, consumer.source);
  const outdir = join(dir, "out");
  const result = await build({
    ...esbuildSettings,
    entryPoints: [entry],
    outdir,
    metafile: true,
    absWorkingDir: repoRoot,
    alias: { "lesson-video-kit": packageEntry, "lesson-video-kit/uploader": uploaderEntryOf(packageEntry) },
    nodePaths: [join(repoRoot, "node_modules")],
  });
  const outputs = result.metafile.outputs;
  const js = Object.keys(outputs).filter((file) => file.endsWith(".js"));
  // The app's own chunk: esbuild also marks the target of each `import()` as an entry point (`entryPoint` set),
  // so match the app file, not just any entry.
  const entryOut = js.find((file) => outputs[file].entryPoint && join(repoRoot, outputs[file].entryPoint) === entry);
  // Initial: the entry chunk and every chunk it imports statically (transitively).
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === "import-statement" && !imp.external) visit(imp.path);
  };
  visit(entryOut);
  const sizes = { initialMin: 0, initialGzip: 0, lazyMin: 0, lazyGzip: 0, files: [], initialByInput: [] };
  // What fills the initial chunk, by npm package or source folder (minified bytes).
  const byInput = new Map();
  const initialModules = [];
  for (const file of initial) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
      initialModules.push({ module: input, min: bytesInOutput });
      const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
      const key = pkg ?? input.replace(/^.*?src\//, "src/").replace(/\/[^/]+$/, "/");
      byInput.set(key, (byInput.get(key) ?? 0) + bytesInOutput);
    }
  }
  sizes.initialByInput = [...byInput].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([input, min]) => ({ input, min }));
  // esbuild emits a chunk for every `import()` in the modules it includes, even when the code holding the
  // `import()` is dropped: nothing loads such a chunk (`unreachable`), but it counts in the lazy total.
  const imported = new Set(js.flatMap((file) => outputs[file].imports.map((imp) => imp.path)));
  for (const file of js) {
    const bytes = readFileSync(join(repoRoot, file));
    const gz = gzipSize(bytes);
    const kind = initial.has(file) ? "initial" : "lazy";
    sizes[`${kind}Min`] += bytes.length;
    sizes[`${kind}Gzip`] += gz;
    const unreachable = kind === "lazy" && !imported.has(file);
    sizes.files.push({ file: relative(dir, join(repoRoot, file)), kind, min: bytes.length, gzip: gz, ...(unreachable ? { unreachable } : {}) });
  }
  return modules ? { ...sizes, initialModules } : sizes;
}

/**
 * Builds one consumer with Vite; returns min and min+gzip bytes of the initial chunks (the manifest's entry
 * and every chunk it imports, transitively) and of the rest (lazy), JS only. With `modules`, also the files
 * (repository-relative) whose code went into lazy chunks (`lazyModules`).
 */
export async function measureConsumerWithVite(consumer, workDir, packageEntry, { modules = false } = {}) {
  const dir = join(workDir, consumer.id);
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "app.jsx");
  writeFileSync(entry, consumer.source);
  const outDir = join(dir, "vite-out");
  const output = await viteBuild(viteSettings({ dir, entry, outDir, packageEntry }));
  const manifest = JSON.parse(readFileSync(join(outDir, ".vite", "manifest.json"), "utf8"));
  const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
  const initial = new Set();
  const visit = (key) => {
    if (initial.has(manifest[key].file)) return;
    initial.add(manifest[key].file);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entryKey);
  const js = readdirSync(outDir, { recursive: true }).filter((file) => file.endsWith(".js"));
  const sizes = { initialMin: 0, initialGzip: 0, lazyMin: 0, lazyGzip: 0, files: [] };
  for (const file of js) {
    const bytes = readFileSync(join(outDir, file));
    const gz = gzipSize(bytes);
    const kind = initial.has(file) ? "initial" : "lazy";
    sizes[`${kind}Min`] += bytes.length;
    sizes[`${kind}Gzip`] += gz;
    sizes.files.push({ file, kind, min: bytes.length, gzip: gz, ...(bytes.includes(preloadHelperMark) ? { preloadHelper: true } : {}) });
  }
  if (!modules) return sizes;
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output).filter((chunk) => chunk.type === "chunk");
  const lazyModules = chunks
    .filter((chunk) => !initial.has(chunk.fileName))
    .flatMap((chunk) => chunk.moduleIds)
    .filter((id) => id.startsWith(repoRoot))
    .map((id) => relative(repoRoot, id));
  return { ...sizes, lazyModules };
}

export async function run() {
  const workDir = join(benchTmpDir, "bundle-size");
  const packageEntry = await buildPackageEntry(join(workDir, "package"));
  const rows = [];
  for (const consumer of consumers) {
    const esbuildSizes = await measureConsumer(consumer, workDir, packageEntry);
    rows.push({ id: consumer.id, label: consumer.label, ...esbuildSizes, vite: await measureConsumerWithVite(consumer, workDir, packageEntry) });
  }
  // The same two consumers bundled from the sources (one module per file + `sideEffects`): what the
  // package would weigh if its build kept modules apart so bundlers could drop unused components or, under
  // Vite, move them to the chunks that use them. `esbuildInitialViteLazy`: the files esbuild puts in the
  // first load that Rolldown loads on demand (what esbuild's whole-file reachability costs).
  const fromSources = [];
  for (const consumer of consumers.filter((c) => c.id.startsWith("ours"))) {
    const sourcesConsumer = { ...consumer, id: `${consumer.id}-sources` };
    const sourcesEntry = join(repoRoot, "src/index.ts");
    const { initialModules, ...sizes } = await measureConsumer(sourcesConsumer, workDir, sourcesEntry, { modules: true });
    const { lazyModules, ...vite } = await measureConsumerWithVite(sourcesConsumer, workDir, sourcesEntry, { modules: true });
    const viteLazy = new Set(lazyModules);
    fromSources.push({
      id: consumer.id,
      initialGzip: sizes.initialGzip,
      initialMin: sizes.initialMin,
      initialByInput: sizes.initialByInput,
      vite: { initialMin: vite.initialMin, initialGzip: vite.initialGzip, lazyGzip: vite.lazyGzip, files: vite.files },
      esbuildInitialViteLazy: initialModules.filter((m) => viteLazy.has(m.module) && m.min > 0).sort((a, b) => b.min - a.min),
    });
  }
  return { rows, fromSources };
}

