// A tiny real MP4 (made once with ffmpeg) for assets that must process to `ready`.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { benchTmpDir } from "./paths.mjs";

export function tinyMp4() {
  const file = join(benchTmpDir, "fixtures/tiny.mp4");
  if (!existsSync(file)) {
    mkdirSync(join(benchTmpDir, "fixtures"), { recursive: true });
    execFileSync("ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-pix_fmt", "yuv420p", file]);
  }
  return readFileSync(file);
}

/** Creates an upload through the routes and PUTs `bytes` in one request; resolves with the asset id. */
export async function uploadAsset(stack, bytes) {
  const api = `${stack.origin}/api/video`;
  const created = await fetch(`${api}/uploads`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.origin },
    body: JSON.stringify({ file: { name: "tiny.mp4", size: bytes.length, type: "video/mp4" } }),
  });
  if (created.status !== 201) throw new Error(`POST /uploads answered ${created.status}: ${await created.text()}`);
  const { uploadId, url } = await created.json();
  const put = await fetch(url, { method: "PUT", body: bytes, headers: { "content-type": "video/mp4" } });
  if (!put.ok) throw new Error(`PUT answered ${put.status}`);
  const { data } = await put.json();
  return { uploadId, assetId: data.asset_id };
}

const MiB = 1024 * 1024;

/**
 * A `size`-byte MP4-looking file on disk at `name` (in the bench's temp dir), made once: an `ftyp` box so validation
 * accepts it, then a random 1 MiB block of its own repeated. Pages get it through a file input, so the browser reads
 * it from disk as it would a user's file (a generated 1 GiB Blob breaks Chromium's blob storage).
 */
export function videoFileOnDisk(name, size) {
  const dir = join(benchTmpDir, "files");
  const path = join(dir, name);
  if (existsSync(path) && statSync(path).size === size) return path;
  mkdirSync(dir, { recursive: true });
  const block = randomBytes(MiB);
  const head = Buffer.from(block);
  head.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31]);
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < size; written += MiB) writeSync(fd, written === 0 ? head : block, 0, Math.min(MiB, size - written));
  } finally {
    closeSync(fd);
  }
  return path;
}
