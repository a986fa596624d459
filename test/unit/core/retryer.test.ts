import { createVideoError } from "../../../src/core/errors.js";
import { backoffDelay, defaultRetryPolicy, resolveRetryPolicy, retryDelay, sleep, withRetry } from "../../../src/core/retryer.js";

describe("backoff", () => {
  it("doubles from the base delay up to the cap", () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 10_000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("takes a random share of the delay off with jitter", () => {
    const low = resolveRetryPolicy({ baseDelayMs: 1000, jitter: 0.5, random: () => 0 });
    const high = resolveRetryPolicy({ baseDelayMs: 1000, jitter: 0.5, random: () => 0.999 });
    expect(backoffDelay(2, low)).toBe(1000);
    expect(backoffDelay(2, high)).toBe(1999);
  });

  it("waits the server's Retry-After instead of the backoff", () => {
    const policy = resolveRetryPolicy({ jitter: 0 });
    expect(retryDelay(1, createVideoError("rate_limited", { retryAfter: 7 }), policy)).toBe(7000);
    expect(retryDelay(1, createVideoError("server"), policy)).toBe(1000);
  });
});

describe("resolveRetryPolicy", () => {
  it("keeps the default of a field given as undefined", () => {
    expect(resolveRetryPolicy({ retries: undefined, baseDelayMs: 500, random: undefined })).toEqual({ ...defaultRetryPolicy, baseDelayMs: 500 });
  });
});

describe("withRetry", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const options = (signal = new AbortController().signal) => ({
    signal,
    policy: resolveRetryPolicy({ retries: 3, baseDelayMs: 1000, jitter: 0 }),
    shouldRetry: (e: { code: string }) => e.code === "network",
    toError: (e: unknown) => e as ReturnType<typeof createVideoError>,
  });

  it("retries a retryable failure after the backoff delay and returns the result", async () => {
    const run = vi.fn().mockRejectedValueOnce(createVideoError("network")).mockResolvedValueOnce("ok");
    const result = withRetry(run, options());
    await vi.advanceTimersByTimeAsync(999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe("ok");
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("does not retry an error the policy says a retry cannot fix", async () => {
    const run = vi.fn().mockRejectedValue(createVideoError("forbidden"));
    await expect(withRetry(run, options())).rejects.toMatchObject({ code: "forbidden" });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("gives up with the last error after the retries are spent", async () => {
    const run = vi.fn().mockRejectedValue(createVideoError("network"));
    const result = withRetry(run, options());
    const settled = expect(result).rejects.toMatchObject({ code: "network" });
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    await settled;
    expect(run).toHaveBeenCalledTimes(4);
  });

  it("stops waiting with aborted when the signal aborts", async () => {
    const controller = new AbortController();
    const run = vi.fn().mockRejectedValue(createVideoError("network"));
    const result = withRetry(run, options(controller.signal));
    const settled = expect(result).rejects.toMatchObject({ code: "aborted" });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await settled;
  });

  it("sleep rejects at once for an already aborted signal", async () => {
    await expect(sleep(1000, AbortSignal.abort())).rejects.toMatchObject({ code: "aborted" });
  });
});
