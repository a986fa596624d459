import { act, render, screen } from "@testing-library/react";
import { type ReactNode, StrictMode, Suspense, useEffect } from "react";
import { UploadController } from "../../../src/core/upload-controller.js";
import { createMemoryUploadRecordStore } from "../../../src/core/upload-record-store.js";
import { useUpload, useVideoClient, VideoProvider } from "../../../src/react/index.js";
import { createFakeVideoFile, createMemoryTransport } from "../../../src/testing/index.js";
import { loadLazyChunks } from "../setup/lazy-chunks.js";

const MiB = 1024 * 1024;
/** Lets the provider's deferred releases (a microtask after an unmount) run. */
const settle = () => act(async () => undefined);
const modes = [
  ["", ({ children }: { children: ReactNode }) => <>{children}</>],
  [" under StrictMode", ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>],
] as const;

/**
 * Watches `dispose()` calls; `tally()` counts the distinct controllers disposed since call number `from`,
 * grouped by `kindOf`.
 */
function watchDisposals(kindOf: (controller: UploadController) => string) {
  const spy = vi.spyOn(UploadController.prototype, "dispose");
  return {
    count: () => spy.mock.contexts.length,
    tally(from = 0) {
      const tally: Record<string, number> = {};
      for (const controller of new Set(spy.mock.contexts.slice(from) as UploadController[])) {
        const kind = kindOf(controller);
        tally[kind] = (tally[kind] ?? 0) + 1;
      }
      return tally;
    },
  };
}

/** The provider's shared upload, one a mounted component used, or one never mounted. */
const kindIn = (shared: () => UploadController | undefined, mounted: ReadonlySet<UploadController>) => (controller: UploadController) =>
  controller === shared() ? "shared" : mounted.has(controller) ? "mounted" : "never mounted";

/** A component with its own upload (unless `shared`) that reports the controller it mounted with. */
function OwnUpload({ onMount, shared = false }: { onMount(controller: UploadController): void; shared?: boolean }) {
  const { controller, state } = useUpload({ shared });
  useEffect(() => onMount(controller), [controller, onMount]);
  return <p data-testid="own">{state.status}</p>;
}

function SharedProbe({ onMount }: { onMount(controller: UploadController): void }) {
  const { controller } = useVideoClient();
  useEffect(() => onMount(controller), [controller, onMount]);
  return null;
}

beforeAll(loadLazyChunks);
afterEach(() => vi.restoreAllMocks());

