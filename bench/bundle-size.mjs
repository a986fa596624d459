// Measurement 1: bundle size a consumer pays, min+gzip, React external, same esbuild settings for all.
// Each consumer is a small app that renders the library the way its docs show, so tree-shaking keeps
// what a real page keeps. Initial chunk (what the page loads) and lazy chunks (loaded on demand via
// dynamic import, e.g. our player) are reported apart.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { build as tsup } from "tsup";
import { benchTmpDir, repoRoot } from "./lib/paths.mjs";

/**
 * Builds the client entry exactly as the package does (tsup, the settings of tsup.config.ts, no types) into
 * bench scratch space, so the bench measures what an installed copy ships without touching dist/.
 */
export async function buildPackageEntry(outDir) {
  await tsup({
    entry: { index: "src/index.ts" },
    format: ["esm"],
    outDir,
    platform: "browser",
    target: "es2022",
    banner: { js: '"use client";' },
    external: ["react", "react-dom", /^@mux\//, /^@radix-ui\//, "clsx"],
    dts: false,
    sourcemap: false,
    config: false,
    silent: true,
  });
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

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Bundles one consumer; returns min and min+gzip bytes of the initial chunk and of lazy chunks. */
export async function measureConsumer(consumer, workDir, packageEntry) {
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
    alias: { "lesson-video-kit": packageEntry },
    nodePaths: [join(repoRoot, "node_modules")],
  });
  const outputs = result.metafile.outputs;
  const js = Object.keys(outputs).filter((file) => file.endsWith(".js"));
  const entryOut = js.find((file) => outputs[file].entryPoint);
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
  for (const file of initial) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
      const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
      const key = pkg ?? input.replace(/^.*?src\//, "src/").replace(/\/[^/]+$/, "/");
      byInput.set(key, (byInput.get(key) ?? 0) + bytesInOutput);
    }
  }
  sizes.initialByInput = [...byInput].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([input, min]) => ({ input, min }));
  for (const file of js) {
    const bytes = readFileSync(join(repoRoot, file));
    const gz = gzipSize(bytes);
    const kind = initial.has(file) ? "initial" : "lazy";
    sizes[`${kind}Min`] += bytes.length;
    sizes[`${kind}Gzip`] += gz;
    sizes.files.push({ file: relative(dir, join(repoRoot, file)), kind, min: bytes.length, gzip: gz });
  }
  return sizes;
}

export async function run() {
  const workDir = join(benchTmpDir, "bundle-size");
  const packageEntry = await buildPackageEntry(join(workDir, "package"));
  const rows = [];
  for (const consumer of consumers) {
    rows.push({ id: consumer.id, label: consumer.label, ...(await measureConsumer(consumer, workDir, packageEntry)) });
  }
  // The same two consumers bundled from the sources (one module per file + `sideEffects`): what the
  // package would weigh if its build kept modules apart so bundlers could drop unused components.
  const fromSources = [];
  for (const consumer of consumers.filter((c) => c.id.startsWith("ours"))) {
    const sizes = await measureConsumer({ ...consumer, id: `${consumer.id}-sources` }, workDir, join(repoRoot, "src/index.ts"));
    fromSources.push({ id: consumer.id, initialGzip: sizes.initialGzip, initialMin: sizes.initialMin, initialByInput: sizes.initialByInput });
  }
  return { rows, fromSources };
}

