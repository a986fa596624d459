/**
 * Server route handlers (`createVideoRoutes`), the Mux backend, webhook and token helpers: Node and edge runtimes.
 *
 * @module lesson-video-kit/server
 */
export * from "../../src/server/index.js";
