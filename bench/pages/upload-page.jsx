// The browser side of the upload benchmarks (throughput, heap, React commits). Bundled by esbuild with
// React's production build (react-dom's profiling variant, so <Profiler> reports commits) and served by the
// bench stack on the same origin as createVideoRoutes. Node drives it through `window.bench` (Playwright).
import MuxUploader from "@mux/mux-uploader-react";
import * as UpChunk from "@mux/upchunk";
import { Profiler, useState } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { createFetchRequester } from "../../src/core/chunk-requester.ts";
import { sendChunks } from "../../src/core/chunked-sender.ts";
import { VideoUploader } from "../../src/components/video/organisms/VideoUploader.tsx";
import { VideoProvider } from "../../src/react/VideoProvider.tsx";
import { useVideoClient } from "../../src/react/video-context.ts";
import { createHttpTransport } from "../../src/transports/http.ts";

let currentFile = null;

/** Upload URL: a new direct upload at the emulator (through the routes), or the stack's discard sink. */
async function uploadUrl(target) {
  if (target === "sink") return `/__sink/${crypto.randomUUID()}`;
  return (await createUpload(currentFile)).url;
}

async function createUpload(file) {
  const response = await fetch("/api/video/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ file: { name: file.name, size: file.size, type: file.type } }),
  });
  if (!response.ok) throw new Error(`POST /uploads answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const seconds = (start) => (performance.now() - start) / 1000;

/** Our chunked sender alone (core `sendChunks`, XHR per chunk); its own adaptive chunk size unless one is given. */
async function ours({ chunkSize, target }) {
  const url = await uploadUrl(target);
  const start = performance.now();
  await sendChunks(currentFile, url, { signal: new AbortController().signal, onProgress() {}, ...(chunkSize ? { chunkSize } : {}) });
  return { seconds: seconds(start), bytes: currentFile.size };
}

/** Our chunked sender with its `fetch` requester instead of XHR (no progress within a chunk). */
async function oursFetch({ chunkSize, target }) {
  const url = await uploadUrl(target);
  const start = performance.now();
  await sendChunks(currentFile, url, { signal: new AbortController().signal, onProgress() {}, ...(chunkSize ? { chunkSize } : {}), request: createFetchRequester() });
  return { seconds: seconds(start), bytes: currentFile.size };
}

/** One `fetch` PUT of the whole file (the emulator, like GCS, takes a single PUT without Content-Range). */
async function rawPut({ target }) {
  const url = await uploadUrl(target);
  const start = performance.now();
  const response = await fetch(url, { method: "PUT", body: currentFile });
  if (!response.ok) throw new Error(`PUT answered ${response.status}`);
  return { seconds: seconds(start), bytes: currentFile.size };
}

/** @mux/upchunk with the same chunk size (its chunkSize is in KiB). */
async function upchunk({ chunkSize, target }) {
  const url = new URL(await uploadUrl(target), location.href).href;
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const upload = UpChunk.createUpload({ endpoint: url, file: currentFile, chunkSize: chunkSize / 1024, dynamicChunkSize: false });
    upload.on("success", resolve);
    upload.on("error", (event) => reject(new Error(event.detail.message)));
  });
  return { seconds: seconds(start), bytes: currentFile.size };
}

// ---- React commits during an upload ----

let root = null;
const container = document.getElementById("root");
function mount(element) {
  root?.unmount();
  root = createRoot(container);
  flushSync(() => root.render(element));
}

/** Hands the provider's upload controller to the bench without subscribing (so it causes no renders). */
function ExposeController({ onController }) {
  onController(useVideoClient("bench").controller);
  return null;
}

/** Our `VideoUploader` under a Profiler; the upload starts through the provider's controller, as a drop would. */
async function oursReact({ chunkSize }) {
  let commits = 0;
  let controller = null;
  // Which upload status each commit rendered, to see where commits go.
  const byStatus = {};
  const onRender = () => {
    commits++;
    const status = controller?.getSnapshot().status ?? "idle";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const transport = createHttpTransport({ baseUrl: "/api/video" });
  mount(
    <VideoProvider transport={transport} uploadOptions={chunkSize ? { chunkSize } : {}}>
      <Profiler id="uploader" onRender={onRender}>
        <VideoUploader />
      </Profiler>
      <ExposeController onController={(c) => (controller = c)} />
    </VideoProvider>,
  );
  const before = commits;
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const unsubscribe = controller.subscribe(() => {
      const { status, error } = controller.getSnapshot();
      if (status === "processing" || status === "complete") {
        unsubscribe();
        resolve();
      } else if (status === "error") {
        unsubscribe();
        reject(new Error(`upload failed: ${error?.code} ${error?.message}`));
      }
    });
    void controller.start(currentFile);
  });
  const elapsed = seconds(start);
  // Let the commit of the last change land before counting.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  const result = { seconds: elapsed, bytes: currentFile.size, commits: commits - before, byStatus };
  controller.cancel();
  root.unmount();
  root = null;
  return result;
}

/** `@mux/mux-uploader-react` with its `onProgress` put into React state, as its docs' progress examples do. */
function MuxUploaderWithProgress({ onSuccess }) {
  const [progress, setProgress] = useState(0);
  return (
    <div>
      <MuxUploader id="mux-uploader" endpoint={() => createUpload(currentFile).then((t) => t.url)} onProgress={(e) => setProgress(e.detail)} onSuccess={onSuccess} />
      <p>{Math.round(progress)}%</p>
    </div>
  );
}

async function muxUploaderReact({ chunkSize }) {
  let commits = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  mount(
    <Profiler id="uploader" onRender={() => commits++}>
      <MuxUploaderWithProgress onSuccess={() => done()} />
    </Profiler>,
  );
  await customElements.whenDefined("mux-uploader");
  const element = document.getElementById("mux-uploader");
  element.setAttribute("chunk-size", String(chunkSize / 1024));
  const before = commits;
  const start = performance.now();
  // What the web component does when a file is picked or dropped.
  element.dispatchEvent(new CustomEvent("file-ready", { detail: currentFile }));
  await finished;
  const elapsed = seconds(start);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  const result = { seconds: elapsed, bytes: currentFile.size, commits: commits - before };
  root.unmount();
  root = null;
  return result;
}

window.bench = {
  /** Takes the file Playwright put in the picker (a File backed by the file on disk, as when a user picks one). */
  usePickedFile() {
    currentFile = document.getElementById("picker").files[0];
    return currentFile.size;
  },
  methods: { ours, oursFetch, rawPut, upchunk, oursReact, muxUploaderReact },
  run(method, options) {
    return window.bench.methods[method](options);
  },
};
document.title = "ready";
