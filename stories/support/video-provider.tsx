import type { Decorator } from "@storybook/react-vite";
import { useState, type ReactNode } from "react";
import { VideoProvider, type VideoProviderProps } from "../../src/react/index.js";
import { createMemoryTransport, type MemoryTransportOptions } from "../../src/testing/index.js";

/** Story parameters read by `withVideoProvider`. */
export interface VideoProviderParameters {
  /** Script of the story's in-memory backend (speed, faults, processing time, existing assets). */
  memoryTransport?: MemoryTransportOptions;
  /** Other provider props (limits, messages). */
  provider?: Omit<VideoProviderProps, "transport" | "children">;
}

/** Quick enough for tests and still visible by eye: 2 MiB/s, processing in 1.5 s, push updates. */
export const storyTransportDefaults: MemoryTransportOptions = {
  bytesPerSecond: 2 * 1024 * 1024,
  tickMs: 100,
  latencyMs: 20,
  processingMs: 1500,
  push: true,
};

/** Wraps a story in a `VideoProvider` with its own memory transport: no backend, no network. */
export const withVideoProvider: Decorator = (Story, context) => {
  const parameters = (context.parameters.video ?? {}) as VideoProviderParameters;
  return (
    <StoryVideoProvider parameters={parameters}>
      <Story />
    </StoryVideoProvider>
  );
};

function StoryVideoProvider({ parameters, children }: { parameters: VideoProviderParameters; children: ReactNode }) {
  // One backend per mounted story, made from the script it mounted with; re-rendering with new args keeps it.
  const [transport] = useState(() => createMemoryTransport({ ...storyTransportDefaults, ...parameters.memoryTransport }));
  return (
    <VideoProvider
      transport={transport}
      watcherOptions={{ initialIntervalMs: 200, maxIntervalMs: 1000 }}
      {...parameters.provider}
      // Uploads the chunked sender makes (a recording) go to the same fake server.
      uploadOptions={{ request: transport.request, ...parameters.provider?.uploadOptions }}
    >
      {children}
    </VideoProvider>
  );
}
