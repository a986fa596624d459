import type { Meta, StoryObj } from "@storybook/react-vite";
import { useEffect, useState } from "react";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { BulkUploader } from "../../src/components/index.js";
import { createMemoryQueueManifestStore, type QueueManifestEntry } from "../../src/core/queue-manifest.js";
import { createVideoError } from "../../src/core/errors.js";
import { useUploadQueue } from "../../src/react/index.js";
import { VideoProvider } from "../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../src/testing/index.js";
import { column, narrow } from "../narrow.js";
import { storyTransportDefaults, withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Organisms/BulkUploader",
  component: BulkUploader,
  decorators: [withVideoProvider, column],
  args: { onItemComplete: fn(), concurrency: 2 },
  parameters: { video: {} satisfies VideoProviderParameters },
} satisfies Meta<typeof BulkUploader>;

export default meta;
type Story = StoryObj<typeof meta>;

const filesInput = (root: HTMLElement) => root.querySelector("input[data-lvk-input=files]") as HTMLInputElement;
const bulkRoot = (root: HTMLElement) => root.querySelector(".lvk-bulk") as HTMLElement;
const rowOf = (root: HTMLElement, name: string) => within(root).getByText(name).closest("li") as HTMLElement;
const course = (count: number, size = 600 * 1024) =>
  Array.from({ length: count }, (_, i) => createFakeVideoFile({ name: `week-${String(i + 1).padStart(2, "0")}.mp4`, size: size + i }));

/** Nothing yet: the drop zone with its two pickers. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("button", { name: "Choose videos" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Choose a folder" })).toBeVisible();
    await expect(bulkRoot(canvasElement)).toHaveAttribute("data-state", "empty");
  },
};

/** Four videos and a text file: two upload at once, the rest wait, the text file is not added and says why. */
export const MixedStatuses: Story = {
  // Slow enough (about 19 s per file) that the first is still uploading when a busy test machine looks.
  parameters: { video: { memoryTransport: { bytesPerSecond: 32 * 1024, processingMs: 60_000 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(filesInput(canvasElement), [...course(4), new File(["notes"], "notes.txt", { type: "text/plain" })], { applyAccept: false });
    // Each file is listed as soon as it is checked; the text file, last, is listed once the four videos are.
    await waitFor(() => expect(canvas.getByRole("list", { name: "Videos to upload" }).children).toHaveLength(5));
    await waitFor(() => expect(rowOf(canvasElement, "week-01.mp4")).toHaveAttribute("data-status", "uploading"));
    await expect(rowOf(canvasElement, "week-03.mp4")).toHaveAttribute("data-status", "queued");
    await expect(rowOf(canvasElement, "notes.txt")).toHaveAttribute("data-status", "refused");
    await expect(within(rowOf(canvasElement, "notes.txt")).getByText("This type of file is not allowed. Choose an MP4, MOV, WebM or MKV video.")).toBeVisible();
    await expect(canvas.getByRole("progressbar", { name: "All uploads" })).toBeVisible();
  },
};

/** Every item finishes; `onItemComplete` is called once per video. */
export const AllUploaded: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.upload(filesInput(canvasElement), course(3, 200 * 1024));
    await waitFor(() => expect(bulkRoot(canvasElement)).toHaveAttribute("data-state", "settled"));
    await expect(within(canvasElement).getByText("3 of 3 videos uploaded")).toBeVisible();
    await expect(args.onItemComplete).toHaveBeenCalledTimes(3);
  },
};

