import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { ChaptersEditor } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";

const meta = {
  title: "Form/Molecules/ChaptersEditor",
  component: ChaptersEditor,
  decorators: [column],
  args: {
    onChange: fn(),
    durationSeconds: 600,
    defaultValue: [
      { startTime: 0, title: "Why hooks" },
      { startTime: 95, title: "useState" },
      { startTime: 330, title: "useEffect and cleanup" },
    ],
  },
} satisfies Meta<typeof ChaptersEditor>;

export default meta;
type Story = StoryObj<typeof meta>;

export const WithChapters: Story = {};

export const Empty: Story = { args: { defaultValue: [] } };

/** Every problem at once: not a time, the same start twice, after the end, no title. */
export const Invalid: Story = {
  args: {
    showAllErrors: true,
    defaultValue: [
      { startTime: 0, title: "Intro" },
      { startTime: 0, title: "" },
      { startTime: Number.NaN, title: "Setup" },
      { startTime: 900, title: "Too late" },
    ],
  },
};

/** Add a chapter from the keyboard: its time field takes focus; Remove returns focus to the row above. */
export const KeyboardEditing: Story = {
  args: { defaultValue: [{ startTime: 0, title: "Intro" }] },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Add chapter" }));
    const time = canvas.getByRole("textbox", { name: "Start of chapter 2" });
    await waitFor(() => expect(time).toHaveFocus());
    await userEvent.clear(time);
    await userEvent.type(time, "2:30");
    await userEvent.tab();
    await userEvent.type(canvas.getByRole("textbox", { name: "Title of chapter 2" }), "Practice");
    await expect(args.onChange).toHaveBeenLastCalledWith([
      { startTime: 0, title: "Intro" },
      { startTime: 150, title: "Practice" },
    ]);
    await userEvent.click(canvas.getByRole("button", { name: "Remove chapter 2" }));
    await waitFor(() => expect(canvas.getByRole("button", { name: "Remove chapter 1" })).toHaveFocus());
  },
};

export const Narrow: Story = { decorators: [narrow] };
