import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { UploadButton } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Video/Atoms/UploadButton",
  component: UploadButton,
  decorators: [column],
  args: {
    onFileSelect: fn(),
    variant: "button",
    accept: "video/*",
    disabled: false,
  },
  argTypes: {
    variant: { control: "inline-radio", options: ["button", "dropzone"] },
    dragState: { control: "inline-radio", options: [undefined, "dragging", "rejecting"] },
  },
} satisfies Meta<typeof UploadButton>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Button: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole("button", { name: "Choose a video" });
    await userEvent.tab();
    await expect(button).toHaveFocus();
    const input = canvasElement.querySelector<HTMLInputElement>("input[type=file]");
    const file = new File([new Uint8Array(16)], "lesson.mp4", { type: "video/mp4" });
    await userEvent.upload(input as HTMLInputElement, file);
    await expect(args.onFileSelect).toHaveBeenCalledWith(file);
  },
};

export const DropZone: Story = {
  args: { variant: "dropzone", description: "MP4, MOV, WebM or MKV, up to 5 GB" },
  play: async ({ canvasElement }) => {
    const zone = within(canvasElement).getByRole("button", { name: "Drag a video here or choose a file" });
    await expect(zone).toHaveAccessibleDescription("MP4, MOV, WebM or MKV, up to 5 GB");
    await expect(zone).toHaveAttribute("data-state", "idle");
  },
};

export const Dragging: Story = {
  args: { variant: "dropzone", dragState: "dragging", description: "MP4, MOV, WebM or MKV, up to 5 GB" },
};

export const RejectingAFile: Story = {
  args: { variant: "dropzone", dragState: "rejecting", description: "MP4, MOV, WebM or MKV, up to 5 GB" },
};

export const Disabled: Story = {
  args: { variant: "dropzone", disabled: true, description: "Uploads are turned off for this lesson" },
};

export const LongLabel: Story = {
  args: {
    variant: "dropzone",
    children: "Drag the recording of this week's extremely long workshop on distributed systems here, or choose a file",
    description: "MP4, MOV, WebM or MKV, up to 5 GB",
  },
};

export const RightToLeft: Story = {
  args: { variant: "dropzone", children: "اسحب مقطع فيديو إلى هنا أو اختر ملفًا", description: "MP4, MOV, WebM, MKV — 5 GB" },
  globals: { direction: "rtl" },
};

export const Dark: Story = {
  args: { variant: "dropzone", description: "MP4, MOV, WebM or MKV, up to 5 GB" },
  globals: { theme: "dark" },
};

export const Narrow: Story = {
  args: { variant: "dropzone", description: "MP4, MOV, WebM or MKV, up to 5 GB" },
  decorators: [narrow],
};
