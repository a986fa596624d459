/**
 * Choosing a shipped locale by its code at run time: `LocaleProvider`, `useLocale`, `loadLocale`, `resolveLocale`
 * (the fallback chain) and `shippedLocales`. Each locale itself is its own module, `lesson-video-kit/locales/<code>`,
 * whose default export is a `Locale`.
 *
 * @module lesson-video-kit/locales
 */
export * from "../../src/locales/index.js";
