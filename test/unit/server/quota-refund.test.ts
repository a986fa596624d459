// An upload's quota reservation is given back at most once, and only in the period it was taken in.
import { createMemoryCounterStore, type CounterStore } from "../../../src/server/counter-store.js";
import { holdQuota, refundQuota, reserveQuota, type QuotaOptions } from "../../../src/server/quota.js";

/** A store whose every call waits a turn of the event loop, as a shared store's round trips do: concurrent callers interleave. */
function slowStore(store: CounterStore): CounterStore {
  const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    increment: async (key, amount, windowMs) => (await turn(), store.increment(key, amount, windowMs)),
    get: async (key) => (await turn(), store.get(key)),
    delete: async (key) => (await turn(), store.delete(key)),
  };
}

describe("refundQuota", () => {
  const options: QuotaOptions = { uploadsPerPeriod: 1, bytesPerPeriod: 1000, periodMs: 60_000 };

  async function reserved(store: CounterStore, now: number) {
    const reservation = await reserveQuota(store, options, "alice", 600);
    if (!reservation.allowed || reservation.resetAt === undefined) throw new Error("the first upload fits");
    await holdQuota(store, "alice", "upload-1", 600, reservation.resetAt, now);
  }

  it("gives the upload and its bytes back to one of many concurrent refunds, and to none after", async () => {
    const store = slowStore(createMemoryCounterStore());
    await reserved(store, Date.now());
    expect((await reserveQuota(store, options, "alice", 600)).allowed).toBe(false);

    const refunds = await Promise.all(Array.from({ length: 8 }, () => refundQuota(store, options, "alice", "upload-1", Date.now())));
    expect(refunds.filter(Boolean)).toHaveLength(1);
    expect(await refundQuota(store, options, "alice", "upload-1", Date.now())).toBe(false);

    // Exactly one upload of 600 bytes fits again, not two.
    expect((await reserveQuota(store, options, "alice", 600)).allowed).toBe(true);
    expect((await reserveQuota(store, options, "alice", 1)).allowed).toBe(false);
  });

  it("gives nothing back once the period the upload was counted in has ended, so the next period is never credited", async () => {
    let now = 0;
    const store = createMemoryCounterStore({ now: () => now });
    await reserved(store, now);
    now = 60_001;
    expect(await refundQuota(store, options, "alice", "upload-1", now)).toBe(false);
    expect(await store.get("quota:uploads:alice")).toBeUndefined();
    expect((await reserveQuota(store, options, "alice", 1000)).allowed).toBe(true);
    expect((await reserveQuota(store, options, "alice", 1)).allowed).toBe(false);
  });

  it("gives nothing back for an upload of another user or one never held", async () => {
    const store = createMemoryCounterStore();
    await reserved(store, Date.now());
    expect(await refundQuota(store, options, "bob", "upload-1", Date.now())).toBe(false);
    expect(await refundQuota(store, options, "alice", "upload-2", Date.now())).toBe(false);
    expect((await reserveQuota(store, options, "alice", 1)).allowed).toBe(false);
  });
});
