#!/usr/bin/env node
console.error("lesson-video-kit-emulator: not implemented yet");
process.exitCode = 1;
