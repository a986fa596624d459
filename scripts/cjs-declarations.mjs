// `npm run build`'s last step: the CommonJS declarations (`dist/**/*.d.cts`) from the ESM ones (`dist/**/*.d.ts`).
// tsup's two declaration builds (one per module system) wrote the same types twice, each with its own TypeScript
// program; the only difference was the relative import specifiers (`./core.js` in `.d.ts`, `./core.cjs` in `.d.cts`,
// which makes TypeScript read `./core.d.cts` under `require`). So the `.d.cts` tree is the `.d.ts` tree with those
// specifiers rewritten: same declarations, same shared chunks, one type identity per module system.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = join(import.meta.dirname, "..", "dist");
/** `from './x.js'`, `import('../y.js')`: a relative specifier ending in `.js`. */
const relativeJs = /(\bfrom\s+|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g;

let written = 0;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
  const file = join(entry.parentPath, entry.name);
  // dist/esm carries no declarations; only the declaration builds' files (dist/*.d.ts, dist/locales/*.d.ts).
  if (relative(dist, file).startsWith("esm")) continue;
  const text = readFileSync(file, "utf8");
  writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), text.replace(relativeJs, (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`));
  written++;
}
if (written === 0) throw new Error("scripts/cjs-declarations.mjs: no dist/**/*.d.ts to copy; run tsup first.");
console.log(`CJS declarations: ${written} .d.cts files from the .d.ts files`);
