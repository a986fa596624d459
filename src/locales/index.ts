// `lesson-video-kit/locales`: choosing a shipped locale by its code at run time. Each locale itself is its own
// module, `lesson-video-kit/locales/<code>`.
export { loadLocale, resolveLocale, shippedLocales } from "./load.js";
export type { ShippedLocale } from "./load.js";
export { LocaleProvider, useLocale } from "./provider.js";
export type { LocaleProviderProps } from "./provider.js";
export type { ComponentMessages, Locale, LocaleMessages, MessagesOverride, PluralForms, PluralMessage } from "../components/messages.js";
export type { CaptionIssue } from "../core/caption-messages.js";
