import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fireEvent, fn, userEvent, waitFor, within } from "storybook/test";
import { PosterFramePicker } from "../../src/components/index.js";
import type { VideoAsset } from "../../src/core/types.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";

const storyboardAsset: VideoAsset = {
  ...readyAsset,
  playback: { poster: "/media/lesson-poster.jpg", storyboardSrc: "/media/lesson-storyboard.vtt", policy: "public" },
};

const meta = {
  title: "Video/Molecules/PosterFramePicker",
  component: PosterFramePicker,
  decorators: [column],
  args: { asset: readyAsset, onChange: fn() },
} satisfies Meta<typeof PosterFramePicker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No frame chosen yet: the scrubber starts in the middle (Mux's default frame). */
export const NoFrameChosen: Story = {};

export const FrameChosen: Story = { args: { defaultValue: 1.5 } };

/** Scrub to a frame and use it (real key presses are in the Chromium tests). */
export const ChooseAFrame: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const slider = canvas.getByRole("slider", { name: "Frame" });
    await fireEvent.change(slider, { target: { value: "0.2" } });
    await expect(slider).toHaveAttribute("aria-valuetext", "0:00.2 of 0:02");
    await userEvent.click(canvas.getByRole("button", { name: "Use this frame" }));
    await expect(args.onChange).toHaveBeenCalledWith(0.2);
    await waitFor(() => expect(canvas.getByText("Poster frame: 0:00.2")).toBeVisible());
  },
};

/** No direct media URL: the preview is the storyboard tile for the time. */
export const FromStoryboard: Story = { args: { asset: storyboardAsset } };

/** Only a poster URL: the preview asks for the frame with `?time=`. */
export const FromPosterUrl: Story = {
  args: { asset: { ...readyAsset, playback: { poster: "/media/lesson-poster.jpg", policy: "public" } } },
};

export const Narrow: Story = { decorators: [narrow] };
