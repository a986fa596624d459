// A host app run as several route-handler instances, as behind a load balancer: one local Mux emulator,
// one Redis (test/helpers/redis.ts), and N child processes each running test/node/redis-instance.ts. Tests
// talk to each instance over HTTP and wait on what it reports over IPC (never on sleeps).
import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { startMuxEmulator, type MuxEmulator, type MuxEmulatorOptions } from "../../src/emulator/index.js";
import { signMuxWebhook } from "../../src/server/webhooks.js";
import type { InstanceConfig, InstanceMessage } from "./redis-instance.js";

const root = resolve(import.meta.dirname, "../..");
// Inside the repository, so the bundle's external imports (ioredis, @mux/mux-node) resolve from node_modules.
const bundleDir = join(root, "node_modules/.cache/lvk-redis-tests");

let bundled: Promise<string> | undefined;
/**
 * redis-instance.ts as one ES module, bundled from the sources once per test file. Named by its content and
 * renamed into place, so test files running at once share one file and old ones do not pile up.
 */
function instanceScript(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(bundleDir, { recursive: true });
    const result = await build({
      entryPoints: [join(root, "test/node/redis-instance.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      write: false,
      outfile: join(bundleDir, "redis-instance.mjs"),
      logLevel: "warning",
    });
    const code = result.outputFiles[0]!.contents;
    const outfile = join(bundleDir, `redis-instance-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    if (!existsSync(outfile)) {
      const temporary = `${outfile}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, outfile);
    }
    return outfile;
  })();
  return bundled;
}

export interface Instance {
  name: string;
  origin: string;
  api: string;
  child: ChildProcess;
  /** Everything the instance reported, in order. */
  log: InstanceMessage[];
  /** Resolves with the first message from index `since` on that matches; rejects after `timeoutMs` or if the process exits. */
  waitFor<T extends InstanceMessage>(match: (message: InstanceMessage) => message is T, since?: number, timeoutMs?: number): Promise<T>;
  waitFor(match: (message: InstanceMessage) => boolean, since?: number, timeoutMs?: number): Promise<InstanceMessage>;
  call(path: string, init?: RequestInit & { user?: string }): Promise<Response>;
  /** Resolves once everything the instance reported before now has arrived. */
  sync(): Promise<void>;
  /** Backend calls of `method` (for `id`) reported so far. */
  backendCalls(method: string, id?: string): Array<Extract<InstanceMessage, { type: "backend" }>>;
  stop(): Promise<void>;
}

