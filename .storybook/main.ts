import type { StorybookConfig } from "@storybook/react-vite";

const config: StorybookConfig = {
  // The introduction and theming pages (MDX) and the theme playground's stories live in stories/docs/.
  stories: ["../stories/docs/**/*.mdx", "../stories/**/*.stories.@(ts|tsx)"],
  addons: ["@storybook/addon-docs", "@storybook/addon-a11y", "@storybook/addon-vitest"],
  framework: { name: "@storybook/react-vite", options: {} },
  staticDirs: [{ from: "../stories/media", to: "/media" }],
  core: { disableTelemetry: true },
  typescript: { reactDocgen: "react-docgen-typescript" },
};

export default config;
