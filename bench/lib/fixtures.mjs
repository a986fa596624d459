// A tiny real MP4 (made once with ffmpeg) for assets that must process to `ready`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
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
