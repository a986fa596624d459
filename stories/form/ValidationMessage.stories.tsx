import type { Meta, StoryObj } from "@storybook/react-vite";
import { ValidationMessage } from "../../src/components/index.js";
import { narrow } from "../narrow.js";

const meta = {
  title: "Form/Atoms/ValidationMessage",
  component: ValidationMessage,
  args: { children: "Enter a title.", id: "title-error" },
} satisfies Meta<typeof ValidationMessage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {};

export const Long: Story = {
  args: { children: "Description must be 5000 characters or fewer. Shorten it, or move details into the lesson's notes." },
  decorators: [narrow],
};

export const Dark: Story = { globals: { theme: "dark" } };
