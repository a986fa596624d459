"use client";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { visuallyHidden } from "./class-names.js";

/** Says something to screen-reader users through the tree's one polite live region. */
export type Announce = (message: string) => void;

const AnnouncerContext = /* @__PURE__ */ createContext<Announce | null>(null);

/** Props of `LiveAnnouncer`. */
export interface LiveAnnouncerProps {
  /** The components whose announcements go through this region. */
  children?: ReactNode | undefined;
}

/**
 * Owns one polite live region for everything below it. Components wrap themselves in it; only the
 * outermost one renders a region, so a form with an uploader inside still has exactly one.
 */
export function LiveAnnouncer({ children }: LiveAnnouncerProps) {
  const parent = useContext(AnnouncerContext);
  if (parent) return <>{children}</>;
  return <LiveRegion>{children}</LiveRegion>;
}

function LiveRegion({ children }: { children?: ReactNode }) {
  const [text, setText] = useState("");
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Clearing first and writing a moment later makes screen readers repeat an identical message.
  const announce = useCallback<Announce>((message) => {
    clearTimeout(pending.current);
    setText("");
    pending.current = setTimeout(() => setText(message), 50);
  }, []);
  useEffect(() => () => clearTimeout(pending.current), []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" aria-atomic="true" data-lvk-announcer="" style={visuallyHidden}>
        {text}
      </div>
    </AnnouncerContext.Provider>
  );
}

/** The announce function of the nearest `LiveAnnouncer`; a no-op outside one. */
export function useAnnounce(): Announce {
  return useContext(AnnouncerContext) ?? noAnnouncer;
}

function noAnnouncer(): void {}
