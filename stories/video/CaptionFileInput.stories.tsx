import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { CaptionFileInput } from "../../src/components/index.js";

const meta = {
  title: "Video/Atoms/CaptionFileInput",
  component: CaptionFileInput,
  args: { onFileChange: fn(), durationSeconds: 120 },
} satisfies Meta<typeof CaptionFileInput>;

export default meta;
type Story = StoryObj<typeof meta>;

const choose = async (canvasElement: HTMLElement, text: string, name: string) => {
  await userEvent.upload(within(canvasElement).getByLabelText("Caption file"), new File([text], name, { type: "text/vtt" }));
};

export const Empty: Story = {};

/** A good file: format and cue count under the input. */
export const Valid: Story = {
  play: async ({ canvasElement, args }) => {
    await choose(canvasElement, "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWelcome\n\n00:00:05.000 --> 00:00:08.000\nToday: hooks\n", "lesson.en.vtt");
    await waitFor(() => expect(within(canvasElement).getByText("lesson.en.vtt: 2 cues, WebVTT.")).toBeVisible());
    await expect(args.onFileChange).toHaveBeenCalledWith(expect.objectContaining({ format: "vtt", cues: 2 }));
  },
};

/** A bad timing line: the message names the line and is the input's description. */
export const InvalidTiming: Story = {
  play: async ({ canvasElement }) => {
    await choose(canvasElement, "1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo milliseconds\n", "lesson.srt");
    const input = within(canvasElement).getByLabelText("Caption file");
    await waitFor(() => expect(input).toHaveAccessibleDescription(expect.stringContaining("Line 6:")));
    await expect(input).toHaveAttribute("aria-invalid", "true");
  },
};

/** A cue after the end of the video. */
export const PastTheEnd: Story = {
  args: { durationSeconds: 3 },
  play: async ({ canvasElement }) => {
    await choose(canvasElement, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\n00:00:05.000 --> 00:00:06.000\nLate\n", "late.vtt");
    await waitFor(() => expect(within(canvasElement).getByText(/Line 6: 00:00:05.000 is after the end of the video/)).toBeVisible());
  },
};

export const Disabled: Story = { args: { disabled: true } };
