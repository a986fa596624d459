// Three route-handler instances in separate processes on one Redis and one emulator, as behind a load
// balancer (test/node/redis-cluster.ts): what one instance hears reaches watchers on another, and limits,
// quotas and replay protection hold across them. Assets stay `preparing` at the emulator (long processing),
// so a `ready` can only come from the webhook a test posts; polls are an hour apart, so a watcher on another
// instance hears it through the event bus or not at all.
import { randomUUID } from "node:crypto";
import { Mux } from "@mux/mux-node";
import { startRedis, type RedisServer } from "../helpers/redis.js";
import { assetWebhook, createUpload, eventStream, postWebhook, startCluster, uploadAsset, type Cluster, type Instance } from "./redis-cluster.js";
import type { InstanceMessage } from "./redis-instance.js";

const MiB = 1024 * 1024;
let redis: RedisServer;
let cluster: Cluster;
let a: Instance, b: Instance, c: Instance;

beforeAll(async () => {
  redis = await startRedis();
  cluster = await startCluster({
    redisUrl: redis.url,
    instance: {
      quota: { uploadsPerPeriod: 7, bytesPerPeriod: 5 * MiB },
      rateLimit: { perUser: { limit: 100, windowMs: 60_000 }, perIp: false },
      assetCache: { watchPollMs: 3_600_000 },
    },
  });
  [a, b, c] = cluster.instances as [Instance, Instance, Instance];
});

afterAll(async () => {
  await cluster?.close();
  await redis?.close();
});

const hooksFor = (eventId: string) =>
  cluster.instances.flatMap((instance) => instance.log.filter((m) => m.type === "hook" && m.eventId === eventId).map(() => instance.name));

async function uploadsAtEmulator(): Promise<number> {
  const mux = new Mux({ tokenId: cluster.emulator.tokenId, tokenSecret: cluster.emulator.tokenSecret, baseURL: cluster.emulator.url, maxRetries: 0 });
  let count = 0;
  for await (const _upload of mux.video.uploads.list()) count++;
  return count;
}

describe("three instances on one Redis", () => {
  it("a webhook posted to instance A reaches an event-stream watcher on instance B within a second, and C serves it from the shared cache", async () => {
    const { assetId } = await uploadAsset(a, "alice");
    const response = await b.call(`/assets/${assetId}/events`, { user: "alice" });
    expect(response.status).toBe(200);
    const stream = eventStream(response);
    expect(await stream.next()).toMatchObject({ id: assetId, status: "preparing" });

    const delivery = await assetWebhook(cluster.emulator, assetId, "ready", "ready");
    const busMark = b.log.length;
    const sent = Date.now();
    expect((await postWebhook(a, delivery)).status).toBe(200);
    const heard = await stream.next(5_000);
    const elapsed = Date.now() - sent;
    await stream.close();

    expect(heard).toMatchObject({ id: assetId, status: "ready", playbackId: expect.any(String) });
    expect(elapsed).toBeLessThan(1_000);
    // B heard it from A over Redis, not from the backend.
    expect(b.log.slice(busMark)).toContainEqual({ type: "bus", assetId, status: "ready" });
    await b.sync();
    expect(b.backendCalls("getAsset", assetId)).toHaveLength(1);

    const fromC = await c.call(`/assets/${assetId}`, { user: "alice" });
    expect(await fromC.json()).toMatchObject({ id: assetId, status: "ready" });
    await c.sync();
    expect(c.backendCalls("getAsset", assetId)).toHaveLength(0);
  });

  it("refuses a webhook replayed to another instance, so the host's hook runs once", async () => {
    const { assetId } = await uploadAsset(c, "alice");
    const delivery = await assetWebhook(cluster.emulator, assetId, "ready", "ready");
    expect((await postWebhook(a, delivery)).status).toBe(200);
    const replayedToB = await postWebhook(b, delivery);
    const replayedToC = await postWebhook(c, delivery);
    expect([replayedToB.status, replayedToC.status]).toEqual([409, 409]);
    expect(await replayedToB.json()).toMatchObject({ error: { code: "bad_request" } });
    await Promise.all(cluster.instances.map((instance) => instance.sync()));
    expect(hooksFor(delivery.eventId)).toEqual(["A"]);
    await b.waitFor((m: InstanceMessage) => m.type === "event" && m.event.type === "webhook_rejected" && m.event.reason === "replayed");
  });

  it("runs the hooks once when one event reaches all three instances at the same moment", async () => {
    const { assetId } = await uploadAsset(b, "alice");
    const delivery = await assetWebhook(cluster.emulator, assetId, "ready", "ready");
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => postWebhook(cluster.instances[i % 3]!, delivery)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409]);
    await Promise.all(cluster.instances.map((instance) => instance.sync()));
    expect(hooksFor(delivery.eventId)).toHaveLength(1);
  });

  it("refuses the 8th upload of a quota of 7 whichever instance it hits: exactly 7 of 50 concurrent requests create one", async () => {
    const user = `quota-${randomUUID()}`;
    const before = await uploadsAtEmulator();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => createUpload(cluster.instances[i % 3]!, user, 1024)));
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 429);
    expect(created).toHaveLength(7);
    expect(refused).toHaveLength(43);
    for (const response of refused) expect(await response.json()).toMatchObject({ error: { code: "quota_exceeded" } });
    expect((await uploadsAtEmulator()) - before).toBe(7);
    // Every instance refused some: the count is shared, not per instance.
    const refusedBy = new Set(responses.map((r, i) => (r.status === 429 ? i % 3 : -1)).filter((i) => i >= 0));
    expect(refusedBy.size).toBe(3);
  });

  it("holds the byte quota the same way: 5 MiB lets exactly 5 of 50 concurrent 1 MiB uploads through", async () => {
    const user = `bytes-${randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => createUpload(cluster.instances[i % 3]!, user, MiB)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
    const bodies = await Promise.all(responses.filter((r) => r.status === 429).map((r) => r.json() as Promise<{ error: { code: string } }>));
    expect(bodies).toHaveLength(45);
    expect(bodies.every((body) => body.error.code === "quota_exceeded")).toBe(true);
  });

  it("shares one per-user rate limit: 100 a minute across the three instances, not 100 each", async () => {
    const user = `limited-${randomUUID()}`;
    // The token route refuses without a backend call (no canView): cheap requests that still pass the limit.
    const responses = await Promise.all(Array.from({ length: 130 }, (_, i) => cluster.instances[i % 3]!.call("/playback/some-playback-id/token", { user })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect(responses.find((r) => r.status === 429)?.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
