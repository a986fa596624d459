// @vitest-environment node
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type Metafile } from "esbuild";

const root = resolve(import.meta.dirname, "../../..");

/** Outputs a browser loads before any dynamic import runs: the entry and its static imports, transitively. */
function initialChunks(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  return seen;
}

const inputsOf = (metafile: Metafile, outputs: Iterable<string>) =>
  [...outputs].flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}));

describe("a consumer bundle that imports LessonForm", () => {
  let dir: string;
  let metafile: Metafile;
  let entryOutput: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lvk-chunks-"));
    const entry = join(dir, "consumer.tsx");
    await writeFile(
      entry,
      `import { LessonForm, VideoProvider } from ${JSON.stringify(join(root, "src/index.ts"))};\n` +
        `export const page = [LessonForm, VideoProvider];\n`,
    );
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      outdir: join(dir, "out"),
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["react", "react-dom", "react/jsx-runtime", "react-dom/client"],
      absWorkingDir: root,
    });
    metafile = result.metafile;
    const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint?.endsWith("consumer.tsx"));
    if (!found) throw new Error("esbuild produced no entry chunk");
    entryOutput = found[0];
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps @mux/mux-player (and the opt-in Mux uploader) out of the initial chunks and puts the player in a lazy one", () => {
    const initial = initialChunks(metafile, entryOutput);
    const initialInputs = inputsOf(metafile, initial);
    expect(initialInputs.some((input) => input.includes("src/components/form/organisms/LessonForm.tsx"))).toBe(true);
    expect(initialInputs.filter((input) => input.includes("@mux/mux-player"))).toEqual([]);
    expect(initialInputs.filter((input) => input.includes("@mux/mux-uploader"))).toEqual([]);

    const lazy = Object.keys(metafile.outputs).filter((output) => !initial.has(output) && output.endsWith(".js"));
    expect(inputsOf(metafile, lazy).some((input) => input.includes("node_modules/@mux/mux-player/"))).toBe(true);
  });

  it("never reaches the server SDK or node: modules", () => {
    const everything = inputsOf(metafile, Object.keys(metafile.outputs));
    expect(everything.filter((input) => input.includes("@mux/mux-node") || input.startsWith("node:"))).toEqual([]);
    expect(everything.filter((input) => input.includes("src/server/") || input.includes("src/emulator/"))).toEqual([]);
  });
});
