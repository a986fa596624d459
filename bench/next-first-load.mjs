// Issue 27: first-load JS of a Next.js App Router page per consumer, as the browser receives it.
//
// One Next.js app (the example studio's Next version, a production `next build`) in bench scratch space, with one
// route per consumer of bench/bundle-size.mjs (the same sources, each in a `"use client"` file that a server page
// renders) and an empty route (a `"use client"` component rendering one `<div>`: the framework baseline every
// route pays). `lesson-video-kit` is installed into the app's node_modules as the package build makes it
// (`buildPackageEntry`: tsup with tsup.config.ts's settings, `export *` written out, lazy modules bundled,
// `"use client"` on the client entries) with the repository's package.json (its `exports` map); everything else
// resolves from the repository's node_modules, as the bundle-size bench does.
//
// The app is built twice, with webpack (`next build --webpack`) and with Turbopack (Next 16's default), each into
// its own dist dir. A route's first-load JS is read from Next's manifests:
// - `build-manifest.json` → `rootMainFiles`: the framework, Next's client runtime and the bundler runtime, loaded by
//   every App Router page (`polyfillFiles` are `noModule` scripts a modern browser skips: not counted);
// - `server/app/<route>/page_client-reference-manifest.js`: Turbopack's `entryJSFiles` (for each entry of the route:
//   the root layout, the page, Next's global-error) and, with either bundler, `clientModules[…].chunks` (for each
//   client component the route renders, the chunks React loads before it can hydrate it; webpack writes no
//   `entryJSFiles`), which the HTML also loads with `<script async>` before hydration.
// The union of those files, each gzipped (level 9, as the other bundle figures) and added. The prerendered HTML's
// own `<script src>` list is read too and compared (`htmlScriptsMatch`): it is what the browser actually fetches.
// Chunks loaded later through `import()` (our uploader's views, the player) are not in either list.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { buildPackageEntry, consumers } from "./bundle-size.mjs";
import { benchTmpDir, repoRoot } from "./lib/paths.mjs";

/** The consumers with a Next.js route: ours (three pages) and the nearest peer. */
const nextConsumerIds = ["ours-uploader", "ours-uploader-entry", "ours-lessonform", "mux-uploader-react"];

const emptyConsumer = {
  id: "empty",
  label: "empty page (a `\"use client\"` component rendering one `<div>`): the framework baseline",
  source: `export function App() {
  return <div>empty</div>;
}`,
};

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

function nextVersion() {
  return JSON.parse(readFileSync(join(repoRoot, "node_modules/next/package.json"), "utf8")).version;
}

