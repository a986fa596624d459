// The package ships an ESM build (dist/esm/…) and a CJS build (dist/*.cjs); an app whose server code mixes
// `import` and `require` (a CJS dependency, a Jest setup, a Next.js route and a script) loads both, as two
// copies of every module. A `VideoError` made by one copy is still a `VideoError` to the other: `isVideoError`,
// `instanceof` and the server paths that branch on a backend's error (the routes, reconcileUpload, the orphan
// clean-up) recognise it. Runs against dist/ (`npm run build` first), as an app loads it.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { VideoBackend } from "../../src/server/index.js";

type CoreEntry = typeof import("../../src/entries/core.js");
type ServerEntry = typeof import("../../src/server/index.js");

const dist = resolve(import.meta.dirname, "../../dist");
const require = createRequire(import.meta.url);
const importEsm = async <Entry>(path: string): Promise<Entry> => (await import(pathToFileURL(resolve(dist, path)).href)) as Entry;

let cjs: { core: CoreEntry; server: ServerEntry };
let esm: { core: CoreEntry; server: ServerEntry };

beforeAll(async () => {
  if (!existsSync(resolve(dist, "core.cjs")) || !existsSync(resolve(dist, "esm/entries/core.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before this test");
  }
  cjs = { core: require(resolve(dist, "core.cjs")) as CoreEntry, server: require(resolve(dist, "server.cjs")) as ServerEntry };
  esm = { core: await importEsm<CoreEntry>("esm/entries/core.js"), server: await importEsm<ServerEntry>("esm/server/index.js") };
});

/** A backend with one upload whose asset is `asset1`; `fail` decides what its methods throw. */
function backendThrowing(fail: { getAsset?: () => unknown; createUpload?: () => unknown }): VideoBackend {
  return {
    name: "test",
    async createUpload() {
      if (fail.createUpload) throw fail.createUpload();
      return { uploadId: "upload1", url: "http://127.0.0.1:1/upload" };
    },
    async getUpload() {
      return { uploadId: "upload1", status: "asset_created", assetId: "asset1" };
    },
    async cancelUpload() {},
    async getAsset() {
      if (fail.getAsset) throw fail.getAsset();
      return { id: "asset1", status: "ready" };
    },
    async signPlayback() {
      throw new Error("not used");
    },
    async verifyWebhook() {
      return { ok: false, reason: "not_configured" };
    },
  };
}

describe("a VideoError from the other build", () => {
  it("is the two builds' separate copies of the class, so the brand is what recognises it", () => {
    expect(cjs.core.VideoError).not.toBe(esm.core.VideoError);
  });

  it("is recognised by isVideoError and instanceof, made by either build and checked by the other", () => {
    const fromCjs = new cjs.core.VideoError("not_found", "gone", { status: 404 });
    const fromEsm = new esm.core.VideoError("not_found", "gone", { status: 404 });
    expect(esm.core.isVideoError(fromCjs)).toBe(true);
    expect(cjs.core.isVideoError(fromEsm)).toBe(true);
    expect(esm.server.isVideoError(fromCjs)).toBe(true);
    expect(fromCjs instanceof esm.core.VideoError).toBe(true);
    expect(fromEsm instanceof cjs.core.VideoError).toBe(true);
  });

  it("is recognised by the other build's toVideoError as it is, code, status and retryable kept", () => {
    const fromCjs = new cjs.core.VideoError("rate_limited", "slow down", { status: 429, retryAfter: 5 });
    const seen = esm.core.toVideoError(fromCjs);
    expect(seen).toBe(fromCjs);
    expect(seen).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 5, retryable: true });
  });

  it("is not claimed by an error that only looks like one", () => {
    const lookalike = Object.assign(new Error("gone"), { name: "VideoError", code: "not_found", retryable: false, status: 404 });
    expect(esm.core.isVideoError(lookalike)).toBe(false);
    expect(lookalike instanceof esm.core.VideoError).toBe(false);
    expect(esm.core.isVideoError({ code: "not_found", message: "gone", retryable: false })).toBe(false);
  });

  it("thrown by a backend's getAsset as not_found, makes reconcileUpload treat the asset as gone", async () => {
    const backend = backendThrowing({ getAsset: () => new cjs.core.VideoError("not_found", "This asset does not exist.", { status: 404 }) });
    const hooks = { onUploadAssetCreated: vi.fn(), onAssetReady: vi.fn() };
    const found = await esm.server.reconcileUpload({ backend, uploadId: "upload1", hooks });
    expect(found).toEqual({ upload: { uploadId: "upload1", status: "asset_created", assetId: "asset1" } });
    expect(hooks.onUploadAssetCreated).not.toHaveBeenCalled();
  });

  it("thrown by a backend's deleteAsset as not_found, counts as deleted in the orphan clean-up", async () => {
    const orphan = { id: "asset1", status: "ready" as const, uploadId: "upload1", ownerKey: "lvk1_owner", createdAt: 0 };
    const report = await esm.server.deleteOrphanAssets({
      backend: {
        async *listAssets() {
          yield orphan;
        },
        async deleteAsset() {
          throw new cjs.core.VideoError("not_found", "This asset does not exist.", { status: 404 });
        },
      },
      isReferenced: () => false,
      dryRun: false,
    });
    expect(report.deleted.map((deleted) => deleted.assetId)).toEqual(["asset1"]);
    expect(report.failed).toEqual([]);
  });

  for (const [made, served] of [
    ["CJS", "ESM"],
    ["ESM", "CJS"],
  ] as const) {
    it(`made by the ${made} build and thrown by a backend, is answered by the ${served} build's routes with its status`, async () => {
      const errors = (made === "CJS" ? cjs : esm).core;
      const { createVideoRoutes } = (served === "CJS" ? cjs : esm).server;
      const handler = createVideoRoutes({
        backend: backendThrowing({
          getAsset: () => new errors.VideoError("not_found", "This asset does not exist.", { status: 404 }),
          createUpload: () => new errors.VideoError("rate_limited", "The video service is busy.", { status: 429, retryAfter: 30 }),
        }),
        authorize: () => ({ id: "alice" }),
      });
      try {
        const asset = await handler(new Request("https://lessons.example/api/video/assets/asset1"));
        expect(asset.status).toBe(404);
        // Recognised as a 404 across builds, then answered with the routes' one "does not exist" body.
        expect(await asset.json()).toEqual({ error: { code: "not_found", message: "There is no such video." } });

        const upload = await handler(
          new Request("https://lessons.example/api/video/uploads", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ file: { name: "a.mp4", size: 10, type: "video/mp4" } }),
          }),
        );
        expect(upload.status).toBe(429);
        expect(upload.headers.get("retry-after")).toBe("30");
        expect(await upload.json()).toEqual({ error: { code: "rate_limited", message: "The video service is busy." } });
      } finally {
        handler.close();
      }
    });
  }
});
