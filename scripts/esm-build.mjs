// The steps after tsup's ESM build, shared by the package build (tsup.config.ts) and the bench's copy of it.
//
// `expandStarExports`: the root entry's `export *` lines written out as names (webpack's React Server Components
// pass refuses `export *` in a "use client" module).
//
// `bundleLazyChunks`: each module the ESM build loads with
// `import("./x.js")` (the uploader's views, the media panels, the upload's work, the asset watcher, the transport's
// event stream and caption calls) becomes one file holding what only it needs.
//
// Why: the ESM build is one file per source module, and the root entry re-exports the building blocks those lazy
// modules are made of (UploadStatus, CaptionsPanel, sendChunks, …). esbuild (and any bundler that places whole files
// by static reachability) puts a file in a page's first load when the page's entry reaches it through import
// statements and any chunk uses it: importing `VideoUploader` from the root then shipped the lazy views' parts up
// front. Once a lazy module carries its own copy of the parts it uses, the root's re-exports
// of those parts are used by nothing on such a page and tree-shaking drops them.
//
// What stays shared (imported, not copied): the modules whose identity matters (React contexts: a copy would be
// another context, and the lazy part would not see its provider), the upload engine (UploadController and what it
// imports: errors, messages, the reducer; every page that can load a lazy module loads it up front anyway), and
// packages. Everything else a lazy module uses is copied into it; a page that also imports one of those parts directly loads that part twice, once up
// front and once with the lazy module, which costs bytes later rather than in the first load.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Rewrites each `export * from "./x.js";` of a built ESM file as `export { a, b, … } from "./x.js";`, with the
 * names the module exports (read by importing it), keeping the line count so a source map stays right.
 */
export async function expandStarExports(file) {
  const code = await readFile(file, "utf8");
  const lines = await Promise.all(
    code.split("\n").map(async (line) => {
      const from = /^export \* from "(\.[^"]+)";$/.exec(line)?.[1];
      if (!from) return line;
      const names = Object.keys(await import(pathToFileURL(resolve(dirname(file), from)).href)).sort();
      return `export { ${names.join(", ")} } from "${from}";`;
    }),
  );
  await writeFile(file, lines.join("\n"));
}

const dynamicImport = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

async function* jsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith(".js")) yield path;
  }
}

const withoutComments = (code) => code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

const relativeImport = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;

/** The files `file` reaches through static imports (itself included). */
async function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = withoutComments(await readFile(file, "utf8"));
  for (const match of code.matchAll(relativeImport)) await staticClosure(resolve(dirname(file), match[1]), seen);
  return seen;
}

/**
 * Whether a module's identity matters, so a copy would break the page: it makes a React context (a copy would be
 * another context, and the lazy part would not see its provider).
 */
async function holdsIdentity(file) {
  return /\bcreateContext\(/.test(await readFile(file, "utf8"));
}

/** The modules of the build that something loads with `import("./x.js")`. */
async function lazyModules(outDir) {
  const targets = new Set();
  for await (const file of jsFiles(outDir)) {
    const code = withoutComments(await readFile(file, "utf8"));
    for (const match of code.matchAll(dynamicImport)) targets.add(resolve(dirname(file), match[1]));
  }
  return targets;
}

/**
 * Rewrites each lazy module of the ESM build in `outDir` as one file: React-context modules and the upload engine stay
 * imports (rewritten relative to it), the rest is copied in; packages and dynamic imports stay as they are.
 * Returns the lazy modules it rewrote, relative to `outDir`.
 */
export async function bundleLazyChunks(outDir, { sourcemap = true } = {}) {
  const root = resolve(outDir);
  const rewritten = [];
  const shared = await staticClosure(join(root, "core/upload-controller.js"));
  for await (const file of jsFiles(root)) if (await holdsIdentity(file)) shared.add(file);
  for (const target of await lazyModules(root)) {
    const result = await build({
      entryPoints: [target],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      sourcemap: sourcemap ? "external" : false,
      outfile: target,
      allowOverwrite: true,
      logLevel: "silent",
      plugins: [
        {
          name: "keep-shared-modules",
          setup(onBuild) {
            onBuild.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === "entry-point") return undefined;
              // Packages (React, @mux/*, Radix, clsx) and what loads later stay imports.
              if (!args.path.startsWith(".") || args.kind === "dynamic-import") {
                if (!args.path.startsWith(".")) return { path: args.path, external: true };
                return { path: toSpecifier(target, resolve(args.resolveDir, args.path)), external: true };
              }
              const resolved = resolve(args.resolveDir, args.path);
              if (shared.has(resolved)) return { path: toSpecifier(target, resolved), external: true };
              return undefined;
            });
          },
        },
      ],
    });
    for (const output of result.outputFiles) await writeFile(output.path, output.contents);
    rewritten.push(relative(root, target));
  }
  return rewritten.sort();
}

function toSpecifier(from, to) {
  const path = relative(dirname(from), to).split("\\").join("/");
  return path.startsWith(".") ? path : `./${path}`;
}
