import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { CaptionTrackList } from "../../src/components/index.js";
import type { CaptionTrack } from "../../src/core/types.js";
import { column, narrow } from "../narrow.js";

const tracks: CaptionTrack[] = [
  { id: "t1", languageCode: "en", name: "English", closedCaptions: true, status: "ready", source: "uploaded" },
  { id: "t2", languageCode: "pt-BR", name: "Português (Brasil)", closedCaptions: false, status: "preparing", source: "uploaded" },
  { id: "t3", languageCode: "de", name: "Deutsch", closedCaptions: false, status: "ready", source: "generated" },
  {
    id: "t4",
    languageCode: "fr",
    name: "Français",
    closedCaptions: false,
    status: "errored",
    source: "generated",
    error: { type: "not_emulated", message: "speech-to-text is not emulated" },
  },
];

const meta = {
  title: "Video/Molecules/CaptionTrackList",
  component: CaptionTrackList,
  decorators: [column],
  args: { tracks, onRemove: fn() },
} satisfies Meta<typeof CaptionTrackList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Every status: ready, preparing, errored with its reason; closed captions and generated badges. */
export const Statuses: Story = {};

export const Empty: Story = { args: { tracks: [] } };

export const ReadOnly: Story = { render: (args) => <CaptionTrackList tracks={args.tracks} /> };

export const Removing: Story = { args: { removingId: "t1" } };

/** Remove asks first; "No" returns focus to the row's Remove button, "Yes" calls onRemove. */
export const ConfirmingRemove: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Remove English" }));
    const keep = canvas.getByRole("button", { name: "No, keep" });
    await waitFor(() => expect(keep).toHaveFocus());
    await userEvent.click(keep);
    await waitFor(() => expect(canvas.getByRole("button", { name: "Remove English" })).toHaveFocus());
    await expect(args.onRemove).not.toHaveBeenCalled();
    await userEvent.click(canvas.getByRole("button", { name: "Remove English" }));
    await userEvent.click(canvas.getByRole("button", { name: "Yes, remove" }));
    await expect(args.onRemove).toHaveBeenCalledWith(tracks[0]);
  },
};

export const Narrow: Story = { decorators: [narrow] };
