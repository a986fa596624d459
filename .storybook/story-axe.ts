/**
 * axe on a rendered story's root with the rules the Storybook project holds every story to (`parameters.a11y` in
 * preview.tsx: WCAG 2.2 AA with the target-size rule on; the inside of <mux-player> is Mux's shadow DOM, not the
 * kit's markup). Each violation as `rule: targets`; none is `[]`. Used by the other-theme check in preview.tsx and by
 * the locale renders of test/browser/stories.
 */
export async function storyAxeViolations(root: HTMLElement): Promise<string[]> {
  const axe = (await import("axe-core")).default;
  const result = await axe.run({ include: [root], exclude: [...root.querySelectorAll("mux-player")] }, { rules: { "target-size": { enabled: true } } });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}
