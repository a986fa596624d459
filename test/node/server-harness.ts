/**
 * A host app as the server tests need it: the local Mux emulator, `createMuxBackend` (the real
 * `@mux/mux-node` client) pointed at it, `createVideoRoutes` mounted on `node:http` with
 * `toNodeHandler`, and the emulator's webhooks delivered to that server. The "host" keeps lesson rows
 * that its hooks update and its `canUpload`/`canViewAsset`/`canView` read, as an app's database would:
 * any signed-in user may follow the status of a lesson's video, only its creator gets signed tokens.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Mux } from "@mux/mux-node";
import { startMuxEmulator, type MuxEmulator, type MuxEmulatorOptions } from "../../src/emulator/index.js";
import {
  createMuxBackend,
  createVideoRoutes,
  toNodeHandler,
  type AssetReadyInfo,
  type FetchHandler,
  type RouteContext,
  type AssetErroredInfo,
  type ServerVideoEvent,
  type UploadAssetCreatedInfo,
  type VideoBackend,
  type VideoRoutesOptions,
} from "../../src/server/index.js";

export interface TestUser {
  id: string;
}

export interface LessonRow {
  creatorId: string;
  assetId?: string;
  playbackId?: string;
  videoStatus: "pending" | "processing" | "ready" | "error";
}

export interface StackOptions {
  routes?: Partial<VideoRoutesOptions<TestUser>>;
  emulator?: MuxEmulatorOptions;
  /** Create a signing key at the emulator and give it to the backend. Default true. */
  signingKey?: boolean;
  /**
   * How `toNodeHandler` reaches the routes: `native` (the handler's own Node entry: a `Request` only when
   * needed, JSON written as text) or `fetch` (a wrapper that hides it, so every request becomes a Fetch
   * `Request` and every answer a `Response`). Default: `LVK_NODE_PATH`, else `native`; the `node-fetch-path`
   * test project runs the route tests again with `fetch`.
   */
  nodePath?: NodePath;
}

export type NodePath = "native" | "fetch";

/** The path the harness mounts by default (see `StackOptions.nodePath`). */
export const defaultNodePath: NodePath = process.env.LVK_NODE_PATH === "fetch" ? "fetch" : "native";

export interface Stack {
  emulator: MuxEmulator;
  /** A Mux client of its own, to look at the emulator's state the way a developer would. */
  mux: Mux;
  /** Base URL of the routes, e.g. `http://127.0.0.1:PORT/api/video`. */
  api: string;
  origin: string;
  lessons: Map<string, LessonRow>;
  hooks: { uploadAssetCreated: UploadAssetCreatedInfo[]; assetReady: AssetReadyInfo[]; assetErrored: AssetErroredInfo[] };
  events: ServerVideoEvent[];
  /** How often the routes called each backend method (to see what reaches the Mux API). */
  backendCalls: Record<string, number>;
  /** Makes the next `n` calls of `onAssetReady` throw, as a host whose database is briefly down. */
  failAssetReadyHook(n: number): void;
  call(path: string, init?: RequestInit & { user?: string | undefined }): Promise<Response>;
  uploadIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** Bearer tokens the test "session" accepts. */
export const tokens: Record<string, TestUser> = {
  "alice-token": { id: "alice" },
  "bob-token": { id: "bob" },
};

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startMuxEmulator({ processingDelayMs: 50, webhookRetryDelaysMs: [100, 200, 400], ...options.emulator });
  const mux = new Mux({ tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, baseURL: emulator.url, maxRetries: 0 });
  const key = options.signingKey === false ? undefined : await mux.system.signingKeys.create();

  const lessons = new Map<string, LessonRow>([
    ["lesson-alice", { creatorId: "alice", videoStatus: "pending" }],
    ["lesson-bob", { creatorId: "bob", videoStatus: "pending" }],
  ]);
  const hooks: Stack["hooks"] = { uploadAssetCreated: [], assetReady: [], assetErrored: [] };
  const events: ServerVideoEvent[] = [];
  let readyFailures = 0;