/** Pause all keeps every byte sent; Resume all goes on. */
export const PauseAll: Story = {
  parameters: { video: { memoryTransport: { bytesPerSecond: 256 * 1024, processingMs: 500 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(filesInput(canvasElement), course(3));
    await userEvent.click(await canvas.findByRole("button", { name: "Pause all" }));
    await waitFor(() => expect(bulkRoot(canvasElement)).toHaveAttribute("data-state", "paused"));
    await expect(canvas.getByRole("button", { name: "Resume all" })).toBeVisible();
  },
};

/** One video fails and can be retried while the others finish. */
export const OneFailed: Story = {
  parameters: { video: { memoryTransport: { failAt: { byte: 900 * 1024, code: "server", times: 1000 } } } },
  args: { controller: { retry: { retries: 0 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(filesInput(canvasElement), [...course(1, 300 * 1024), createFakeVideoFile({ name: "long-lecture.mp4", size: 2 * 1024 * 1024 })]);
    await waitFor(() => expect(rowOf(canvasElement, "long-lecture.mp4")).toHaveAttribute("data-status", "error"));
    await expect(canvas.getByRole("button", { name: "Retry long-lecture.mp4" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Retry failed (1)" })).toBeVisible();
  },
};

/** A quota refusal holds the queue with the server's reason; nothing is marked failed. */
function QuotaQueue() {
  const [transport] = useState(() => {
    const memory = createMemoryTransport({ ...storyTransportDefaults, processingMs: 300 });
    let room = 1;
    const create = memory.createUpload.bind(memory);
    memory.createUpload = async (req, opts) => {
      if (room <= 0) throw createVideoError("quota_exceeded");
      room--;
      return create(req, opts);
    };
    return memory;
  });
  return (
    <VideoProvider transport={transport}>
      <QuotaInner />
    </VideoProvider>
  );
}
function QuotaInner() {
  const queue = useUploadQueue({ concurrency: 1 });
  useEffect(() => void queue.queue.addFiles(course(3, 200 * 1024)), [queue.queue]);
  return <BulkUploader queue={queue} />;
}
export const QuotaReached: Story = {
  decorators: [],
  render: () => <QuotaQueue />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText("Uploads are on hold. You have reached your upload limit for today.", undefined, {});
    await expect(bulkRoot(canvasElement)).toHaveAttribute("data-state", "held");
    await expect(rowOf(canvasElement, "week-02.mp4")).toHaveAttribute("data-status", "queued");
    await expect(canvas.getByRole("button", { name: "Try again" })).toBeVisible();
  },
};

const savedBatch: QueueManifestEntry[] = [
  { id: "a", name: "week-01.mp4", path: "Course/week-01.mp4", size: 52_000_000, type: "video/mp4", status: "complete", uploadId: "u-a", assetId: "asset-a" },
  { id: "b", name: "week-02.mp4", path: "Course/week-02.mp4", size: 61_000_000, type: "video/mp4", status: "sending" },
  { id: "c", name: "week-03.mp4", path: "Course/week-03.mp4", size: 48_000_000, type: "video/mp4", status: "waiting" },
];

/** After a reload: what was in flight waits for its file; drop the same folder again to go on. */
export const ResumedAfterReload: Story = {
  args: { manifest: createMemoryQueueManifestStore(savedBatch) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText("2 videos were uploading when the page closed. Drop the same files or folder again to continue where they stopped.");
    await expect(rowOf(canvasElement, "Course/week-02.mp4")).toHaveAttribute("data-status", "needs_file");
    await expect(rowOf(canvasElement, "Course/week-01.mp4")).toHaveAttribute("data-status", "complete");
  },
};

/** "Add from link": the backend imports the video; a link to a private address is refused with the reason. */
export const AddFromLink: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    for (const url of ["https://media.example.com/course/week-1.mp4", "http://localhost:8080/secret.mp4"]) {
      await userEvent.click(canvas.getByRole("button", { name: "Add from link" }));
      await userEvent.type(canvas.getByRole("textbox", { name: "Link to a video" }), url);
      await userEvent.click(canvas.getByRole("button", { name: "Import" }));
    }
    await waitFor(() => expect(rowOf(canvasElement, "http://localhost:8080/secret.mp4")).toHaveAttribute("data-status", "error"));
    await expect(canvas.getByText("This link points to a private or local network address.")).toBeVisible();
    await waitFor(() => expect(rowOf(canvasElement, "https://media.example.com/course/week-1.mp4")).toHaveAttribute("data-status", "complete"));
  },
};

/**
 * A whole course: 100 videos queued (paused, so they stay put). Small files: the story shows the list, and each file's
 * bytes are read once to fingerprint it (a megabyte each made this story read 100 MB on a busy test machine).
 */
function HundredQueue() {
  const queue = useUploadQueue({ concurrency: 3 });
  useEffect(() => {
    queue.queue.pauseAll();
    void queue.queue.addFiles(course(100, 64 * 1024));
  }, [queue.queue]);
  return <BulkUploader queue={queue} />;
}
export const HundredItems: Story = {
  render: () => <HundredQueue />,
  play: async ({ canvasElement }) => {
    const list = await within(canvasElement).findByRole("list", { name: "Videos to upload" });
    await waitFor(() => expect(list.children).toHaveLength(100));
  },
};

/** At phone width the rows and actions wrap. */
export const Narrow: Story = {
  ...MixedStatuses,
  decorators: [withVideoProvider, narrow],
};
