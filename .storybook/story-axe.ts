/**
 * The rules whose result a theme can change. A theme (styles.css's `[data-theme]` blocks) sets colour and shadow
 * custom properties only, so in the other theme everything but colour is what the first check already measured.
 */
const colourRules = ["color-contrast", "link-in-text-block"];

/**
 * axe on a rendered story's root with the rules the Storybook project holds every story to (`parameters.a11y` in
 * preview.tsx: WCAG 2.2 AA with the target-size rule on; the inside of <mux-player> is Mux's shadow DOM, not the
 * kit's markup). Each violation as `rule: targets`; none is `[]`. Used by the locale renders of test/browser/stories and,
 * with `coloursOnly`, by the other-theme check in preview.tsx.
 */
export async function storyAxeViolations(root: HTMLElement, { coloursOnly = false }: { coloursOnly?: boolean } = {}): Promise<string[]> {
  await finiteAnimationsEnded(root);
  const axe = (await import("axe-core")).default;
  const context = { include: [root], exclude: [...root.querySelectorAll("mux-player")] };
  const result = await axe.run(context, coloursOnly ? { runOnly: { type: "rule", values: colourRules } } : { rules: { "target-size": { enabled: true } } });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

/**
 * Waits until the finite animations and transitions on the page have ended, those in the open shadow roots under
 * `root` included: colours mid-transition are not the colours a reader sees, and a busy machine renders late.
 * `document.getAnimations()` leaves out shadow trees, e.g. the 0.2 s `transition: all` of the button inside
 * `<mux-uploader>` when the pointer rests where it appears. Endless animations (a progress bar's) are left running
 * and paused ones are not waited for. Looks again after each wave: an ended transition can start another.
 */
export async function finiteAnimationsEnded(root: HTMLElement): Promise<void> {
  for (let wave = 0; wave < 10; wave++) {
    const scopes: DocumentOrShadowRoot[] = [document, ...shadowRootsUnder(root)];
    const running = scopes
      .flatMap((scope) => scope.getAnimations())
      .filter((animation) => animation.playState === "running" && animation.effect?.getComputedTiming().endTime !== Infinity);
    if (running.length === 0) return;
    await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
  }
}

function shadowRootsUnder(root: Element | ShadowRoot): ShadowRoot[] {
  const found: ShadowRoot[] = [];
  for (const element of root.querySelectorAll("*")) {
    if (element.shadowRoot) found.push(element.shadowRoot, ...shadowRootsUnder(element.shadowRoot));
  }
  return found;
}
