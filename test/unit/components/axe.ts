import axe from "axe-core";

/**
 * Axe violations inside `container`, as "rule: targets" lines. Colour contrast needs real layout, so it
 * is checked in Chromium by the Storybook project, not here in jsdom.
 */
export async function axeViolations(container: Element): Promise<string[]> {
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}
