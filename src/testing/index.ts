export type { VideoTransport } from "../core/types.js";
export {
  createMemoryTransport,
  memoryPlaybackSrc,
  memoryPosterSrc,
  type MemoryTransport,
  type MemoryTransportCalls,
  type MemoryTransportOptions,
} from "../transports/memory.js";
export { createFakeVideoFile, type FakeVideoFileOptions } from "./fake-video-file.js";
