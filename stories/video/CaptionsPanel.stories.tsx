import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { CaptionsPanel } from "../../src/components/index.js";
import type { VideoAsset } from "../../src/core/types.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";
import { withVideoProvider } from "../support/video-provider.js";

const captionedAsset: VideoAsset = {
  ...readyAsset,
  captions: [
    { id: "track-en", languageCode: "en", name: "English", closedCaptions: true, status: "ready", source: "uploaded" },
    { id: "track-de", languageCode: "de", name: "Deutsch", closedCaptions: false, status: "ready", source: "generated" },
  ],
};

const meta = {
  title: "Video/Organisms/CaptionsPanel",
  component: CaptionsPanel,
  decorators: [withVideoProvider, column],
  args: { asset: captionedAsset, onTracksChange: fn(), pollIntervalMs: 300 },
  parameters: { video: { memoryTransport: { assets: [captionedAsset], captionProcessingMs: 900 } } },
} satisfies Meta<typeof CaptionsPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

const panel = (root: HTMLElement) => root.querySelector<HTMLElement>(".lvk-captions");

export const WithTracks: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelectorAll("[data-track-id]")).toHaveLength(2));
  },
};

export const NoCaptionsYet: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset] } } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByText("This video has no captions yet.")).toBeVisible());
  },
};

/** A checked file added in Brazilian Portuguese: the track shows preparing, then ready. */
export const AddAFile: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset], captionProcessingMs: 900 } } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByText("This video has no captions yet.")).toBeVisible());
    await userEvent.upload(canvas.getByLabelText("Caption file"), new File(["WEBVTT\n\n00:00:00.200 --> 00:00:01.500\nOlá\n"], "aula.vtt", { type: "text/vtt" }));
    await waitFor(() => expect(canvas.getByText("aula.vtt: 1 cue, WebVTT.")).toBeVisible());
    await userEvent.selectOptions(canvas.getByLabelText("Language"), "pt-BR");
    await userEvent.click(canvas.getByLabelText("Closed captions"));
    await userEvent.click(canvas.getByRole("button", { name: "Add captions" }));
    await waitFor(() => expect(canvasElement.querySelector("[data-track-id]")).toHaveAttribute("data-status", "ready"), { timeout: 5000 });
    await expect(args.onTracksChange).toHaveBeenCalledWith([expect.objectContaining({ languageCode: "pt-BR", status: "preparing" })]);
    await expect(args.onTracksChange).toHaveBeenLastCalledWith([expect.objectContaining({ languageCode: "pt-BR", closedCaptions: true, status: "ready" })]);
  },
};

/** A file with a broken cue: refused in the browser, Add stays disabled. */
export const InvalidFile: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset] } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(canvas.getByLabelText("Caption file"), new File(["WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nBackwards\n"], "broken.vtt", { type: "text/vtt" }));
    await waitFor(() => expect(canvas.getByText(/Line 3: the cue ends/)).toBeVisible());
    await expect(canvas.getByRole("button", { name: "Add captions" })).toBeDisabled();
  },
};

/** The backend fails to process an added file: the row says so, with the reason. */
export const TrackErrored: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset], captionProcessingMs: 300, captionError: true } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(canvas.getByLabelText("Caption file"), new File(["WEBVTT\n\n00:00:00.200 --> 00:00:01.500\nHi\n"], "hi.vtt", { type: "text/vtt" }));
    await waitFor(() => expect(canvas.getByRole("button", { name: "Add captions" })).toBeEnabled());
    await userEvent.click(canvas.getByRole("button", { name: "Add captions" }));
    await waitFor(() => expect(canvasElement.querySelector("[data-track-id]")).toHaveAttribute("data-status", "errored"), { timeout: 5000 });
    await expect(canvas.getByText("The caption file could not be read.")).toBeVisible();
  },
};

/** Generated captions: a language picker and one request; the track is generated and preparing. */
export const GenerateCaptions: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset], captionProcessingMs: 600 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByText("This video has no captions yet.")).toBeVisible());
    await userEvent.selectOptions(canvas.getByLabelText("Spoken language"), "es");
    await userEvent.click(canvas.getByRole("button", { name: "Generate captions" }));
    await waitFor(() => expect(canvas.getByText("Generated")).toBeVisible());
    await waitFor(() => expect(canvasElement.querySelector("[data-track-id]")).toHaveAttribute("data-status", "ready"), { timeout: 5000 });
  },
};

/** A backend that cannot transcribe: the generated track ends errored with its reason. */
export const GenerationNotAvailable: Story = {
  args: { asset: readyAsset },
  parameters: { video: { memoryTransport: { assets: [readyAsset], captionProcessingMs: 300, generatedCaptions: "errored" } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByRole("button", { name: "Generate captions" })).toBeEnabled());
    await userEvent.click(canvas.getByRole("button", { name: "Generate captions" }));
    await waitFor(() => expect(canvas.getByText("speech-to-text is not emulated")).toBeVisible(), { timeout: 5000 });
  },
};

export const WithoutGenerate: Story = { args: { allowGenerate: false } };

/** A transport without caption methods: the panel renders nothing. */
export const HiddenWithoutCaptionMethods: Story = {
  parameters: { video: { memoryTransport: { assets: [captionedAsset], captions: false } } },
  play: async ({ canvasElement }) => {
    await expect(panel(canvasElement)).toBeNull();
  },
};

export const Narrow: Story = { decorators: [narrow] };
