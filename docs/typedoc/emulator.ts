/**
 * The local Mux emulator: `startMuxEmulator()`.
 *
 * @module lesson-video-kit/emulator
 */
export * from "../../src/emulator/index.js";