/** Writes the app: package.json, next.config.mjs, a root layout and one route per consumer. */
function writeApp(appDir, pages) {
  rmSync(join(appDir, "app"), { recursive: true, force: true });
  mkdirSync(join(appDir, "app"), { recursive: true });
  writeFileSync(join(appDir, "package.json"), JSON.stringify({ name: "bench-next-app", private: true, type: "module" }, null, 2));
  writeFileSync(
    join(appDir, "next.config.mjs"),
    `// Written by bench/next-first-load.mjs. Packages resolve from the repository's node_modules (two levels up).
export default {
  distDir: process.env.BENCH_NEXT_DIST ?? ".next",
  turbopack: { root: ${JSON.stringify(repoRoot)} },
  outputFileTracingRoot: ${JSON.stringify(repoRoot)},
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};
`,
  );
  writeFileSync(
    join(appDir, "app", "layout.jsx"),
    `export const metadata = { title: "bench" };
export default function RootLayout({ children }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  );
  for (const page of pages) {
    const dir = join(appDir, "app", page.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "app.jsx"), `"use client";\n${page.source.trim()}\n`);
    writeFileSync(join(dir, "page.jsx"), `import { App } from "./app.jsx";\nexport default function Page() {\n  return <App />;\n}\n`);
  }
}

/** Installs the package build as `node_modules/lesson-video-kit` of the app. */
async function installPackage(appDir) {
  const pkgDir = join(appDir, "node_modules", "lesson-video-kit");
  rmSync(pkgDir, { recursive: true, force: true });
  mkdirSync(join(pkgDir, "dist"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const { name, version, type, sideEffects, main, module, types, exports } = manifest;
  writeFileSync(join(pkgDir, "package.json"), JSON.stringify({ name, version, type, sideEffects, main, module, types, exports }, null, 2));
  await buildPackageEntry(join(pkgDir, "dist", "esm"));
  copyFileSync(join(repoRoot, "src/components/styles.css"), join(pkgDir, "dist", "styles.css"));
}

function nextBuild(appDir, bundler, distDir, log) {
  const args = [join(repoRoot, "node_modules/next/dist/bin/next"), "build", bundler === "webpack" ? "--webpack" : "--turbopack"];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: appDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BENCH_NEXT_DIST: distDir, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      writeFileSync(join(appDir, `${distDir}.log`), output);
      if (code !== 0) reject(new Error(`next build (${bundler}) failed with exit ${code}:\n${output.slice(-4000)}`));
      else {
        log(`next build (${bundler}) ${((Date.now() - started) / 1000).toFixed(0)} s`);
        resolve((Date.now() - started) / 1000);
      }
    });
  });
}

/** `globalThis.__RSC_MANIFEST["/route/page"]` of a route's client reference manifest. */
function clientReferenceManifest(distPath, route) {
  const file = join(distPath, "server", "app", route, "page_client-reference-manifest.js");
  const sandbox = { globalThis: {} };
  sandbox.self = sandbox.globalThis;
  runInNewContext(readFileSync(file, "utf8"), sandbox);
  const all = sandbox.globalThis.__RSC_MANIFEST;
  return all[`/${route}/page`] ?? Object.values(all)[0];
}

/** The `<script src>` files of the route's prerendered HTML (what the browser fetches), module scripts only. */
function htmlScripts(distPath, route) {
  const file = join(distPath, "server", "app", `${route}.html`);
  if (!existsSync(file)) return undefined;
  const html = readFileSync(file, "utf8");
  const files = [];
  for (const tag of html.matchAll(/<script\b[^>]*>/g)) {
    if (/\bnoModule\b/i.test(tag[0])) continue;
    const src = /\bsrc="([^"]+)"/.exec(tag[0])?.[1];
    if (src) files.push(decodeURIComponent(src.replace(/^\/_next\//, "").replace(/\?.*$/, "")));
  }
  return files;
}

/** First-load JS of each route of one build. */
export function measureBuild(appDir, distDir, routes) {
  const distPath = join(appDir, distDir);
  const buildManifest = JSON.parse(readFileSync(join(distPath, "build-manifest.json"), "utf8"));
  const rootMainFiles = buildManifest.rootMainFiles.filter((f) => f.endsWith(".js"));
  const sizeOf = new Map();
  const fileSize = (file) => {
    if (!sizeOf.has(file)) {
      const bytes = readFileSync(join(distPath, file));
      sizeOf.set(file, { min: bytes.length, gzip: gzipSize(bytes) });
    }
    return sizeOf.get(file);
  };
  const result = {};
  for (const route of routes) {
    const manifest = clientReferenceManifest(distPath, route);
    // Turbopack lists each entry's chunks in `entryJSFiles`; webpack's manifest has none and lists, per client
    // module the route renders, the chunks to load before it runs (`chunks`: id, file, id, file, …; a module of
    // another route is listed with no chunks). Both lists, as served paths without `/_next/`.
    const entryFiles = Object.values(manifest.entryJSFiles ?? {}).flat();
    const moduleFiles = Object.values(manifest.clientModules ?? {}).flatMap((m) => m.chunks ?? []);
    const served = [...entryFiles, ...moduleFiles].filter((f) => typeof f === "string" && f.endsWith(".js")).map((f) => f.replace(/^\/?_next\//, ""));
    const files = [...new Set([...rootMainFiles, ...served])];
    const html = htmlScripts(distPath, route);
    const htmlSet = html && new Set(html.filter((f) => f.endsWith(".js")));
    const sizes = files.map((file) => ({ file, ...fileSize(file), root: rootMainFiles.includes(file) }));
    result[route] = {
      gzip: sizes.reduce((n, f) => n + f.gzip, 0),
      min: sizes.reduce((n, f) => n + f.min, 0),
      files: sizes,
      htmlScriptsMatch: htmlSet ? htmlSet.size === files.length && files.every((f) => htmlSet.has(f)) : undefined,
      htmlOnly: htmlSet ? [...htmlSet].filter((f) => !files.includes(f)) : undefined,
    };
  }
  return { rootMainFiles, routes: result };
}

export async function run({ bundlers = ["webpack", "turbopack"], log = () => {} } = {}) {
  const appDir = join(benchTmpDir, "next-app");
  mkdirSync(appDir, { recursive: true });
  const pages = [emptyConsumer, ...consumers.filter((c) => nextConsumerIds.includes(c.id))];
  writeApp(appDir, pages);
  await installPackage(appDir);
  const builds = {};
  for (const bundler of bundlers) {
    const distDir = `.next-${bundler}`;
    rmSync(join(appDir, distDir), { recursive: true, force: true });
    const seconds = await nextBuild(appDir, bundler, distDir, log);
    builds[bundler] = { seconds, ...measureBuild(appDir, distDir, pages.map((p) => p.id)) };
    for (const page of pages) {
      const r = builds[bundler].routes[page.id];
      log(`next ${bundler} /${page.id}: ${(r.gzip / 1000).toFixed(1)} kB gzip (${r.files.length} files)${r.htmlScriptsMatch === false ? ` — HTML scripts differ: ${r.htmlOnly.join(", ")}` : ""}`);
    }
  }
  return { next: nextVersion(), pages: pages.map(({ id, label }) => ({ id, label })), builds };
}
