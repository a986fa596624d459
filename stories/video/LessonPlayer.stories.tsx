import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { LessonPlayer } from "../../src/components/index.js";
import type { LessonProgress } from "../../src/core/watch-progress.js";
import type { VideoAsset } from "../../src/core/types.js";
import { narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";
import { withVideoProvider, type VideoProviderParameters } from "../support/video-provider.js";

/** The sample video with English and French caption files (stories/media). */
const captionedAsset: VideoAsset = {
  ...readyAsset,
  captions: [
    { id: "track-en", languageCode: "en", name: "English", closedCaptions: false, status: "ready", source: "uploaded", src: "/media/lesson-sample.en.vtt" },
    { id: "track-fr", languageCode: "fr", name: "Français", closedCaptions: false, status: "ready", source: "uploaded", src: "/media/lesson-sample.fr.vtt" },
  ],
};

const chapters = [
  { startTime: 0, title: "Welcome" },
  { startTime: 1, title: "What a closure keeps" },
];

const saved = (change: Partial<LessonProgress>): LessonProgress => ({
  lessonId: "lesson-1",
  position: 0,
  duration: 100,
  watched: [],
  watchedSeconds: 0,
  completedAt: null,
  updatedAt: "2026-12-01T10:00:00.000Z",
  ...change,
});

const meta = {
  title: "Video/Organisms/LessonPlayer",
  component: LessonPlayer,
  decorators: [withVideoProvider],
  args: { lessonId: "lesson-1", asset: captionedAsset, title: "Closures", chapters, onProgress: fn(), onComplete: fn() },
  parameters: { video: {} satisfies VideoProviderParameters },
} satisfies Meta<typeof LessonPlayer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The video with its chapters and the transcript of its captions. */
export const WithTranscript: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole("navigation", { name: "Chapters" })).toBeVisible();
    await expect(await canvas.findByRole("button", { name: /Today we look at closures\./ })).toBeVisible();
    await expect(canvas.getByRole("combobox", { name: "Transcript language" })).toHaveValue("en");
  },
};

/** Searching the transcript: the match count and previous/next. */
export const Search: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("button", { name: /Today we look at closures\./ });
    await userEvent.type(canvas.getByRole("searchbox", { name: "Search the transcript" }), "closure");
    await expect(canvas.getByRole("status")).toHaveTextContent("1 of 2");
    await userEvent.click(canvas.getByRole("button", { name: "Next match" }));
    await expect(canvas.getByRole("status")).toHaveTextContent("2 of 2");
  },
};

/** No match for the search. */
export const NoMatches: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("button", { name: /Today we look at closures\./ });
    await userEvent.type(canvas.getByRole("searchbox", { name: "Search the transcript" }), "python");
    await expect(canvas.getByRole("status")).toHaveTextContent("No matches");
  },
};

/** The transcript in French (the language menu; it also follows the player's caption language). */
export const French: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("button", { name: /Today we look at closures\./ });
    await userEvent.selectOptions(canvas.getByRole("combobox", { name: "Transcript language" }), "Français");
    await expect(await canvas.findByRole("button", { name: /Bienvenue dans le cours\./ })).toBeVisible();
  },
};

/** A learner who left part-way: "Resume at" or "Start over". */
export const ResumeOffered: Story = {
  parameters: { video: { memoryTransport: { progress: { saved: [saved({ position: 754, duration: 1800, watched: [[0, 754]], watchedSeconds: 754 })] } } } satisfies VideoProviderParameters },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole("button", { name: "Resume at 12:34" })).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Start over" }));
    await waitFor(() => expect(canvas.queryByRole("button", { name: "Resume at 12:34" })).toBeNull());
  },
};

/** A lesson the learner completed before. */
export const Completed: Story = {
  parameters: { video: { memoryTransport: { progress: { saved: [saved({ position: 95, watched: [[0, 100]], watchedSeconds: 100, completedAt: "2026-12-01T10:00:00.000Z" })] } } } satisfies VideoProviderParameters },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("Lesson completed")).toBeVisible();
  },
};

/** The learner watched, but their progress could not be saved: they are told, and it is sent again with the next save. */
export const SaveFailed: Story = {
  parameters: { video: { memoryTransport: { progress: { failSaves: true } } } satisfies VideoProviderParameters },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    type Media = HTMLElement & { readyState: number; currentTime: number; muted: boolean; play(): Promise<void>; pause(): void };
    let player: Media | null = null;
    await waitFor(() => {
      player = canvasElement.querySelector<Media>("mux-player");
      void expect(player?.readyState).toBeGreaterThan(0);
    }, { timeout: 20_000 });
    const media = player as unknown as Media;
    media.muted = true;
    // Half a second watched, then a pause saves it (and the save fails).
    const watched = new Promise<void>((resolve) => {
      const check = () => {
        if (media.currentTime < 0.5) return;
        media.removeEventListener("timeupdate", check);
        resolve();
      };
      media.addEventListener("timeupdate", check);
    });
    // A play() the player interrupts while it (re)loads its media rejects with AbortError: play again once it can.
    const play = async (attempts: number): Promise<void> => {
      try {
        await media.play();
      } catch (error) {
        if (attempts <= 1 || !(error instanceof DOMException && error.name === "AbortError")) throw error;
        if (media.readyState < 3) await new Promise((resolve) => media.addEventListener("canplay", resolve, { once: true }));
        await play(attempts - 1);
      }
    };
    await play(3);
    await watched;
    media.pause();
    await expect(await canvas.findByText("Your progress could not be saved. It is kept and sent again.")).toBeVisible();
  },
};

/** The saved progress is being read (a slow backend): the player is there, the resume offer comes when it arrives. */
export const LoadingProgress: Story = {
  parameters: { video: { memoryTransport: { latencyMs: 60_000 } } satisfies VideoProviderParameters },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector(".lvk-lesson-player")).toHaveAttribute("data-state", "loading");
    await expect(within(canvasElement).getByRole("group", { name: "Closures" })).toBeVisible();
  },
};

/** No captions and no chapters: the player alone. */
export const PlayerOnly: Story = {
  args: { asset: readyAsset, chapters: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("group", { name: "Closures" })).toBeVisible();
    await expect(within(canvasElement).queryByRole("navigation", { name: "Chapters" })).toBeNull();
  },
};

/** On a phone: everything in one column. */
export const Narrow: Story = {
  decorators: [narrow],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole("button", { name: /Today we look at closures\./ })).toBeVisible();
  },
};
