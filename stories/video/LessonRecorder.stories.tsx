import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { LessonRecorder } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { canvasMedia } from "../support/canvas-media.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Organisms/LessonRecorder",
  component: LessonRecorder,
  decorators: [withVideoProvider, column],
  // A canvas stands in for the camera and the screen: no device, no permission prompt.
  args: { onUploaded: fn(), onKeep: fn(), onDiscard: fn(), getMedia: (source) => Promise.resolve(canvasMedia({ label: source === "camera" ? "Camera" : "Screen" })) },
  parameters: { video: {} satisfies VideoProviderParameters },
} satisfies Meta<typeof LessonRecorder>;

export default meta;
type Story = StoryObj<typeof meta>;

const root = (canvasElement: HTMLElement) => canvasElement.querySelector(".lvk-recorder") as HTMLElement;

/** The choice of source. */
export const ChooseSource: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("button", { name: "Record the camera" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Record the screen" })).toBeVisible();
  },
};

/** The camera's preview before recording. */
export const Preview: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await expect(await canvas.findByRole("button", { name: "Start recording" })).toBeVisible();
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-state", "preview"));
  },
};

/** Chooses the camera and starts recording (shared by the stories after it). */
async function startRecording(canvasElement: HTMLElement): Promise<void> {
  const canvas = within(canvasElement);
  await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
  await userEvent.click(await canvas.findByRole("button", { name: "Start recording" }));
  await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-state", "recording"));
}

/** Recording: the time recorded, Pause and Stop, and the upload advancing with no total yet. */
export const Recording: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await canvas.findByRole("button", { name: "Start recording" }));
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-state", "recording"));
    await expect(canvas.getByRole("timer")).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Pause recording" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Stop recording" })).toBeVisible();
  },
};

/** Paused: Resume and Stop. */
export const Paused: Story = {
  play: async (context) => {
    await startRecording(context.canvasElement);
    const canvas = within(context.canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Pause recording" }));
    await waitFor(() => expect(root(context.canvasElement)).toHaveAttribute("data-state", "paused"));
    await expect(canvas.getByRole("button", { name: "Resume recording" })).toBeVisible();
  },
};

/** Stopped: play the recording back, keep it or record again (the whole flow to a ready video runs in Chromium against the emulator: test/browser/components/lesson-recorder.test.tsx). */
export const Review: Story = {
  play: async (context) => {
    await startRecording(context.canvasElement);
    const canvas = within(context.canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Stop recording" }));
    await expect(await canvas.findByLabelText("Your recording")).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Keep this recording" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Record again" })).toBeVisible();
  },
};

/** The browser refused the camera: the reason, and a way back. */
export const PermissionDenied: Story = {
  args: { getMedia: () => Promise.reject(new DOMException("Permission denied", "NotAllowedError")) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await expect(await canvas.findByRole("alert")).toHaveTextContent("Access to the camera, microphone or screen was refused.");
    await expect(canvas.getByRole("button", { name: "Cancel" })).toBeVisible();
  },
};

/** A recording a page left on the device (the `store`): upload it, download it, or discard it. */
export const RecoveredRecording: Story = {
  args: {
    store: {
      append: () => Promise.resolve(),
      list: () => Promise.resolve([{ id: "r1", name: "recording-2026-12-06.webm", type: "video/webm", startedAt: 0, bytes: 48_200_000, pieces: 120 }]),
      read: () => Promise.resolve(new Blob(["not played in this story"], { type: "video/webm" })),
      remove: () => Promise.resolve(),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(/A recording was not finished uploading: recording-2026-12-06\.webm/)).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Upload it" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Download it" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Discard it" })).toBeVisible();
  },
};

export const Narrow: Story = { ...Preview, decorators: [withVideoProvider, narrow] };
