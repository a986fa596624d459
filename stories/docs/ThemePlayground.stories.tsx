import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import { ThemePlayground } from "./ThemePlayground.js";

const meta = {
  title: "Docs/Theme playground",
  component: ThemePlayground,
  parameters: { docs: { description: { component: "The live switcher of the Theming page." } } },
} satisfies Meta<typeof ThemePlayground>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Playground: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const preview = canvas.getByTestId("theme-preview");
    await expect(preview).toHaveAttribute("data-theme", "light");
    await userEvent.click(canvas.getByRole("radio", { name: "Dark" }));
    await expect(preview).toHaveAttribute("data-theme", "dark");
    await expect(canvas.getByText('<div data-theme="dark">…</div>')).toBeVisible();
  },
};

export const CustomPalette: Story = {
  args: { initialTheme: "custom" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByLabelText("Accent (buttons, progress, focus)")).toHaveValue("#0f766e");
    await expect(canvas.getByTestId("theme-preview").style.getPropertyValue("--lvk-color-accent")).toBe("#0f766e");
    await expect(canvas.getByText(/--lvk-color-accent: #0f766e;/)).toBeVisible();
  },
};
