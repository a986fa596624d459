import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, waitFor, within } from "storybook/test";
import { VideoPlayer } from "../../src/components/index.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";

const meta = {
  title: "Video/Molecules/VideoPlayer",
  component: VideoPlayer,
  decorators: [column],
  args: {
    src: "/media/lesson-sample.mp4",
    poster: "/media/lesson-poster.jpg",
    title: "Week 3: introduction to hooks",
    aspectRatio: "16:9",
  },
} satisfies Meta<typeof VideoPlayer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** `src` playback, as with the emulator or any non-Mux backend: the player loads lazily. */
export const DirectSource: Story = {
  play: async ({ canvasElement }) => {
    const group = within(canvasElement).getByRole("group", { name: "Week 3: introduction to hooks" });
    await waitFor(() => expect(group).toHaveAttribute("data-state", "ready"), { timeout: 15_000 });
    await waitFor(() => expect(group.querySelector("mux-player")).not.toBeNull());
  },
};

/** From a `VideoAsset` (what `useVideo()` returns once ready). */
export const FromAsset: Story = { args: { src: undefined, poster: undefined, asset: readyAsset } };

/** An audio-only lesson (`asset.audioOnly`, an uploaded audio file): a card with its title, the controls below, no video frame. */
export const AudioOnly: Story = {
  args: {
    src: undefined,
    poster: undefined,
    aspectRatio: undefined,
    title: "Episode 4: the interview",
    asset: { id: "asset-audio", status: "ready", audioOnly: true, duration: 3, playback: { src: "/media/lesson-audio.m4a", type: "audio/mp4", policy: "public" } },
  },
  play: async ({ canvasElement }) => {
    const group = within(canvasElement).getByRole("group", { name: "Episode 4: the interview" });
    await expect(group).toHaveAttribute("data-kind", "audio");
    await expect(within(group).getByText("Audio lesson")).toBeVisible();
    await waitFor(() => expect(group.querySelector("mux-player[audio]")).not.toBeNull());
  },
};

/** `defer`: poster and a Play button; the player's code loads only when the viewer presses Play. */
export const Deferred: Story = {
  args: { defer: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const group = canvas.getByRole("group", { name: "Week 3: introduction to hooks" });
    await expect(group).toHaveAttribute("data-state", "deferred");
    await expect(group.querySelector("mux-player")).toBeNull();
  },
};

export const Portrait: Story = { args: { aspectRatio: "9:16" }, decorators: [narrow] };

export const Dark: Story = { globals: { theme: "dark" } };

export const Narrow: Story = { decorators: [narrow] };
