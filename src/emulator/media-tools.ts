/**
 * Finds ffprobe and ffmpeg once per emulator. A tool that is missing (or disabled with `false`) makes
 * processing fall back to header parsing and thumbnails to a placeholder image.
 */
import { execFile } from "node:child_process";
import type { EmulatorTools } from "./types.js";

export interface ResolvedTools {
  ffprobe: string | false;
  ffmpeg: string | false;
}

function runs(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, ["-version"], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

export async function resolveTools(tools: EmulatorTools = {}): Promise<ResolvedTools> {
  const pick = async (configured: string | false | undefined, fallback: string): Promise<string | false> => {
    if (configured === false) return false;
    const command = configured ?? fallback;
    return (await runs(command)) ? command : false;
  };
  const [ffprobe, ffmpeg] = await Promise.all([pick(tools.ffprobe, "ffprobe"), pick(tools.ffmpeg, "ffmpeg")]);
  return { ffprobe, ffmpeg };
}
