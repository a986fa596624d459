// Shipped locales stay out of what a page does not use: an app bundled from the built package (dist/esm, as an
// app's bundler sees it) with one locale imported carries that language's strings and no other's; the default
// first load (VideoProvider + VideoUploader) carries none; LocaleProvider loads each language as its own chunk,
// none of them in the entry chunk.
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { Locale } from "../../src/components/messages.js";

const root = resolve(import.meta.dirname, "../..");
const dist = join(root, "dist/esm");
const scratch = join(root, "node_modules/.cache/lvk-locale-bundles");
const codes = readdirSync(join(root, "src/locales"))
  .filter((name) => /^[a-z]{2}\.ts$/.test(name) && name !== "en.ts")
  .map((name) => name.replace(/\.ts$/, ""));

/** A sentence only this locale has: its network error (every locale writes its own). */
const sentences = new Map<string, string>();

beforeAll(async () => {
  for (const code of codes) {
    const locale = ((await import(`../../src/locales/${code}.ts`)) as { default: Locale }).default;
    sentences.set(code, locale.messages.errors.network);
  }
  await mkdir(scratch, { recursive: true });
});

/** Bundles `source` (an app's entry) with code splitting; the entry chunk's text and every output file's. */
async function bundle(name: string, source: string): Promise<{ entry: string; all: string; files: number }> {
  const entryFile = join(scratch, `${name}.js`);
  await writeFile(entryFile, source);
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    splitting: true,
    write: false,
    format: "esm",
    platform: "browser",
    charset: "utf8",
    outdir: join(scratch, `${name}-out`),
    external: ["react", "react-dom", "react/jsx-runtime", "@mux/*"],
    loader: { ".css": "empty" },
    logLevel: "silent",
  });
  const js = result.outputFiles.filter((file) => file.path.endsWith(".js"));
  const entry = js.find((file) => file.path.endsWith(`${name}.js`))?.text ?? "";
  return { entry, all: js.map((file) => file.text).join("\n"), files: js.length };
}

const languagesIn = (text: string) => codes.filter((code) => text.includes(sentences.get(code)!));

it("an app importing German carries German and no other language", async () => {
  const { all } = await bundle(
    "german-app",
    `import { MessagesProvider, VideoProvider, VideoUploader } from ${JSON.stringify(join(dist, "index.js"))};
import de from ${JSON.stringify(join(dist, "locales/de.js"))};
export const app = [MessagesProvider, VideoProvider, VideoUploader, de];`,
  );
  expect(codes.length).toBeGreaterThan(20);
  expect(languagesIn(all)).toEqual(["de"]);
});

it("the default first load carries no locale", async () => {
  const { all } = await bundle(
    "default-app",
    `import { VideoProvider, VideoUploader } from ${JSON.stringify(join(dist, "index.js"))};
export const app = [VideoProvider, VideoUploader];`,
  );
  expect(all.length).toBeGreaterThan(10_000);
  expect(languagesIn(all)).toEqual([]);
});

it("LocaleProvider makes each language its own chunk, none in the entry chunk", async () => {
  const { entry, all, files } = await bundle(
    "any-language-app",
    `import { VideoProvider, VideoUploader } from ${JSON.stringify(join(dist, "index.js"))};
import { LocaleProvider } from ${JSON.stringify(join(dist, "locales/index.js"))};
export const app = [VideoProvider, VideoUploader, LocaleProvider];`,
  );
  expect(languagesIn(entry)).toEqual([]);
  expect(languagesIn(all).sort()).toEqual([...codes].sort());
  expect(files).toBeGreaterThan(codes.length);
});
