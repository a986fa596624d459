import type { Decorator, Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { LessonInsights } from "../../src/components/index.js";
import { column } from "../narrow.js";
import { lessonInsights } from "../support/lesson-insights.js";

const meta = {
  title: "Video/Organisms/LessonInsights",
  component: LessonInsights,
  decorators: [column],
  args: { data: lessonInsights.typical },
} satisfies Meta<typeof LessonInsights>;

export default meta;
type Story = StoryObj<typeof meta>;

const root = (canvasElement: HTMLElement) => canvasElement.querySelector(".lvk-insights") as HTMLElement;

/** The insights are on their way: a placeholder where the chart will be. */
export const Loading: Story = {
  args: { data: undefined },
  play: async ({ canvasElement }) => {
    await expect(root(canvasElement)).toHaveAttribute("data-state", "loading");
    await expect(root(canvasElement)).toHaveAttribute("aria-busy", "true");
    await expect(within(canvasElement).getByText("Loading the lesson's insights…")).toBeVisible();
  },
};

/** No learner has started the lesson yet. */
export const Empty: Story = {
  args: { data: lessonInsights.empty },
  play: async ({ canvasElement }) => {
    await expect(root(canvasElement)).toHaveAttribute("data-state", "empty");
    await expect(within(canvasElement).getByText("No learner has started this lesson yet.")).toBeVisible();
  },
};

/** A 10-minute lesson with four chapters: the numbers, the curve with the chapters marked, and the table on demand. */
export const Typical: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(root(canvasElement)).toHaveAttribute("data-state", "ready");
    await expect(canvas.getByText("45%")).toBeVisible();
    await expect(await canvas.findByRole("img", { name: "Viewers over the video's 10 min: 120 at the start, 60 at the end. The largest drop, 16 viewers, is between 2 min and 3 min." })).toBeVisible();
    const toggle = canvas.getByRole("button", { name: "Show as a table" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await expect(canvas.getByRole("table", { name: "Viewers for each part of the video" })).toBeVisible();
  },
};

/** Most learners leave during the first minute's welcome. */
export const SteepDropOff: Story = {
  args: { data: lessonInsights.steepDropOff },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole("img", { name: /The largest drop, 100 viewers, is between 30 sec and 1 min 30 sec\./ })).toBeVisible();
  },
};

/** Everyone who started completed it: a flat line at the top, 100 %. */
export const EveryoneCompletes: Story = {
  args: { data: lessonInsights.everyoneCompletes },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("100%")).toBeVisible();
    await expect(await canvas.findByRole("img", { name: "Viewers over the video's 1 min 35 sec: 37 at the start, 37 at the end." })).toBeVisible();
  },
};

/** The insights could not be loaded; a retryable error offers Retry. */
export const Error: Story = {
  args: { data: undefined, error: { code: "network", message: "Failed to fetch", retryable: true }, onRetry: fn() },
  play: async ({ args, canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(root(canvasElement)).toHaveAttribute("data-state", "error");
    await expect(canvas.getByText("The insights could not be loaded.")).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Retry" }));
    await expect(args.onRetry).toHaveBeenCalledOnce();
  },
};

/** A phone-width column (390 CSS px): the chapter titles shorten, nothing sticks out; the table shown. */
const phone: Decorator = (Story) => (
  <div style={{ maxWidth: 390 }}>
    <Story />
  </div>
);

export const Narrow: Story = {
  decorators: [phone],
  args: { defaultShowTable: true },
  play: async ({ canvasElement }) => {
    const section = root(canvasElement);
    await within(canvasElement).findByRole("img");
    await expect(section.scrollWidth).toBeLessThanOrEqual(section.clientWidth);
    await expect(within(canvasElement).getByRole("table")).toBeVisible();
  },
};
