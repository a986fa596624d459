/**
 * Fault knobs: the emulator's way to make uploads and processing fail on purpose in tests.
 * One instance per emulator (no shared state between emulators in one process).
 */
import type { EmulatorFaults } from "./types.js";

export type ByteRequestFault =
  | { kind: "fail"; status: number; retryAfter?: number | undefined }
  | { kind: "drop"; afterBytes: number }
  | { kind: "none" };

export class FaultInjector {
  private faults: EmulatorFaults = {};
  private byteRequests = 0;

  constructor(initial: EmulatorFaults = {}) {
    this.set(initial);
  }

  /** Replaces all knobs and restarts the byte-request count that `failChunk.n` refers to. */
  set(faults: EmulatorFaults): void {
    this.faults = { ...faults };
    this.byteRequests = 0;
  }

  get current(): EmulatorFaults {
    return { ...this.faults };
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** Called once per PUT that carries bytes; decides whether this one fails. Each knob fires once. */
  nextByteRequest(uploadId: string): ByteRequestFault {
    const fail = this.faults.failChunk;
    if (fail && (fail.uploadId === undefined || fail.uploadId === uploadId)) this.byteRequests += 1;
    if (fail && fail.n === this.byteRequests) {
      delete this.faults.failChunk;
      return { kind: "fail", status: fail.status, retryAfter: fail.retryAfter };
    }
    const drop = this.faults.dropConnectionAfterBytes;
    if (drop !== undefined) {
      delete this.faults.dropConnectionAfterBytes;
      return { kind: "drop", afterBytes: drop };
    }
    return { kind: "none" };
  }

  /** Returns the forced error for the next asset, once. */
  takeAssetFailure(): { type: string; message: string } | undefined {
    const knob = this.faults.failNextAsset;
    if (!knob) return undefined;
    delete this.faults.failNextAsset;
    const detail = typeof knob === "object" ? knob : {};
    return {
      type: detail.type ?? "invalid_input",
      message: detail.message ?? "The emulator was told to fail this asset (fault knob failNextAsset).",
    };
  }

  takeExpiredUploads(): string[] {
    const ids = this.faults.expireUploads ?? [];
    delete this.faults.expireUploads;
    return ids;
  }
}

/** Validates the JSON body of `POST /_emulator/faults`; returns a message for anything it cannot use. */
export function parseFaults(value: Record<string, unknown>): { ok: true; faults: EmulatorFaults } | { ok: false; message: string } {
  const faults: EmulatorFaults = {};
  const known = new Set(["failChunk", "dropConnectionAfterBytes", "latencyMs", "failNextAsset", "expireUploads"]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) return { ok: false, message: `Unknown fault knob "${key}".` };
  }
  const failChunk = value.failChunk;
  if (failChunk !== undefined) {
    if (typeof failChunk !== "object" || failChunk === null) return { ok: false, message: "failChunk must be { n, status, retryAfter? }." };
    const { n, status, retryAfter, uploadId } = failChunk as Record<string, unknown>;
    if (!isPositiveInt(n) || !isInt(status) || status < 400 || status > 599) {
      return { ok: false, message: "failChunk needs n ≥ 1 and a status 400–599." };
    }
    if (retryAfter !== undefined && !isNonNegativeInt(retryAfter)) return { ok: false, message: "failChunk.retryAfter must be seconds ≥ 0." };
    if (uploadId !== undefined && typeof uploadId !== "string") return { ok: false, message: "failChunk.uploadId must be a string." };
    faults.failChunk = { n, status, ...(retryAfter !== undefined ? { retryAfter } : {}), ...(uploadId !== undefined ? { uploadId } : {}) };
  }
  if (value.dropConnectionAfterBytes !== undefined) {
    if (!isNonNegativeInt(value.dropConnectionAfterBytes)) return { ok: false, message: "dropConnectionAfterBytes must be an integer ≥ 0." };
    faults.dropConnectionAfterBytes = value.dropConnectionAfterBytes;
  }
  if (value.latencyMs !== undefined) {
    if (!isNonNegativeInt(value.latencyMs)) return { ok: false, message: "latencyMs must be an integer ≥ 0." };
    faults.latencyMs = value.latencyMs;
  }
  const failNextAsset = value.failNextAsset;
  if (failNextAsset !== undefined) {
    if (typeof failNextAsset === "boolean") faults.failNextAsset = failNextAsset;
    else if (typeof failNextAsset === "object" && failNextAsset !== null) {
      const { type, message } = failNextAsset as Record<string, unknown>;
      if ((type !== undefined && typeof type !== "string") || (message !== undefined && typeof message !== "string")) {
        return { ok: false, message: "failNextAsset must be true or { type?, message? } with strings." };
      }
      faults.failNextAsset = { ...(type ? { type } : {}), ...(message ? { message } : {}) };
    } else return { ok: false, message: "failNextAsset must be true or { type?, message? }." };
  }
  if (value.expireUploads !== undefined) {
    const ids = value.expireUploads;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) return { ok: false, message: "expireUploads must be an array of upload ids." };
    faults.expireUploads = ids;
  }
  return { ok: true, faults };
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isPositiveInt = (v: unknown): v is number => isInt(v) && v >= 1;
const isNonNegativeInt = (v: unknown): v is number => isInt(v) && v >= 0;
