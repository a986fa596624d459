"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useVideoMessages } from "../../react/use-video-messages.js";
import {
  defaultUploadMessages,
  mergeMessageOverrides,
  mergeMessages,
  type Locale,
  type MessagesOverride,
  type UploadMessages,
} from "../messages.js";

/** Overrides from the nearest `MessagesProvider` (internal: `useMessages` reads it). */
export const MessagesContext = /* @__PURE__ */ createContext<MessagesOverride | undefined>(undefined);

/** Props of `MessagesProvider`. */
export interface MessagesProviderProps {
  /**
   * The language of every component below: a locale module (`import de from "lesson-video-kit/locales/de"`), or
   * your own `Locale`. Its messages apply at once (no flash of English, also when rendered on the server), and the
   * provider wraps its children in an element with the locale's `lang` and `dir` (`display: contents`, so layout is
   * unchanged). To choose by a code at run time (`pt-BR` → `pt` → English), use `LocaleProvider` from
   * `lesson-video-kit/locales`.
   */
  locale?: Locale | undefined;
  /** The strings to override for every component below (over the `locale`'s), e.g. your own wording of one message. */
  messages?: MessagesOverride | undefined;
  /** The components that read these messages. */
  children?: ReactNode | undefined;
}

/**
 * Supplies a language and message overrides to every component below; nested providers merge over outer ones, and
 * a component's own `messages` prop wins over both. Error texts come from `VideoProvider`'s `messages` unless the
 * locale or `messages.errors` here says otherwise.
 *
 * @example
 * import de from "lesson-video-kit/locales/de";
 *
 * <MessagesProvider locale={de} messages={{ upload: { chooseFile: "Lektionsvideo auswählen" } }}>
 *   <VideoUploader />
 * </MessagesProvider>
 */
export function MessagesProvider({ locale, messages, children }: MessagesProviderProps) {
  const fromLocale = useMemo<MessagesOverride | undefined>(() => (locale ? { ...locale.messages, locale: locale.code } : undefined), [locale]);
  const inner = useMemo(() => (fromLocale && messages ? mergeMessageOverrides(fromLocale, messages) : (messages ?? fromLocale)), [fromLocale, messages]);
  const provided = <MessagesOverrides messages={inner}>{children}</MessagesOverrides>;
  if (locale === undefined) return provided;
  return (
    <div lang={locale.code} dir={locale.dir} data-lvk-locale="" style={{ display: "contents" }}>
      {provided}
    </div>
  );
}

/** Merges `messages` over the outer providers' overrides (internal: `KitSettingsProvider` and `MessagesProvider`). */
export function MessagesOverrides({ messages, children }: { messages: MessagesOverride | undefined; children?: ReactNode | undefined }) {
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