describe("a component's own upload (useUpload({ shared: false }))", () => {
  it.each(modes)("leaves nothing behind in the provider after 200 mounts and unmounts%s", async (_, Mode) => {
    const mounted = new Set<UploadController>();
    let shared: UploadController | undefined;
    const disposals = watchDisposals(kindIn(() => shared, mounted));
    const onMount = (controller: UploadController) => void mounted.add(controller);
    const onShared = (controller: UploadController) => void (shared = controller);
    const transport = createMemoryTransport();
    const page = (show: boolean) => (
      <Mode>
        <VideoProvider transport={transport}>
          <SharedProbe onMount={onShared} />
          {show ? <OwnUpload onMount={onMount} /> : null}
        </VideoProvider>
      </Mode>
    );
    const { rerender, unmount } = render(page(false));
    for (let cycle = 0; cycle < 200; cycle++) {
      rerender(page(true));
      rerender(page(false));
      await settle();
    }
    // Each mount had an upload of its own, disposed when it unmounted (as before).
    expect(mounted.size).toBe(200);
    expect(disposals.tally()).toEqual({ mounted: 200 });

    const before = disposals.count();
    unmount();
    await settle();
    // What the provider still held is what it disposes as it goes: only its shared upload.
    expect(disposals.tally(before)).toEqual({ shared: 1 });
  });

  it.each(modes)("keeps no upload from a render React throws away%s", async (_, Mode) => {
    const mounted = new Set<UploadController>();
    let shared: UploadController | undefined;
    const disposals = watchDisposals(kindIn(() => shared, mounted));
    const onMount = (controller: UploadController) => void mounted.add(controller);
    const onShared = (controller: UploadController) => void (shared = controller);
    let resolve!: () => void;
    const ready = new Promise<void>((done) => (resolve = done));
    let isReady = false;
    void ready.then(() => (isReady = true));
    // Calls the hook, then suspends until `ready`: React discards that render and mounts a new one later.
    function SuspendingOwnUpload() {
      const { controller, state } = useUpload({ shared: false });
      useEffect(() => onMount(controller), [controller]);
      if (!isReady) throw ready;
      return <p data-testid="own">{state.status}</p>;
    }
    const transport = createMemoryTransport();
    const page = (show: boolean) => (
      <Mode>
        <VideoProvider transport={transport}>
          <SharedProbe onMount={onShared} />
          <Suspense fallback={<p>loading</p>}>{show ? <SuspendingOwnUpload /> : null}</Suspense>
        </VideoProvider>
      </Mode>
    );
    const { rerender, unmount } = render(page(true));
    expect(screen.getByText("loading")).toBeTruthy();
    await act(async () => resolve());
    expect(screen.getByTestId("own").textContent).toBe("idle");
    expect(mounted.size).toBe(1);

    rerender(page(false));
    await settle();
    unmount();
    await settle();
    // Every controller ever disposed was the one the mounted component used, or the provider's own.
    expect(disposals.tally()).toEqual({ mounted: 1, shared: 1 });
  });

  it.each(modes)("gets a new upload with a new transport or after sharing, and lets the old one go%s", async (_, Mode) => {
    // Every controller seen, named in the order it mounted: "own 1", "shared 1", …
    const names = new Map<UploadController, string>();
    const name = (kind: string) => (controller: UploadController) => {
      if (!names.has(controller)) names.set(controller, `${kind} ${[...names.values()].filter((each) => each.startsWith(kind)).length + 1}`);
    };
    const [onOwn, onShared] = [name("own"), name("shared")];
    const disposals = watchDisposals((controller) => names.get(controller) ?? "never mounted");
    const [first, second] = [createMemoryTransport(), createMemoryTransport()];
    const page = (transport: typeof first, shared: boolean) => (
      <Mode>
        <VideoProvider transport={transport}>
          <SharedProbe onMount={onShared} />
          <OwnUpload onMount={shared ? onShared : onOwn} shared={shared} />
        </VideoProvider>
      </Mode>
    );
    const { rerender, unmount } = render(page(first, false));
    rerender(page(second, false));
    await settle();
    // The first transport's client went, with its shared upload and the component's upload on it.
    expect(disposals.tally()).toEqual({ "own 1": 1, "shared 1": 1 });

    let before = disposals.count();
    rerender(page(second, true));
    await settle();
    // Sharing let the component's own upload go.
    expect(disposals.tally(before)).toEqual({ "own 2": 1 });
    rerender(page(second, false));
    await settle();
    expect([...names.values()]).toEqual(["shared 1", "own 1", "shared 2", "own 2", "own 3"]);

    before = disposals.count();
    unmount();
    await settle();
    expect(disposals.tally(before)).toEqual({ "own 3": 1, "shared 2": 1 });
  });

  describe("with an upload in flight", () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

    it.each(modes)("stops sending when the component unmounts, left paused with its resume record%s", async (_, Mode) => {
      const transport = createMemoryTransport({ bytesPerSecond: MiB });
      const records = createMemoryUploadRecordStore();
      let own: UploadController | undefined;
      const onMount = (controller: UploadController) => void (own = controller);
      function Uploader() {
        const { start, state, controller } = useUpload({ shared: false });
        useEffect(() => onMount(controller), [controller]);
        return (
          <button type="button" onClick={() => void start(createFakeVideoFile({ size: 8 * MiB, name: "intro.mp4" }))}>
            {state.status}
          </button>
        );
      }
      const page = (show: boolean) => (
        <Mode>
          <VideoProvider transport={transport} records={records} uploadOptions={{ chunkSize: MiB }}>
            {show ? <Uploader /> : null}
          </VideoProvider>
        </Mode>
      );
      const { rerender } = render(page(true));
      await act(async () => screen.getByRole("button").click());
      await advance(2500);
      expect(screen.getByRole("button").textContent).toBe("uploading");

      rerender(page(false));
      await advance(0);
      const held = transport.receivedBytes("upload-1");
      expect(held).toBeGreaterThan(0);
      expect(own?.getSnapshot()).toMatchObject({ status: "paused", pausedReason: "disposed" });
      await advance(10_000);
      expect(transport.receivedBytes("upload-1")).toBe(held);
      expect(records.list().map((record) => record.uploadId)).toEqual(["upload-1"]);
    });

    it("runs to complete under StrictMode", async () => {
      const transport = createMemoryTransport({ bytesPerSecond: 4 * MiB });
      function Uploader() {
        const { start, state } = useUpload({ shared: false });
        return (
          <button type="button" onClick={() => void start(createFakeVideoFile({ size: 4 * MiB }))}>
            {state.status}
          </button>
        );
      }
      render(
        <StrictMode>
          <VideoProvider transport={transport}>
            <Uploader />
          </VideoProvider>
        </StrictMode>,
      );
      await act(async () => screen.getByRole("button").click());
      await advance(10_000);
      expect(screen.getByRole("button").textContent).toBe("complete");
    });
  });
});
