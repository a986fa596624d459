import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { LessonForm, type LessonSubmission } from "../../src/components/index.js";
import { createFakeVideoFile } from "../../src/testing/index.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";
import { withVideoProvider } from "../support/video-provider.js";

const meta = {
  title: "Form/Organisms/LessonForm",
  component: LessonForm,
  decorators: [withVideoProvider, column],
  args: { onSubmit: fn(async (_lesson: LessonSubmission) => undefined) },
} satisfies Meta<typeof LessonForm>;

export default meta;
type Story = StoryObj<typeof meta>;

const existing = {
  id: "lesson-42",
  title: "Introduction to hooks",
  description: "State, effects and the rules of hooks, with a small exercise at the end.",
  video: readyAsset,
};

export const Create: Story = {};

export const Edit: Story = { args: { defaultValue: existing } };

/** Submitting empty shows the errors, links them to the fields and moves focus to the first one. */
export const ValidationErrors: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Create lesson" }));
    const title = canvas.getByRole("textbox", { name: /Title/ });
    await waitFor(() => expect(title).toHaveFocus());
    await expect(title).toHaveAttribute("aria-invalid", "true");
    await expect(title).toHaveAccessibleDescription(/Enter a title\./);
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

/** A valid lesson is submitted, awaited, and the form says it is saved. */
export const SubmitSuccess: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole("textbox", { name: /Title/ }), "Closures in practice");
    await userEvent.type(canvas.getByRole("textbox", { name: /Description/ }), "Functions that remember.");
    await userEvent.click(canvas.getByRole("button", { name: "Create lesson" }));
    await canvas.findByText("Lesson saved.", {}, { timeout: 5000 });
    await expect(args.onSubmit).toHaveBeenCalledWith({
      title: "Closures in practice",
      description: "Functions that remember.",
      videoStatus: "pending",
      uploadId: null,
    });
  },
};

/** The server refuses: its message shows in the form as an alert. */
export const ServerError: Story = {
  args: {
    defaultValue: existing,
    onSubmit: fn(async (_lesson: LessonSubmission): Promise<undefined> => {
      throw Object.assign(new Error("A lesson with this title already exists."), {
        fieldErrors: { title: "Choose another title: this one is taken." },
      });
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Save changes" }));
    const alert = await canvas.findByRole("alert");
    await expect(alert).toHaveTextContent("A lesson with this title already exists.");
    await expect(canvas.getByRole("textbox", { name: /Title/ })).toHaveAccessibleDescription(/this one is taken/);
  },
};

/** While a video uploads, Save waits; "Save now, video continues" saves with the upload still running. */
export const SaveWhileUploading: Story = {
  parameters: { video: { memoryTransport: { bytesPerSecond: 256 * 1024, processingMs: 60_000 } } },
  args: { defaultValue: { title: "Closures in practice", description: "", video: null } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(
      canvasElement.querySelector<HTMLInputElement>("input[type=file]") as HTMLInputElement,
      createFakeVideoFile({ name: "closures.mp4", size: 8 * 1024 * 1024 }),
    );
    // Generous: in the dev server the upload's code and views compile on their first import.
    await canvas.findByRole("button", { name: "Pause" }, { timeout: 15_000 });
    await expect(canvas.getByRole("button", { name: "Create lesson" })).toBeDisabled();
    await userEvent.click(canvas.getByRole("button", { name: "Save now, video continues" }));
    await canvas.findByText("Lesson saved.", {}, { timeout: 5000 });
    const [lesson] = args.onSubmit.mock.calls[0] ?? [];
    await expect(lesson).toMatchObject({ title: "Closures in practice", videoStatus: "processing" });
    await expect(lesson?.uploadId).toMatch(/\S/);
  },
};

export const Saving: Story = {
  args: { defaultValue: existing, onSubmit: fn((_lesson: LessonSubmission) => new Promise<undefined>(() => undefined)) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Save changes" }));
    await expect(canvas.getByRole("button", { name: "Saving…" })).toBeDisabled();
  },
};

export const RightToLeft: Story = {
  args: {
    defaultValue: { title: "مقدمة إلى الخطافات", description: "الحالة والتأثيرات وقواعد الخطافات.", video: null },
    messages: { form: { title: "العنوان", description: "الوصف", submitCreate: "إنشاء الدرس" } },
  },
  globals: { direction: "rtl" },
};

export const Dark: Story = { args: { defaultValue: existing }, globals: { theme: "dark" } };

export const DarkCreate: Story = { globals: { theme: "dark" } };

export const Narrow: Story = { args: { defaultValue: existing }, decorators: [narrow] };
