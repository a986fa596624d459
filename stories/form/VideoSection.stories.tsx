import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { VideoSection } from "../../src/components/index.js";
import type { VideoAsset } from "../../src/core/types.js";
import { column, narrow } from "../narrow.js";
import { readyAsset } from "../support/states.js";
import { withVideoProvider } from "../support/video-provider.js";

const meta = {
  title: "Form/Molecules/VideoSection",
  component: VideoSection,
  decorators: [withVideoProvider, column],
  args: { asset: readyAsset, onAssetChange: () => undefined, videoTitle: "Week 3: introduction to hooks" },
  render: function Render(args) {
    const [asset, setAsset] = useState<VideoAsset | null>(args.asset);
    return <VideoSection {...args} asset={asset} onAssetChange={setAsset} />;
  },
} satisfies Meta<typeof VideoSection>;

export default meta;
type Story = StoryObj<typeof meta>;

export const WithVideo: Story = {};

export const NoVideo: Story = { args: { asset: null } };

export const WithHint: Story = { args: { asset: null, hint: "Landscape 16:9 works best. Up to 2 hours." } };

export const Dark: Story = { args: { asset: null }, globals: { theme: "dark" } };

export const Narrow: Story = { args: { asset: null }, decorators: [narrow] };
