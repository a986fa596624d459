// `lazyModule`: the one "load once, forget a failed load" wrapper behind the upload's work, the asset
// watcher's engine, the HTTP transport's event-stream reader and the components' lazily loaded views.
import { lazyModule } from "../../../src/core/lazy-module.js";

const chunkMissing = () => Promise.reject(new TypeError("Failed to fetch dynamically imported module: /assets/views-3f2a.js"));

describe("lazyModule", () => {
  it("imports once however many callers load it, and hands each the same module", async () => {
    const module = { name: "views" };
    const importer = vi.fn(() => Promise.resolve(module));
    const lazy = lazyModule(importer);
    expect(lazy.loaded()).toBeUndefined();
    const [first, second] = await Promise.all([lazy.load(), lazy.load()]);
    expect(first).toBe(module);
    expect(second).toBe(module);
    expect(await lazy.load()).toBe(module);
    expect(lazy.loaded()).toBe(module);
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it("does not import until something loads it", () => {
    const importer = vi.fn(() => Promise.resolve({}));
    lazyModule(importer);
    expect(importer).not.toHaveBeenCalled();
  });

  it("forgets a failed load: every caller of that attempt sees the failure, and the next call imports again", async () => {
    const importer = vi.fn((): Promise<unknown> => Promise.resolve("loaded")).mockImplementationOnce(chunkMissing);
    const lazy = lazyModule<unknown>(importer);
    const attempt = [lazy.load(), lazy.load()];
    await expect(attempt[0]).rejects.toBeInstanceOf(TypeError);
    await expect(attempt[1]).rejects.toBeInstanceOf(TypeError);
    expect(lazy.loaded()).toBeUndefined();
    expect(await lazy.load()).toBe("loaded");
    expect(importer).toHaveBeenCalledTimes(2);
  });

  it("tells every onLoad listener once the module arrived, whoever started the load, with loaded() already set", async () => {
    const lazy = lazyModule(() => Promise.resolve("loaded"));
    const seen: unknown[] = [];
    lazy.onLoad(() => seen.push(lazy.loaded()));
    const stop = lazy.onLoad(() => seen.push("unsubscribed"));
    stop();
    await lazy.load();
    expect(seen).toEqual(["loaded"]);
  });
});
