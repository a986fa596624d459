import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, waitFor } from "storybook/test";
import { MuxStockUploader } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { withVideoProvider } from "../support/video-provider.js";

/**
 * Opt-in: Mux's stock `<MuxUploader>` with the kit's transport behind its `endpoint`. Uploading needs a
 * real upload URL (the emulator or Mux), so these stories show its idle state; the upload itself is tested
 * in Chromium against the emulator (test/browser/components/mux-stock-uploader.test.tsx).
 */
const meta = {
  title: "Video/Organisms/MuxStockUploader",
  component: MuxStockUploader,
  decorators: [withVideoProvider, column],
  args: { onUploaded: fn(), onStateChange: fn() },
} satisfies Meta<typeof MuxStockUploader>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {
  play: async ({ canvasElement, args }) => {
    await waitFor(() => expect(canvasElement.querySelector("mux-uploader")).not.toBeNull(), { timeout: 15_000 });
    await expect(args.onStateChange).toHaveBeenCalledWith(expect.objectContaining({ status: "idle" }));
  },
};

export const Dark: Story = { globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
