import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fireEvent, fn, userEvent, waitFor, within } from "storybook/test";
import { TrimEditor } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Molecules/TrimEditor",
  component: TrimEditor,
  decorators: [column],
  args: { asset: readyAsset, onChange: fn() },
} satisfies Meta<typeof TrimEditor>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No trim: the sliders span the whole video and Reset has nothing to undo. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("slider", { name: "Start" })).toHaveAttribute("aria-valuetext", "0:00 of 0:02");
    await expect(canvas.getByRole("slider", { name: "End" })).toHaveAttribute("aria-valuetext", "0:02 of 0:02");
    await expect(canvas.getByText("No trim: learners see the whole video.")).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Reset to the full video" })).toBeDisabled();
  },
};

/** A saved trim: the band shows the kept part; Reset brings the whole video back. */
export const Trimmed: Story = {
  args: { defaultValue: { startTime: 0.4, endTime: 1.8 } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("Learners see 0:01.4 of 0:02.")).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Reset to the full video" }));
    await expect(args.onChange).toHaveBeenCalledWith(undefined);
    await waitFor(() => expect(canvas.getByText("No trim: learners see the whole video.")).toBeVisible());
  },
};

/** Moving the start slider reports the new trim (real key presses are in the Chromium tests). */
export const MoveTheStart: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const start = canvas.getByRole("slider", { name: "Start" });
    await fireEvent.change(start, { target: { value: "0.5" } });
    await expect(args.onChange).toHaveBeenCalledWith({ startTime: 0.5, endTime: 2 });
    await expect(canvas.getByRole("textbox", { name: "Start time" })).toHaveValue("0:00.5");
  },
};

/** An end before the start: the field says so and nothing is reported. */
export const Invalid: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const end = canvas.getByRole("textbox", { name: "End time" });
    await userEvent.clear(end);
    await userEvent.type(end, "0:00.5");
    await userEvent.click(canvas.getByRole("textbox", { name: "Start time" }));
    await userEvent.clear(canvas.getByRole("textbox", { name: "Start time" }));
    await userEvent.type(canvas.getByRole("textbox", { name: "Start time" }), "1");
    await userEvent.tab();
    await waitFor(() => expect(canvas.getByText("The end must come after the start.")).toBeVisible());
    await expect(end).toHaveAttribute("aria-invalid", "true");
    await expect(canvasElement.querySelector(".lvk-trim")).toHaveAttribute("data-state", "invalid");
    await expect(args.onChange).not.toHaveBeenCalledWith({ startTime: 1, endTime: 0.5 });
  },
};

/**
 * `onClipCreated` inside a provider whose transport has `createClip`: "Save as a new video" makes a frame-accurate
 * clipped asset of the kept part, for the lesson to use instead of a trim at playback.
 */
export const SaveAsNewVideo: Story = {
  decorators: [withVideoProvider],
  args: { defaultValue: { startTime: 0.4, endTime: 1.8 }, onClipCreated: fn() },
  parameters: { video: { memoryTransport: { assets: [readyAsset] } } satisfies VideoProviderParameters },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Save as a new video" }));
    await waitFor(() =>
      expect(args.onClipCreated).toHaveBeenCalledWith(expect.objectContaining({ status: "preparing" }), { startTime: 0.4, endTime: 1.8 }),
    );
  },
};

/** The new video could not be made (the backend refused, the network dropped): the error, with Retry. */
export const SaveAsNewVideoFailed: Story = {
  decorators: [withVideoProvider],
  args: { defaultValue: { startTime: 0.4, endTime: 1.8 }, onClipCreated: fn() },
  parameters: { video: { memoryTransport: { assets: [readyAsset], createUploadError: "network" } } satisfies VideoProviderParameters },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Save as a new video" }));
    await expect(await canvas.findByText("The new video could not be made")).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Retry" })).toBeVisible();
    await expect(args.onClipCreated).not.toHaveBeenCalled();
  },
};

export const Narrow: Story = { decorators: [narrow], args: { defaultValue: { startTime: 0.4, endTime: 1.8 } } };
