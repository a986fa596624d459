// Redis stopped and started again under three running instances (separate processes, one emulator that
// processes real video and sends its webhooks to instance A). While Redis is down nothing crashes and each
// store does what the README says: rate limits count per instance, quotas and webhooks answer 503 (the
// backend retries webhooks later), event streams hear `ready` from their own polls. When Redis is back
// (empty: no persistence), quotas, replay protection and the event bus are shared again.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { ensureFixtures } from "../fixtures/make-fixtures.js";
import { startRedis, type RedisServer } from "../helpers/redis.js";
import {
  assetWebhook,
  createUpload,
  eventStream,
  isRedisStatus,
  postWebhook,
  sendBytes,
  startCluster,
  uploadAsset,
  type Cluster,
  type Instance,
} from "./redis-cluster.js";
import type { InstanceMessage } from "./redis-instance.js";

let redis: RedisServer;
let cluster: Cluster;
let a: Instance, b: Instance, c: Instance;
let video: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  const fixtures = await ensureFixtures();
  video = new Uint8Array(readFileSync(fixtures.mp4.path));
  redis = await startRedis();
  cluster = await startCluster({
    redisUrl: redis.url,
    // Long enough for a test to open an event stream before `ready`; retries over before Redis is back.
    emulator: { processingDelayMs: 2_500, webhookRetryDelaysMs: [100, 200] },
    instance: { quota: { uploadsPerPeriod: 3 }, assetCache: { watchPollMs: 500 } },
  });
  [a, b, c] = cluster.instances as [Instance, Instance, Instance];
  cluster.emulator.setWebhookUrls([`${a.api}/webhooks/mux`]);
});

afterAll(async () => {
  await cluster?.close();
  await redis?.close();
});

const alive = () => cluster.instances.every((instance) => instance.child.exitCode === null && instance.child.signalCode === null);
const marks = () => cluster.instances.map((instance) => instance.log.length);
const isEvent = (type: string, route?: string) => (m: InstanceMessage) =>
  m.type === "event" && m.event.type === type && (route === undefined || m.event.route === route);

describe("Redis restarted under three instances", () => {
  it("while Redis is down: no crash, rate limits per instance, uploads and webhooks refused with 503, event streams fall back to polling", async () => {
    // Created while Redis is up; its bytes are sent during the outage.
    const created = await createUpload(a, "alice", video.byteLength);
    expect(created.status).toBe(201);
    const { uploadId, url } = (await created.json()) as { uploadId: string; url: string };

    const before = marks();
    await redis.stop();
    await Promise.all(cluster.instances.map((instance, i) => instance.waitFor(isRedisStatus("unavailable"), before[i])));

    // Quota fails closed: the upload is refused, not counted somewhere nobody else sees.
    const refused = await createUpload(b, "alice", video.byteLength);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: { code: "server" } });

    // Rate limits fail open to each instance's memory: reads still answer.
    const read = await c.call(`/uploads/${uploadId}`, { user: "alice" });
    expect(read.status).toBe(200);

    const assetId = await sendBytes(url, video);
    const response = await b.call(`/assets/${assetId}/events`, { user: "alice" });
    expect(response.status).toBe(200);
    const stream = eventStream(response);
    expect(await stream.next()).toMatchObject({ id: assetId, status: "preparing" });
    // The webhook to A is refused, so only B's own polls can bring `ready`.
    expect(await stream.next(20_000)).toMatchObject({ id: assetId, status: "ready" });
    await stream.close();
    await b.sync();
    expect(b.backendCalls("getAsset", assetId).length).toBeGreaterThanOrEqual(2);

    // Replay protection fails closed: every delivery of the emulator's webhooks was answered 503 and no hook ran.
    await cluster.emulator.flushWebhooks();
    await a.sync();
    const webhookFailures = a.log.slice(before[0]).filter(isEvent("server_error", "webhook"));
    expect(webhookFailures.length).toBeGreaterThanOrEqual(1);
    expect(a.log.slice(before[0]).filter((m) => m.type === "hook")).toEqual([]);
    expect(alive()).toBe(true);
  });

  it("when Redis is back: quotas, replay protection and the event bus are shared again", async () => {
    const before = marks();
    await redis.start();
    await Promise.all(cluster.instances.map((instance, i) => instance.waitFor(isRedisStatus("ready"), before[i])));

    // The quota of 3 holds across instances again (Redis restarted empty: the period starts over).
    const user = `after-${randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => createUpload(cluster.instances[i % 3]!, user, 1024)));
    expect(responses.map((r) => r.status).filter((s) => s === 201)).toHaveLength(3);
    expect(responses.map((r) => r.status).filter((s) => s === 429)).toHaveLength(6);

    // The emulator's real `ready` webhook goes to A, and a watcher on B polls: whichever learns `ready` first
    // publishes it (on a busy machine B's 500 ms poll can beat the webhook). C neither watches nor gets webhooks,
    // so the `ready` it hears came over the bus.
    const { assetId } = await uploadAsset(c, "alice", video);
    const busMark = c.log.length;
    const response = await b.call(`/assets/${assetId}/events`, { user: "alice" });
    const stream = eventStream(response);
    expect(await stream.next()).toMatchObject({ id: assetId, status: "preparing" });
    expect(await stream.next(20_000)).toMatchObject({ id: assetId, status: "ready" });
    await stream.close();
    await a.waitFor((m) => m.type === "hook" && m.name === "onAssetReady" && m.assetId === assetId);
    await c.waitFor((m) => m.type === "bus" && m.assetId === assetId && m.status === "ready", busMark);

    // A delivery processed by A is refused by C.
    const delivery = await assetWebhook(cluster.emulator, assetId, "updated", "ready");
    expect((await postWebhook(a, delivery)).status).toBe(200);
    expect((await postWebhook(c, delivery)).status).toBe(409);
    expect(alive()).toBe(true);
  });
});
