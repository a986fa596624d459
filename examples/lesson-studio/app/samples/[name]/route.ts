/**
 * The sample video "Add from link" can import on the emulator (`npm start` makes it with ffmpeg in the data
 * dir; nothing binary is committed). Only in emulator mode: with real Mux nothing here is allowlisted.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { dataDir, muxSettings, sampleVideoName } from "@/lib/settings";

export const dynamic = "force-dynamic";

async function sample(params: Promise<{ name: string }>): Promise<Buffer | undefined> {
  const { name } = await params;
  if (name !== sampleVideoName || muxSettings().mode !== "emulator") return undefined;
  return readFile(join(dataDir(), "samples", sampleVideoName)).catch(() => undefined);
}

const headersOf = (bytes: Buffer) => ({ "content-type": "video/mp4", "content-length": String(bytes.length), "cache-control": "no-store" });

export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const bytes = await sample(params);
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(bytes), { headers: headersOf(bytes) });
}

export async function HEAD(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const bytes = await sample(params);
  if (!bytes) return new Response(null, { status: 404 });
  return new Response(null, { headers: headersOf(bytes) });
}
