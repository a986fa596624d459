// The browser side of the queue benchmark (bench/queue.mjs): many files to the emulator through the routes,
// with the kit's UploadQueue at a given concurrency, with one UploadController per file one after another, and with
// @mux/upchunk one after another; and React commits of a BulkUploader with 100 items. Node drives it through
// `window.bench` (Playwright); files come from a file input, read from disk as a user's files are.
import * as UpChunk from "@mux/upchunk";
import { Profiler } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { UploadController } from "../../src/core/upload-controller.ts";
import { UploadQueue } from "../../src/core/upload-queue.ts";
import { BulkUploader } from "../../src/components/video/organisms/BulkUploader.tsx";
import { VideoProvider } from "../../src/react/VideoProvider.tsx";
import { useUploadQueue } from "../../src/react/use-upload-queue.ts";
import { createHttpTransport } from "../../src/transports/http.ts";

let files = [];
const transport = createHttpTransport({ baseUrl: "/api/video", events: false });
const seconds = (start) => (performance.now() - start) / 1000;
const sent = (status) => status === "processing" || status === "complete";

/** Resolves when every item of `queue` has all its bytes at the server (processing is pushed past the bench). */
function allSent(queue) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const { items } = queue.getSnapshot();
      const failed = items.find((item) => item.status === "error" || item.status === "refused");
      if (failed) return reject(new Error(`${failed.path}: ${failed.error?.code} ${failed.error?.message}`));
      if (items.length > 0 && items.every((item) => sent(item.status))) resolve();
    };
    queue.subscribe(check);
    check();
  });
}

/** The kit's queue at `concurrency`, from the moment the files are added until every byte is sent. */
async function queue({ concurrency }) {
  const q = new UploadQueue({ transport, ...(concurrency ? { concurrency } : {}) });
  const start = performance.now();
  const done = allSent(q);
  await q.addFiles(files);
  await done;
  const result = { seconds: seconds(start), bytes: files.reduce((sum, file) => sum + file.size, 0), concurrency: q.getSnapshot().concurrency };
  q.dispose();
  return result;
}

/** One UploadController per file, one after another: what a page does with one uploader per lesson. */
async function sequential() {
  const start = performance.now();
  for (const file of files) {
    const controller = new UploadController({ transport });
    await new Promise((resolve, reject) => {
      const unsubscribe = controller.subscribe(() => {
        const { status, error } = controller.getSnapshot();
        if (sent(status)) {
          unsubscribe();
          resolve();
        } else if (status === "error") reject(new Error(`${error?.code} ${error?.message}`));
      });
      void controller.start(file);
    });
    controller.dispose();
  }
  return { seconds: seconds(start), bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

async function createUpload(file) {
  const response = await fetch("/api/video/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ file: { name: file.name, size: file.size, type: file.type } }),
  });
  if (!response.ok) throw new Error(`POST /uploads answered ${response.status}`);
  return response.json();
}

/** @mux/upchunk, one file after another, with its default chunk size (what a page using it gets). */
async function upchunkSequential() {
  const start = performance.now();
  for (const file of files) {
    const { url } = await createUpload(file);
    await new Promise((resolve, reject) => {
      const upload = UpChunk.createUpload({ endpoint: new URL(url, location.href).href, file });
      upload.on("success", resolve);
      upload.on("error", (event) => reject(new Error(event.detail.message)));
    });
  }
  return { seconds: seconds(start), bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

let root = null;
function Queue100({ onQueue }) {
  const bound = useUploadQueue({ concurrency: 3 });
  onQueue(bound.queue);
  return <BulkUploader queue={bound} />;
}

/** React commits of a BulkUploader while `count` small files are added and sent (3 at a time), and how many items there were. */
async function commits({ count, size }) {
  const many = Array.from({ length: count }, (_, i) => {
    const bytes = new Uint8Array(size);
    bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
    crypto.getRandomValues(bytes.subarray(24, 24 + 4096));
    return new File([bytes], `lesson-${String(i + 1).padStart(3, "0")}.mp4`, { type: "video/mp4" });
  });
  let commitCount = 0;
  let q = null;
  root = createRoot(document.getElementById("root"));
  flushSync(() =>
    root.render(
      <VideoProvider transport={transport}>
        <Profiler id="bulk" onRender={() => commitCount++}>
          <Queue100 onQueue={(queue) => (q = queue)} />
        </Profiler>
      </VideoProvider>,
    ),
  );
  const before = commitCount;
  const start = performance.now();
  const done = allSent(q);
  await q.addFiles(many);
  await done;
  const elapsed = seconds(start);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100)));
  const rows = document.querySelectorAll(".lvk-bulk__item").length;
  const result = { seconds: elapsed, commits: commitCount - before, rows, items: count };
  root.unmount();
  root = null;
  return result;
}

window.bench = {
  usePickedFiles() {
    files = [...document.getElementById("picker").files];
    return files.length;
  },
  methods: { queue, sequential, upchunkSequential, commits },
  run(method, options) {
    return window.bench.methods[method](options ?? {});
  },
};
document.title = "ready";
