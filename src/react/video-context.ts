import { createContext, useContext } from "react";
import type { VideoErrorCode } from "../core/errors.js";
import type { VideoEventListener } from "../core/events.js";
import type { AssetWatcherLike } from "../core/lazy-watcher.js";
import type { UploadLimits, VideoTransport } from "../core/types.js";
import type { UploadController } from "../core/upload-controller.js";
import type { UploadRecordStore } from "../core/upload-record-store.js";

/** Everything one `VideoProvider` owns. Each provider has its own: no module-level state. Its functions are bound. */
export interface VideoClient {
  /** The provider's `transport`. */
  transport: VideoTransport;
  /**
   * Shared by the provider's controllers and `useAsset`, so one asset is polled once. Its code loads on
   * first use (an upload reaching processing, a `useAsset` with an id).
   */
  watcher: AssetWatcherLike;
  /** The upload `useVideo()` and `useUpload()` bind to. */
  controller: UploadController;
  /** Where uploads in flight are recorded for resume after reload, when the provider has a store. */
  records: UploadRecordStore | null;
  /**
   * A new, independent upload bound to the same transport, limits, watcher and events, held (and disposed)
   * by the provider until it unmounts. A component's own upload is `useUpload({ shared: false })`, let go
   * when the component unmounts.
   */
  createController: () => UploadController;
  /** Current limits (defaults merged with the provider's `limits`). */
  getLimits: () => UploadLimits;
  /** Current messages (defaults merged with the provider's `messages`). */
  getMessages: () => Record<VideoErrorCode, string>;
  /** Marks the client as mounted; pair with `release()`. */
  retain: () => void;
  /**
   * Unmounted: stops polling and running requests a microtask later unless mounted again meanwhile
   * (StrictMode's immediate remount). The client stays usable.
   */
  release: () => void;
}

/** What `VideoContext` carries: the public client and what only this package's hooks use. */
export interface ProvidedVideoClient extends VideoClient {
  /** A controller bound to the provider that nothing holds yet; making one has no side effects. */
  newController: () => UploadController;
  /**
   * A mounted component holds its own `controller` (`useUpload({ shared: false })`) among the provider's. The
   * returned release lets it go and disposes it a microtask later, unless it is held again by then
   * (StrictMode's immediate remount).
   */
  hold: (controller: UploadController) => () => void;
  /** The provider's latest `limits`, `messages` and `onEvent`, read by running uploads at call time. */
  setLiveProps: (props: LiveProviderProps) => void;
  /** Sends a monitoring event to the provider's current `onEvent` (a learner's progress, say). */
  emit: VideoEventListener;
}

/** Provider props that apply to running uploads without a new client. */
export interface LiveProviderProps {
  limits: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined } | undefined;
  onEvent: VideoEventListener | undefined;
  messages: { [Code in VideoErrorCode]?: string | undefined } | undefined;
}

export const VideoContext = /* @__PURE__ */ createContext<ProvidedVideoClient | null>(null);
VideoContext.displayName = "VideoContext";

/**
 * Mux Data for every `VideoPlayer` under a provider (a player's own `envKey` and `metadata` win). Mux Data is off
 * for `src` playback (the emulator, other backends) unless a player sets `disableTracking={false}`.
 */
export interface MuxDataSettings {
  /** Mux Data environment key, e.g. `process.env.NEXT_PUBLIC_MUX_ENV_KEY`; without one, Mux uses the playback id's environment. */
  envKey?: string | undefined;
  /**
   * The viewer's id (`viewer_user_id`): an opaque id of your own, e.g. the signed-in user's id, never an email or a
   * name: it is sent to Mux.
   */
  viewerId?: string | undefined;
}

/** Provider props that change without a new client: merged messages and limits, Mux Data. */
export interface VideoSettings {
  messages: Record<VideoErrorCode, string>;
  limits: UploadLimits;
  muxData: MuxDataSettings | undefined;
}

export const VideoSettingsContext = /* @__PURE__ */ createContext<VideoSettings | null>(null);
VideoSettingsContext.displayName = "VideoSettingsContext";

/**
 * The provider's client; throws a clear error outside a `VideoProvider`. `caller` names what the user wrote
 * (`"useVideo()"`, `"<LessonForm>"`) so the error points at their code, not at an inner hook.
 */
export function useVideoClient(caller = "useVideoClient()"): VideoClient {
  return useProvidedVideoClient(caller);
}

/** `useVideoClient` with the provider's internals, for this package's hooks. */
export function useProvidedVideoClient(caller: string): ProvidedVideoClient {
  const client = useContext(VideoContext);
  if (!client) {
    throw new Error(
      `${caller} must be used inside <VideoProvider>. Wrap it, or a parent, in <VideoProvider transport={createHttpTransport()}>.`,
    );
  }
  return client;
}
