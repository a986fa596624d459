import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, waitFor, within } from "storybook/test";
import { VideoThumbnail } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { imageSettled } from "../support/image-settled.js";

const meta = {
  title: "Video/Atoms/VideoThumbnail",
  component: VideoThumbnail,
  decorators: [column],
  args: { src: "/media/lesson-poster.jpg", alt: "Colour bars from the lesson's opening", aspectRatio: "16:9" },
} satisfies Meta<typeof VideoThumbnail>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    const image = within(canvasElement).getByRole<HTMLImageElement>("img", { name: "Colour bars from the lesson's opening" });
    await expect(await imageSettled(image)).toBe("load");
    await waitFor(() => expect(image.closest("[data-state]")).toHaveAttribute("data-state", "loaded"));
  },
};

export const Unavailable: Story = {
  args: { src: "/media/missing-thumbnail.jpg" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const image = canvas.getByRole<HTMLImageElement>("img", { name: "Colour bars from the lesson's opening" });
    await expect(await imageSettled(image)).toBe("error");
    await waitFor(() => expect(canvas.getByText("Preview not available")).toBeVisible());
  },
};

export const NoVideoYet: Story = { args: { src: undefined, alt: "No video yet" } };

export const Square: Story = { args: { aspectRatio: "1:1" }, decorators: [narrow] };

export const Dark: Story = { args: { src: "/media/missing-thumbnail.jpg" }, globals: { theme: "dark" } };
