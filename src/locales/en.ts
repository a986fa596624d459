import { defaultMessages } from "../components/default-messages.js";
import type { Locale } from "../components/messages.js";
import { defaultCaptionMessages } from "../core/caption-messages.js";

/** English, the kit's own language: what every component shows without a locale, and the end of every fallback chain. */
const en: Locale = {
  code: "en",
  dir: "ltr",
  messages: { ...defaultMessages, captions: { ...defaultMessages.captions, issues: { ...defaultCaptionMessages } } },
};

export default en;
