import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { VideoDownloads } from "../../src/components/index.js";
import { narrow } from "../narrow.js";
import { preparingAsset, readyAsset } from "../support/states.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Molecules/VideoDownloads",
  component: VideoDownloads,
  decorators: [withVideoProvider],
  args: { assetId: readyAsset.id },
  parameters: { video: { memoryTransport: { assets: [readyAsset, preparingAsset] } } satisfies VideoProviderParameters },
} satisfies Meta<typeof VideoDownloads>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A ready asset: the video's MP4 and its audio's M4A, each a link that downloads the file. */
export const Ready: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const video = await canvas.findByRole("link", { name: "Download the video (best quality)" });
    await expect(video).toHaveAttribute("download", "highest.mp4");
    await expect(canvas.getByRole("link", { name: "Download the audio" })).toHaveAttribute("download", "audio.m4a");
  },
};

/** Audio only: a learner offered the lesson's sound (a podcast version). */
export const AudioOnly: Story = {
  args: { kinds: ["audio"] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("link", { name: "Download the audio" });
    await expect(canvas.queryByRole("link", { name: /Download the video/ })).toBeNull();
  },
};

/** For creators (`showStatus`): files the backend is still making say so instead of linking. */
export const Preparing: Story = {
  args: { assetId: preparingAsset.id, showStatus: true, pollIntervalMs: 60_000 },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("Download the video (best quality): being prepared")).toBeVisible();
  },
};

/** A transport without downloads (or a user who may not download): nothing is rendered. */
export const NoDownloads: Story = {
  parameters: { video: { memoryTransport: { assets: [readyAsset], downloads: false } } satisfies VideoProviderParameters },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector(".lvk-downloads")).toBeNull();
  },
};

/** On a phone. */
export const Narrow: Story = {
  decorators: [narrow],
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByRole("link", { name: "Download the video (best quality)" });
  },
};
