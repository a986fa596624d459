// The client entry (`lesson-video-kit`, src/index.ts) bundled as an app's bundler would, for the
// browser: no server code, Mux SDK or secret names may reach it. The same check on the server entry
// shows the check finds them when they are there.
import { resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "../..");
const forbidden = ["@mux/mux-node", "node:crypto", "MUX_TOKEN_SECRET", "tokenSecret"];

async function bundle(entry: string, platform: "browser" | "node" | "neutral", external: string[] = []): Promise<string> {
  const result = await build({
    entryPoints: [resolve(root, entry)],
    bundle: true,
    write: false,
    platform,
    format: "esm",
    outdir: resolve(root, "node_modules/.cache/lvk-bundle-check"),
    external: ["react", "react-dom", "react/jsx-runtime", ...external],
    mainFields: ["module", "main"],
    loader: { ".css": "empty" },
    logLevel: "silent",
  });
  return result.outputFiles.filter((file) => file.path.endsWith(".js")).map((file) => file.text).join("\n");
}

describe("the client bundle", () => {
  it("contains no server code, Mux SDK or token secret names", async () => {
    const client = await bundle("src/index.ts", "browser");
    expect(client.length).toBeGreaterThan(1000);
    for (const needle of forbidden) expect(client.includes(needle), `${needle} is in the client bundle`).toBe(false);
  });

  it("is checked by a search that does find them in the server entry", async () => {
    const server = await bundle("src/server/index.ts", "node");
    for (const needle of ["MUX_TOKEN_SECRET", "tokenSecret"]) expect(server.includes(needle), needle).toBe(true);
  });
});

describe("the server entry", () => {
  it("imports no node: module, so edge runtimes can load it (toNodeHandler uses Node types only)", async () => {
    const server = await bundle("src/server/index.ts", "neutral", ["@mux/mux-node"]);
    const imports = [...server.matchAll(/from\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => name !== "@mux/mux-node")).toEqual([]);
  });
});
