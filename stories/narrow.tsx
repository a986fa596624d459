import type { Decorator } from "@storybook/react-vite";

/** Renders a story in a phone-width column (320 CSS px) to show wrapping and truncation. */
export const narrow: Decorator = (Story) => (
  <div style={{ maxWidth: 320 }}>
    <Story />
  </div>
);

/** A comfortable content width, like a form column in a host app. */
export const column: Decorator = (Story) => (
  <div style={{ maxWidth: 640 }}>
    <Story />
  </div>
);
