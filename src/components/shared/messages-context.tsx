"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useVideoMessages } from "../../react/use-video-messages.js";
import {
  defaultUploadMessages,
  mergeMessageOverrides,
  mergeMessages,
  type MessagesOverride,
  type UploadMessages,
} from "../messages.js";

/** Overrides from the nearest `MessagesProvider` (internal: `useMessages` reads it). */
export const MessagesContext = /* @__PURE__ */ createContext<MessagesOverride | undefined>(undefined);

/** Props of `MessagesProvider`. */
export interface MessagesProviderProps {
  /** The strings to override for every component below, e.g. one language's translations. */
  messages?: MessagesOverride | undefined;
  /** The components that read these messages. */
  children?: ReactNode | undefined;
}

/**
 * Supplies message overrides to every component below; nested providers merge over outer ones, and a
 * component's own `messages` prop wins over both. Error texts come from `VideoProvider`'s `messages`
 * unless `messages.errors` overrides them here.
 *
 * @example
 * <MessagesProvider messages={{ locale: "de", upload: { chooseFile: "Video auswählen" } }}>
 *   <VideoUploader />
 * </MessagesProvider>
 */
export function MessagesProvider({ messages, children }: MessagesProviderProps) {
  const outer = useContext(MessagesContext);
  // Only overrides travel down, so the VideoProvider's error messages are not masked by defaults.
  const merged = useMemo(() => (outer && messages ? mergeMessageOverrides(outer, messages) : (messages ?? outer)), [outer, messages]);
  return <MessagesContext.Provider value={merged}>{children}</MessagesContext.Provider>;
}

/**
 * `useMessages` for the components of an idle upload (drop zone, upload button, the uploader's shell):
 * only the `UploadMessages` groups, so the other groups' strings stay out of a page's first load.
 */
export function useUploadMessages(override?: MessagesOverride): UploadMessages {
  return useMessagesOver(defaultUploadMessages, override);
}

/** The messages over `defaults`: the provider's error messages, `MessagesProvider` overrides, then `override`. */
export function useMessagesOver<Messages extends UploadMessages>(defaults: Messages, override: MessagesOverride | undefined): Messages {
  const errors = useVideoMessages();
  const fromProvider = useContext(MessagesContext);
  return useMemo(
    () => mergeMessages(defaults, { errors }, fromProvider, override),
    [defaults, errors, fromProvider, override],
  );
}
