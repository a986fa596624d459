import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { VideoError } from "../core/errors.js";
import type { UploadState, VideoAsset } from "../core/types.js";
import type { StartUploadOptions, UploadController } from "../core/upload-controller.js";
import type { ValidatableFile } from "../core/validation.js";
import { useFrameCoalescedUploadState } from "./use-frame-coalesced-store.js";
import { type ProvidedVideoClient, useProvidedVideoClient } from "./video-context.js";

/** Which upload `useUpload()` binds to. Default: the provider's shared one. */
export interface UseUploadOptions {
  /**
   * `true` (default): the provider's upload, the same one `useVideo()` shows. `false`: an upload of this
   * component alone (e.g. one uploader per row of a list), bound to the provider's transport, limits,
   * watcher and `onEvent`; its running requests stop when the component unmounts.
   */
  shared?: boolean | undefined;
  /** Bind to a controller you created yourself (wins over `shared`). */
  controller?: UploadController | undefined;
}

/**
 * The low-level binding: the upload's snapshot plus `UploadController`'s own methods, bound to this
 * component (destructure them freely). Apps usually want `useVideo()`, whose actions are the same operations under the names
 * users know (`startUpload`, `pauseUpload`, `resumeUpload`, `retryUpload`, `resetState`).
 */
export interface UseUploadResult {
  /**
   * The upload's snapshot. Progress-only changes render at most once per animation frame and every
   * 250 ms; status and error changes at once.
   */
  state: UploadState;
  /** The asset once the backend created it (`preparing`, then `ready`). */
  asset: VideoAsset | null;
  /** The error that stopped the upload (the same as `state.error`); `null` when none. */
  error: VideoError | null;
  /**
   * Validates and uploads `file`, replacing a running upload. Resolves when this run stops (complete,
   * error or paused); never rejects: failures are in `error`.
   */
  start: (file: ValidatableFile, options?: StartUploadOptions) => Promise<void>;
  /** Pauses the bytes in flight; the server keeps what it has. */
  pause: () => void;
  /** Continues a paused upload from the byte the server committed. */
  resume: () => void;
  /**
   * Back to `idle`; an upload in flight is cancelled at the backend, a finished one only forgotten. To drop a take
   * thrown away together with its asset, call `controller.cancel({ discardAsset: true })`.
   */
  cancel: () => void;
  /** Returns false when the error is not retryable (choose another file instead). */
  retry: () => boolean;
  /** The bound controller, for what the result does not cover (`subscribe`, `resumeFromRecord`, …). */
  controller: UploadController;
}

/**
 * Binds a component to an upload: the provider's by default, or its own with `{ shared: false }`. Must be
 * called under a `VideoProvider`.
 *
 * @example
 * // One independent upload per row; each stops its requests when its row unmounts.
 * function Row({ file }: { file: File }) {
 *   const { state, start } = useUpload({ shared: false });
 *   return <button onClick={() => start(file)}>{state.status}</button>;
 * }
 */
export function useUpload(options: UseUploadOptions = {}): UseUploadResult {
  return useUploadIn("useUpload()", options);
}

/** `useUpload` with the caller's name (a hook or a component) for the "outside a provider" error. */
export function useUploadIn(caller: string, options: UseUploadOptions): UseUploadResult {
  const client = useProvidedVideoClient(caller);
  const own = useOwnController(options.shared === false && !options.controller ? client : undefined);
  const controller = options.controller ?? own ?? client.controller;
  return useUploadController(controller);
}

/** A component's own controller and the provider client that made it. */
type OwnController = readonly [owner: ProvidedVideoClient | undefined, controller: UploadController | undefined];

/**
 * The component's own controller, made by `owner` (none without one). Made in render, which has no side
 * effects, so a render React throws away leaves nothing behind; the provider holds it from mount to unmount.
 * A new owner (a new transport makes a new client), or wanting one again, makes a new one.
 */
function useOwnController(owner: ProvidedVideoClient | undefined): UploadController | undefined {
  const make = (): OwnController => [owner, owner?.newController()];
  const [own, setOwn] = useState(make);
  // React's "adjust state while rendering": it redoes this render at once with the new state.
  if (own[0] !== owner) setOwn(make);
  useEffect(() => own[1] && own[0]?.hold(own[1]), [own]);
  return own[1];
}

/**
 * Binds a component to any `UploadController` (one made with `new UploadController(...)` outside a
 * provider, for example). Needs no `VideoProvider`.
 */
export function useUploadController(controller: UploadController): UseUploadResult {
  const state = useFrameCoalescedUploadState(controller.subscribe, controller.getSnapshot);
  const asset = useSyncExternalStore(controller.subscribe, controller.getAsset, controller.getAsset);
  const actions = useMemo(
    () => ({
      start: (file: ValidatableFile, startOptions?: StartUploadOptions) => controller.start(file, startOptions),
      pause: () => controller.pause(),
      resume: () => controller.resume(),
      cancel: () => controller.cancel(),
      retry: () => controller.retry(),
    }),
    [controller],
  );
  return useMemo(() => ({ state, asset, error: state.error ?? null, ...actions, controller }), [state, asset, actions, controller]);
}
