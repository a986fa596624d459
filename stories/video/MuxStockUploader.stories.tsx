import type { Decorator, Meta, StoryObj } from "@storybook/react-vite";
import { useEffect } from "react";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { MuxStockUploader } from "../../src/components/index.js";
import { useVideo } from "../../src/react/index.js";
import { createFakeVideoFile } from "../../src/testing/index.js";
import { column, narrow } from "../narrow.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

/**
 * Opt-in: Mux's stock `<MuxUploader>` bridged into the provider's upload. Its `endpoint` starts the upload
 * `useVideo()` shows; Mux's element sends the bytes. Sending needs a real upload URL (the emulator or Mux), so
 * the bytes themselves are tested in Chromium against the emulator (test/browser/components/mux-stock-bridge.test.tsx).
 * These stories start the provider's upload on the memory transport instead, to show what the component shows
 * once Mux's element hands over: processing, an error with the kit's Retry beside Mux's picker, the ready video.
 */
const meta = {
  title: "Video/Organisms/MuxStockUploader",
  component: MuxStockUploader,
  decorators: [withVideoProvider, column],
  args: { onUploaded: fn(), onStateChange: fn(), videoTitle: "Week 3: introduction to hooks" },
  parameters: { video: {} satisfies VideoProviderParameters },
} satisfies Meta<typeof MuxStockUploader>;

export default meta;
type Story = StoryObj<typeof meta>;

function StartsProviderUpload({ size }: { size: number }) {
  const { actions } = useVideo();
  useEffect(() => {
    void actions.startUpload(createFakeVideoFile({ name: "stock-lesson.mp4", size }));
  }, [actions, size]);
  return null;
}

/** The provider's upload starts as the story mounts (as when Mux's element asked for its endpoint). */
const withProviderUpload =
  (size: number): Decorator =>
  (Story) => (
    <>
      <StartsProviderUpload size={size} />
      <Story />
    </>
  );

const root = (canvasElement: HTMLElement) => canvasElement.querySelector<HTMLElement>(".lvk-mux-uploader") as HTMLElement;

export const Idle: Story = {
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(canvasElement.querySelector("mux-uploader")).not.toBeNull(), { timeout: 15_000 });
    await expect(args.onStateChange).toHaveBeenCalledWith(expect.objectContaining({ status: "idle" }));
  },
};

/** After the bytes: the kit's status shows processing and Mux's element steps aside. */
export const Processing: Story = {
  decorators: [withProviderUpload(256 * 1024)],
  parameters: { video: { memoryTransport: { processingMs: 60_000 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-status", "processing"), { timeout: 10_000 });
    await expect(within(canvasElement).getByRole("progressbar", { name: "Processing progress" })).toBeVisible();
    await expect(canvasElement.querySelector("mux-uploader")).toBeNull();
  },
};

/** A failed upload: the kit's Retry continues from the committed byte; Mux's picker offers another file. */
export const RetryAfterFault: Story = {
  decorators: [withProviderUpload(2 * 1024 * 1024)],
  parameters: { video: { memoryTransport: { failAt: { byte: 1024 * 1024, code: "network" }, processingMs: 300 } } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const retry = await canvas.findByRole("button", { name: "Retry" }, { timeout: 10_000 });
    await expect(canvas.getByText("The connection was lost. The upload will continue when you retry.")).toBeVisible();
    await waitFor(() => expect(canvasElement.querySelector("mux-uploader")).not.toBeNull(), { timeout: 15_000 });
    await userEvent.click(retry);
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-status", "complete"), { timeout: 15_000 });
    await expect(args.onUploaded).toHaveBeenCalledWith(expect.objectContaining({ status: "ready" }));
  },
};

/** The ready video plays in the kit's player; Replace video gives Mux's picker back. */
export const Ready: Story = {
  decorators: [withProviderUpload(256 * 1024)],
  parameters: { video: { memoryTransport: { processingMs: 300 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-status", "complete"), { timeout: 10_000 });
    await expect(within(canvasElement).getByRole("group", { name: "Upload complete" })).toBeVisible();
  },
};

export const ReplaceAfterReady: Story = {
  decorators: [withProviderUpload(256 * 1024)],
  parameters: { video: { memoryTransport: { processingMs: 300 } } },
  play: async ({ canvasElement }) => {
    const replace = await within(canvasElement).findByRole("button", { name: "Replace video" }, { timeout: 10_000 });
    await userEvent.click(replace);
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-status", "idle"));
    await waitFor(() => expect(canvasElement.querySelector("mux-uploader")).not.toBeNull(), { timeout: 15_000 });
  },
};

export const Dark: Story = { globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