  const muxBackend = createMuxBackend({
    baseURL: emulator.url,
    tokenId: emulator.tokenId,
    tokenSecret: emulator.tokenSecret,
    webhookSecret: emulator.webhookSecret,
    maxRetries: 0,
    env: {},
    ...(key?.private_key ? { signingKey: { id: key.id, privateKey: key.private_key } } : {}),
  });

  const backendCalls: Record<string, number> = {};
  const backend: VideoBackend = {
    name: muxBackend.name,
    ...Object.fromEntries(
      (
        [
          "createUpload",
          "getUpload",
          "cancelUpload",
          "getAsset",
          "deleteAsset",
          "createAssetFromUrl",
          "createClip",
          "signPlayback",
          "verifyWebhook",
          "listCaptions",
          "addCaption",
          "removeCaption",
          "generateCaptions",
        ] as const
      ).map((method) => [
        method,
        (...args: unknown[]) => {
          backendCalls[method] = (backendCalls[method] ?? 0) + 1;
          return (muxBackend[method] as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ),
    precheckWebhook: (headers: Headers) => muxBackend.precheckWebhook?.(headers),
    // The client too, so the routes know this is the emulator (caption files then go by the server's own address).
    mux: muxBackend.mux,
  } as unknown as VideoBackend;

  const handler = createVideoRoutes<TestUser>({
    backend,
    authorize: (request) => tokens[request.headers.get("authorization")?.replace(/^Bearer /, "") ?? ""],
    canUpload: (user, lessonId) => lessonId === undefined || lessons.get(lessonId)?.creatorId === user.id,
    canViewAsset: (_user, asset) => asset.lessonId !== undefined && lessons.has(asset.lessonId),
    canView: (user, playbackId) => [...lessons.values()].some((row) => row.playbackId === playbackId && row.creatorId === user.id),
    onEvent: (event) => events.push(event),
    hooks: {
      onUploadAssetCreated(info) {
        hooks.uploadAssetCreated.push(info);
        const row = info.lessonId ? lessons.get(info.lessonId) : undefined;
        if (row) Object.assign(row, { assetId: info.assetId, videoStatus: "processing" });
      },
      onAssetReady(info) {
        if (readyFailures > 0) {
          readyFailures--;
          throw new Error("database unavailable");
        }
        hooks.assetReady.push(info);
        const row = info.lessonId ? lessons.get(info.lessonId) : undefined;
        if (row) Object.assign(row, { assetId: info.assetId, playbackId: info.playbackId, videoStatus: "ready" });
      },
      onAssetErrored(info) {
        hooks.assetErrored.push(info);
        const row = info.lessonId ? lessons.get(info.lessonId) : undefined;
        if (row) row.videoStatus = "error";
      },
    },
    ...options.routes,
  });

  // The Fetch path: a plain wrapper, as a host's own middleware would be, keeps only what FetchHandler declares.
  const mounted: FetchHandler =
    (options.nodePath ?? defaultNodePath) === "fetch" ? Object.assign((request: Request, context?: RouteContext) => handler(request, context), { rejectMalformed: handler.rejectMalformed }) : handler;
  const server: Server = createServer(toNodeHandler(mounted));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = `${origin}${options.routes?.basePath ?? "/api/video"}`;
  emulator.setWebhookUrls([`${api}/webhooks/mux`]);

  return {
    emulator,
    mux,
    api,
    origin,
    lessons,
    hooks,
    events,
    backendCalls,
    failAssetReadyHook: (n) => {
      readyFailures = n;
    },
    call(path, init = {}) {
      const { user, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (user) headers.set("authorization", `Bearer ${user}-token`);
      return fetch(`${api}${path}`, { ...rest, headers });
    },
    async uploadIds() {
      const ids: string[] = [];
      for await (const upload of mux.video.uploads.list()) ids.push(upload.id);
      return ids;
    },
    async close() {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

/** JSON body and headers of a `POST /uploads` for `file`. */
export function uploadRequest(file: { name: string; size: number; type: string }, lessonId?: string, user = "alice"): RequestInit & { user: string } {
  return {
    method: "POST",
    user,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(lessonId === undefined ? { file } : { file, lessonId }),
  };
}
