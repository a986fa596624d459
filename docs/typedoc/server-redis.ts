/**
 * Shared stores on Redis for several server instances.
 *
 * @module lesson-video-kit/server/redis
 */
export * from "../../src/server/redis/index.js";
