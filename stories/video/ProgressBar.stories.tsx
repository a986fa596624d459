import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { ProgressBar } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Video/Atoms/ProgressBar",
  component: ProgressBar,
  decorators: [column],
  args: { label: "Upload progress", value: 42 },
  argTypes: { value: { control: { type: "range", min: 0, max: 100, step: 1 } } },
} satisfies Meta<typeof ProgressBar>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Determinate: Story = {
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Upload progress" });
    await expect(bar).toHaveAttribute("aria-valuenow", "42");
    await expect(bar).toHaveAttribute("data-state", "loading");
  },
};

export const WithValueText: Story = { args: { value: 30, valueText: "12 MB of 40 MB" } };

export const Complete: Story = { args: { value: 100 } };

export const Indeterminate: Story = {
  args: { value: null, label: "Processing progress" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Processing progress" });
    await expect(bar).not.toHaveAttribute("aria-valuenow");
    await expect(bar).toHaveAttribute("data-state", "indeterminate");
  },
};

export const RightToLeft: Story = { args: { value: 64 }, globals: { direction: "rtl" } };

export const Dark: Story = { args: { value: 64 }, globals: { theme: "dark" } };

export const Narrow: Story = { args: { value: 64 }, decorators: [narrow] };
