import { copyFile, mkdir } from "node:fs/promises";
import { defineConfig, type Options } from "tsup";

const shared: Options = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  target: "es2022",
  external: ["react", "react-dom", /^@mux\//, /^@radix-ui\//, "clsx"],
};

export default defineConfig([
  {
    ...shared,
    // The client entry keeps its directive so it can be imported from React Server Components.
    entry: { index: "src/index.ts" },
    banner: { js: '"use client";' },
    platform: "browser",
  },
  {
    ...shared,
    entry: {
      core: "src/core/index.ts",
      testing: "src/testing/index.ts",
    },
    platform: "neutral",
  },
  {
    ...shared,
    entry: {
      server: "src/server/index.ts",
      emulator: "src/emulator/index.ts",
      "emulator-cli": "src/emulator/cli.ts",
    },
    platform: "node",
    async onSuccess() {
      await mkdir("dist", { recursive: true });
      await copyFile("src/components/styles.css", "dist/styles.css");
    },
  },
]);
