"use client";
import { useSyncExternalStore } from "react";

const noChanges = () => () => undefined;

/**
 * Whether this render runs in the browser after hydration: false on the server and while hydrating (so the
 * markup matches), true afterwards and in every render that is not a hydration. For browser-only parts.
 */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noChanges,
    () => true,
    () => false,
  );
}
