import type { Decorator, Preview } from "@storybook/react-vite";
import "../src/components/styles.css";
import "./preview.css";
import { configure } from "storybook/test";

// Text queries skip the shared live region: it repeats what the page says ("Lesson saved.") for screen
// readers, and whether it still holds the text when a play function looks depends on timing.
// `waitFor`/`findBy*` return as soon as the page shows what they wait for; the 1 s default ceiling is a guess that a
// busy 2-core CI machine misses (an image, a lazily loaded player or transcript that Vite's dev server compiles on its
// first request), so the ceiling is 30 s, half the test timeout. A play function that waits on a DOM event (an
// image's `load`) waits on that event instead.
configure({ defaultIgnore: "script, style, [data-lvk-announcer]", asyncUtilTimeout: 30_000 });

/** Applies the toolbar's theme and direction to the story's own root, like a host page would. */
const withThemeAndDirection: Decorator = (Story, context) => {
  const theme = context.globals.theme === "dark" ? "dark" : "light";
  const direction = context.globals.direction === "rtl" ? "rtl" : "ltr";
  return (
    <div data-theme={theme} dir={direction} lang={direction === "rtl" ? "ar" : "en"} className="lvk-story-root">
      <Story />
    </div>
  );
};

const preview: Preview = {
  decorators: [withThemeAndDirection],
  globalTypes: {
    theme: {
      description: "Colour theme",
      toolbar: {
        title: "Theme",
        icon: "mirror",
        items: [
          { value: "light", title: "Light" },
          { value: "dark", title: "Dark" },
        ],
        dynamicTitle: true,
      },
    },
    direction: {
      description: "Text direction",
      toolbar: {
        title: "Direction",
        icon: "transfer",
        items: [
          { value: "ltr", title: "Left to right" },
          { value: "rtl", title: "Right to left" },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: "light", direction: "ltr" },
  parameters: {
    layout: "padded",
    // The introduction and theming pages first, then the components from atoms up.
    options: {
      storySort: { order: ["Introduction", "Theming", "Video", ["Atoms", "Molecules", "Organisms"], "Form", ["Atoms", "Molecules", "Organisms"], "Docs"] },
    },
    controls: { expanded: true, matchers: { color: /(background|color)$/i } },
    // Every story is an axe test: a violation fails it in `vitest --project storybook`. The inside of
    // <mux-player> is Mux's shadow DOM (its hidden error dialog has no name), not this kit's markup.
    // axe ships WCAG 2.2's target-size rule (24×24 CSS px, wcag22aa) disabled; the kit promises it, so it runs.
    a11y: {
      test: "error",
      context: { include: [".lvk-story-root"], exclude: ["mux-player"] },
      config: { rules: [{ id: "target-size", enabled: true }] },
    },
  },
  tags: ["autodocs"],
};

export default preview;
