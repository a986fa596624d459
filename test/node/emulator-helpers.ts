// Shared by the emulator's Node test files: start an emulator on a free port, or its bin as a child process, send
// bytes to an upload URL the way clients do (one PUT, or GCS-style chunks), and wait for a status without fixed
// sleeps.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFile } from "node:fs/promises";
import Mux from "@mux/mux-node";
import { startMuxEmulator, type MuxEmulator, type MuxEmulatorOptions } from "../../src/emulator/index.js";

export async function startTestEmulator(options: MuxEmulatorOptions = {}): Promise<{ emulator: MuxEmulator; mux: Mux }> {
  const emulator = await startMuxEmulator({ processingDelayMs: 50, webhookRetryDelaysMs: [50, 100], ...options });
  const mux = new Mux({
    tokenId: emulator.tokenId,
    tokenSecret: emulator.tokenSecret,
    webhookSecret: emulator.webhookSecret,
    baseURL: emulator.url,
    maxRetries: 0,
  });
  return { emulator, mux };
}

/**
 * Reads the emulator's state through its API every 25 ms until `done` holds for it (what a client polling Mux
 * does); fails with the last value read after `timeoutMs`.
 */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!done(value)) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

export async function putWhole(url: string, bytes: Uint8Array<ArrayBuffer>, type = "video/mp4"): Promise<Response> {
  return fetch(url, { method: "PUT", headers: { "content-type": type }, body: bytes });
}

export function putChunk(url: string, bytes: Uint8Array<ArrayBuffer>, first: number, total: number | "*", type = "video/mp4"): Promise<Response> {
  const last = first + bytes.length - 1;
  return fetch(url, {
    method: "PUT",
    headers: { "content-type": type, "content-range": `bytes ${first}-${last}/${total}` },
    body: bytes,
  });
}

export function queryOffset(url: string, total: number | "*"): Promise<Response> {
  return fetch(url, { method: "PUT", headers: { "content-range": `bytes */${total}` } });
}

/** Sends `bytes` in `chunkSize` pieces and returns every status with its Range header. */
export async function putInChunks(url: string, bytes: Uint8Array<ArrayBuffer>, chunkSize: number): Promise<Array<{ status: number; range: string | null }>> {
  const answers: Array<{ status: number; range: string | null }> = [];
  for (let first = 0; first < bytes.length; first += chunkSize) {
    const response = await putChunk(url, bytes.subarray(first, Math.min(first + chunkSize, bytes.length)), first, bytes.length);
    await response.arrayBuffer();
    answers.push({ status: response.status, range: response.headers.get("range") });
  }
  return answers;
}

/** Creates an upload, sends `bytes` in one PUT and waits for the asset to settle (ready or errored). */
export async function uploadAndSettle(
  mux: Mux,
  bytes: Uint8Array<ArrayBuffer>,
  settings: Mux.Video.AssetOptions = { playback_policies: ["public"] },
) {
  const upload = await mux.video.uploads.create({ cors_origin: "*", new_asset_settings: settings });
  const put = await putWhole(upload.url ?? "", bytes);
  if (put.status !== 200) throw new Error(`upload PUT answered ${put.status}: ${await put.text()}`);
  const created = await waitUntil(() => mux.video.uploads.retrieve(upload.id), (u) => u.status === "asset_created");
  const asset = await waitUntil(() => mux.video.assets.retrieve(created.asset_id ?? ""), (a) => a.status !== "preparing");
  return { upload: created, asset };
}

/** A file's bytes as a fresh ArrayBuffer-backed array (what fetch bodies accept). */
export async function readBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await readFile(path));
}

/** The emulator's bin running as a child process, as `node <cliPath> ...args`. */
export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** The exit code, once the process has ended and its output is all read. */
  exit: Promise<number | null>;
  /** The first match of `pattern` in the output, checked as each piece arrives; rejects if the process ends first. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
}

export function runCli(cliPath: string, args: string[]): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: "pipe" });
  let out = "";
  child.stdout.on("data", (chunk) => (out += String(chunk)));
  child.stderr.on("data", (chunk) => (out += String(chunk)));
  // "close" rather than "exit": it comes after the last output, so what the process printed is all there.
  const exit = new Promise<number | null>((resolveExit) => child.on("close", (code) => resolveExit(code)));
  const line = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolveLine, reject) => {
      const check = () => {
        const match = pattern.exec(out);
        if (!match) return;
        stop();
        resolveLine(match);
      };
      const closed = (code: number | null) => {
        stop();
        reject(new Error(`exited (${code}) without ${pattern} in its output:\n${out}`));
      };
      const stop = () => {
        child.stdout.off("data", check);
        child.stderr.off("data", check);
        child.off("close", closed);
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.on("close", closed);
      check();
    });
  return { child, output: () => out, exit, line };
}
