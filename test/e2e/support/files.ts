/** Files the end-to-end tests upload: a real MP4 made by ffmpeg, and an HTML page dressed up as one. */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Fixture {
  path: string;
  bytes: Buffer;
  sha256: string;
}

async function fixture(path: string): Promise<Fixture> {
  const bytes = await readFile(path);
  return { path, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * An H.264/AAC MP4 of `seconds` with enough noise to weigh about `seconds * bitrateKbps / 8` KB, so an
 * upload spans several chunks when the test needs it to.
 */
export async function makeMp4(dir: string, name: string, { seconds = 3, bitrateKbps = 400 } = {}): Promise<Fixture> {
  const path = join(dir, name);
  await run("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=duration=${seconds}:size=640x360:rate=24`,
    "-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`,
    "-vf", "noise=alls=40:allf=t",
    "-c:v", "libx264", "-preset", "ultrafast", "-b:v", `${bitrateKbps}k`, "-maxrate", `${bitrateKbps}k`, "-bufsize", `${bitrateKbps * 2}k`,
    "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart",
    path,
  ]);
  return fixture(path);
}

/** An HTML page saved with a video's name: what a careless or hostile user might pick. */
export async function makeSpoofedMp4(dir: string, name = "definitely-a-video.mp4"): Promise<Fixture> {
  const path = join(dir, name);
  await writeFile(path, "<!doctype html><html><head><title>Not a video</title></head><body><script>alert(1)</script></body></html>\n");
  return fixture(path);
}

/** The files the upload suites pick: a video of about 20 MB and an HTML page named .mp4. */
export interface UploadFiles {
  /** About 20 MB: three chunks of the engine's default 8 MiB, so an upload can stop, or a fault land, between two. */
  bigVideo: Fixture;
  spoofed: Fixture;
}

let uploadFiles: Promise<{ dir: string; files: UploadFiles }> | undefined;

/** Made once per run of test/e2e/studio.test.ts for the suites that use them (one ffmpeg encode, not one per suite). */
export async function sharedUploadFiles(): Promise<UploadFiles> {
  uploadFiles ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "lesson-studio-e2e-files-"));
    const [bigVideo, spoofed] = await Promise.all([makeMp4(dir, "long take.mp4", { seconds: 8, bitrateKbps: 20_000 }), makeSpoofedMp4(dir)]);
    return { dir, files: { bigVideo, spoofed } };
  })();
  return (await uploadFiles).files;
}

/** Deletes the shared files, if they were made. */
export async function removeSharedUploadFiles(): Promise<void> {
  const made = uploadFiles;
  uploadFiles = undefined;
  if (made) await rm((await made).dir, { recursive: true, force: true });
}
