import { lazyModule } from "../../core/lazy-module.js";

/**
 * The captions, chapters and poster-frame panels, loaded once per page by the components that show them.
 * In a module of its own, imported only by those components: a bundler that emits a chunk for every
 * `import()` in a module it includes (esbuild) then sees this one only where the panels are used.
 */
export const mediaPanels = /* @__PURE__ */ lazyModule(() => import("../media-panels.js"));
