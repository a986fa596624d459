"use client";
import type { ReactNode } from "react";
import { componentClassName } from "./class-names.js";
import { useUnstyled } from "./kit-settings.js";
import { useUploadMessages } from "./messages-context.js";
import type { LazyModuleState } from "./use-lazy-module.js";

/** Props of `LazyPart`. */
export interface LazyPartProps<Module> {
  /** From `useLazyModule`. */
  state: LazyModuleState<Module>;
  /** What to render with the module, once it arrived. */
  children: (module: Module) => ReactNode;
}

/**
 * Renders a part of a component whose code loads on demand: nothing while it loads (it starts when the
 * component mounts, so it is usually there before it is needed), the part once loaded, and a notice with
 * Retry when its code could not load.
 */
export function LazyPart<Module>({ state, children }: LazyPartProps<Module>): ReactNode {
  const messages = useUploadMessages();
  const unstyled = useUnstyled();
  if (state.module) return children(state.module);
  if (!state.failed) return null;
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  return (
    <p className={kit("lvk-notice")}>
      {messages.status.partNotLoaded}{" "}
      <button type="button" className={kit("lvk-button lvk-button--secondary")} onClick={state.reload}>
        {messages.status.retry}
      </button>
    </p>
  );
}
