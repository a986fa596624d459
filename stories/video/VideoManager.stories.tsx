import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { VideoManager } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { erroredAsset, preparingAsset, readyAsset } from "../support/states.js";
import { withVideoProvider } from "../support/video-provider.js";

const meta = {
  title: "Video/Organisms/VideoManager",
  component: VideoManager,
  decorators: [withVideoProvider, column],
  args: { defaultAsset: readyAsset, onAssetChange: fn(), videoTitle: "Week 3: introduction to hooks" },
} satisfies Meta<typeof VideoManager>;

export default meta;
type Story = StoryObj<typeof meta>;

const managerRoot = (root: HTMLElement) => root.querySelector<HTMLElement>(".lvk-manager, [data-state]") as HTMLElement;

export const Ready: Story = {};

/** `downloads`: the creator sees the files learners can download (Mux static renditions) and their status. */
export const WithDownloads: Story = {
  args: { downloads: true },
  parameters: { video: { memoryTransport: { assets: [readyAsset] } } },
  play: async ({ canvasElement }) => {
    const downloads = await within(canvasElement).findByRole("region", { name: "Downloads" });
    await expect(await within(downloads).findByRole("link", { name: "Download the video (best quality)" })).toBeVisible();
  },
};

export const Empty: Story = { args: { defaultAsset: null } };

/**
 * A video still processing: the manager watches it (the story backend keeps it preparing). The hint shows at once,
 * the indeterminate bar with the media panels' code.
 */
export const Preparing: Story = {
  args: { defaultAsset: preparingAsset },
  parameters: { video: { memoryTransport: { assets: [preparingAsset] } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("The video is processing. It can be played when it is ready.")).toBeVisible();
    await expect(await canvas.findByRole("progressbar", { name: "Processing progress" })).toBeVisible();
  },
};

export const Errored: Story = { args: { defaultAsset: erroredAsset } };

/** Remove asks first; "No" keeps the video and returns focus to Remove, "Yes" removes it. */
export const RemoveWithConfirmation: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Remove video" }));
    const keep = canvas.getByRole("button", { name: "No, keep it" });
    await waitFor(() => expect(keep).toHaveFocus());
    await userEvent.click(keep);
    await waitFor(() => expect(canvas.getByRole("button", { name: "Remove video" })).toHaveFocus());
    await expect(args.onAssetChange).not.toHaveBeenCalled();
    await userEvent.click(canvas.getByRole("button", { name: "Remove video" }));
    await userEvent.click(canvas.getByRole("button", { name: "Yes, remove it" }));
    await expect(args.onAssetChange).toHaveBeenCalledWith(null);
    await expect(managerRoot(canvasElement)).toHaveAttribute("data-state", "empty");
  },
};

export const ConfirmingRemove: Story = {
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole("button", { name: "Remove video" }));
  },
};

export const Replacing: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Replace video" }));
    await expect(canvas.getByRole("button", { name: "Drag a video here or choose a file" })).toHaveFocus();
    await expect(canvas.getByRole("button", { name: "Keep current video" })).toBeVisible();
  },
};

export const RightToLeft: Story = { globals: { direction: "rtl" } };

export const Dark: Story = { globals: { theme: "dark" } };

export const DarkPreparing: Story = { ...Preparing, globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
