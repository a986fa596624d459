/**
 * Components, the provider and hooks (a `"use client"` entry), and everything `lesson-video-kit/core` exports.
 *
 * @module lesson-video-kit
 */
export * from "../../src/index.js";
