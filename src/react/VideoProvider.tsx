import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { AssetWatcherOptions } from "../core/asset-watcher.js";
import { defaultErrorMessages, type VideoErrorCode } from "../core/errors.js";
import type { VideoEventListener } from "../core/events.js";
import { LazyAssetWatcher } from "../core/lazy-watcher.js";
import { createBrowserOnlineManager, type OnlineSource } from "../core/online-manager.js";
import type { UploadLimits, VideoTransport } from "../core/types.js";
import { overDefaults } from "../core/over-defaults.js";
import { UploadController, type UploadControllerOptions } from "../core/upload-controller.js";
import type { UploadRecordStore } from "../core/upload-record-store.js";
import { resolveUploadLimits } from "../core/upload-limits.js";
import type { VisibilitySource } from "../core/visibility-manager.js";
import { type LiveProviderProps, type MuxDataSettings, type ProvidedVideoClient, VideoContext, type VideoSettings, VideoSettingsContext } from "./video-context.js";

/** Props of `VideoProvider`: only `transport` is required; everything else has a default. */
export interface VideoProviderProps {
  /** Where uploads go and assets come from: `createHttpTransport()`, `createMemoryTransport()` or your own. */
  transport: VideoTransport;
  /**
   * Client-side limits checked before any request (size, types, extensions), merged over
   * `defaultUploadLimits` (5 GB, common video types). Changes apply to the next upload.
   */
  limits?: { [Limit in keyof UploadLimits]?: UploadLimits[Limit] | undefined } | undefined;
  /** Monitoring events of every upload under this provider; wire it to your analytics. */
  onEvent?: VideoEventListener | undefined;
  /** Overrides of the error messages people read (i18n), merged over `defaultErrorMessages`. */
  messages?: { [Code in VideoErrorCode]?: string | undefined } | undefined;
  /**
   * Chunk size, retry policy, PUT implementation and progress-event interval of uploads; see
   * `UploadControllerOptions` for each default (chunks adapt to the link from 8 MiB unless a size is given).
   */
  uploadOptions?: Pick<UploadControllerOptions, "chunkSize" | "retry" | "request" | "progressEventIntervalMs"> | undefined;
  /**
   * Polling intervals and timeout of asset watching; see `AssetWatcherOptions` (default: polls from 1 s,
   * growing to 10 s, gives up after 30 minutes).
   */
  watcherOptions?: Omit<AssetWatcherOptions, "transport" | "visibility"> | undefined;
  /** Online source; default follows the window's online/offline events. */
  online?: OnlineSource | undefined;
  /** Page visibility source; default follows `document.visibilityState`. */
  visibility?: VisibilitySource | undefined;
  /**
   * Records uploads in flight so that after a reload `useResumableUploads()` can offer to resume them,
   * e.g. `createLocalStorageUploadRecordStore()`. Off by default.
   */
  records?: UploadRecordStore | undefined;
  /**
   * Mux Data for the players under this provider: your environment key and the viewer's opaque id. Each player
   * reports `video_id` (the lesson's id in `LessonPlayer`, else the asset's) and `video_title`.
   */
  muxData?: MuxDataSettings | undefined;
  /** The components and hooks that use this provider's uploads and settings. */
  children?: ReactNode | undefined;
}


/** The client and what it was made from: a new transport or manager makes a new one. */
interface ClientSlot {
  made: readonly unknown[];
  client: ProvidedVideoClient;
}

const liveProps = (props: VideoProviderProps): LiveProviderProps => ({ limits: props.limits, onEvent: props.onEvent, messages: props.messages });
const madeFrom = (props: VideoProviderProps): readonly unknown[] => [props.transport, props.online, props.visibility, props.records];
const newSlot = (props: VideoProviderProps): ClientSlot => ({ made: madeFrom(props), client: createVideoClient(props) });

