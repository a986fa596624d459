import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { VideoUploader } from "../../src/components/index.js";
import { createFakeVideoFile } from "../../src/testing/index.js";
import { column, narrow } from "../narrow.js";
import { longFileName } from "../support/states.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Organisms/VideoUploader",
  component: VideoUploader,
  decorators: [withVideoProvider, column],
  args: { onUploaded: fn(), onRemove: fn(), videoTitle: "Week 3: introduction to hooks" },
  parameters: { video: {} satisfies VideoProviderParameters },
} satisfies Meta<typeof VideoUploader>;

export default meta;
type Story = StoryObj<typeof meta>;

const fileInput = (root: HTMLElement) => root.querySelector<HTMLInputElement>("input[type=file]") as HTMLInputElement;
const uploaderRoot = (root: HTMLElement) => root.querySelector<HTMLElement>("[data-view]") as HTMLElement;
const slow: VideoProviderParameters = { memoryTransport: { bytesPerSecond: 256 * 1024, processingMs: 60_000 } };

export const Idle: Story = {};

/** Pick a file: it uploads, processes and plays; focus lands on the finished video. */
export const UploadToReady: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ size: 1024 * 1024 }));
    // The progress bar is the Uploading story's; here the views may still be compiling in the dev server while the
    // megabyte goes, so whether a frame of progress shows depends on the machine. The end state does not.
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "complete"), { timeout: 45_000 });
    await expect(args.onUploaded).toHaveBeenCalledWith(expect.objectContaining({ status: "ready" }));
    // On a busy machine the finished view may still be on its way when the upload completes (its stand-in status line
    // holds the focus meanwhile): focus lands on the view's group once it shows.
    await waitFor(() => expect(canvas.getByRole("group", { name: "Upload complete" })).toHaveFocus());
  },
};

/** Pause keeps the bytes; Resume continues from them. */
export const PauseAndResume: Story = {
  parameters: { video: { memoryTransport: { bytesPerSecond: 512 * 1024, processingMs: 500 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ name: "pause-me.mp4", size: 2 * 1024 * 1024 }));
    // Generous: in the dev server the upload's code and views compile on their first import.
    await userEvent.click(await canvas.findByRole("button", { name: "Pause" }, { timeout: 15_000 }));
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "paused"));
    const bar = canvas.getByRole("progressbar", { name: "Upload progress" });
    const pausedAt = Number(bar.getAttribute("aria-valuenow"));
    await expect(pausedAt).toBeLessThan(100);
    await userEvent.click(canvas.getByRole("button", { name: "Resume" }));
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "complete"), { timeout: 20_000 });
  },
};

/** The connection drops at 1 MB; Retry resumes from the committed byte and the upload finishes. */
export const RetryAfterFault: Story = {
  parameters: { video: { memoryTransport: { failAt: { byte: 1024 * 1024, code: "network" }, processingMs: 300 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ name: "flaky-network.mp4", size: 2 * 1024 * 1024 }));
    const retry = await canvas.findByRole("button", { name: "Retry" }, { timeout: 10_000 });
    await expect(canvas.getByText("The connection was lost. The upload will continue when you retry.")).toBeVisible();
    await waitFor(() => expect(retry).toHaveFocus());
    await userEvent.click(retry);
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "complete"), { timeout: 15_000 });
  },
};

export const Uploading: Story = {
  parameters: { video: slow },
  play: async ({ canvasElement }) => {
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ name: longFileName, size: 8 * 1024 * 1024 }));
    await within(canvasElement).findByRole("button", { name: "Pause" }, { timeout: 15_000 });
  },
};

export const Processing: Story = {
  parameters: { video: { memoryTransport: { processingMs: 60_000 } } },
  play: async ({ canvasElement }) => {
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ size: 256 * 1024 }));
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "processing"), { timeout: 10_000 });
  },
};

/** A file whose bytes are not a video is refused before any request, whatever its name. */
export const NotAVideo: Story = {
  play: async ({ canvasElement }) => {
    const html = new File(["<!doctype html><title>not a video</title>"], "lesson.mp4", { type: "video/mp4" });
    await userEvent.upload(fileInput(canvasElement), html);
    await within(canvasElement).findByText("This file is not a video, whatever its name says. Choose a video file.");
    await expect(within(canvasElement).queryByRole("button", { name: "Retry" })).toBeNull();
  },
};

export const Unauthorized: Story = {
  parameters: { video: { memoryTransport: { createUploadError: "unauthorized" } } },
  play: async ({ canvasElement }) => {
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ size: 1024 }));
    await within(canvasElement).findByText("You need to sign in to upload videos.");
  },
};

export const ProcessingFailed: Story = {
  parameters: { video: { memoryTransport: { assetError: true, processingMs: 200 } } },
  play: async ({ canvasElement }) => {
    await userEvent.upload(fileInput(canvasElement), createFakeVideoFile({ size: 256 * 1024 }));
    await waitFor(() => expect(uploaderRoot(canvasElement)).toHaveAttribute("data-status", "error"), { timeout: 10_000 });
  },
};

export const RightToLeft: Story = { globals: { direction: "rtl" } };

export const Dark: Story = { globals: { theme: "dark" } };

export const DarkUploading: Story = { ...Uploading, globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };

export const NarrowUploading: Story = { ...Uploading, decorators: [narrow] };
