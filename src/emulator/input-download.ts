/**
 * Downloads the input file of an asset created from a URL (`POST /video/v1/assets` with `inputs: [{ url }]`), as
 * Mux's ingest does: redirects followed, a time limit and a size cap. The emulator runs on a developer's machine,
 * so it fetches only from hosts it was told it may (loopback and `trackSourceHosts`), every redirect's target too.
 */
import { open, rename, rm } from "node:fs/promises";

export interface InputDownloadOptions {
  /** May this URL be fetched? Asked for the URL and every redirect's target before it is requested. */
  allowed: (url: URL) => boolean;
  /** Most bytes stored; a longer body fails the download. */
  maxBytes: number;
  /** Longest the whole download may take, ms. */
  timeoutMs: number;
  /** Redirects followed. */
  maxRedirects: number;
}

export type InputDownload = { ok: true; size: number } | { ok: false; message: string };

const failed = (why: string): InputDownload => ({ ok: false, message: `Failed to download input file: ${why}` });

/** Downloads `source` to `target` (through a `.download` file, renamed into place once whole). */
export async function downloadInput(source: string, target: string, options: InputDownloadOptions): Promise<InputDownload> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = URL.canParse(source) ? new URL(source) : undefined;
  if (!url) return failed("the input URL is not a URL.");
  let response: Response;
  for (let redirects = 0; ; redirects++) {
    if (!options.allowed(url)) return failed(`the emulator does not fetch from ${url.host} (loopback and trackSourceHosts only).`);
    try {
      response = await fetch(url, { redirect: "manual", signal });
    } catch (error) {
      return failed(signal.aborted ? `no answer within ${options.timeoutMs} ms.` : `${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error)}.`);
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || location === null) break;
    await response.body?.cancel().catch(() => {});
    if (redirects >= options.maxRedirects) return failed(`more than ${options.maxRedirects} redirects.`);
    url = URL.canParse(location, url) ? new URL(location, url) : undefined;
    if (!url) return failed("a redirect to something that is not a URL.");
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return failed(`the source answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`);
  }
  const partial = `${target}.download`;
  const file = await open(partial, "w");
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => {});
        return failed(`the file is larger than ${options.maxBytes} bytes.`);
      }
      await file.write(chunk);
    }
  } catch (error) {
    return failed(signal.aborted ? `not finished within ${options.timeoutMs} ms.` : `the connection failed (${(error as Error).message}).`);
  } finally {
    await file.close();
    if (size > options.maxBytes || signal.aborted) await rm(partial, { force: true });
  }
  await rename(partial, target);
  return { ok: true, size };
}
