import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { FormField } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Form/Atoms/FormField",
  component: FormField,
  decorators: [column],
  args: {
    label: "Title",
    hint: "What learners see in the lesson list.",
    required: true,
    children: <input className="lvk-field__control" defaultValue="Introduction to hooks" />,
  },
  argTypes: { children: { control: false } },
} satisfies Meta<typeof FormField>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole("textbox", { name: /Title/ });
    await expect(input).toHaveAccessibleDescription("What learners see in the lesson list.");
  },
};

export const WithError: Story = {
  args: { error: "Enter a title.", children: <input className="lvk-field__control" defaultValue="" /> },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole("textbox", { name: /Title/ });
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(input).toHaveAccessibleDescription(/Enter a title\./);
  },
};

export const WithCounter: Story = { args: { counter: "21 of 120 characters" } };

export const Textarea: Story = {
  args: { label: "Description", required: false, children: <textarea className="lvk-field__control" rows={4} /> },
};

export const RightToLeft: Story = { args: { label: "العنوان", hint: "ما يراه المتعلمون" }, globals: { direction: "rtl" } };

export const Dark: Story = { args: { error: "Enter a title." }, globals: { theme: "dark" } };

export const Narrow: Story = { args: { error: "Title must be 120 characters or fewer." }, decorators: [narrow] };
