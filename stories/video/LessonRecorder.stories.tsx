import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { LessonRecorder } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { canvasMediaDevices } from "../support/canvas-media.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

const meta = {
  title: "Video/Organisms/LessonRecorder",
  component: LessonRecorder,
  decorators: [withVideoProvider, column],
  // Canvases and tones stand in for the camera, the microphone and the screen: no device, no permission prompt. No
  // countdown, except in its own story.
  args: { onUploaded: fn(), onKeep: fn(), onDiscard: fn(), mediaDevices: canvasMediaDevices(), countdownSeconds: 0 },
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
    await expect(canvas.getByRole("button", { name: "Record the screen and camera" })).toBeVisible();
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

/** The screen with the camera as a round bubble over it: the microphone, its level, the shared tab's sound, the bubble's corner. */
export const ScreenAndCamera: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the screen and camera" }));
    await expect(await canvas.findByRole("button", { name: "Start recording" })).toBeVisible();
    await expect(canvas.getByRole("combobox", { name: "Microphone" })).toBeVisible();
    await expect(canvas.getByRole("meter", { name: "Microphone level" })).toBeVisible();
    await expect(canvas.getByRole("checkbox", { name: "Record the sound of the shared tab or screen" })).toBeChecked();
    await userEvent.selectOptions(canvas.getByRole("combobox", { name: "Camera position" }), "Top left");
    await expect(canvas.getByRole("combobox", { name: "Camera position" })).toHaveValue("top-left");
  },
};

/** The countdown between Start and the recording, with a way to call it off. */
export const Countdown: Story = {
  args: { countdownSeconds: 60 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await userEvent.click(await canvas.findByRole("button", { name: "Start recording" }));
    await waitFor(() => expect(root(canvasElement)).toHaveAttribute("data-state", "countdown"));
    // It counts down from 60 while the play function looks (a busy machine may already show 59).
    const said = canvas.getByText(/^Recording starts in \d+$/);
    await expect(said).toBeVisible();
    const left = Number(/\d+$/.exec(said.textContent)?.[0]);
    await expect(left).toBeGreaterThan(0);
    await expect(left).toBeLessThanOrEqual(60);
    await expect(canvas.getByRole("button", { name: "Cancel" })).toBeVisible();
  },
};

/** The browser refused the camera: the reason, and ways on. */
export const PermissionDenied: Story = {
  args: { mediaDevices: canvasMediaDevices({ refuse: "NotAllowedError" }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await expect(await canvas.findByRole("alert")).toHaveTextContent("Access to the camera, microphone or screen was refused.");
    await expect(canvas.getByRole("button", { name: "Try again" })).toBeVisible();
    await expect(canvas.getByRole("button", { name: "Choose another source" })).toBeVisible();
  },
};

/** No camera or microphone connected. */
export const NoDevice: Story = {
  args: { mediaDevices: canvasMediaDevices({ refuse: "NotFoundError" }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Record the camera" }));
    await expect(await canvas.findByRole("alert")).toHaveTextContent("No camera or microphone was found.");
  },
};

/** A browser that cannot record (here: no media API at all): a file upload instead. */
export const Unsupported: Story = {
  args: { mediaDevices: {} },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("alert")).toHaveTextContent("This browser cannot record video.");
    await expect(await canvas.findByRole("button", { name: "Upload a video file instead" })).toBeVisible();
    await expect(root(canvasElement)).toHaveAttribute("data-state", "unsupported");
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
