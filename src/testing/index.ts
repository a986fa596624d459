export type { VideoTransport } from "../core/types.js";
