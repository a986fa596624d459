// @vitest-environment node
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderToString } from "react-dom/server";
import * as kit from "../../../src/index.js";
import { UploadStatus } from "../../../src/components/video/molecules/UploadStatus.js";
import { createMemoryTransport } from "../../../src/testing/index.js";

const componentsDir = resolve(import.meta.dirname, "../../../src/components");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe("rendering the components on the server (react-dom/server, no DOM)", () => {
  it("has no window or document to lean on", () => {
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
  });

  it("renders a whole lesson form inside a provider, with the player left as a skeleton", () => {
    const html = renderToString(
      <kit.VideoProvider transport={createMemoryTransport()}>
        <kit.LessonForm
          onSubmit={() => undefined}
          defaultValue={{
            id: "lesson-1",
            title: "Closures",
            description: "Functions that remember.",
            video: { id: "asset-1", status: "ready", playbackId: "p1", playback: { src: "/v.mp4", poster: "/p.jpg" } },
          }}
        />
      </kit.VideoProvider>,
    );
    expect(html).toContain('value="Closures"');
    expect(html).toContain("Save changes");
    expect(html).toContain('data-state="loading"');
    expect(html).not.toContain("<mux-player");
    expect(html).toContain('aria-live="polite"');
  });

  it("renders every atom and molecule without a provider", () => {
    const html = renderToString(
      <>
        <kit.UploadButton onFileSelect={() => undefined} variant="dropzone" description="MP4 up to 5 GB" />
        <kit.ProgressBar label="Upload progress" value={40} />
        <kit.VideoThumbnail src="/p.jpg" alt="Poster" />
        <kit.ErrorDisplay error={{ code: "network", message: "network", retryable: true }} onRetry={() => undefined} />
        <UploadStatus state={{ progress: 10, status: "uploading", bytesSent: 10, totalBytes: 100, speed: 5, attempt: 1, file: { name: "a.mp4", size: 100, type: "video/mp4" }, uploadId: "u1" }} />
        <kit.UploadForm onFileSelect={() => undefined} />
        <kit.VideoPlayer src="/v.mp4" title="Lesson" />
        <kit.FormField label="Title" error="Enter a title.">
          <input />
        </kit.FormField>
        <kit.MetadataSection value={{ title: "", description: "" }} onChange={() => undefined} />
      </>,
    );
    expect(html).toContain("Drag a video here or choose a file");
    expect(html).toContain('aria-valuenow="40"');
    expect(html).toContain("The connection was lost.");
    expect(html).toContain("Enter a title.");
  });

  it("marks every component file as a client module", () => {
    const tsx = filesUnder(componentsDir).filter((file) => file.endsWith(".tsx"));
    expect(tsx.length).toBeGreaterThan(10);
    const unmarked = tsx.filter((file) => !readFileSync(file, "utf8").startsWith('"use client";'));
    expect(unmarked).toEqual([]);
  });

  it("imports nothing from the server, the emulator or node: modules", () => {
    const sources = filesUnder(componentsDir).filter((file) => /\.tsx?$/.test(file));
    const offenders = sources.filter((file) =>
      /from\s+["'](node:|[./]+\/(server|emulator)\/|@mux\/mux-node)/.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
