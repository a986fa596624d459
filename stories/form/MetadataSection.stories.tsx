import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, userEvent, within } from "storybook/test";
import { MetadataSection, type LessonMetadata } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Form/Molecules/MetadataSection",
  component: MetadataSection,
  decorators: [column],
  args: {
    value: { title: "Introduction to hooks", description: "State, effects and the rules of hooks, with a small exercise." },
    onChange: () => undefined,
    titleMaxLength: 120,
    descriptionMaxLength: 5000,
  },
  render: function Render(args) {
    const [value, setValue] = useState<LessonMetadata>(args.value);
    return <MetadataSection {...args} value={value} onChange={setValue} />;
  },
} satisfies Meta<typeof MetadataSection>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Filled: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const title = canvas.getByRole("textbox", { name: /Title/ });
    await userEvent.type(title, "!");
    await expect(canvas.getByText("22 of 120 characters")).toBeVisible();
  },
};

export const Empty: Story = { args: { value: { title: "", description: "" } } };

export const WithErrors: Story = {
  args: {
    value: { title: "", description: "x".repeat(60) },
    descriptionMaxLength: 50,
    errors: { title: "Enter a title.", description: "Description must be 50 characters or fewer." },
  },
};

export const RightToLeft: Story = {
  args: { value: { title: "مقدمة إلى الخطافات", description: "الحالة والتأثيرات وقواعد الخطافات." } },
  globals: { direction: "rtl" },
};

export const Dark: Story = { args: { errors: { title: "Enter a title." }, value: { title: "", description: "" } }, globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
