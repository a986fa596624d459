import { copyFile, readFile, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

/**
 * One build graph for every entry point. esbuild splits what two entries share into chunks (ESM and CJS),
 * and the declaration build does the same for types, so `lesson-video-kit` and `lesson-video-kit/core`
 * export the very same `UploadController`, `VideoError` and `VideoTransport`: one runtime copy, one type
 * identity. Only the client entry carries `"use client"` (added after the build: a bundler drops
 * module-level directives, and the shared chunks must stay usable from server code).
 */
const clientEntries = ["dist/index.js", "dist/index.cjs"];

export default defineConfig({
  entry: {
    index: "src/index.ts",
    core: "src/entries/core.ts",
    testing: "src/testing/index.ts",
    server: "src/server/index.ts",
    "server-redis": "src/server/redis/index.ts",
    emulator: "src/emulator/index.ts",
    "emulator-cli": "src/emulator/cli.ts",
  },
  format: ["esm", "cjs"],
  splitting: true,
  dts: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  external: ["react", "react-dom", /^@mux\//, /^@radix-ui\//, "clsx", /^node:/],
  async onSuccess() {
    for (const file of clientEntries) await prependDirective(file, '"use client";');
    await copyFile("src/components/styles.css", "dist/styles.css");
  },
});

/** Adds a first line to a built file and shifts its source map by that line, so stack traces stay right. */
async function prependDirective(file: string, directive: string): Promise<void> {
  const code = await readFile(file, "utf8");
  if (code.startsWith(directive)) return;
  await writeFile(file, `${directive}\n${code}`);
  const mapFile = `${file}.map`;
  const map = JSON.parse(await readFile(mapFile, "utf8")) as { mappings: string };
  map.mappings = `;${map.mappings}`;
  await writeFile(mapFile, JSON.stringify(map));
}
