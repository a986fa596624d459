"use client";
import { createContext, useContext, type ReactNode } from "react";
import type { MessagesOverride } from "../messages.js";
import { MessagesOverrides } from "./messages-context.js";

/** `unstyled` from the nearest `KitSettingsProvider` or component that set it (internal: `useUnstyled` reads it). */
const UnstyledContext = /* @__PURE__ */ createContext<boolean | undefined>(undefined);

/** Props of `KitSettingsProvider`. */
export interface KitSettingsProviderProps {
  /** The strings to override for every component below, merged over outer providers' (as `MessagesProvider`). */
  messages?: MessagesOverride | undefined;
  /** Render every component below without the kit's class names; `false` turns an outer `unstyled` off. */
  unstyled?: boolean | undefined;
  /** The components that read these settings. */
  children?: ReactNode | undefined;
}

/**
 * The settings every component below reads when it has no prop of its own: `messages` (merged over outer
 * providers) and `unstyled` (the nearest one wins). A component's own `messages` or `unstyled` prop wins over
 * this and applies to everything it renders, the same way.
 *
 * @example
 * <KitSettingsProvider unstyled messages={{ locale: "de" }}>
 *   <LessonForm onSubmit={save} />
 * </KitSettingsProvider>
 */
export function KitSettingsProvider({ messages, unstyled, children }: KitSettingsProviderProps) {
  const outer = useContext(UnstyledContext);
  // Both providers always render, so a setting that comes and goes never remounts what is below.
  return (
    <MessagesOverrides messages={messages}>
      <UnstyledContext.Provider value={unstyled ?? outer}>{children}</UnstyledContext.Provider>
    </MessagesOverrides>
  );
}

/** A component's `unstyled`: its own prop, else the nearest setting above it. */
export function useUnstyled(own?: boolean): boolean | undefined {
  const inherited = useContext(UnstyledContext);
  return own ?? inherited;
}
