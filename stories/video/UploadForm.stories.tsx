import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { UploadForm } from "../../src/components/index.js";
import { createFakeVideoFile } from "../../src/testing/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Video/Molecules/UploadForm",
  component: UploadForm,
  decorators: [column],
  args: { onFileSelect: fn(), disabled: false },
  argTypes: { dragState: { control: "inline-radio", options: [undefined, "dragging", "rejecting"] } },
} satisfies Meta<typeof UploadForm>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {
  play: async ({ canvasElement, args }) => {
    const zone = within(canvasElement).getByRole("button", { name: "Drag a video here or choose a file" });
    await expect(zone).toHaveAccessibleDescription("MP4, MOV, WebM, or MKV, up to 5 GB");
    const file = createFakeVideoFile({ size: 1024 });
    await userEvent.upload(canvasElement.querySelector<HTMLInputElement>("input[type=file]") as HTMLInputElement, file);
    await expect(args.onFileSelect).toHaveBeenCalledWith(file);
  },
};

export const Dragging: Story = { args: { dragState: "dragging" } };

export const RejectingAFile: Story = { args: { dragState: "rejecting" } };

export const Disabled: Story = { args: { disabled: true } };

export const SmallLimit: Story = {
  args: { limits: { maxFileSize: 200_000_000, allowedExtensions: [".mp4", ".webm"] } },
};

export const RightToLeft: Story = { globals: { direction: "rtl" } };

export const Dark: Story = { globals: { theme: "dark" } };

export const DarkDragging: Story = { args: { dragState: "dragging" }, globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
