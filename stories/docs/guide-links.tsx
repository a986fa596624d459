import type { ReactNode } from "react";

/**
 * A link from a Storybook page to a guide of docs/. In the docs site (`npm run docs`) Storybook lives in
 * docs-site/storybook/ and the guides in docs-site/documents/, so the link climbs out of Storybook's frame.
 */
export function GuideLink({ guide, children }: { guide: string; children: ReactNode }) {
  return (
    <a href={`../documents/${guide}.html`} target="_top">
      {children}
    </a>
  );
}
