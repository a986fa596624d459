"use client";
import { useEffect, useState, type ReactNode } from "react";
import type { Locale, MessagesOverride } from "../components/messages.js";
import { MessagesProvider } from "../components/shared/messages-context.js";
import en from "./en.js";
import { loadLocale, resolveLocale } from "./load.js";

/**
 * The shipped `Locale` a BCP 47 code resolves to (`resolveLocale`: `pt-BR` → `pt` → English), loaded on demand;
 * English until its module arrives (or if it cannot load: offline, a chunk gone after a deploy).
 */
export function useLocale(code: string): Locale {
  const wanted = resolveLocale(code);
  const [loaded, setLoaded] = useState<Locale | undefined>(undefined);
  useEffect(() => {
    if (wanted === "en") return;
    let current = true;
    loadLocale(wanted).then(
      (found) => current && setLoaded(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  return loaded && loaded.code === wanted ? loaded : en;
}

/** Props of `LocaleProvider`. */
export interface LocaleProviderProps {
  /** A BCP 47 code, e.g. the user's setting or `navigator.language`. */
  locale: string;
  /** Your own wording over the locale's, as `MessagesProvider`'s `messages`. */
  messages?: MessagesOverride | undefined;
  children?: ReactNode | undefined;
}

/**
 * `MessagesProvider` with the shipped locale a code resolves to (`pt-BR` → `pt` → English), whose module loads on
 * demand: only that language's strings download. The components show English until it arrives; to render a
 * language at once (or on the server), import its module and give it to `MessagesProvider` instead.
 *
 * @example
 * import { LocaleProvider } from "lesson-video-kit/locales";
 *
 * <LocaleProvider locale={user.language}>
 *   <LessonForm onSubmit={save} />
 * </LocaleProvider>
 */
export function LocaleProvider({ locale, messages, children }: LocaleProviderProps) {
  return (
    <MessagesProvider locale={useLocale(locale)} messages={messages}>
      {children}
    </MessagesProvider>
  );
}
