// Real Chromium, the kit's HTTP transport and server routes, the local Mux emulator: BulkUploader sends many files a
// few at a time. The upload URLs go through a proxy in front of the emulator (test/browser/setup/server.ts,
// /gauged/api/video) that counts the uploads sending at once at the server, logs every PUT's byte range and answer,
// and can fail the PUTs of one file. Every finished item is checked byte for byte against what the emulator plays.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { inject } from "vitest";
import { commands, userEvent } from "vitest/browser";
import {
  BulkUploader,
  VideoProvider,
  createHttpTransport,
  createIndexedDbQueueManifestStore,
  useUploadQueue,
  type QueueItem,
  type QueueManifestStore,
  type UploadQueue,
} from "../../../src/index.js";
import type { GaugedPut } from "../setup/server.js";
import "../../../src/components/styles.css";

const routesUrl = inject("videoRoutesGaugedUrl");
const testApi = inject("videoRoutesTestApi");
const KiB = 1024;
/** Long, because the suite also runs on a 2-core machine under load; every wait returns as soon as its condition holds. */
const EVENTUALLY = { timeout: 90_000, interval: 50 };

let base: Uint8Array;

beforeAll(async () => {
  await fetch(`${testApi}/allow-origin`, { method: "POST", body: location.origin });
  base = new Uint8Array(await (await fetch(`${testApi}/fixtures/mp4`)).arrayBuffer());
});

afterEach(async () => {
  cleanup();
  await setGauge({});
});

async function setGauge(knobs: { failTotal?: number; delayMs?: number }): Promise<void> {
  await fetch(`${testApi}/gauge`, { method: "POST", body: JSON.stringify(knobs) });
}

async function gauge(): Promise<{ most: number; sending: number; puts: GaugedPut[] }> {
  return (await (await fetch(`${testApi}/gauge`)).json()) as { most: number; sending: number; puts: GaugedPut[] };
}

/** The MP4 fixture and a `free` box of random bytes: a distinct video of exactly `size` bytes. */
function lessonVideo(name: string, size: number): File {
  const box = new Uint8Array(size - base.length);
  new DataView(box.buffer).setUint32(0, box.length);
  box.set([0x66, 0x72, 0x65, 0x65], 4);
  for (let offset = 8; offset < box.length; offset += 65536) crypto.getRandomValues(box.subarray(offset, Math.min(box.length, offset + 65536)));
  return new File([base as BlobPart, box], name, { type: "video/mp4", lastModified: 1_700_000_000_000 });
}

async function sha256(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the emulator plays for an item equals the file, byte for byte. */
async function expectSameBytes(item: QueueItem, file: File): Promise<void> {
  const src = item.asset?.playback?.src;
  expect(src, `${item.path} has a playback URL`).toBeTruthy();
  const played = await (await fetch(src!)).arrayBuffer();
  expect(played.byteLength).toBe(file.size);
  expect(await sha256(played)).toBe(await sha256(file));
}

const filesInput = () => document.querySelector<HTMLInputElement>("input[data-lvk-input=files]")!;
const folderInput = () => document.querySelector<HTMLInputElement>("input[data-lvk-input=folder]")!;
const row = (path: string) => within(screen.getByRole("list", { name: "Videos to upload" })).getByText(path).closest("li")!;
const bulkState = () => document.querySelector(".lvk-bulk")?.getAttribute("data-state");

function renderBulk(props: Partial<Parameters<typeof BulkUploader>[0]> = {}) {
  const completed = new Map<string, QueueItem>();
  const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });
  const view = render(
    <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }}>
      <BulkUploader
        concurrency={2}
        onItemComplete={(item) => completed.set(item.path, item)}
        controller={{ chunkSize: 256 * KiB, retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 100 } }}
        {...props}
      />
    </VideoProvider>,
  );
  return { ...view, completed };
}

