// The package declares React ^18.2 || ^19 as peers. This installs the packed tarball next to React 18 in a
// throwaway consumer, renders LessonForm on the server with React 18's react-dom/server, then mounts
// VideoProvider + VideoUploader with React 18's createRoot in jsdom and uploads a file through the memory
// transport until the asset is ready: hooks, stores and effects as a React 18 app runs them.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPackedConsumer, root, run } from "./packed-consumer.js";

let consumer: string;
let remove: (() => void) | undefined;

// Without --legacy-peer-deps or --force: npm refuses the install if the peer range excludes React 18.
beforeAll(() => {
  ({ dir: consumer, remove } = createPackedConsumer("consumer-react18", ["react@18", "react-dom@18"]));
}, 300_000);

afterAll(() => remove?.());

const script = (jsdomPath: string) => `
const { JSDOM } = await import(${JSON.stringify(jsdomPath)});
const dom = new JSDOM("<!doctype html><html><body><div id='root'></div></body></html>", { url: "http://localhost/", pretendToBeVisual: true });
for (const key of ["window", "document", "navigator", "HTMLElement", "HTMLInputElement", "Node", "Element", "MutationObserver", "getComputedStyle", "requestAnimationFrame", "cancelAnimationFrame"]) {
  Object.defineProperty(globalThis, key, { value: key === "window" ? dom.window : dom.window[key], configurable: true, writable: true });
}
const React = await import("react");
const { createRoot } = await import("react-dom/client");
const { renderToString } = await import("react-dom/server");
const kit = await import("lesson-video-kit");
const { createMemoryTransport, createFakeVideoFile } = await import("lesson-video-kit/testing");
const h = React.createElement;
const fast = { bytesPerSecond: 8 * 1024 * 1024, tickMs: 20, latencyMs: 5, processingMs: 100 };

const html = renderToString(h(kit.VideoProvider, { transport: createMemoryTransport(fast) }, h(kit.LessonForm, { onSubmit: () => undefined })));

// Every status React 18 commits, and the commits the script waits for: the first one, and a settled upload.
let video;
const seen = new Set();
let mounted, settled;
const isMounted = new Promise((resolve) => (mounted = resolve));
const isSettled = new Promise((resolve) => (settled = resolve));
function Probe() {
  video = kit.useVideo();
  const status = video.state.uploadState.status;
  React.useEffect(() => {
    seen.add(status);
    mounted();
    if (status === "complete" || status === "error") settled();
  });
  return h("output", null, status);
}
// Only a bound on a hang, reported with what was seen: every wait below is on React committing.
setTimeout(() => {
  console.error("timed out; statuses committed: " + JSON.stringify([...seen]));
  process.exit(1);
}, 45000).unref();
const container = document.getElementById("root");
const reactRoot = createRoot(container);
reactRoot.render(h(kit.VideoProvider, { transport: createMemoryTransport(fast) }, h(kit.VideoUploader, { lessonId: "lesson-18" }), h(Probe)));
await isMounted;
const upload = video.actions.startUpload(createFakeVideoFile({ size: 1024 * 1024 }));
await isSettled;
await upload;
const result = {
  react: React.version,
  ssrButton: html.includes("Create lesson"),
  statuses: [...seen],
  final: video.state.uploadState.status,
  bytesSent: video.state.uploadState.bytesSent,
  asset: video.state.asset && video.state.asset.status,
  uploaderStatus: container.querySelector(".lvk-uploader").getAttribute("data-status"),
};
reactRoot.unmount();
console.log(JSON.stringify(result));
process.exit(0);
`;

describe("the published tarball with React 18", () => {
  it("installs against React 18, renders on the server and runs an upload to a ready asset in createRoot", () => {
    writeFileSync(join(consumer, "react18.mjs"), script(join(root, "node_modules/jsdom/lib/api.js")));
    const result = JSON.parse(run("node", ["react18.mjs"], consumer).trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(result.react).toMatch(/^18\./);
    expect(result.ssrButton).toBe(true);
    expect(result.final).toBe("complete");
    expect(result.bytesSent).toBe(1024 * 1024);
    expect(result.asset).toBe("ready");
    expect(result.statuses).toEqual(expect.arrayContaining(["uploading", "processing"]));
    expect(result.uploaderStatus).toBe("complete");
  });
});
