// Choosing a language: MessagesProvider with a locale module, LocaleProvider with a code (loaded on demand by the fallback chain),
import "@testing-library/jest-dom/vitest";
// lang/dir on the element around the kit, a host's own wording over the locale; the pseudo-locale for review.
import { render, screen } from "@testing-library/react";
import { MessagesProvider, UploadButton, type Locale } from "../../../src/index.js";
import en from "../../../src/locales/en.js";
import pseudo, { pseudoLocalize } from "../../../src/locales/en-XA.js";
import { LocaleProvider, loadLocale, resolveLocale } from "../../../src/locales/index.js";

/** A small right-to-left locale: English's messages with the upload button's label changed. */
const reversed: Locale = {
  code: "he",
  dir: "rtl",
  messages: { ...en.messages, upload: { ...en.messages.upload, chooseFile: "בחירת סרטון" } },
};

describe("resolveLocale", () => {
  it("walks from the whole code to its language, then English", () => {
    expect(resolveLocale("pt-BR")).toBe("pt");
    expect(resolveLocale("de-AT")).toBe("de");
    expect(resolveLocale("fr")).toBe("fr");
    expect(resolveLocale("en-XA")).toBe("en-XA");
    expect(resolveLocale("en-GB")).toBe("en");
    expect(resolveLocale("ja-JP")).toBe("en");
  });

  it("takes Norwegian's nb and nn as no, any case and _ separators, and refuses nonsense as English", () => {
    expect(resolveLocale("nb-NO")).toBe("no");
    expect(resolveLocale("nn")).toBe("no");
    expect(resolveLocale("PT_br")).toBe("pt");
    expect(resolveLocale("iw")).toBe("he");
    expect(resolveLocale("not a language!")).toBe("en");
  });

  it("loads the module a code resolves to", async () => {
    expect((await loadLocale("en-XA")).code).toBe("en-XA");
    expect((await loadLocale("xx")).code).toBe("en");
  });
});

describe("MessagesProvider's locale", () => {
  it("with a module, renders its messages at once inside an element with its lang and dir", () => {
    render(
      <MessagesProvider locale={reversed}>
        <UploadButton onFileSelect={() => undefined} />
      </MessagesProvider>,
    );
    const button = screen.getByRole("button", { name: "בחירת סרטון" });
    const root = button.closest("[data-lvk-locale]");
    expect(root).toHaveAttribute("lang", "he");
    expect(root).toHaveAttribute("dir", "rtl");
  });

  it("LocaleProvider with a code shows English until the module arrives, then its messages, without remounting", async () => {
    render(
      <LocaleProvider locale="en-XA">
        <UploadButton onFileSelect={() => undefined} />
      </LocaleProvider>,
    );
    const english = screen.getByRole("button", { name: en.messages.upload.chooseFile });
    expect(english.closest("[data-lvk-locale]")).toHaveAttribute("lang", "en");
    const translated = await screen.findByRole("button", { name: pseudo.messages.upload.chooseFile });
    expect(translated).toBe(english);
    expect(translated.closest("[data-lvk-locale]")).toHaveAttribute("lang", "en-XA");
  });

  it("lets the host's own wording win over the locale's", () => {
    render(
      <MessagesProvider locale={reversed} messages={{ upload: { chooseFile: "Upload your lesson" } }}>
        <UploadButton onFileSelect={() => undefined} />
      </MessagesProvider>,
    );
    expect(screen.getByRole("button", { name: "Upload your lesson" })).toBeInTheDocument();
  });

  it("adds no element without a locale", () => {
    const { container } = render(
      <MessagesProvider messages={{ upload: { chooseFile: "Pick" } }}>
        <UploadButton onFileSelect={() => undefined} />
      </MessagesProvider>,
    );
    expect(container.querySelector("[data-lvk-locale]")).toBeNull();
  });
});

describe("the pseudo-locale en-XA", () => {
  it("accents every letter, keeps placeholders and lengthens each message by about a third", () => {
    expect(pseudoLocalize("Upload {name} now")).toMatch(/^⟦Ûþļöåð \{name\} ñöŵ [· ]+⟧$/);
    const strings: Array<[string, string]> = [];
    const walk = (a: unknown, b: unknown) => {
      if (typeof a === "string") strings.push([a, b as string]);
      else for (const key of Object.keys(a as object)) walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    };
    walk(en.messages, pseudo.messages);
    expect(strings.length).toBeGreaterThan(300);
    for (const [english, pseudoText] of strings) {
      expect(pseudoText).not.toBe(english);
      expect([...pseudoText.matchAll(/\{\w+\}/g)].map(String)).toEqual([...english.matchAll(/\{\w+\}/g)].map(String));
      expect(pseudoText.length).toBeGreaterThanOrEqual(Math.floor(english.length * 1.35));
    }
  });
});