/** PUTs of bytes that succeeded (308 resume-incomplete, or the last one's 200/201) by upload, in the order they were answered. */
function committedRanges(puts: GaugedPut[]): Map<string, GaugedPut[]> {
  const byUpload = new Map<string, GaugedPut[]>();
  for (const put of puts) {
    // A query of the committed offset (`Content-Range: bytes */total`) carries no bytes.
    if (put.end < put.start || (put.status !== 308 && put.status !== 200 && put.status !== 201)) continue;
    byUpload.set(put.upload, [...(byUpload.get(put.upload) ?? []), put]);
  }
  return byUpload;
}

describe("BulkUploader in Chromium against the emulator", { timeout: 180_000 }, () => {
  it("sends six files two at a time at the server, and every asset holds its file's exact bytes", async () => {
    await setGauge({ delayMs: 40 });
    const files = Array.from({ length: 6 }, (_, i) => lessonVideo(`lesson-${i + 1}.mp4`, 700 * KiB + i * 1000));
    const { completed } = renderBulk();
    // Everything the live region says during the batch: one summary at the start and one at the end, not one per item.
    const region = document.querySelector("[data-lvk-announcer]")!;
    const said: string[] = [];
    const observer = new MutationObserver(() => {
      if (region.textContent) said.push(region.textContent);
    });
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    await userEvent.upload(filesInput(), files);
    await waitFor(() => expect(completed.size).toBe(6), EVENTUALLY);
    await waitFor(() => expect(said.at(-1)).toBe("Uploads finished: 6 uploaded, 0 failed."));
    observer.disconnect();
    expect(said).toEqual(["6 videos added.", "Uploads finished: 6 uploaded, 0 failed."]);
    const seen = await gauge();
    expect(seen.most).toBe(2);
    expect(committedRanges(seen.puts).size).toBe(6);
    for (const file of files) await expectSameBytes(completed.get(file.name)!, file);
    expect(screen.getByText("6 of 6 videos uploaded")).toBeVisible();
    await waitFor(() => expect(bulkState()).toBe("settled"));
  });

  it("a file whose PUTs fail ends failed and retryable while the others finish; Retry then completes it", async () => {
    const failing = lessonVideo("broken-upload.mp4", 613 * KiB);
    await setGauge({ failTotal: failing.size });
    const others = [lessonVideo("week-1.mp4", 500 * KiB), lessonVideo("week-2.mp4", 520 * KiB)];
    const { completed } = renderBulk();
    await userEvent.upload(filesInput(), [others[0]!, failing, others[1]!]);
    await waitFor(() => expect(row("broken-upload.mp4")).toHaveAttribute("data-status", "error"), EVENTUALLY);
    await waitFor(() => expect(completed.size).toBe(2), EVENTUALLY);
    expect(within(row("broken-upload.mp4")).getByText("The video service had a problem. Try again in a moment.")).toBeVisible();
    for (const file of others) await expectSameBytes(completed.get(file.name)!, file);

    await setGauge({});
    await userEvent.click(screen.getByRole("button", { name: "Retry broken-upload.mp4" }));
    await waitFor(() => expect(completed.has("broken-upload.mp4")).toBe(true), EVENTUALLY);
    await expectSameBytes(completed.get("broken-upload.mp4")!, failing);
  });

  it("after a reload mid-batch, the same files dropped again go on from the server's offset: no committed byte is sent twice", async () => {
    // Files on disk, picked by path both times: what the browser gives for the same file twice (same modification
    // time), as when a person picks the same files after a reload.
    const folder = await commands.makeCourseFolder({ "part-1.mp4": 1200 * KiB, "part-2.mp4": 1250 * KiB, "part-3.mp4": 1300 * KiB });
    const paths = ["part-1.mp4", "part-2.mp4", "part-3.mp4"].map((name) => `${folder}/${name}`);
    const picked: File[] = [];
    const keep = (event: Event) => {
      const input = event.target as HTMLInputElement;
      if (input.files && picked.length === 0) picked.push(...input.files);
    };
    document.addEventListener("change", keep, true);
    const key = `reload-${crypto.randomUUID()}`;
    await setGauge({ delayMs: 150 });
    const first = renderBulk({ manifest: createIndexedDbQueueManifestStore({ key }) });
    await userEvent.upload(filesInput(), paths);
    // Mid-batch: at least two chunks of some file committed, and nothing finished.
    await waitFor(async () => {
      const committed = [...committedRanges((await gauge()).puts).values()];
      expect(committed.some((puts) => puts.length >= 2)).toBe(true);
    }, EVENTUALLY);
    first.unmount();
    document.removeEventListener("change", keep, true);
    expect(picked.map((file) => file.name)).toEqual(["part-1.mp4", "part-2.mp4", "part-3.mp4"]);
    // The PUTs the unmount cut short have ended at the server before the gauge is read.
    await waitFor(async () => expect((await gauge()).sending).toBe(0), EVENTUALLY);
    const before = committedRanges((await gauge()).puts);
    expect(before.size).toBeGreaterThan(0);
    expect([...before.values()].every((puts) => puts.at(-1)!.end + 1 < puts.at(-1)!.total!)).toBe(true);

    // The page again: the batch is back from IndexedDB, waiting for its files.
    await setGauge({});
    const second = renderBulk({ manifest: createIndexedDbQueueManifestStore({ key }) });
    await screen.findByText("3 videos were uploading when the page closed. Drop the same files or folder again to continue where they stopped.", undefined, EVENTUALLY);
    for (const file of picked) expect(row(file.name)).toHaveAttribute("data-status", "needs_file");
    await userEvent.upload(filesInput(), paths);
    await waitFor(() => expect(second.completed.size).toBe(3), EVENTUALLY);
    expect(screen.getByRole("list", { name: "Videos to upload" }).children).toHaveLength(3);
    for (const file of picked) await expectSameBytes(second.completed.get(file.name)!, file);

    const after = committedRanges((await gauge()).puts);
    // The files that had started went on with their own upload, from the byte the server had.
    for (const [upload, puts] of before) {
      const resumed = after.get(upload);
      expect(resumed, `upload ${upload} went on`).toBeDefined();
      expect(resumed![0]!.start).toBeGreaterThanOrEqual(puts.at(-1)!.end + 1);
      for (let i = 1; i < resumed!.length; i++) expect(resumed![i]!.start).toBe(resumed![i - 1]!.end + 1);
    }
    expect(new Set([...before.keys(), ...after.keys()]).size).toBe(3);
  });

  it("after a reload, Continue reads the files again through the handles kept in IndexedDB and goes on from the server's offset", async () => {
    // Real FileSystemFileHandles from the origin private file system: the same objects a drop gives in Chromium,
    // stored in IndexedDB with the manifest and read again after the "reload".
    const directory = await navigator.storage.getDirectory();
    const files = [lessonVideo("handle-1.mp4", 1200 * KiB), lessonVideo("handle-2.mp4", 1250 * KiB)];
    const handles = [];
    for (const file of files) {
      const handle = await directory.getFileHandle(`${crypto.randomUUID()}-${file.name}`, { create: true });
      const writable = await handle.createWritable();
      await writable.write(file);
      await writable.close();
      handles.push(handle);
    }
    const key = `handles-${crypto.randomUUID()}`;
    let queue: UploadQueue | undefined;
    function WithQueue({ manifest }: { manifest: QueueManifestStore }) {
      const bound = useUploadQueue({ manifest, concurrency: 2, controller: { chunkSize: 256 * KiB } });
      queue = bound.queue;
      return <BulkUploader queue={bound} />;
    }
    const transport = createHttpTransport({ baseUrl: routesUrl, headers: { authorization: "Bearer alice-token" }, events: false });
    const mount = () =>
      render(
        <VideoProvider transport={transport} watcherOptions={{ initialIntervalMs: 100, maxIntervalMs: 300 }}>
          <WithQueue manifest={createIndexedDbQueueManifestStore({ key })} />
        </VideoProvider>,
      );
    await setGauge({ delayMs: 150 });
    const first = mount();
    await queue!.addFiles(await Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle }))));
    await waitFor(async () => {
      const committed = [...committedRanges((await gauge()).puts).values()];
      expect(committed.some((puts) => puts.length >= 2)).toBe(true);
    }, EVENTUALLY);
    first.unmount();
    await waitFor(async () => expect((await gauge()).sending).toBe(0), EVENTUALLY);
    const before = committedRanges((await gauge()).puts);

    await setGauge({});
    mount();
    await userEvent.click(await screen.findByRole("button", { name: "Continue these uploads" }, EVENTUALLY));
    await waitFor(() => expect(queue!.getSnapshot().items.map((item) => item.status)).toEqual(["complete", "complete"]), EVENTUALLY);
    const items = queue!.getSnapshot().items;
    for (const [i, item] of items.entries()) await expectSameBytes(item, files[i]!);
    const after = committedRanges((await gauge()).puts);
    for (const [upload, puts] of before) expect(after.get(upload)?.[0]?.start).toBeGreaterThanOrEqual(puts.at(-1)!.end + 1);
    expect(new Set([...before.keys(), ...after.keys()]).size).toBe(2);
  });

  it("takes a picked folder with sub-folders: every video in it uploads with its path, the non-video is listed as not added", async () => {
    const folder = await commands.makeCourseFolder({
      "Week 1/intro.mp4": 600 * KiB,
      "Week 1/Extras/bonus.mp4": 610 * KiB,
      "Week 2/hooks.mp4": 620 * KiB,
      "notes.txt": "text",
    });
    const { completed } = renderBulk();
    await userEvent.upload(folderInput(), [folder]);
    await waitFor(() => expect(completed.size).toBe(3), EVENTUALLY);
    expect([...completed.keys()].sort()).toEqual(["Course/Week 1/Extras/bonus.mp4", "Course/Week 1/intro.mp4", "Course/Week 2/hooks.mp4"]);
    expect(row("Course/notes.txt")).toHaveAttribute("data-status", "refused");
    for (const item of completed.values()) expect(item.asset).toMatchObject({ status: "ready" });
    expect(completed.get("Course/Week 1/intro.mp4")!.size).toBe(600 * KiB);
  });

  it("imports from a link the server allows, and says why it refuses the others", async () => {
    const { completed } = renderBulk();
    const source = `${testApi}/fixtures/mp4`;
    const importLink = async (url: string) => {
      await userEvent.click(screen.getByRole("button", { name: "Add from link" }));
      const field = screen.getByRole("textbox", { name: "Link to a video" });
      expect(field).toHaveFocus();
      await userEvent.fill(field, url);
      await userEvent.click(screen.getByRole("button", { name: "Import" }));
      await waitFor(() => expect(screen.getByRole("button", { name: "Add from link" })).toHaveFocus());
    };
    await importLink(source);
    await importLink("http://localhost:9/lesson.mp4");
    await importLink("file:///etc/passwd");
    await waitFor(() => expect(completed.size).toBe(1), EVENTUALLY);
    const imported = [...completed.values()][0]!;
    expect(imported.url).toBe(source);
    const played = await (await fetch(imported.asset!.playback!.src!)).arrayBuffer();
    expect(await sha256(played)).toBe(await sha256(base.buffer as ArrayBuffer));
    await waitFor(() => expect(row("http://localhost:9/lesson.mp4")).toHaveAttribute("data-status", "error"), EVENTUALLY);
    expect(within(row("http://localhost:9/lesson.mp4")).getByText("This link points to a private or local network address.")).toBeVisible();
    await waitFor(() => expect(row("file:///etc/passwd")).toHaveAttribute("data-status", "error"), EVENTUALLY);
    expect(within(row("file:///etc/passwd")).getByText("Only http and https links can be imported.")).toBeVisible();
  });

  it("takes files dropped with a real DataTransfer", async () => {
    const files = [lessonVideo("dropped-1.mp4", 600 * KiB), lessonVideo("dropped-2.mp4", 610 * KiB)];
    const { completed } = renderBulk();
    const zone = document.querySelector(".lvk-bulk__dropzone")!;
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    zone.dispatchEvent(new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    await waitFor(() => expect(zone).toHaveAttribute("data-state", "dragging"));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    await waitFor(() => expect(completed.size).toBe(2), EVENTUALLY);
    for (const file of files) await expectSameBytes(completed.get(file.name)!, file);
  });
});
