/**
 * `createMemoryTransport()` and fake files for tests and stories.
 *
 * @module lesson-video-kit/testing
 */
export * from "../../src/testing/index.js";