function createVideoClient(props: VideoProviderProps): ProvidedVideoClient {
  const live = { current: liveProps(props) };
  const online = props.online ?? createBrowserOnlineManager();
  // The watcher's code (polling, server-sent events) loads when something first watches an upload or asset.
  const watcher = new LazyAssetWatcher({ ...props.watcherOptions, transport: props.transport, visibility: props.visibility });
  const controllerOptions: UploadControllerOptions = {
    ...props.uploadOptions,
    transport: props.transport,
    watcher,
    online,
    ...(props.records ? { records: props.records } : {}),
    // Read at call time, so new `limits`/`onEvent` props apply without a new controller.
    get limits() {
      return live.current.limits;
    },
    onEvent: (event) => live.current.onEvent?.(event),
  };
  /** The controllers alive under this provider, disposed with it; a component's own goes when it unmounts. */
  const controllers = new Set<UploadController>();
  const newController = () => new UploadController(controllerOptions);
  const createController = () => {
    const controller = newController();
    controllers.add(controller);
    return controller;
  };
  const controller = createController();
  let mounts = 0;
  return {
    transport: props.transport,
    watcher,
    controller,
    records: props.records ?? null,
    createController,
    newController,
    hold(owned) {
      controllers.add(owned);
      return () => {
        controllers.delete(owned);
        queueMicrotask(() => {
          if (!controllers.has(owned)) owned.dispose();
        });
      };
    },
    setLiveProps(props) {
      live.current = props;
    },
    emit: (event) => live.current.onEvent?.(event),
    getLimits: () => resolveUploadLimits(live.current.limits),
    getMessages: () => overDefaults(defaultErrorMessages, live.current.messages),
    retain() {
      mounts++;
    },
    release() {
      mounts--;
      queueMicrotask(() => {
        if (mounts > 0) return;
        for (const each of controllers) each.dispose();
        watcher.dispose();
      });
    },
  };
}

/**
 * Gives the components and hooks under it a transport, limits, messages and an upload. Each provider
 * owns its own state (two providers never share an upload). Renders on the server without touching
 * `window`; browser listeners attach only when something subscribes. A new `transport`, `online`,
 * `visibility` or `records` makes a new client (and a new upload); `limits`, `messages` and `onEvent`
 * apply without one, so inline objects are fine for those.
 *
 * @example
 * const transport = createHttpTransport({ baseUrl: "/api/video" });
 *
 * <VideoProvider transport={transport} limits={{ maxFileSize: 2_000_000_000 }} onEvent={track}>
 *   <VideoUploader />
 * </VideoProvider>
 */
export function VideoProvider(props: VideoProviderProps): ReactNode {
  // A new client only when the transport (or a manager) changes: adjusted during render, as React advises for
  // state derived from props. Constructing one has no side effects, so StrictMode's double render is harmless.
  const [slot, setSlot] = useState(() => newSlot(props));
  let { client } = slot;
  if (madeFrom(props).some((each, index) => each !== slot.made[index])) {
    const next = newSlot(props);
    setSlot(next);
    client = next.client;
  }
  // New `limits`/`messages`/`onEvent` apply to the running uploads without a new client.
  // (Events and new uploads come after the commit: React flushes effects before the next click is handled.)
  useEffect(() => {
    client.setLiveProps(liveProps(props));
  });
  useEffect(() => {
    client.retain();
    return () => client.release();
  }, [client]);
  const envKey = props.muxData?.envKey;
  const viewerId = props.muxData?.viewerId;
  const settings = useMemo<VideoSettings>(
    () => ({
      messages: overDefaults(defaultErrorMessages, props.messages),
      limits: resolveUploadLimits(props.limits),
      // By value, so an inline `muxData` object re-renders no player.
      muxData: envKey === undefined && viewerId === undefined ? undefined : { envKey, viewerId },
    }),
    [props.messages, props.limits, envKey, viewerId],
  );
  return (
    <VideoContext.Provider value={client}>
      <VideoSettingsContext.Provider value={settings}>{props.children}</VideoSettingsContext.Provider>
    </VideoContext.Provider>
  );
}
