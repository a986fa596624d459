// Packs the package as npm would publish it, installs the tarball into a throwaway consumer and
// imports every entry point from there (ESM, CJS and types), as a user's project would: one runtime copy
// and one type identity across entries, one engine in an app's bundle, types mixed across entries.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import ts from "typescript";
import { createPackedConsumer, root, run, typecheck } from "./packed-consumer.js";

const entries = [
  "lesson-video-kit",
  "lesson-video-kit/core",
  "lesson-video-kit/server",
  "lesson-video-kit/server/redis",
  "lesson-video-kit/emulator",
  "lesson-video-kit/testing",
];
let consumer: string;
let remove: (() => void) | undefined;

beforeAll(() => {
  ({ dir: consumer, remove } = createPackedConsumer("consumer", ["react@19", "react-dom@19", "@types/react@19", "@types/node@20", "@mux/mux-node@15"]));
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
    // A full tsc over every published declaration (skipLibCheck off): 10–20 s alone, several times that on a busy machine.
  }, 240_000);

  it("exports the very same object from every entry that exports a name, in ESM and in CommonJS", () => {
    const compare = (load: (entry: string) => string) => `
      const loaded = {};
      for (const entry of ${JSON.stringify(entries)}) loaded[entry] = ${load("entry")};
      const report = { shared: [], different: [] };
      const names = Object.keys(loaded);
      for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) {
        const a = loaded[names[i]], b = loaded[names[j]];
        for (const key of Object.keys(a)) if (key in b) (a[key] === b[key] ? report.shared : report.different).push(names[i] + " ~ " + names[j] + ": " + key);
      }
      console.log(JSON.stringify(report));`;
    writeFileSync(join(consumer, "identity.mjs"), `${compare(() => "await import(entry)")}`);
    writeFileSync(join(consumer, "identity.cjs"), `${compare(() => "require(entry)")}`);
    for (const script of ["identity.mjs", "identity.cjs"]) {
      const report = JSON.parse(run("node", [script], consumer)) as { shared: string[]; different: string[] };
      expect(report.different).toEqual([]);
      for (const name of ["UploadController", "VideoError", "AssetWatcher", "createHttpTransport", "isVideoError"]) {
        expect(report.shared).toContain(`lesson-video-kit ~ lesson-video-kit/core: ${name}`);
      }
      expect(report.shared).toContain("lesson-video-kit/core ~ lesson-video-kit/server: VideoError");
    }
    // A VideoError made through one entry is an instance of the class every other entry exports.
    writeFileSync(
      join(consumer, "instance.cjs"),
      `const core = require("lesson-video-kit/core"), client = require("lesson-video-kit"), server = require("lesson-video-kit/server");
       console.log(JSON.stringify([new core.VideoError("forbidden", "no") instanceof client.VideoError, new server.VideoError("network", "x") instanceof core.VideoError, new Error("x") instanceof core.VideoError]));`,
    );
    expect(JSON.parse(run("node", ["instance.cjs"], consumer))).toEqual([true, true, false]);
  });

  it("bundles one copy of the engine for an app that imports the root and /core", async () => {
    const result = await build({
      stdin: {
        contents: [
          `import { UploadController, VideoProvider, VideoUploader } from "lesson-video-kit";`,
          `import { UploadController as CoreController, AssetWatcher, createHttpTransport } from "lesson-video-kit/core";`,
          `import { VideoProvider as SlimProvider, VideoUploader as SlimUploader, createHttpTransport as slimTransport } from "lesson-video-kit/uploader";`,
          `console.log(UploadController, CoreController, AssetWatcher, createHttpTransport, VideoProvider, VideoUploader, SlimProvider, SlimUploader, slimTransport);`,
        ].join("\n"),
        resolveDir: consumer,
        loader: "js",
      },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["react", "react-dom", "react/jsx-runtime", "@mux/*", "@radix-ui/*", "clsx"],
    });
    const code = result.outputFiles[0]!.text;
    const definitions = (name: string) =>
      code.match(new RegExp(`\\b(var|let|const) ${name}\\d* = class\\b|\\bclass ${name}\\d*\\b|^\\s+${name}\\d* = class\\b`, "gm")) ?? [];
    expect(definitions("UploadController")).toHaveLength(1);
    // The public AssetWatcher is a lazy front that loads the polling engine on first use: one of each.
    expect(definitions("LazyAssetWatcher")).toHaveLength(1);
    expect(definitions("AssetWatcher")).toHaveLength(1);
    expect(definitions("VideoError")).toHaveLength(1);
    // lesson-video-kit/uploader exports the root's own objects: one provider, one uploader, one transport.
    expect(code.match(/\bfunction VideoProvider\d*\(/g) ?? []).toHaveLength(1);
    expect(code.match(/\bfunction createHttpTransport\d*\(/g) ?? []).toHaveLength(1);
    expect(code.match(/"lvk-uploader"/g) ?? []).toHaveLength(1);
  });

  it("type-checks an app that mixes the root, /core, /testing and /server under strict + exactOptionalPropertyTypes", () => {
    const source = `
      import type { VideoTransport } from "lesson-video-kit/core";
      import { UploadController, createHttpTransport, VideoError as CoreVideoError, type VideoAsset } from "lesson-video-kit/core";
      import { VideoProvider, VideoUploader, LessonForm, useUploadController, useVideo, VideoError, type UploadPhase } from "lesson-video-kit";
      import { createMemoryTransport } from "lesson-video-kit/testing";
      import { createVideoRoutes, createMuxBackend } from "lesson-video-kit/server";

      // A transport typed with /core's interface goes into the root's provider.
      const custom: VideoTransport = createMemoryTransport();
      export const a = <VideoProvider transport={custom}><VideoUploader /></VideoProvider>;
      export const b = <VideoProvider transport={createMemoryTransport()}><LessonForm onSubmit={async () => ({ id: "lesson-1" })} /></VideoProvider>;

      // A controller from /core binds to the root's hooks.
      const controller = new UploadController({ transport: createHttpTransport({ baseUrl: "/api/video" }) });
      export function Status() {
        const upload = useUploadController(controller);
        const { actions } = useVideo();
        const phase: UploadPhase = upload.state.status;
        return <button onClick={() => void actions.retryUpload().then(() => actions.resetState())}>{phase}</button>;
      }

      // One class: /core's VideoError is the root's, and the server recognises it.
      export const error: VideoError = new CoreVideoError("forbidden", "No.", { status: 403 });
      createVideoRoutes({ backend: createMuxBackend(), authorize: () => { throw error; } });

      // Optional fields take an explicit undefined where users naturally pass one.
      declare const done: boolean;
      export const asset: VideoAsset = { id: "a", status: "ready", playback: done ? { src: "/a.mp4" } : undefined, duration: undefined };
      export const transport = createHttpTransport({ baseUrl: undefined, events: done ? true : undefined });
    `;
    writeFileSync(join(consumer, "mixed.tsx"), source);
    // skipLibCheck as Next.js and Vite templates set it: @mux/mux-video's own declarations do not compile
    // under exactOptionalPropertyTypes (our declarations are checked without it by the test above).
    writeFileSync(
      join(consumer, "tsconfig.mixed.json"),
      JSON.stringify({
        compilerOptions: { module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", target: "es2022", strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, lib: ["ES2022", "DOM"], types: ["node"] },
        files: ["mixed.tsx"],
      }),
    );
    expect(typecheck("tsconfig.mixed.json", consumer)).toBe("");
  });

  it("type-checks a custom transport forwarding createHttpTransport's methods, and options with explicit undefined, under exactOptionalPropertyTypes", () => {
    // What a host writes: a transport that wraps the HTTP one, hooks that may be absent, and options objects
    // built from possibly-undefined values. Under exactOptionalPropertyTypes each optional member must say
    // `| undefined` for this to compile; an optional method (`sendFile?(…)`) does not.
    const source = `
      import { createHttpTransport, UploadController, AssetWatcher, validateVideoFile, validateCaptionText, type VideoTransport } from "lesson-video-kit/core";
      import { VideoProvider, VideoUploader, VideoErrorBoundary, ChaptersEditor, MessagesProvider } from "lesson-video-kit";
      import { createMemoryTransport } from "lesson-video-kit/testing";
      import { createVideoRoutes, createMuxBackend, signPlaybackTokens, type SigningKey, type VideoBackend, type WebhookHooks } from "lesson-video-kit/server";
      import type Mux from "@mux/mux-node";

      declare const maybe: boolean;
      declare const onReady: ((info: { assetId: string }) => void) | undefined;

      const http = createHttpTransport({ baseUrl: "/api/video", headers: undefined, fetch: undefined });
      export const forwarding: VideoTransport = {
        createUpload: (request, options) => http.createUpload(request, options),
        getUpload: (uploadId, options) => http.getUpload(uploadId, options),
        getAsset: (assetId, options) => http.getAsset(assetId, options),
        sendFile: http.sendFile,
        watchAsset: http.watchAsset,
        cancelUpload: http.cancelUpload,
        listCaptions: http.listCaptions,
        addCaption: http.addCaption,
        removeCaption: http.removeCaption,
        generateCaptions: http.generateCaptions,
      };
      // No push channel and no caption methods: explicit undefined, as a spread-and-override writes it.
      export const polling: VideoTransport = { ...http, watchAsset: undefined, listCaptions: maybe ? http.listCaptions : undefined };
      export const tokens = http.getPlaybackTokens("playback-1", { signal: undefined, thumbnailTime: undefined });

      export const controller = new UploadController({
        transport: forwarding,
        limits: { maxFileSize: maybe ? 1_000_000 : undefined, allowedTypes: undefined },
        retry: { retries: maybe ? 2 : undefined, baseDelayMs: undefined },
        chunkSize: undefined,
      });
      export const watcher = new AssetWatcher({ transport: polling, visibility: undefined, initialIntervalMs: undefined });
      export const checked = validateVideoFile(new Blob([]) as File, { maxFileSize: undefined });
      export const captions = validateCaptionText("WEBVTT", { maxBytes: undefined, messages: { no_cues: undefined } });
      export const memory = createMemoryTransport({ latencyMs: undefined, failAt: { byte: 1024, code: undefined, times: undefined } });

      export const page = (
        <VideoProvider transport={forwarding} limits={{ maxFileSize: undefined }} messages={{ network: maybe ? "Offline." : undefined }}>
          <MessagesProvider messages={{ upload: { chooseFile: maybe ? "Video auswählen" : undefined } }}>
            <VideoErrorBoundary onError={maybe ? (error) => console.error(error) : undefined} onReset={undefined}>
              <VideoUploader lessonId={undefined} onUploaded={undefined} />
              <ChaptersEditor value={undefined} onChange={undefined} durationSeconds={undefined} />
            </VideoErrorBoundary>
          </MessagesProvider>
        </VideoProvider>
      );

      const mux = createMuxBackend({ tokenId: undefined, tokenSecret: undefined, webhookSecret: undefined, env: undefined, maxRetries: undefined });
      // A backend without the orphan clean-up and captions, by overriding the Mux one's optional methods.
      const backend: VideoBackend = { ...mux, listAssets: undefined, deleteAsset: undefined, addCaption: maybe ? mux.addCaption : undefined };
      const hooks: WebhookHooks = { onAssetReady: onReady, onAssetErrored: undefined, onUploadAssetCreated: undefined };
      export const routes = createVideoRoutes({
        backend,
        authorize: () => ({ id: "user-1" }),
        hooks,
        basePath: undefined,
        limits: { maxFileSize: undefined, requireLessonId: maybe ? true : undefined },
        rateLimit: undefined,
        cors: undefined,
        canView: undefined,
      });
      declare const client: Mux;
      declare const key: SigningKey;
      export const signed = signPlaybackTokens(client, "playback-1", key, { expiresInSeconds: 60, now: undefined, thumbnailTime: undefined });
    `;
    writeFileSync(join(consumer, "explicit-undefined.tsx"), source);
    writeFileSync(
      join(consumer, "tsconfig.explicit-undefined.json"),
      JSON.stringify({
        compilerOptions: { module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", target: "es2022", strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, lib: ["ES2022", "DOM"], types: ["node"] },
        files: ["explicit-undefined.tsx"],
      }),
    );
    expect(typecheck("tsconfig.explicit-undefined.json", consumer)).toBe("");
  });

  it("declares every optional member of the published types with `| undefined`, so an explicit undefined is accepted", () => {
    // The type test above tries a sample; this reads every declaration the tarball ships. An optional method
    // (`sendFile?(…)`) or an optional property without `| undefined` rejects `{ x: undefined }` under
    // exactOptionalPropertyTypes. The emulator's declarations (src/emulator) are not covered yet.
    const dist = join(consumer, "node_modules/lesson-video-kit/dist");
    const acceptsUndefined = (type: ts.TypeNode | undefined): boolean =>
      type === undefined ||
      type.kind === ts.SyntaxKind.UndefinedKeyword ||
      type.kind === ts.SyntaxKind.AnyKeyword ||
      type.kind === ts.SyntaxKind.UnknownKeyword ||
      (ts.isUnionTypeNode(type) && type.types.some(acceptsUndefined)) ||
      (ts.isParenthesizedTypeNode(type) && acceptsUndefined(type.type));
    const rejecting: string[] = [];
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".d.ts") && name !== "emulator.d.ts")) {
      const source = ts.createSourceFile(file, readFileSync(join(dist, file), "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        const optionalMember =
          ((ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) && node.questionToken && !acceptsUndefined(node.type)) ||
          ((ts.isMethodSignature(node) || ts.isMethodDeclaration(node)) && node.questionToken) ||
          (ts.isMappedTypeNode(node) && node.questionToken !== undefined && node.questionToken.kind !== ts.SyntaxKind.MinusToken && !acceptsUndefined(node.type));
        if (optionalMember) rejecting.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().split("\n")[0]}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(rejecting).toEqual([]);
  });

  it("ships the stylesheet and the emulator bin", () => {
    const pkg = join(consumer, "node_modules/lesson-video-kit");
    expect(readdirSync(join(pkg, "dist"))).toContain("styles.css");
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { bin: Record<string, string> };
    const bin = join(pkg, manifest.bin["lesson-video-kit-emulator"]!);
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
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