export interface Cluster {
  emulator: MuxEmulator;
  instances: Instance[];
  close(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  redisUrl?: string | undefined;
  emulator?: MuxEmulatorOptions;
  instance?: Omit<InstanceConfig, "name" | "redisUrl" | "emulator">;
}

async function startInstance(config: InstanceConfig): Promise<Instance> {
  const child = fork(await instanceScript(), [JSON.stringify(config)], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const log: InstanceMessage[] = [];
  let pings = 0;
  const waiters = new Set<() => void>();
  child.on("message", (message) => {
    log.push(message as InstanceMessage);
    for (const wake of waiters) wake();
  });
  child.on("exit", () => {
    for (const wake of waiters) wake();
  });

  const waitFor = (match: (message: InstanceMessage) => boolean, since = 0, timeoutMs = 20_000): Promise<InstanceMessage> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = log.slice(since).find(match);
        if (found) {
          finish();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          finish();
          reject(new Error(`instance ${config.name} exited (${child.exitCode ?? child.signalCode})`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`instance ${config.name}: no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const listening = (await waitFor((m) => m.type === "listening")) as Extract<InstanceMessage, { type: "listening" }>;
  const api = `${listening.origin}/api/video`;
  return {
    name: config.name,
    origin: listening.origin,
    api,
    child,
    log,
    waitFor,
    call(path, init = {}) {
      const { user, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (user) headers.set("authorization", `Bearer ${user}-token`);
      return fetch(`${api}${path}`, { ...rest, headers });
    },
    async sync() {
      const id = ++pings;
      child.send({ type: "ping", id });
      await waitFor((m) => m.type === "pong" && m.id === id);
    },
    backendCalls: (method, id) =>
      log.filter((m): m is Extract<InstanceMessage, { type: "backend" }> => m.type === "backend" && m.method === method && (id === undefined || m.id === id)),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Starts the emulator and the instances; with `redisUrl`, resolves once every instance has Redis ready. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const emulator = await startMuxEmulator({ processingDelayMs: 600_000, webhookRetryDelaysMs: [100, 200, 400], ...options.emulator });
  const names = ["A", "B", "C", "D", "E"].slice(0, options.instances ?? 3);
  const instances = await Promise.all(
    names.map((name) =>
      startInstance({
        ...options.instance,
        name,
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        emulator: { url: emulator.url, tokenId: emulator.tokenId, tokenSecret: emulator.tokenSecret, webhookSecret: emulator.webhookSecret },
      }),
    ),
  );
  const cluster: Cluster = {
    emulator,
    instances,
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await emulator.close();
    },
  };
  if (options.redisUrl) {
    try {
      await Promise.all(instances.map((instance) => instance.waitFor(isRedisStatus("ready"))));
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }
  return cluster;
}

export const isRedisStatus =
  (status: "ready" | "unavailable") =>
  (message: InstanceMessage): message is Extract<InstanceMessage, { type: "redis" }> =>
    message.type === "redis" && message.status === status;

/** A few bytes are enough: with the cluster's processing delay the asset stays `preparing` until a test says otherwise. */
const someBytes = new Uint8Array(1024).fill(7);

/** `POST /uploads` through `instance` for a file of `size` bytes. */
export function createUpload(instance: Instance, user: string, size: number): Promise<Response> {
  return instance.call("/uploads", {
    method: "POST",
    user,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ file: { name: "lesson.mp4", size, type: "video/mp4" } }),
  });
}

/** Sends the bytes to an upload URL in one PUT, as the emulator's upload URL takes them; resolves with the asset id. */
export async function sendBytes(url: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const put = await fetch(url, { method: "PUT", body: bytes, headers: { "content-type": "video/mp4" } });
  if (!put.ok) throw new Error(`PUT answered ${put.status}`);
  const { data } = (await put.json()) as { data: { asset_id: string } };
  return data.asset_id;
}

/** Creates an upload through `instance` and sends its bytes to the emulator; resolves with the ids. */
export async function uploadAsset(instance: Instance, user: string, bytes: Uint8Array<ArrayBuffer> = someBytes): Promise<{ uploadId: string; assetId: string }> {
  const created = await createUpload(instance, user, bytes.byteLength);
  if (created.status !== 201) throw new Error(`POST /uploads answered ${created.status}: ${await created.text()}`);
  const { uploadId, url } = (await created.json()) as { uploadId: string; url: string };
  return { uploadId, assetId: await sendBytes(url, bytes) };
}

/** A webhook delivery as Mux sends it: the body and its `mux-signature`, to post to any instance (again). */
export interface WebhookDelivery {
  eventId: string;
  body: string;
  signature: string;
}

/** `video.asset.<type>` for the emulator's asset as it is now, with `status` changed, signed with the emulator's secret. */
export async function assetWebhook(emulator: MuxEmulator, assetId: string, type: "ready" | "updated", status: string): Promise<WebhookDelivery> {
  const response = await fetch(`${emulator.url}/video/v1/assets/${assetId}`, {
    headers: { authorization: `Basic ${btoa(`${emulator.tokenId}:${emulator.tokenSecret}`)}` },
  });
  const { data } = (await response.json()) as { data: Record<string, unknown> };
  const eventId = randomUUID();
  const body = JSON.stringify({
    id: eventId,
    type: `video.asset.${type}`,
    created_at: new Date().toISOString(),
    object: { type: "asset", id: assetId },
    environment: { id: "test", name: "Test" },
    data: { ...data, status, ...(status === "ready" ? { duration: 2 } : {}) },
    attempts: [],
    accessor: null,
    accessor_source: null,
    request_id: null,
  });
  return { eventId, body, signature: await signMuxWebhook(body, emulator.webhookSecret) };
}

export function postWebhook(instance: Instance, delivery: WebhookDelivery): Promise<Response> {
  return fetch(`${instance.api}/webhooks/mux`, {
    method: "POST",
    headers: { "content-type": "application/json", "mux-signature": delivery.signature },
    body: delivery.body,
  });
}

/** Reads `event: asset` messages of an open event stream, one at a time. */
export function eventStream(response: Response): { next(timeoutMs?: number): Promise<{ status: string; id: string }>; close(): Promise<void> } {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const pending: Array<{ status: string; id: string }> = [];
  return {
    async next(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (pending.length === 0) {
        const blocks = buffer.split("\n\n");
        buffer = blocks.pop() ?? "";
        for (const block of blocks) {
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event === "asset" && data) pending.push(JSON.parse(data) as { status: string; id: string });
        }
        if (pending.length > 0) break;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
          }),
        ]).finally(() => clearTimeout(timer));
        if (read.done) throw new Error("the event stream ended");
        buffer += read.value;
      }
      return pending.shift()!;
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
