import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { UploadStatus } from "../../src/components/video/molecules/UploadStatus.js";
import { VideoError } from "../../src/core/errors.js";
import { column, narrow } from "../narrow.js";
import { longFileName, uploadStates } from "../support/states.js";

const meta = {
  title: "Video/Molecules/UploadStatus",
  component: UploadStatus,
  decorators: [column],
  args: {
    state: uploadStates.uploading,
    onPause: fn(),
    onResume: fn(),
    onCancel: fn(),
    onRetry: fn(),
  },
} satisfies Meta<typeof UploadStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Uploading: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "38");
    await expect(canvas.getByText("18.2 MB of 48 MB")).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Pause" }));
    await expect(args.onPause).toHaveBeenCalledOnce();
  },
};

/** A growing source (a recording uploading while it records): its total is unknown until it ends. */
export const TotalUnknown: Story = {
  args: { state: uploadStates.uploadingTotalUnknown },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const bar = canvas.getByRole("progressbar", { name: "Upload progress" });
    await expect(bar).toHaveAttribute("data-state", "indeterminate");
    await expect(bar).not.toHaveAttribute("aria-valuenow");
    await expect(canvas.getByText("12.6 MB sent")).toBeVisible();
    await expect(canvas.queryByText(/%/)).toBeNull();
  },
};

export const Validating: Story = { args: { state: uploadStates.validating } };

export const Paused: Story = {
  args: { state: uploadStates.paused },
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole("button", { name: "Resume" }));
    await expect(args.onResume).toHaveBeenCalledOnce();
  },
};

export const PausedOffline: Story = { args: { state: uploadStates.pausedOffline } };

export const Retrying: Story = {
  args: { state: uploadStates.retrying },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText("Retrying (attempt 2)")).toBeVisible();
  },
};

export const Processing: Story = {
  args: { state: uploadStates.processing },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Processing progress" });
    await expect(bar).toHaveAttribute("data-state", "indeterminate");
  },
};

export const Complete: Story = { args: { state: uploadStates.complete } };

export const NetworkError: Story = {
  args: { state: uploadStates.error },
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole("button", { name: "Retry" }));
    await expect(args.onRetry).toHaveBeenCalledOnce();
  },
};

export const FileTooLarge: Story = {
  args: {
    state: { ...uploadStates.error, progress: 0, bytesSent: 0, error: new VideoError("file_too_large", "file_too_large") },
  },
};

export const LongFileName: Story = {
  args: { state: { ...uploadStates.uploading, file: { name: longFileName, size: 48_000_000, type: "video/mp4" } } },
};

export const RightToLeft: Story = { globals: { direction: "rtl" } };

export const Dark: Story = { globals: { theme: "dark" } };

export const DarkError: Story = { args: { state: uploadStates.error }, globals: { theme: "dark" } };

export const Narrow: Story = {
  args: { state: { ...uploadStates.uploading, file: { name: longFileName, size: 48_000_000, type: "video/mp4" } } },
  decorators: [narrow],
};
