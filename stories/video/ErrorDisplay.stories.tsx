import type { Meta, StoryObj } from "@storybook/react-vite";
import type { ComponentProps } from "react";
import { expect, fn, userEvent, within } from "storybook/test";
import { ErrorDisplay, VideoError, videoErrorCodes, type VideoErrorCode } from "../../src/index.js";
import { column, narrow } from "../narrow.js";

type Args = ComponentProps<typeof ErrorDisplay> & { code: VideoErrorCode };

const meta = {
  title: "Video/Atoms/ErrorDisplay",
  component: ErrorDisplay,
  decorators: [column],
  args: { code: "network", title: "Upload failed", onRetry: fn(), error: null },
  argTypes: {
    code: { control: "select", options: videoErrorCodes },
    error: { control: false },
  },
  render: ({ code, ...args }) => <ErrorDisplay {...args} error={new VideoError(code, code)} />,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A retryable error offers Retry. */
export const Retryable: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("The connection was lost. The upload will continue when you retry.")).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Retry" }));
    await expect(args.onRetry).toHaveBeenCalledOnce();
  },
};

/** A file that is not a video cannot be fixed by retrying: no Retry button. */
export const NotRetryable: Story = {
  args: { code: "file_not_video" },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole("button", { name: "Retry" })).toBeNull();
  },
};

export const WithExtraAction: Story = {
  args: { code: "file_too_large" },
  render: ({ code, ...args }) => (
    <ErrorDisplay
      {...args}
      error={new VideoError(code, code)}
      actions={
        <button type="button" className="lvk-button">
          Choose another video
        </button>
      }
    />
  ),
};

/** Every error code with its default English message. */
export const EveryErrorCode: Story = {
  render: (args) => (
    <div style={{ display: "grid", gap: 12 }}>
      {videoErrorCodes.map((code) => (
        <ErrorDisplay key={code} title={code} onRetry={args.onRetry} error={new VideoError(code, code)} />
      ))}
    </div>
  ),
};

export const Translated: Story = {
  args: {
    code: "network",
    title: "Échec de l'envoi",
    messages: {
      errors: { network: "La connexion a été perdue. L'envoi reprendra quand vous réessayerez." },
      status: { retry: "Réessayer" },
    },
  },
};

export const RightToLeft: Story = { globals: { direction: "rtl" } };

export const Dark: Story = { globals: { theme: "dark" } };

export const Narrow: Story = { args: { code: "quota_exceeded" }, decorators: [narrow] };
