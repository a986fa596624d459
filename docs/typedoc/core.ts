/**
 * The headless upload engine, its types and `createHttpTransport`: no React, runs in browsers and Node.
 *
 * @module lesson-video-kit/core
 */
export * from "../../src/entries/core.js";
