// Every story rendered in one locale at 390 px (a phone): the kit's messages translated, nothing wider than the
// screen, no axe violation (WCAG 2.2 AA with the target-size rule, as the Storybook project checks). The stories'
// play functions are not run: they read English; the regular Storybook projects run them.
import { composeStories, setProjectAnnotations } from "@storybook/react-vite";
import { cleanup, render, waitFor } from "@testing-library/react";
import type { ComponentType } from "react";
import { page } from "vitest/browser";
import preview from "../../../.storybook/preview.js";
import { finiteAnimationsEnded, storyAxeViolations } from "../../../.storybook/story-axe.js";
import type { Locale } from "../../../src/index.js";
import "../../../src/components/styles.css";

type StoryModule = Parameters<typeof composeStories>[0];
const modules = import.meta.glob<StoryModule>("../../../stories/**/*.stories.tsx", { eager: true });

/** Stories that show a design-system page, not a component (the theme playground's tables of variables). */
const notComponents = /stories\/docs\//;

/** Defines one test per story: rendered with the toolbar's `locale` set to `locale.code`. */
export function everyStoryIn(locale: Locale): void {
  setProjectAnnotations([preview, { initialGlobals: { locale: locale.code } }]);

  beforeAll(async () => {
    await page.viewport(390, 844);
  });
  afterEach(() => cleanup());

  for (const [path, module] of Object.entries(modules)) {
    if (notComponents.test(path)) continue;
    const stories = composeStories(module);
    const file = path.replace(/^.*stories\//, "");
    describe(file, () => {
      for (const [name, Story] of Object.entries<ComponentType>(stories)) {
        it(`${name} renders in ${locale.code} at 390 px without overflow or axe violations`, async () => {
          const { container } = render(<Story />);
          const root = container.querySelector<HTMLElement>(".lvk-story-root")!;
          // The locale module has loaded: the provider's element carries its language.
          await waitFor(() => expect(root.querySelector("[data-lvk-locale]")?.getAttribute("lang")).toBe(locale.code), { timeout: 30_000 });
          expect(root.querySelector("[data-lvk-locale]")).toHaveAttribute("dir", locale.dir);
          await document.fonts.ready;
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          // Finite transitions end (in shadow roots too) before the layout check; storyAxeViolations waits for them
          // again before it measures contrast.
          await finiteAnimationsEnded(root);

          expect(outsideScreen(root).join("\n"), "elements outside the 390 px screen").toBe("");

          expect(await storyAxeViolations(root)).toEqual([]);
        });
      }
    });
  }
}

/**
 * Elements that reach past either edge of the screen and are not clipped by an ancestor that stays on it (a
 * progress bar's indicator slides inside its track; a table scrolls inside its own box).
 */
function outsideScreen(root: HTMLElement): string[] {
  const onScreen = (box: DOMRect) => box.left >= -1 && box.right <= window.innerWidth + 1;
  const clipped = (element: HTMLElement): boolean => {
    for (let parent = element.parentElement; parent && parent !== root.parentElement; parent = parent.parentElement) {
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow !== "visible" && onScreen(parent.getBoundingClientRect())) return true;
    }
    return false;
  };
  return [root, ...root.querySelectorAll<HTMLElement>("*")]
    .filter((element) => element.closest("mux-player") === null)
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && !onScreen(box) && !clipped(element);
    })
    .map((element) => {
      const box = element.getBoundingClientRect();
      const text = (element.textContent ?? "").trim().slice(0, 60);
      return `${element.tagName.toLowerCase()}${[...element.classList].map((name) => `.${name}`).join("")} ${Math.round(box.left)}–${Math.round(box.right)} px "${text}"`;
    });
}
