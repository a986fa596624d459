import type { Decorator, Preview, StoryContext } from "@storybook/react-vite";
import "../src/components/styles.css";
import "./preview.css";
import { configure } from "storybook/test";
import { LocaleProvider, shippedLocales } from "../src/locales/index.js";
import { storyAxeViolations } from "./story-axe.js";

// Text queries skip the shared live region: it repeats what the page says ("Lesson saved.") for screen
// readers, and whether it still holds the text when a play function looks depends on timing.
// `waitFor`/`findBy*` return as soon as the page shows what they wait for; the 1 s default ceiling is a guess that a
// busy 2-core CI machine misses (an image, a lazily loaded player or transcript that Vite's dev server compiles on its
// first request), so the ceiling is 30 s, half the test timeout. A play function that waits on a DOM event (an
// image's `load`) waits on that event instead.
configure({ defaultIgnore: "script, style, [data-lvk-announcer]", asyncUtilTimeout: 30_000 });

/** Locales written right to left: choosing one turns the story's direction too. */
const rightToLeft = new Set(["ar", "he"]);

/** A locale's toolbar title: its name in its own language (`Deutsch (de)`), the pseudo-locale said as such. */
function localeTitle(code: string): string {
  if (code === "en-XA") return "Pseudo-locale (en-XA)";
  const name = new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
  return `${name.charAt(0).toLocaleUpperCase(code)}${name.slice(1)} (${code}${rightToLeft.has(code) ? ", RTL" : ""})`;
}

/**
 * Applies the toolbar's theme, direction and locale to the story's own root, like a host page would. A locale other
 * than English wraps the story in `LocaleProvider`, which loads it (the kit shows English until it arrives).
 */
const withThemeDirectionAndLocale: Decorator = (Story, context) => {
  const theme = context.globals.theme === "dark" ? "dark" : "light";
  const locale = typeof context.globals.locale === "string" ? context.globals.locale : "en";
  const direction = context.globals.direction === "rtl" || rightToLeft.has(locale) ? "rtl" : "ltr";
  return (
    <div data-theme={theme} dir={direction} lang={locale === "en" && direction === "rtl" ? "ar" : locale} className="lvk-story-root">
      {locale === "en" ? (
        <Story />
      ) : (
        <LocaleProvider locale={locale}>
          <Story />
        </LocaleProvider>
      )}
    </div>
  );
};

/**
 * Under `vitest --project storybook` (not in Storybook's own UI), every story's end state is checked by axe in the
 * other theme too: after the play function (and the a11y addon's check in the story's own theme), the story root's
 * `data-theme` flips, axe runs the rules a theme can change (colour contrast: a theme sets colours only, the rest was
 * measured in the story's own theme), and the theme flips back. Colour transitions are held off during
 * the flip so axe measures the colours a reader sees, not a mix. One render and one play per story check both themes.
 */
async function axeInTheOtherTheme(context: StoryContext): Promise<void> {
  if (import.meta.env.VITEST_STORYBOOK !== "false" || context.viewMode !== "story") return;
  const a11y = context.parameters.a11y as { disable?: boolean; test?: string } | undefined;
  if (a11y?.disable === true || a11y?.test === "off" || a11y?.test === "todo") return;
  const root = document.querySelector<HTMLElement>(".lvk-story-root");
  if (!root) return;
  const own = root.dataset.theme;
  const other = own === "dark" ? "light" : "dark";
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition: none !important; }";
  document.head.append(still);
  try {
    root.dataset.theme = other;
    root.getBoundingClientRect(); // a style and layout pass: the theme applies while transitions are held off
    const violations = await storyAxeViolations(root, { coloursOnly: true });
    if (violations.length > 0) throw new Error(`axe violations in the ${other} theme:\n${violations.join("\n")}`);
  } finally {
    if (own === undefined) delete root.dataset.theme;
    else root.dataset.theme = own;
    root.getBoundingClientRect();
    still.remove();
  }
}

const preview: Preview = {
  decorators: [withThemeDirectionAndLocale],
  afterEach: axeInTheOtherTheme,
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
    locale: {
      description: "Language of the kit's messages (en-XA: the pseudo-locale, accented and ~35 % longer)",
      toolbar: {
        title: "Locale",
        icon: "globe",
        items: shippedLocales.map((code) => ({ value: code, title: localeTitle(code) })),
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: "light", direction: "ltr", locale: "en" },
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
