import { waitForOnline } from "../../../src/core/chunked-sender.js";
import { createBrowserOnlineManager } from "../../../src/core/online-manager.js";
import { createBrowserVisibilityManager } from "../../../src/core/visibility-manager.js";

describe("browser online manager", () => {
  it("follows the window's offline and online events while someone listens, and stops after", () => {
    const online = createBrowserOnlineManager();
    const seen: boolean[] = [];
    const unsubscribe = online.subscribe((value) => seen.push(value));
    window.dispatchEvent(new Event("offline"));
    expect(online.isOnline()).toBe(false);
    window.dispatchEvent(new Event("online"));
    expect(seen).toEqual([false, true]);
    unsubscribe();
    window.dispatchEvent(new Event("offline"));
    expect(seen).toEqual([false, true]);
  });

  it("waitForOnline resolves when the browser is back and rejects with aborted on abort", async () => {
    const online = createBrowserOnlineManager();
    const keepListening = online.subscribe(() => undefined);
    window.dispatchEvent(new Event("offline"));
    const back = waitForOnline(online, new AbortController().signal);
    window.dispatchEvent(new Event("online"));
    await expect(back).resolves.toBeUndefined();
    window.dispatchEvent(new Event("offline"));
    const controller = new AbortController();
    const waiting = waitForOnline(online, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "aborted" });
    window.dispatchEvent(new Event("online"));
    keepListening();
  });
});

describe("browser visibility manager", () => {
  it("follows document.visibilityState through visibilitychange", () => {
    const visibility = createBrowserVisibilityManager();
    const state = { value: "visible" as DocumentVisibilityState };
    const spy = vi.spyOn(document, "visibilityState", "get").mockImplementation(() => state.value);
    const seen: boolean[] = [];
    const unsubscribe = visibility.subscribe((visible) => seen.push(visible));
    state.value = "hidden";
    document.dispatchEvent(new Event("visibilitychange"));
    expect(visibility.isVisible()).toBe(false);
    state.value = "visible";
    document.dispatchEvent(new Event("visibilitychange"));
    expect(seen).toEqual([false, true]);
    unsubscribe();
    spy.mockRestore();
  });
});
