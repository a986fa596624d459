// Packs the package as npm would publish it, installs the tarball into a throwaway consumer and
// imports every entry point from there (ESM, CJS and types), as a user's project would.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { createPackedConsumer, root, run } from "./packed-consumer.js";

const entries = ["lesson-video-kit", "lesson-video-kit/core", "lesson-video-kit/server", "lesson-video-kit/emulator", "lesson-video-kit/testing"];
let consumer: string;
let remove: (() => void) | undefined;

beforeAll(() => {
  ({ dir: consumer, remove } = createPackedConsumer("consumer", ["react@19", "react-dom@19", "@types/react@19", "@types/node@20"]));
}, 300_000);

afterAll(() => remove?.());

describe("the published tarball", () => {
  it("imports every entry point from ESM", () => {
    const script = entries.map((e, i) => `const m${i} = await import(${JSON.stringify(e)}); console.log(${JSON.stringify(e)}, Object.keys(m${i}).length);`).join("\n");
    writeFileSync(join(consumer, "esm.mjs"), script);
    const out = run("node", ["esm.mjs"], consumer);
    for (const entry of entries) expect(out).toContain(entry);
  });

  it("requires every entry point from CommonJS", () => {
    const script = entries.map((e) => `console.log(${JSON.stringify(e)}, typeof require(${JSON.stringify(e)}));`).join("\n");
    writeFileSync(join(consumer, "cjs.cjs"), script);
    const out = run("node", ["cjs.cjs"], consumer);
    for (const entry of entries) expect(out).toContain(`${entry} object`);
  });

  it("resolves the types of every entry point", () => {
    const source = [
      `import { VideoError } from "lesson-video-kit/core";`,
      `import type { VideoTransport, UploadState } from "lesson-video-kit";`,
      ...entries.map((e, i) => `import * as e${i} from ${JSON.stringify(e)};`),
      `const error: VideoError = new VideoError("network", "lost");`,
      `export const checks = [error.code, ${entries.map((_, i) => `e${i}`).join(", ")}];`,
      `export type T = [VideoTransport, UploadState];`,
    ].join("\n");
    writeFileSync(join(consumer, "check.ts"), source);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: false, lib: ["ES2022", "DOM"], types: ["node"] }, files: ["check.ts"] }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    expect(() => run("node", [tsc, "-p", "."], consumer)).not.toThrow();
  });

  it("recognises a VideoError from any entry point, though each entry bundles its own copy", () => {
    const script = [
      `const core = require("lesson-video-kit/core");`,
      `const client = require("lesson-video-kit");`,
      `const server = require("lesson-video-kit/server");`,
      `const fromCore = new core.VideoError("forbidden", "no");`,
      `console.log(JSON.stringify([fromCore instanceof client.VideoError, client.isVideoError(fromCore), new server.VideoError("network", "x") instanceof core.VideoError, new Error("x") instanceof core.VideoError]));`,
    ].join("\n");
    writeFileSync(join(consumer, "brand.cjs"), script);
    expect(JSON.parse(run("node", ["brand.cjs"], consumer))).toEqual([true, true, true, false]);
  });

  it("ships the stylesheet and the emulator bin", () => {
    const pkg = join(consumer, "node_modules/lesson-video-kit");
    const files = readdirSync(join(pkg, "dist"));
    expect(files).toContain("styles.css");
    expect(files).toContain("emulator-cli.js");
  });

  it("tree-shakes: a bundle of VideoUploader alone carries none of the components it does not use", async () => {
    const bundle = async (names: string) => {
      const result = await build({
        stdin: { contents: `export { ${names} } from "lesson-video-kit";`, resolveDir: consumer, loader: "js" },
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        write: false,
        logLevel: "silent",
        external: ["react", "react-dom", "react/jsx-runtime", "@mux/*"],
      });
      return result.outputFiles[0]!.text;
    };
    const uploaderOnly = await bundle("VideoUploader");
    const withStock = await bundle("VideoUploader, MuxStockUploader, LessonForm");
    // Class names each component renders, as they appear in the built code.
    expect(withStock).toContain("lvk-mux-uploader");
    expect(withStock).toContain("lvk-form__footer");
    expect(uploaderOnly).not.toContain("lvk-mux-uploader");
    expect(uploaderOnly).not.toContain("lvk-form__footer");
    expect(uploaderOnly).toContain("lvk-uploader");
  });
});
