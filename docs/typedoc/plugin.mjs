// @ts-check
// The docs site's guides: each is named after its first "# " heading (TypeDoc would use the file name), and
// keeps its file name in the URL (documents/nextjs-app-router.html), so Storybook and other pages can link to
// a guide by the name of its Markdown file. The Storybook link of the navigation points into docs-site/storybook/.
import { Converter, KindRouter, PageEvent, ReflectionKind } from "typedoc";

/** Document reflection id → the Markdown file's base name. */
const fileNames = new Map();

class GuidesRouter extends KindRouter {
  /** @param {import("typedoc").Reflection} reflection */
  getIdealBaseName(reflection) {
    const fileName = fileNames.get(reflection.id);
    return fileName ? `documents/${fileName}` : super.getIdealBaseName(reflection);
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.defineRouter("guides", GuidesRouter);
  // navigationLinks are written as given on every page; Storybook's must climb out of nested pages.
  app.renderer.on(PageEvent.END, (page) => {
    const up = "../".repeat(page.url.split("/").length - 1);
    if (page.contents && up) page.contents = page.contents.replaceAll('href="storybook/index.html"', `href="${up}storybook/index.html"`);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const doc of context.project.getReflectionsByKind(ReflectionKind.Document)) {
      if (!("content" in doc) || !Array.isArray(doc.content)) continue;
      const text = doc.content.map((part) => part.text).join("");
      const title = /^# (.+)$/m.exec(text)?.[1];
      fileNames.set(doc.id, doc.name);
      if (title) doc.name = title.replace(/`/g, "");
    }
  });
}
