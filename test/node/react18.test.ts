// The package declares React ^18.2 || ^19 as peers. This installs the packed tarball next to React 18 in a
// throwaway consumer, renders LessonForm on the server with React 18's react-dom/server, then mounts
// VideoProvider + VideoUploader with React 18's createRoot in jsdom and uploads a file through the memory
// transport until the asset is ready: hooks, stores and effects as a React 18 app runs them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
let consumer: string;

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), "lvk-react18-"));
  run("npm", ["pack", "--pack-destination", consumer, "--silent"], root);
  const tarball = readdirSync(consumer).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer-react18", private: true, type: "module" }));
  // Without --legacy-peer-deps or --force: npm refuses the install if the peer range excludes React 18.
  run("npm", ["install", "--prefer-offline", "--no-package-lock", `./${tarball}`, "react@18", "react-dom@18"], consumer);
}, 300_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

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

let video;
function Probe() {
  video = kit.useVideo();
  return h("output", null, video.state.uploadState.status);
}
const container = document.getElementById("root");
const reactRoot = createRoot(container);
reactRoot.render(h(kit.VideoProvider, { transport: createMemoryTransport(fast) }, h(kit.VideoUploader, { lessonId: "lesson-18" }), h(Probe)));
const seen = new Set();
const deadline = Date.now() + 20000;
while (Date.now() < deadline && !video) await new Promise((r) => setTimeout(r, 10));
const upload = video.actions.startUpload(createFakeVideoFile({ size: 1024 * 1024 }));
while (Date.now() < deadline && video.state.uploadState.status !== "complete" && video.state.uploadState.status !== "error") {
  seen.add(video.state.uploadState.status);
  await new Promise((r) => setTimeout(r, 10));
}
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
