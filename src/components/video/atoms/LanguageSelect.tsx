"use client";
import { forwardRef, useMemo, type SelectHTMLAttributes } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";

/** Languages offered for caption files when the host gives none (BCP 47 codes). */
export const defaultCaptionLanguages: readonly string[] = [
  "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja",
  "ko", "nl", "no", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sv", "th", "tr", "uk", "vi", "zh", "zh-TW",
];

/** Languages Mux can generate captions for (its `generated_subtitles` list); offered by the generate picker. */
export const generatedCaptionLanguages: readonly string[] = [
  "bg", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr", "hr", "it", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sv", "tr", "uk",
];

export interface LanguageSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "defaultValue" | "onChange" | "children"> {
  /** Selected BCP 47 code. */
  value: string;
  onChange: (languageCode: string) => void;
  /** Codes to offer; default `defaultCaptionLanguages`. A `value` missing from the list is added. */
  languages?: readonly string[] | undefined;
  /** Locale of the names shown; default the messages' locale, else the browser's. */
  locale?: string | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/**
 * The name of a language in the reader's language (`Intl.DisplayNames`): `"pt-BR"` → "Brazilian
 * Portuguese". Falls back to the code where the runtime has no name for it.
 */
export function languageName(languageCode: string, locale?: string): string {
  try {
    return new Intl.DisplayNames(locale ? [locale] : undefined, { type: "language" }).of(languageCode) ?? languageCode;
  } catch {
    return languageCode;
  }
}

/**
 * A `<select>` of languages named in the reader's language and sorted by name. Label it with a
 * `FormField` or `aria-label`. The ref reaches the `<select>`.
 */
export const LanguageSelect = /* @__PURE__ */ forwardRef<HTMLSelectElement, LanguageSelectProps>(function LanguageSelect(
  { value, onChange, languages = defaultCaptionLanguages, locale, messages: messagesProp, unstyled: unstyledProp, className, ...selectProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const displayLocale = locale ?? messages.locale;
  const options = useMemo(() => {
    const codes = languages.includes(value) || value === "" ? languages : [value, ...languages];
    const collator = new Intl.Collator(displayLocale);
    return codes
      .map((code) => ({ code, name: languageName(code, displayLocale) }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [languages, value, displayLocale]);
  return (
    <select
      {...selectProps}
      ref={ref}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      className={componentClassName(unstyled, "lvk-field__control lvk-select", className)}
    >
      {options.map((option) => (
        <option key={option.code} value={option.code}>
          {option.name}
        </option>
      ))}
    </select>
  );
});
